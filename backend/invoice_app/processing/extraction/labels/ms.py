"""Malay and Indonesian labels (one table: the two languages share most receipt words).

Receipts from Malaysia, Brunei and Indonesia print these where an English one prints "Total",
"Cash", "Change" or "Date"; many print both. `Jumlah` alone is a sum of something (items, a tax
class): weaker than the total it names with `besar` or `perlu dibayar`.
"""

from __future__ import annotations

from ...types import Field
from .base import NO, Kind, Label

LABELS = [
    # --- invoice number ---------------------------------------------------------------------
    Label(
        Field.INVOICE_NUMBER,
        1.0,
        (
            rf"(?:invois|resit|bil|nota|faktur|struk|tagihan|invoice){NO}",
            r"(?:no|nombor|nomor)\.?(?:invois|resit|bil|nota|faktur|struk|transaksi|tagihan|invoice)",
        ),
    ),
    Label(Kind.TITLE, 0.7, (r"invois", r"faktur", r"resit", r"tagihan")),
    # --- dates ------------------------------------------------------------------------------
    Label(
        Field.INVOICE_DATE,
        1.0,
        (r"tarikh(?:invois|resit|bil)?", r"tanggal(?:faktur|transaksi|tagihan|invoice)?", r"tgl\.?"),
    ),
    Label(
        Field.DUE_DATE,
        1.0,
        (r"tarikh(?:akhir|matang)(?:bayaran)?", r"(?:tanggal)?jatuhtempo"),
    ),
    # --- amounts ----------------------------------------------------------------------------
    Label(
        Field.TOTAL,
        1.0,
        (
            r"jumlah(?:besar|keseluruhan|bersih)",
            r"jumlah(?:perlu|yangperlu|harus|yangharus)?dibayar",
            r"jumlahbayaran",
            r"jumlah(?:termasuk|tmsk)(?:sst|gst|cukai)",
            r"total(?:bayar|belanja|harga)",
        ),
    ),
    Label(Field.TOTAL, 0.7, (r"jumlah",)),
    Label(
        Field.SUBTOTAL,
        1.0,
        (r"jumlahkecil", r"subjumlah", r"jumlah(?:sebelum|tanpa)(?:sst|gst|cukai)", r"dpp"),
    ),
    Label(
        Field.TAX,
        1.0,
        (r"cukai(?:jualan|perkhidmatan)?", r"(?:jumlah)?(?:sst|gst)", r"ppn", r"pajak", r"pb1"),
    ),
    Label(Kind.TENDERED, 1.0, (r"tunai", r"dibayar", r"bayar", r"diterima", r"wangditerima")),
    Label(Kind.CHANGE, 1.0, (r"baki(?:wang)?", r"wangbaki", r"kembali(?:an)?", r"uangkembali")),
    Label(Kind.ROUNDING, 1.0, (r"pelarasan(?:bundar|penggenapan)?", r"pembundaran", r"penggenapan")),
    Label(Kind.IGNORE, 1.0, (r"diskaun", r"diskon", r"potongan", r"jumlahitem", r"jumlahbarang")),
    # --- parties ----------------------------------------------------------------------------
    Label(Kind.SELLER, 1.0, (r"penjual", r"pembekal")),
    Label(Kind.BUYER, 1.0, (r"pelanggan", r"pembeli", r"kepada")),
    Label(Kind.CURRENCY, 1.0, (r"matawang", r"matauang")),
    Label(Kind.OWNER, 1.0, (r"dimilikioleh", r"diuruskanoleh")),
    # --- accounts payable: purchase order and payment terms ---------------------------------
    Label(Field.PURCHASE_ORDER, 1.0, (r"pesanan(?:pembelian)?" + NO + "?",)),
    Label(Field.PAYMENT_TERMS, 1.0, (r"terma(?:bayaran)?", r"syaratpembayaran")),
]

"""Turkish labels ("Fatura No", "Fatura Tarihi", "Ara Toplam", "KDV", "Genel Toplam"); a dotless ı may be
read as i."""

from __future__ import annotations

from ...types import Field
from .base import Kind, Label

LABELS = [
    Label(Field.INVOICE_NUMBER, 1.0, (r"faturano", r"faturanumaras(?:ı|i)")),
    Label(Field.INVOICE_DATE, 1.0, (r"faturatarihi", r"düzenlemetarihi")),
    Label(Field.DUE_DATE, 1.0, (r"sonödemetarihi", r"vadetarihi")),
    Label(Field.TOTAL, 1.0, (r"geneltoplam", r"ödenecektutar", r"vergilerdahiltoplam(?:tutar)?")),
    # A till's fiscal slip ("TOPLAM *194,00", "TOPKDV *5,08", "NAKİT", "PARA ÜSTÜ").
    Label(Field.TOTAL, 0.8, (r"toplam",)),
    Label(Kind.TENDERED, 1.0, (r"nak(?:i|ı)t",)),
    Label(Kind.CHANGE, 1.0, (r"para(?:ü|u)st(?:ü|u)",)),
    Label(Field.SUBTOTAL, 1.0, (r"aratoplam", r"mal(?:/)?hizmettoplamtutar(?:ı|i)")),
    Label(Field.TAX, 1.0, (r"kdv", r"hesaplanankdv", r"toplamkdv", r"topkdv", r"kdvtutar(?:ı|i)")),
    Label(Field.SUBTOTAL, 0.8, (r"matrah",)),
    Label(Kind.SELLER, 1.0, (r"sat(?:ı|i)c(?:ı|i)",)),
    Label(Kind.BUYER, 1.0, (r"al(?:ı|i)c(?:ı|i)", r"say(?:ı|i)n")),
]

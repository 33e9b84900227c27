"""Vietnamese labels (receipts and VAT invoices: "Số HĐ", "Hóa đơn số", "Tổng cộng", "Tiền thừa")."""

from __future__ import annotations

from ...types import Field
from .base import Kind, Label

LABELS = [
    # "Số HĐ: HD-000482" (số hóa đơn: the invoice's number; OCR without the model reads "Sö HD").
    Label(
        Field.INVOICE_NUMBER,
        1.0,
        (
            r"s(?:ố|ö|ô|o)(?:hđ|hd)",
            r"s(?:ố|ö|ô|o)h(?:ó|o)a(?:đ|d)(?:ơ|o)n",
            r"h(?:ó|o)a(?:đ|d)(?:ơ|o)ns(?:ố|ö|ô|o)",
        ),
    ),
    # A VAT e-invoice's bilingual labels: "Số (No.): 00000842", "Đơn vị bán hàng (Seller):".
    Label(Field.INVOICE_NUMBER, 0.9, (r"s(?:ố|ô)\(no\.?\)",)),
    Label(Kind.TITLE, 0.7, (r"h(?:ó|o)a(?:đ|d)(?:ơ|o)n(?:gi(?:á|a)tr(?:ị|i)giat(?:ă|a)ng)?",)),
    Label(Kind.SELLER, 1.0, (r"(?:đ|d)(?:ơ|o)nv(?:ị|i)b(?:á|a)nh(?:à|a)ng(?:\(seller\))?",)),
    Label(
        Kind.BUYER,
        1.0,
        (r"(?:đ|d)(?:ơ|o)nv(?:ị|i)mua(?:h(?:à|a)ng)?", r"h(?:ọ|o)t(?:ê|e)nng(?:ư|u)(?:ờ|o)imuah(?:à|a)ng"),
    ),
    Label(Field.INVOICE_DATE, 1.0, (r"ng(?:à|a)y(?:l(?:ậ|a)p|b(?:á|a)n)?",)),
    Label(
        Field.TOTAL, 1.0, (r"t(?:ổ|ô|o)ngc(?:ộ|ô|o)ng", r"t(?:ổ|ô|o)ngthanhto(?:á|a)n", r"thanhto(?:á|a)n")
    ),
    Label(Kind.TENDERED, 1.0, (r"ti(?:ề|ê|e)nkh(?:á|a)chđ(?:ư|u)a", r"kh(?:á|a)chđ(?:ư|u)a")),
    Label(Kind.CHANGE, 1.0, (r"ti(?:ề|ê|e)nth(?:ừ|u)a", r"ti(?:ề|ê|e)ntr(?:ả|a)l(?:ạ|a)i")),
]

"""Hungarian labels ("Számla sorszáma", "Számla kelte", "Fizetési határidő", "Nettó érték", "Fizetendő")."""

from __future__ import annotations

from ...types import Field
from .base import Kind, Label

LABELS = [
    Label(Field.INVOICE_NUMBER, 1.0, (r"számlasorszáma", r"számlaszám", r"sorszám")),
    # A till's receipt: "Nyugtaszám: 0218/00351".
    Label(Field.INVOICE_NUMBER, 0.8, (r"nyugtasz(?:á|ä|a)m", r"nyugtasorsz(?:á|ä|a)m")),
    Label(Field.INVOICE_DATE, 1.0, (r"számlakelte", r"kiállításdátuma", r"kelte", r"kelt")),
    Label(Kind.OTHER_DATE, 1.0, (r"teljesítés(?:dátuma|idő(?:pont)?ja)?",)),
    Label(Field.DUE_DATE, 1.0, (r"fizetésihatáridő", r"esedékesség")),
    Label(Field.TOTAL, 1.0, (r"fizetendő(?:összeg)?", r"bruttóérték", r"bruttóösszeg", r"számlavégösszeg")),
    Label(Field.TOTAL, 0.6, (r"összesen", r"mindösszesen")),
    Label(Field.SUBTOTAL, 1.0, (r"nettóérték", r"nettóösszeg")),
    Label(Field.SUBTOTAL, 0.7, (r"nettó",)),
    Label(Field.TAX, 1.0, (r"áfaérték", r"áfaösszeg", r"áfa")),
    Label(Kind.IGNORE, 1.0, (r"áfakulcs", r"adószám", r"közösségiadószám", r"cégjegyzékszám")),
    Label(Kind.SELLER, 1.0, (r"eladó", r"szállító", r"kibocsátó")),
    Label(Kind.BUYER, 1.0, (r"vevő",)),
    Label(Kind.CURRENCY, 1.0, (r"pénznem",)),
    Label(Kind.ROUNDING, 1.0, (r"kerekítés",)),
]

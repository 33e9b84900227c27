"""Greek labels ("Αριθμός", "Ημερομηνία έκδοσης", "Καθαρή αξία", "ΦΠΑ", "Πληρωτέο ποσό"); matched folded,
so without the tonos."""

from __future__ import annotations

from ...types import Field
from .base import Kind, Label

LABELS = [
    Label(Field.INVOICE_NUMBER, 1.0, (r"αριθμός(?:τιμολογίου|παραστατικού)?", r"αρ\.τιμολογίου")),
    Label(Kind.TITLE, 0.7, (r"τιμολόγιο",)),
    Label(Field.INVOICE_DATE, 1.0, (r"ημερομηνίαέκδοσης", r"ημ/νίαέκδοσης")),
    Label(Field.INVOICE_DATE, 0.6, (r"ημερομηνία",)),
    Label(Field.DUE_DATE, 1.0, (r"ημ(?:ερομηνία|/νία)λήξης(?:πληρωμής)?", r"προθεσμίαπληρωμής")),
    Label(Field.TOTAL, 1.0, (r"πληρωτέοποσό", r"συνολικόποσό", r"γενικόσύνολο", r"σύνολοπληρωτέο")),
    Label(Field.TOTAL, 0.6, (r"σύνολο",)),
    Label(Field.SUBTOTAL, 1.0, (r"καθαρήαξία", r"σύνολοκαθαρή[σς]αξία[σς]")),
    Label(Field.TAX, 1.0, (r"φπα", r"φ\.π\.α\.?", r"σύνολοφπα")),
    Label(Kind.IGNORE, 1.0, (r"αφμ", r"δου", r"αρ\.γεμη")),
    Label(Kind.SELLER, 1.0, (r"στοιχείαεκδότη", r"εκδότης")),
    Label(Kind.BUYER, 1.0, (r"στοιχείαπελάτη", r"πελάτης")),
]

"""Croatian, Serbian, Bosnian and Slovenian labels ("Račun br.", "UKUPNO", "PDV", "Osnovica", "Za plačilo",
"DDV")."""

from __future__ import annotations

from ...types import Field
from .base import Kind, Label

LABELS = [
    Label(Field.INVOICE_NUMBER, 1.0, (r"ra(?:č|c)un(?:br\.?|broj|št\.?|številka)", r"brojra(?:č|c)una")),
    Label(Kind.TITLE, 0.7, (r"ra(?:č|c)un",)),
    Label(Field.INVOICE_DATE, 1.0, (r"datumra(?:č|c)una", r"datumizdavanja", r"datumizdaje")),
    Label(
        Field.DUE_DATE,
        1.0,
        (r"datumdospije(?:ć|c)a", r"rokpla(?:ć|c)anja", r"datumzapadlosti", r"rokpla(?:č|c)ila"),
    ),
    Label(Field.TOTAL, 1.0, (r"zaplatiti", r"zapla(?:č|c)ilo", r"ukupnozaplatiti")),
    Label(Field.TOTAL, 0.8, (r"ukupno", r"skupaj", r"sveukupno")),
    Label(Field.SUBTOTAL, 1.0, (r"osnovica", r"iznosbezpdv-?a", r"osnovazaddv", r"znesekbrezddv")),
    Label(Field.TAX, 1.0, (r"pdv", r"ddv", r"iznospdv-?a", r"znesekddv")),
    Label(Kind.IGNORE, 1.0, (r"oib", r"pib", r"jir", r"zki")),
    Label(Kind.TENDERED, 1.0, (r"gotovina", r"primljeno", r"prejeto")),
    Label(Kind.CHANGE, 1.0, (r"povrat", r"vra(?:č|c)ilo", r"kusur")),
    Label(Kind.SELLER, 1.0, (r"prodavatelj", r"prodavac", r"dobavlja(?:č|c)", r"izdavatelj")),
    Label(Kind.BUYER, 1.0, (r"kupac", r"kupec", r"naru(?:č|c)itelj")),
]

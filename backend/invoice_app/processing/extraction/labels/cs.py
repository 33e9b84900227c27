"""Czech and Slovak labels ("Faktura - daňový doklad č.", "Datum splatnosti", "Základ daně", "DPH")."""

from __future__ import annotations

from ...types import Field
from .base import Kind, Label

LABELS = [
    Label(
        Field.INVOICE_NUMBER,
        1.0,
        (
            r"faktúr?a(?:-?daňovýdoklad)?(?:č\.?|číslo)",
            r"daňovýdoklad(?:č\.?|číslo)",
            r"čísl?ofaktúr?y",
        ),
    ),
    # A till's receipt: "ÚČTENKA č. 26-00871" (OCR reads "č." as "£." or "c.").
    Label(Field.INVOICE_NUMBER, 0.8, (r"(?:ú|u)(?:č|c)tenka(?:(?:č|c|£)\.?|číslo)?",)),
    # The payment reference, often the invoice number in digits only ("2025-0087" → 20250087): the
    # number when none other is printed, below a number beside the title.
    Label(Field.INVOICE_NUMBER, 0.6, (r"variabilnísymbol", r"variabilnýsymbol")),
    Label(Field.INVOICE_DATE, 1.0, (r"dátumvystavenia", r"datumvystavení", r"dátumvyhotovenia")),
    Label(
        Kind.OTHER_DATE,
        1.0,
        (r"datumuskutečnění(?:zdanitelného)?plnění", r"duzp", r"dátumdodania"),
    ),
    Label(Field.DUE_DATE, 1.0, (r"datumsplatnosti", r"dátumsplatnosti", r"splatnost")),
    Label(Field.TOTAL, 1.0, (r"(?:celkem|spolu)?k?(?:ú|u)hrad(?:ě|e|u)", r"spolunaúhradu", r"celkemsdph")),
    Label(Field.TOTAL, 0.6, (r"celkem", r"spolu")),
    Label(Field.SUBTOTAL, 1.0, (r"základdan(?:ě|e)", r"celkembezdph", r"spolubezdph")),
    Label(Field.TAX, 1.0, (r"dph", r"dphcelkem", r"celkemdph(?!\w)", r"výšedph")),
    Label(Kind.IGNORE, 1.0, (r"dič", r"ičdph", r"ičo")),
    Label(Kind.ROUNDING, 1.0, (r"zaokrouhlení", r"zaokrúhlenie")),
    Label(Kind.SELLER, 1.0, (r"dodavatel", r"dodávateľ")),
    Label(Kind.BUYER, 1.0, (r"odběratel", r"odberateľ")),
]

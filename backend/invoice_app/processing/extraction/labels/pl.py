"""Polish labels ("Faktura VAT nr", "Data wystawienia", "Termin płatności", "Razem brutto")."""

from __future__ import annotations

from ...types import Field
from .base import Kind, Label

LABELS = [
    Label(
        Field.INVOICE_NUMBER,
        1.0,
        (r"faktura(?:vat)?(?:nr|numer)\.?", r"numerfaktury", r"nrfaktury", r"fakturakorygującanr\.?"),
    ),
    Label(Field.INVOICE_DATE, 1.0, (r"datawystawienia", r"datafaktury")),
    Label(Kind.OTHER_DATE, 1.0, (r"datasprzedaży", r"datadostawy", r"datawykonaniausługi")),
    Label(Field.DUE_DATE, 1.0, (r"terminpłatności", r"terminzapłaty", r"płatnedo")),
    Label(Field.TOTAL, 1.0, (r"razembrutto", r"(?:kwota|razem|suma)?dozapłaty", r"wartośćbrutto")),
    Label(Field.TOTAL, 0.6, (r"razem",)),
    # A till's fiscal receipt ("paragon fiskalny"): "SUMA PLN 37,09", "Suma PTU 4,00", cash and change.
    Label(Field.TOTAL, 0.8, (r"suma(?:pln)?",)),
    Label(Field.TAX, 1.0, (r"sumaptu", r"ptu")),
    Label(Field.INVOICE_NUMBER, 0.8, (r"paragon(?:fiskalny)?(?:nr|numer)\.?",)),
    Label(Kind.TENDERED, 1.0, (r"gotówka",)),
    Label(Kind.CHANGE, 1.0, (r"reszta",)),
    Label(Field.SUBTOTAL, 1.0, (r"razemnetto", r"wartośćnetto", r"sumanetto")),
    Label(Field.TAX, 1.0, (r"kwotavat", r"podatekvat", r"razemvat")),
    # "W tym  2 131,60  23%  490,27  2 621,87": a row of the VAT summary per rate ("of which"), not
    # the invoice's sums.
    Label(Kind.IGNORE, 1.0, (r"^wtym",)),
    Label(Kind.ROUNDING, 1.0, (r"zaokrąglenie",)),
    Label(Kind.SELLER, 1.0, (r"sprzedawca",)),
    Label(Kind.BUYER, 1.0, (r"nabywca",)),
]

"""Dutch labels ("datum" is in the German table, "totaal" here serves both)."""

from __future__ import annotations

from ...types import Field
from .base import NO, Kind, Label

LABELS = [
    # --- invoice number ---------------------------------------------------------------------
    Label(Field.INVOICE_NUMBER, 1.0, (rf"factuur{NO}", r"factuurnr\.?", rf"creditnota{NO}?")),
    Label(Kind.TITLE, 0.7, (r"factuur", r"creditfactuur", r"creditnota")),
    # --- dates ------------------------------------------------------------------------------
    Label(Field.INVOICE_DATE, 1.0, (r"factuurdatum", r"creditnotadatum", r"datumcreditnota")),
    Label(Kind.OTHER_DATE, 1.0, (r"(?:lever|bestel|order|betaal)datum",)),
    Label(
        Field.DUE_DATE,
        1.0,
        (r"vervaldatum", r"vervaldag", r"uiterstebetaaldatum", r"(?:te)?betalenv(?:ó|o)(?:ó|o)r"),
    ),
    # --- amounts ----------------------------------------------------------------------------
    Label(Field.TOTAL, 1.0, (r"totaalbedrag", r"totaal(?:incl\.?|inclusief)(?:btw)?")),
    Label(Field.TOTAL, 0.8, (r"totaal",)),
    Label(Field.TOTAL, 0.55, (r"tebetalen(?:bedrag)?",)),
    Label(Field.SUBTOTAL, 1.0, (r"subtotaal", r"totaal(?:excl\.?|exclusief)(?:btw)?", r"nettobedrag")),
    Label(Field.TAX, 1.0, (r"btw(?:-?bedrag)?", r"totaalbtw")),
    Label(Kind.IGNORE, 1.0, (r"korting", r"aanbetaling")),
    Label(Kind.CHARGE, 1.0, (r"fooi", r"verzendkosten", r"bezorgkosten")),
    # --- a till's payment: what was handed over, the change, the rounding ---------------------
    Label(Kind.TENDERED, 1.0, (r"contant", r"ontvangen")),
    Label(Kind.CHANGE, 1.0, (r"wisselgeld", r"terug", r"retour")),
    Label(Kind.ROUNDING, 1.0, (r"afronding(?:skorting)?",)),
    # --- parties and currency ---------------------------------------------------------------
    Label(Kind.SELLER, 1.0, (r"leverancier", r"verkoper")),
    Label(Kind.BUYER, 1.0, (r"klant", r"afnemer", r"koper", r"factuuradres", r"afleveradres")),
    Label(Kind.CURRENCY, 1.0, (r"valuta",)),
    # --- accounts payable: purchase order and payment terms ---------------------------------
    Label(Field.PURCHASE_ORDER, 1.0, (r"(?:inkoop)?order(?:nummer|nr\.?)", r"uwbestelling(?:nr\.?)?")),
    Label(Field.PAYMENT_TERMS, 1.0, (r"betalings(?:voorwaarden|termijn|conditie)",)),
]

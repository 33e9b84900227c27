"""Italian labels ("Fattura n.", "Imponibile", "IVA", "Scadenza")."""

from __future__ import annotations

from ...types import Field
from .base import Kind, Label

_NO = r"(?:numero|num\.?|nr\.?|n°|nº|no\.?|n\.?)"  # longest first: "Fattura numero"

LABELS = [
    # --- invoice number ---------------------------------------------------------------------
    Label(Field.INVOICE_NUMBER, 1.0, (rf"fattura{_NO}", r"numerofattura", rf"notadicredito{_NO}")),
    Label(Field.INVOICE_NUMBER, 0.7, (rf"documento{_NO}", rf"scontrino{_NO}")),
    Label(
        Field.INVOICE_NUMBER, 0.5, (r"^numero",)
    ),  # alone, heading a line of the meta block under "FATTURA"
    Label(Kind.TITLE, 0.7, (r"fattura",)),
    # --- dates ------------------------------------------------------------------------------
    Label(
        Field.INVOICE_DATE,
        1.0,
        (r"datafattura", r"datadiemissione", r"datadocumento", r"datafatt\.?", r"datanotadicredito"),
    ),
    Label(Field.INVOICE_DATE, 0.6, (r"data",)),
    Label(Kind.OTHER_DATE, 1.0, (r"data(?:di)?(?:consegna|ordine|spedizione)",)),
    Label(Field.DUE_DATE, 1.0, (r"datascadenza", r"scadenz[ae]", r"scadenzapagamento")),
    # --- amounts ----------------------------------------------------------------------------
    Label(Field.TOTAL, 1.0, (r"totalefattura", r"totaledocumento", r"totaleapagare", r"importototale")),
    Label(Field.TOTAL, 0.8, (r"totale",)),
    Label(Field.SUBTOTAL, 1.0, (r"imponibile", r"totaleimponibile", r"totalenetto")),
    Label(Field.TAX, 1.0, (r"iva", r"totaleiva", r"impostaiva", r"imposta")),
    Label(Kind.IGNORE, 1.0, (r"sconto", r"acconto", r"partitaiva", r"p\.?iva", r"codicefiscale")),
    Label(Kind.CHARGE, 1.0, (r"mancia", r"spesedi(?:spedizione|trasporto|consegna)")),
    # --- a till's payment: what was handed over, the change, the rounding ---------------------
    Label(Kind.TENDERED, 1.0, (r"contanti", r"pagamentocontante", r"contante", r"ricevuto")),
    Label(Kind.CHANGE, 1.0, (r"resto",)),
    Label(Kind.ROUNDING, 1.0, (r"arrotondamento",)),
    # --- parties ----------------------------------------------------------------------------
    Label(Kind.SELLER, 1.0, (r"fornitore", r"cedente", r"venditore", r"prestatore")),
    Label(
        Kind.BUYER,
        1.0,
        (r"cliente", r"destinatario", r"cessionario", r"committente", r"spett\.?(?:le|abile)"),
    ),
    Label(Kind.CURRENCY, 1.0, (r"valuta",)),
]

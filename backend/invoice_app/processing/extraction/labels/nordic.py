"""Swedish, Norwegian, Danish and Finnish labels ("Fakturanr", "Förfallodatum", "Å betale", "Eräpäivä")."""

from __future__ import annotations

from ...types import Field
from .base import Kind, Label

LABELS = [
    # --- invoice number ---------------------------------------------------------------------
    Label(
        Field.INVOICE_NUMBER,
        1.0,
        (
            r"(?:kredit)?fakturan(?:r|o)\.?",
            r"(?:kredit)?fakturanummer",
            r"kreditnota(?:nr\.?|nummer)",
            r"hyvityslaskun(?:numero|nro)",
            r"laskun?(?:numero|nro|n:o)\.?",
            r"laskunnumero",
        ),
    ),
    # A till's receipt: "Kvitto nr 26-018834", "Kvittering nr.", "Kuitti nro".
    Label(Field.INVOICE_NUMBER, 0.8, (r"kvitt(?:o|ering)(?:nr|nummer)\.?", r"kuitti(?:nro|numero)\.?")),
    Label(Kind.TITLE, 0.7, (r"faktura", r"lasku", r"kreditfaktura", r"hyvityslasku", r"kreditnota")),
    # --- dates ------------------------------------------------------------------------------
    Label(
        Field.INVOICE_DATE,
        1.0,
        (r"fakturadat(?:um|o)", r"laskun?päivä(?:määrä)?", r"laskutuspäivä", r"utställningsdatum"),
    ),
    Label(Field.INVOICE_DATE, 0.6, (r"dato", r"päivämäärä", r"päiväys")),
    Label(Kind.OTHER_DATE, 1.0, (r"leveransdatum", r"leveringsdato", r"toimituspäivä")),
    Label(
        Field.DUE_DATE,
        1.0,
        (
            r"förfallodatum",
            r"förfallodag",
            r"forfall(?:s)?dato",
            r"forfaldsdato",
            r"sidsterettidigebetaling(?:sdato|sdag)?",
            r"betalessenest",
            r"betalassenast",
            r"eräpäivä",
        ),
    ),
    # --- amounts ----------------------------------------------------------------------------
    Label(
        Field.TOTAL,
        1.0,
        (
            r"(?:summa|totalt|belopp)?attbetala",
            r"(?:total|beløp|sum)?åbetale",
            r"(?:total|beløb)?atbetale",
            r"totalbeløb(?:inkl\.?moms)?",
            r"(?:faktura)?beløbialt(?:inkl\.?moms)?",
            r"(?:ialt)?inkl\.?moms",
            r"maksettava(?:yhteensä)?",
            r"loppusumma",
            r"yhteensä",
        ),
    ),
    Label(Field.TOTAL, 0.8, (r"totalt", r"ialt", r"summa")),
    Label(Field.TOTAL, 0.6, (r"yht\.?",)),  # "Yht. 60,73 15,01 75,74": a till's totals row
    Label(
        Field.SUBTOTAL,
        1.0,
        (
            r"(?:summa|belopp|netto)?exkl\.?moms",
            r"(?:sum|beløp|netto)?eks(?:kl)?\.?mva\.?",
            r"(?:beløb|ialt)?eks(?:kl)?\.?moms",
            r"nettobelopp",
            r"nettobeløb",
            r"veroton(?:hinta|summa|yhteensä)?",
            r"arvonlisäveroton(?:yhteensä)?",
        ),
    ),
    Label(Field.TAX, 1.0, (r"moms(?:belopp|beløb)?", r"mva", r"merverdiavgift", r"alv", r"arvonlisävero")),
    Label(Kind.IGNORE, 1.0, (r"momsreg(?:istrerings)?(?:nr|nummer)\.?", r"alv-?tunnus", r"y-?tunnus")),
    Label(Kind.IGNORE, 1.0, (r"kund(?:e)?n(?:r|ummer)\.?",)),
    Label(
        Kind.ROUNDING,
        1.0,
        (r"(?:öres)?avrundning", r"öresutjämning", r"(?:øre)?afrunding", r"(?:øre)?avrunding", r"pyöristys"),
    ),
    # --- parties ----------------------------------------------------------------------------
    Label(Kind.SELLER, 1.0, (r"leverantör", r"leverandør", r"toimittaja", r"myyjä")),
    Label(Kind.BUYER, 1.0, (r"kund", r"asiakas", r"fakturaadress", r"faktureringsadresse", r"ostaja")),
]

"""German labels."""

from __future__ import annotations

from ...types import Field
from .base import NO, Kind, Label

LABELS = [
    # --- invoice number ---------------------------------------------------------------------
    Label(Field.INVOICE_NUMBER, 1.0, (rf"rechnungs?{NO}", r"rechnungs-nr\.?", rf"gutschrifts?{NO}")),
    # "Handelsrechnung Nr.", "Rechnungskorrektur Nr.", "Rechnung des Versicherers Nr."
    Label(
        Field.INVOICE_NUMBER,
        0.95,
        (r"(?:rechnung(?:skorrektur)?|gutschrift)\)?(?:nr\.?|#)", r"rechnung(?:des|der)[a-zäöüß]{3,20}nr\.?"),
        infix=True,
    ),
    Label(Field.INVOICE_NUMBER, 0.8, (rf"beleg-?{NO}", r"belegnummer", rf"bon-?{NO}", r"bonnummer")),
    # Austria: a freelancer's fee note ("Honorarnote Nr. 2024-031").
    Label(Field.INVOICE_NUMBER, 1.0, (rf"honorar(?:note|rechnung){NO}",)),
    Label(Kind.TITLE, 0.7, (r"rechnung", r"gutschrift")),
    # --- dates ------------------------------------------------------------------------------
    Label(
        Field.INVOICE_DATE,
        1.0,
        (
            r"rechnungs-?datum",
            r"beleg-?datum",
            r"ausstellungs-?datum",
            r"datumderrechnung",
            r"gutschriftsdatum",
            r"datumdergutschrift",
        ),
    ),
    Label(Field.INVOICE_DATE, 0.6, (r"datum",)),  # also Dutch
    Label(
        Kind.OTHER_DATE,
        1.0,
        (
            r"(?:liefer|leistungs|bestell|auftrags?|vertrags|lieferschein|zahlungs|buchungs|druck|geburts)-?datum",
            r"(?:versand|valuta|eingangs|abrechnungs|übergabe|rückgabe)-?datum",
            r"(?:leistungs|abrechnungs|liefer)-?zeitraum",
            r"(?:ursprungs|original)rechnungsdatum",
        ),
    ),
    Label(
        Field.DUE_DATE,
        1.0,
        (
            r"fälligkeits-?(?:datum|tag)",
            r"fällig(?:netto)?(?:am|bis|zum|per)?",  # "Fällig netto am: 02.04.2025"
            r"fälligkeit",
            r"zahlungsziel",
            r"zahlbarbis",
        ),
    ),
    # --- amounts ----------------------------------------------------------------------------
    Label(
        Field.TOTAL,
        1.0,
        (
            r"gesamtbetrag",
            r"rechnungsbetrag",
            r"bruttosumme",
            r"bruttobetrag",
            r"rechnungssummebrutto",
            r"summebrutto",
            r"gesamtsumme(?:brutto)?",
            r"endbetrag",
            r"summe(?:inkl\.?|inklusive)(?:ust|mwst|umsatzsteuer)\.?",
        ),
    ),
    Label(Field.TOTAL, 0.8, (r"gesamt",)),
    Label(Field.TOTAL, 0.6, (r"summe",)),
    Label(Field.TOTAL, 0.55, (r"zahlbetrag", r"zuzahlen(?:derbetrag)?")),
    Label(Field.TOTAL, 0.3, (r"offenerbetrag", r"restbetrag")),
    Label(
        Field.SUBTOTAL,
        1.0,
        (
            r"summenetto",
            r"nettosumme",
            r"nettobetrag",
            r"rechnungssummenetto",
            r"rechnungssumme(?:ohne|exkl\.?|excl\.?)(?:ust|mwst|umsatzsteuer)\.?",
            r"gesamt(?:summe|betrag)?netto",
            r"summe(?:ohne|exkl\.?)(?:ust|mwst)\.?",
        ),
    ),
    Label(Field.SUBTOTAL, 0.5, (r"zwischensumme", r"positionssumme", r"warenwert", r"netto")),
    # Goods before tax ("Summe Waren"); an insurer's premium before insurance tax and the tax itself.
    Label(Field.SUBTOTAL, 0.8, (r"summewaren", r"warensumme", r"gesamtbeitrag", r"nettobeitrag")),
    Label(Field.TAX, 1.0, (r"versicherungs?steuer(?:betrag)?",)),
    Label(
        Field.TAX,
        1.0,
        (
            r"mwst\.?(?:-?betrag)?",
            r"ust\.?(?:-?betrag)?",
            r"umsatzsteuer(?:betrag)?",
            r"summe(?:umsatzsteuer|mwst|ust)\.?",
            r"steuerbetrag",
        ),
    ),
    Label(Field.TAX, 0.6, (r"steuer",)),
    Label(
        Kind.IGNORE,
        1.0,
        (
            r"(?:gesamtbetrag|summe)der(?:zu|ab)schläge",
            r"(?:erhaltene)?anzahlung(?:en)?",
            r"bereitsbezahlt",
            r"skonto",
            r"rabatt",
            # Tax ids in every language ("USt-IdNr.", "VAT number", "TVA no", "BTW-nummer").
            r"(?:ust|mwst|vat|tva|btw|steuer)(?:\.|-)*(?:identnr|ident|idnr|id|nummer|number|nr|no)\.?",
            r"steuer-?(?:nr|nummer|id)\.?",
        ),
    ),
    Label(
        Kind.CHARGE,
        1.0,
        (
            r"trinkgeld",
            r"versandkosten",
            r"(?:fracht|liefer|verpackungs)kosten",
            r"porto",
            r"(?:kur|orts|city)taxe",
            r"übernachtungssteuer",
        ),
    ),
    # --- parties and currency ---------------------------------------------------------------
    Label(
        Kind.SELLER,
        1.0,
        (
            r"verkäufer",
            r"rechnungs(?:s)?teller",
            r"rechnungsersteller",
            r"lieferant",
            r"leistungserbringer",
        ),
    ),
    Label(
        Kind.BUYER,
        1.0,
        (
            r"käufer(?:/leistungsempfänger)?",
            r"kunde",
            r"rechnungsempfänger",
            r"warenempfänger",
            r"leistungsempfänger",
            r"lieferanschrift",
            r"lieferadresse",
            r"(?:abweichender)?(?:waren|rechnungs|zahlungs)empfänger",
        ),
    ),
    Label(Kind.CURRENCY, 1.0, (r"(?:rechnungs)?währung", r"beträgein")),
    # --- accounts payable: purchase order and payment terms ---------------------------------
    Label(
        Field.PURCHASE_ORDER,
        1.0,
        (
            r"bestell(?:nummer|nr\.?|ung)(?:nr\.?)?(?:kunde|deskunden)?",
            r"(?:ihre|kunden)bestellung(?:nr\.?|snummer)?",
            r"(?:ihre|kunden)?auftrags?(?:nummer|nr\.?)",
            r"bestellzeichen",
        ),
    ),
    Label(Field.PAYMENT_TERMS, 1.0, (r"zahlungs(?:bedingungen|bedingung|konditionen)", r"konditionen")),
    # --- invoice number: labels of other shapes --------------------------------------------
    # "Handelsrechnung (380) Nr. 471102": the type code between the title and "Nr."
    Label(
        Field.INVOICE_NUMBER,
        0.95,
        (r"(?:rechnung|gutschrift)(?:[a-zäöüß]{2,15})?\(\d{3}\)" + NO,),
        infix=True,
    ),
    Label(Field.INVOICE_NUMBER, 1.0, (r"rechnungs-?id", r"rechnungs-nummer")),
    # --- receipts: tendered, change, rounding ------------------------------------------------
    Label(Kind.TENDERED, 1.0, (r"gegeben", r"bar", r"bargeld")),
    Label(Kind.OWNER, 1.0, (r"inh\.", r"inhaber(?:in)?")),
    Label(Kind.CHANGE, 1.0, (r"rückgeld", r"wechselgeld")),
    Label(Kind.ROUNDING, 1.0, (r"rundung(?:sdifferenz)?",)),
]

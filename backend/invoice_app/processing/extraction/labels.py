"""Field labels in English, German, French and Dutch, matched on whitespace-free lower-case text.

Patterns are written without spaces ("invoicedate") because they run on `Compact` text (folded:
lower case, no accents): that matches "Invoice Date", "INVOICEDATE" (OCR without spaces) and
"Rechnungs datum" (a text layer that splits words) alike. Weights say how sure a label makes us
(1 = it names exactly this field). When labels overlap, the longest wins: "Subtotal" is not
"total", "Total taxes" is the tax.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .text import Compact, fold, word_end, word_start

# Label kinds beyond the output fields.
TITLE = "title"  # "Invoice FA-2017-0008": a document title directly followed by its number
OTHER_DATE = "otherDate"  # order/delivery/service dates: never the invoice date
IGNORE = "ignore"  # amounts that look like totals but are not (prepayments, discounts)
SELLER = "seller"
BUYER = "buyer"
CURRENCY = "currencyLabel"
PAYABLE_TO = "payableTo"


@dataclass(frozen=True)
class Label:
    kind: str
    weight: float
    pattern: re.Pattern[str]
    # May start inside a word: German compounds ("Handelsrechnung Nr.", "Mietrechnung Nr.").
    infix: bool = False
    # Letters every match starts with: a line without them is not searched (3× faster extraction).
    prefix: str = ""


@dataclass(frozen=True)
class LabelHit:
    label: Label
    start: int  # positions in the original line
    end: int

    @property
    def kind(self) -> str:
        return self.label.kind

    @property
    def weight(self) -> float:
        return self.label.weight


_NO = r"(?:number|nummer|numéro|numero|num\.?|no\.?|nr\.?|n°|nº|#)"

_TABLE: list[tuple[str, float, list[str], bool]] = [
    # --- invoice number ---------------------------------------------------------------------
    (
        "invoiceNumber",
        1.0,
        [
            rf"invoice{_NO}",
            r"invoiceid",
            r"inv\.?(?:no\.?|#|nr\.?)",
            rf"rechnungs?{_NO}",
            r"rechnungs-nr\.?",
            rf"facture{_NO}",
            r"(?:n°|nº|no\.?|num(?:é|e)ro)(?:de)?(?:la)?facture",
            rf"factuur{_NO}",
            r"factuurnr\.?",
            rf"avoir{_NO}",
            rf"gutschrifts?{_NO}",
            rf"credit(?:note|nota){_NO}",
            rf"creditnota{_NO}?",
            rf"bill{_NO}",
        ],
        False,
    ),
    # "Handelsrechnung Nr.", "Rechnungskorrektur Nr.", "Rechnung des Versicherers Nr."
    (
        "invoiceNumber",
        0.95,
        [r"(?:rechnung(?:skorrektur)?|gutschrift)\)?(?:nr\.?|#)", r"rechnung(?:des|der)[a-zäöüß]{3,20}nr\.?"],
        True,
    ),
    ("invoiceNumber", 0.8, [rf"beleg-?{_NO}", rf"document{_NO}", rf"receipt{_NO}", r"belegnummer"], False),
    (
        TITLE,
        0.7,
        [r"invoice", r"rechnung", r"facture", r"factuur", r"avoir", r"gutschrift", r"creditnote"],
        False,
    ),
    # --- dates ------------------------------------------------------------------------------
    (
        "invoiceDate",
        1.0,
        [
            r"invoicedate",
            r"dateofinvoice",
            r"invoicedated",
            r"rechnungs-?datum",
            r"beleg-?datum",
            r"ausstellungs-?datum",
            r"datumderrechnung",
            r"date(?:de|d')?(?:la)?factur(?:e|ation)",
            r"factuurdatum",
            r"bill(?:ing)?date",
            r"issue(?:d)?date",
            r"dateofissue",
            r"issuedon",
            r"dated'?(?:é|e)mission",
        ],
        False,
    ),
    ("invoiceDate", 0.6, [r"date", r"datum", r"dated"], False),
    (
        OTHER_DATE,
        1.0,
        [
            r"(?:order|delivery|shipping|ship|service|payment|print|value|start|end|expiry|birth)date",
            r"dateof(?:delivery|service|order|payment|supply)",
            r"(?:liefer|leistungs|bestell|auftrags?|vertrags|lieferschein|zahlungs|buchungs|druck|geburts)-?datum",
            r"(?:versand|valuta|eingangs|abrechnungs|übergabe|rückgabe)-?datum",
            r"date(?:de|d')(?:livraison|commande|paiement|valeur|expédition|prestation)",
            r"(?:lever|bestel|order|betaal)datum",
            r"(?:leistungs|abrechnungs|liefer)-?zeitraum",
            r"(?:billing|service)period",
        ],
        False,
    ),
    (
        "dueDate",
        1.0,
        [
            r"duedate",
            r"paymentdue(?:date|on|by)?",
            r"due(?:on|by)",
            r"pay(?:able)?(?:by|before)",
            r"fälligkeits-?datum",
            r"fällig(?:am|bis|zum|per)?",
            r"fälligkeit",
            r"zahlungsziel",
            r"zahlbarbis",
            r"dated'?(?:é|e)ch(?:é|e)ance",
            r"(?:é|e)ch(?:é|e)ance",
            r"àpayer(?:avant|jusqu'?au)(?:le)?",
            r"vervaldatum",
            r"vervaldag",
            r"uiterstebetaaldatum",
            r"(?:te)?betalenv(?:ó|o)(?:ó|o)r",
        ],
        False,
    ),
    # --- amounts ----------------------------------------------------------------------------
    (
        "total",
        1.0,
        [
            r"grandtotal",
            r"totalamount",
            r"invoicetotal",
            r"totalinvoice",
            r"total(?:incl\.?|including|inc\.?)(?:vat|tax|gst)",
            r"totalt\.?t\.?c\.?",
            r"montantt\.?t\.?c\.?",
            r"totaltoutestaxescomprises",
            r"gesamtbetrag",
            r"rechnungsbetrag",
            r"bruttosumme",
            r"bruttobetrag",
            r"rechnungssummebrutto",
            r"summebrutto",
            r"gesamtsumme(?:brutto)?",
            r"endbetrag",
            r"summe(?:inkl\.?|inklusive)(?:ust|mwst|umsatzsteuer)\.?",
            r"totaalbedrag",
            r"totaal(?:incl\.?|inclusief)(?:btw)?",
        ],
        False,
    ),
    ("total", 0.8, [r"total", r"totaal", r"gesamt"], False),
    ("total", 0.6, [r"summe", r"montanttotal"], False),
    (
        "total",
        0.55,
        [
            r"totaldue",
            r"amountdue",
            r"balancedue",
            r"totalpayable",
            r"amountpayable",
            r"zahlbetrag",
            r"zuzahlen(?:derbetrag)?",
            r"net(?:à|a)payer",
            r"totalàpayer",
            r"montantdû",
            r"tebetalen(?:bedrag)?",
            r"(?:due|now)?payable",
        ],
        False,
    ),
    (
        "total",
        0.3,
        [r"offenerbetrag", r"restbetrag", r"reste(?:à|a)payer", r"residual", r"amountpaid"],
        False,
    ),
    (
        "subtotal",
        1.0,
        [
            r"sub-?total",
            r"nettotal",
            r"totalnet",
            r"netamount",
            r"total(?:excl\.?|excluding|exclusive|before|w/o)(?:vat|tax|taxes|gst)?",
            r"amountbeforetax",
            r"totalh\.?t\.?",
            r"montanth\.?t\.?",
            r"totalhorstaxes?",
            r"sous-?total",
            r"summenetto",
            r"nettosumme",
            r"nettobetrag",
            r"rechnungssummenetto",
            r"rechnungssumme(?:ohne|exkl\.?|excl\.?)(?:ust|mwst|umsatzsteuer)\.?",
            r"gesamt(?:summe|betrag)?netto",
            r"summe(?:ohne|exkl\.?)(?:ust|mwst)\.?",
            r"subtotaal",
            r"totaal(?:excl\.?|exclusief)(?:btw)?",
            r"nettobedrag",
        ],
        False,
    ),
    ("subtotal", 0.5, [r"zwischensumme", r"positionssumme", r"warenwert", r"netto", r"taxableamount"], False),
    (
        "tax",
        1.0,
        [
            r"(?:sales)?tax(?:es)?",
            r"(?:total)?(?:sales)?tax(?:es)?(?:amount|total)?",
            r"totaltax(?:es)?",
            r"vat(?:amount|total)?",
            r"totalvat",
            r"t\.?v\.?a\.?",
            r"(?:total|montant)(?:de)?(?:la)?t\.?v\.?a\.?",
            r"mwst\.?(?:-?betrag)?",
            r"ust\.?(?:-?betrag)?",
            r"umsatzsteuer(?:betrag)?",
            r"summe(?:umsatzsteuer|mwst|ust)\.?",
            r"steuerbetrag",
            r"btw(?:-?bedrag)?",
            r"totaalbtw",
            r"gst",
        ],
        False,
    ),
    ("tax", 0.6, [r"steuer"], False),
    (
        IGNORE,
        1.0,
        [
            r"(?:gesamtbetrag|summe)der(?:zu|ab)schläge",
            r"(?:erhaltene)?anzahlung(?:en)?",
            r"bereitsbezahlt",
            r"prepaid(?:amount)?",
            r"(?:amount)?paid(?:amount)?",
            r"deposit",
            r"skonto",
            r"discount",
            r"rabatt",
            r"remise",
            r"acompte",
            r"korting",
            r"aanbetaling",
            r"totaldiscount",
            r"(?:total)?allowances?",
            r"(?:ust|mwst|vat|tva|btw|steuer)(?:\.|-)*(?:identnr|ident|idnr|id|nummer|number|nr|no)\.?",
            r"steuer-?(?:nr|nummer|id)\.?",
            r"taxid",
            r"vatid",
            r"vatnumber",
            r"vatno\.?",
            r"n°tva",
            r"tvaintra(?:communautaire)?",
        ],
        False,
    ),
    # --- parties and currency ---------------------------------------------------------------
    (
        SELLER,
        1.0,
        [
            r"verkäufer",
            r"seller",
            r"vendor",
            r"supplier",
            r"from",
            r"billfrom",
            r"soldby",
            r"rechnungs(?:s)?teller",
            r"rechnungsersteller",
            r"lieferant",
            r"leistungserbringer",
            r"vendeur",
            r"fournisseur",
            r"émetteur",
            r"leverancier",
            r"verkoper",
        ],
        False,
    ),
    (
        BUYER,
        1.0,
        [
            r"billto",
            r"shipto",
            r"soldto",
            r"invoiceto",
            r"deliverto",
            r"customer",
            r"client",
            r"buyer",
            r"recipient",
            r"to",
            r"käufer(?:/leistungsempfänger)?",
            r"kunde",
            r"rechnungsempfänger",
            r"warenempfänger",
            r"leistungsempfänger",
            r"lieferanschrift",
            r"lieferadresse",
            r"(?:abweichender)?(?:waren|rechnungs|zahlungs)empfänger",
            r"adressede(?:livraison|facturation)",
            r"factur(?:é|e)à",
            r"livr(?:é|e)à",
            r"destinataire",
            r"acheteur",
            r"klant",
            r"afnemer",
            r"koper",
            r"factuuradres",
            r"afleveradres",
        ],
        False,
    ),
    (
        CURRENCY,
        1.0,
        [r"(?:rechnungs)?währung", r"currency", r"devise", r"valuta", r"beträgein", r"amountsin"],
        False,
    ),
    (
        PAYABLE_TO,
        0.75,
        [r"(?:make)?(?:all)?(?:checks|cheques)?payableto", r"thank(?:s|you)forchoosing"],
        False,
    ),
]


def _literal_prefix(pattern: str) -> str:
    """The letters a pattern must start with ("sub" for "sub-?total", "" for "(?:sales)?tax")."""
    prefix = ""
    for i, ch in enumerate(pattern):
        nxt = pattern[i + 1] if i + 1 < len(pattern) else ""
        if not ch.isalpha() or nxt in ("?", "*", "{"):
            break
        prefix += ch
    return prefix


LABELS: list[Label] = [
    # Patterns are folded like the text they run on: "verkäufer" is matched as "verkaufer".
    Label(kind, weight, re.compile(fold(pattern)), infix, fold(_literal_prefix(pattern)))
    for kind, weight, patterns, infix in _TABLE
    for pattern in patterns
]


def find_labels(text: str, compact: Compact | None = None) -> list[LabelHit]:
    """Label occurrences in one line, left to right; overlapping hits keep the longest."""
    compact = compact or Compact(text)
    hits: list[LabelHit] = []
    for label in LABELS:
        if label.prefix not in compact.text:
            continue
        for m in label.pattern.finditer(compact.text):
            if m.end() == m.start():
                continue
            start, end = compact.start(m.start()), compact.end(m.end())
            if not label.infix and not word_start(text, start):
                continue
            if not word_end(text, end):
                continue
            hits.append(LabelHit(label, start, end))
    kept: list[LabelHit] = []
    for hit in sorted(hits, key=lambda h: (-(h.end - h.start), -h.weight, h.start)):
        if all(hit.end <= k.start or hit.start >= k.end for k in kept):
            kept.append(hit)
    return sorted(kept, key=lambda h: h.start)

"""What every family reads: the document's lines with their labels, dates and amounts."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .amounts import AmountMatch, find_amounts
from .dates import DMY, MDY, DateMatch, find_dates, infer_order
from .labels import Kind, LabelHit, find_labels
from .text import Line, normalize_text, repair_ocr_numbers, split_lines

_LANGUAGE_WORDS = {
    "en": "invoice total date due tax amount the and of to payment bill from subtotal thank please",
    "de": "rechnung summe datum betrag und der die das mwst ust steuer zahlbar bis vom netto brutto",
    "fr": "facture montant total date échéance tva le la les des du paiement ttc ht",
    "nl": "factuur bedrag datum btw totaal het een van en betaling vervaldatum",
    "ms": "jumlah tarikh tanggal tunai baki kembali cukai pajak resit invois faktur terima kasih bayar",
    "es": "factura fecha importe iva cliente base imponible vencimiento pago total",
    "it": "fattura data totale iva imponibile scadenza cliente pagamento",
    "pt": "fatura nota fiscal data valor iva vencimento emissão pagar cliente serviços",
    "sv": "faktura fakturanr fakturadatum moms summa att betala förfallodatum kund belopp",
    "no": "faktura fakturanummer fakturadato mva beløp betale forfallsdato kunde sum",
    "da": "faktura fakturanr fakturadato moms beløb betale forfaldsdato kunde",
    "fi": "lasku laskun eräpäivä alv yhteensä veroton päivämäärä",
    "pl": "faktura razem netto brutto vat data wystawienia termin nabywca sprzedawca",
    "cs": "faktura dph celkem datum splatnosti základ daně dodavatel odběratel",
    "tr": "fatura tarihi toplam kdv ara genel tutar",
    "ro": "factură factura furnizor cumpărător tva total plată data emiterii scadenței lei",
    "hu": "számla kelte eladó vevő nettó bruttó áfa összesen fizetendő határidő",
    "el": "τιμολόγιο αριθμός ημερομηνία φπα σύνολο αξία πελάτη πληρωτέο ποσό",
    "et": "arve kuupäev maksetähtaeg käibemaks kokku summa tasuda ostja müüja",
    "lv": "rēķins datums apmaksas termiņš pvn kopā summa apmaksai piegādātājs saņēmējs",
    "lt": "sąskaita faktūra data pvm suma viso apmokėti pardavėjas pirkėjas",
    "ru": "счет счёт фактура итого всего оплате ндс поставщик покупатель сумма дата",
    "uk": "рахунок разом всього сплати пдв постачальник покупець сума дата",
    "bg": "фактура данъчна основа ддс сума плащане доставчик получател дата",
    "sr": "рачун фактура укупно пдв уплату продавац купац износ датум",
}
_WORD = re.compile(r"[a-zäöüßéèàçûôåøæěščřžýáíúůóãõêőűășțâîāēīūķļņģąęėįųα-ωάέήίόύώϊϋΐΰа-яёіїєґјљњћџђў]+")
_MONTHS = "jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec"
# Evidence for day-first numeric dates (weight per kind of evidence found): the currency, the legal
# form and registration number of a company, the tax, places and phone formats of countries that
# write dates day first, and the document's own month-name dates ("05 MAR 2018", "18-11-18").
_DAY_FIRST_EVIDENCE = (
    (
        2.0,
        re.compile(
            r"€|£|₹|\b(?:EUR|GBP|CHF|INR|MYR|SGD|AUD|NZD|IDR|HKD|BRL|ZAR|DKK|SEK|NOK|ISK|PLN|CZK|HUF|RON|BGN|"
            r"TRY|LKR|PKR|BDT|NPR|KES|NGN|GHS|EGP|MAD|AED|SAR|QAR|VND|THB)\b|\bR[Mm]\s?\d|\bR[sp]\.?\s?\d|"
            r"\b(?:[SA]|HK|NZ|R)\$|\bkr\.?\s?\d|\d\s?(?:zł|Kč|Ft|lei)\b"
        ),
    ),
    (
        2.0,
        re.compile(
            r"\bSDN\.?\s?BHD\b|\bBHD\b|\bS/B\b|\(?\bP(?:TE|VT|TY)\)?\.?\s?LTD\b|\bGmbH\b|\bSARL\b|"
            r"\(\d{5,7}-[A-Z]\)",
            re.IGNORECASE,
        ),
    ),
    (
        2.0,
        re.compile(
            r"\b(?:Malaysia|Selangor|Kuala\s?Lumpur|Johor|Penang|Pulau\s?Pinang|Singapore|India|Australia|"
            r"New\s?Zealand|United\s?Kingdom|Jalan|Taman|Indonesia|Jakarta|Hong\s?Kong|Kowloon|Sri\s?Lanka|"
            r"Colombo|Kandy)\b",
            re.IGNORECASE,
        ),
    ),
    # Australia: a business number ("ABN 88 000 014 675"), a state and its four-digit postcode. It
    # outweighs a dollar sign, which is then Australia's.
    (
        3.0,
        re.compile(
            r"\bABN:?\s?\d{2}\s?\d{3}\s?\d{3}\s?\d{3}\b|"
            r"\b(?:NSW|VIC|QLD|TAS|ACT|WA|SA|NT)\s\d{4}(?![\d-])"
        ),
    ),
    # A Singapore postcode ("S(069184)"): it outweighs a dollar sign, which is then Singapore's.
    (3.0, re.compile(r"\bS\(\d{6}\)")),
    (1.0, re.compile(r"\b(?:GST|VAT|TAX\s?INVOICE|Ltd|Limited|EFTPOS)\b", re.IGNORECASE)),
    (1.0, re.compile(r"\b0\d-\d{3,4}\s?\d{4}\b|\+(?:60|65|91|44|61|64)\s?\d")),
    (1.0, re.compile(rf"\b\d{{1,2}}[\s/-]*(?:{_MONTHS})[a-z]*\.?[\s/-]*\d{{2,4}}\b", re.IGNORECASE)),
    (0.5, re.compile(r"(?<![\d-])\d{2}-\d{2}-\d{2}(?![\d-])")),
)
# Evidence for month-first: dollars without another currency, US states with a ZIP code, "Sales tax",
# US phone numbers, "March 5, 2018".
_MONTH_FIRST_EVIDENCE = (
    (2.0, re.compile(r"(?<![A-Za-z])\$|\bUSD\b")),  # not S$, A$, HK$, NZ$, R$, US$ (used worldwide)
    # The Philippines write the month first: pesos, the country, its receipts' VAT lines.
    # ("VATable Sales": Sri Lanka's "Vatable items" are day-first.)
    (
        3.0,
        re.compile(r"₱|\bPHP\b|\bPhilippines\b|\bVATable\s?Sales\b|\bVAT[\s-]?REG\.?\s?TIN\b", re.IGNORECASE),
    ),
    (1.0, re.compile(r",\s*[A-Z]{2}\s+\d{5}(?:-\d{4})?\b|\b[Ss]ales\s?[Tt]ax\b|\b(?:SALES\s?TAX)\b")),
    (1.0, re.compile(r"\(\d{3}\)\s?\d{3}-\d{4}")),
    (1.0, re.compile(rf"\b(?:{_MONTHS})[a-z]*\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,\s*\d{{4}}\b", re.IGNORECASE)),
)


@dataclass(frozen=True)
class LineInfo:
    line: Line
    labels: list[LabelHit]
    dates: list[DateMatch]
    amounts: list[AmountMatch]  # found with the line's dates masked out


@dataclass(frozen=True)
class Context:
    infos: list[LineInfo]
    order: str  # DMY or MDY for ambiguous numeric dates
    language: str
    order_settled: bool = False  # the document's own dates decided `order`


_ENGLISH = frozenset(_LANGUAGE_WORDS["en"].split())


def _scores(text: str) -> dict[str, int]:
    words = Counter(_WORD.findall(text.lower()))
    return {lang: sum(words[w] for w in vocab.split()) for lang, vocab in _LANGUAGE_WORDS.items()}


def _own_scores(text: str) -> dict[str, int]:
    """The same, without the words English shares ("total", "date")."""
    words = Counter(w for w in _WORD.findall(text.lower()) if w not in _ENGLISH)
    return {lang: sum(words[w] for w in vocab.split()) for lang, vocab in _LANGUAGE_WORDS.items()}


def _best_language(scores: dict[str, int], own: dict[str, int] | None = None) -> str:
    """The language with the most of its words; of a tie with English, another whose own words are
    there ("Kaffe to go" on a Danish receipt that says "moms" once: English words are everywhere)."""
    best = max(scores, key=lambda lang: scores[lang])
    if best == "en" and own is not None:
        tied = [lang for lang in scores if lang != "en" and scores[lang] == scores["en"] and own[lang]]
        if tied:
            best = max(tied, key=lambda lang: own[lang])
    return best if scores[best] else "en"


def date_order_evidence(normalized: str) -> tuple[float, float]:
    """(day-first, month-first) evidence of a document whose own numeric dates settle nothing."""
    day_first = sum(w for w, pattern in _DAY_FIRST_EVIDENCE if pattern.search(normalized))
    month_first = sum(w for w, pattern in _MONTH_FIRST_EVIDENCE if pattern.search(normalized))
    return day_first, month_first


def _date_order_default(normalized: str, language: str, english_words: int) -> str:
    # Month-first is the US habit and only English documents follow it; an English document is read
    # day-first when its currency, company forms, places or month-name dates say so more than
    # dollars and US addresses say otherwise.
    if language != "en":
        return DMY
    day_first, month_first = date_order_evidence(normalized)
    if not english_words:
        return MDY if month_first > day_first else DMY  # no language known: most of the world
    return DMY if day_first > month_first else MDY


# Signs of a currency printed in whole units ("Rp 45.000", "¥1,280", "₩12,000", "1,280円", "NT$ 22,054").
# Chile's pesos have no minor unit either: its RUT tax id says so.
_WHOLE_UNIT_SIGN = re.compile(
    r"\bRp\.?\s?\d|\b(?:IDR|JPY|KRW|VND|CLP|HUF|COP|TWD|UGX|TZS|ISK|PYG)\b|NT\$|\d\sFt\b|[¥円₩원₫]|"
    r"\bR\.?U\.?T\.?\s*:?\s*\d{1,2}\.\d{3}\.\d{3}-[\dkK]\b"
)
_DECIMALS = re.compile(r"[.,]\d{1,2}(?!\d)")


def _line_info(line: Line, order: str, short_dashed: bool = False, whole_units: bool = False) -> LineInfo:
    # Dates and amounts are read from the OCR-repaired line (same length, so positions still hold).
    repaired = repair_ocr_numbers(line.text)
    dates = find_dates(repaired, order, short_dashed=short_dashed)
    masked = repaired
    for d in dates:
        masked = masked[: d.start] + " " * (d.end - d.start) + masked[d.end :]
    amounts = find_amounts(masked, whole_units=whole_units)
    return LineInfo(line, find_labels(line.text, line.compact), dates, amounts)


def printed_amounts(text: str, *, payable_only: bool = False) -> set[float]:
    """Every money amount the text prints, read as the extractor reads them (dates masked out);
    `payable_only` leaves out the lines whose label says they hold no amount due (a tax-class
    row "Total 0% supplies", a quantity, a discount)."""
    return {
        amount.value
        for info in analyse(text).infos
        if not (payable_only and any(hit.kind in (Kind.IGNORE, Kind.CHARGE) for hit in info.labels))
        for amount in info.amounts
    }


def analyse(text: str) -> Context:
    normalized = normalize_text(text)
    scores = _scores(normalized)
    language = _best_language(scores, _own_scores(normalized))
    voted = infer_order(normalized)
    order = voted or _date_order_default(normalized, language, scores["en"])
    lines = split_lines(normalized)
    whole = _WHOLE_UNIT_SIGN.search(normalized) is not None
    infos = [_line_info(line, order, whole_units=whole) for line in lines]
    if not whole and not any(_DECIMALS.search(a.raw) for info in infos for a in info.amounts):
        # No amount with decimals: a receipt in rupiah or yen that prints no sign ("TOTAL 77.000").
        retried = [_line_info(line, order, whole_units=True) for line in lines]
        if sum(len(info.amounts) for info in retried) >= 2:
            infos, whole = retried, True
    if not any(info.dates for info in infos):
        # Without any other date, a bare "10-05-17" is the receipt's date more often than a reference.
        infos = [_line_info(line, order, short_dashed=True, whole_units=whole) for line in lines]
    return Context(infos, order, language, order_settled=voted is not None)

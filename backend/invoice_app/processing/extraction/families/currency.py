"""The currency: after a currency label, the sign of the total, the commonest sign, or an ISO code."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import replace

from ...types import ExtractedField, Field
from ..candidates import Candidate, best
from ..context import Context
from ..currency import CODES, SYMBOLS
from ..labels import Kind
from ..weights import WEIGHTS

FIELDS = (Field.CURRENCY,)

_CODE_AFTER_LABEL = re.compile(r"\b([A-Z]{3})\b")
_CODE = re.compile(r"\b[A-Z]{3}\b(?!\.)")  # not an abbreviation ("MODA CAD. NO:41": the street)
_BRACKETED = re.compile(
    r"\(\s*(GH₵|[A-Z]{2,3}|[А-Я]{3}|RM|Rs\.?|S/|[$€£¥₹₦₵]|(?i:baht|ringgit|rupiah|euros?|dong|rupees|cedis|soles))\s*\)"
)
# A currency named by its word in brackets on the total's line ("TOTAL (Baht) 1,164.88"), or after
# a currency label ("Tipo de moneda: SOLES").
_CURRENCY_WORDS = {"baht": "THB", "ringgit": "MYR", "rupiah": "IDR", "euro": "EUR", "euros": "EUR"}
_CURRENCY_WORDS |= {"dong": "VND", "rupees": "INR", "cedis": "GHS", "soles": "PEN", "sol": "PEN"}
# Cyrillic: "Валюта: Российский рубль", the bracket of "УКУПНО ЗА УПЛАТУ (РСД)".
_CURRENCY_WORDS |= {"рубль": "RUB", "рублей": "RUB", "гривня": "UAH", "гривень": "UAH", "лева": "BGN"}
_CURRENCY_WORDS |= {"динар": "RSD", "динара": "RSD", "тенге": "KZT", "сум": "UZS", "денари": "MKD"}
CURRENCY_WORDS_AFTER_LABEL = 4  # "Валюта: наименование, код Российский рубль, 643"
# A bare "$" is the sign of many dollars: the country the page shows decides which (an explicit
# "USD" / "US$" anywhere keeps USD). Evidence per country: its business numbers, legal forms, taxes,
# places and phone prefix; the country with the most kinds of evidence, ahead of the US, wins.
_DOLLAR_COUNTRIES: dict[str, tuple[re.Pattern[str], ...]] = {
    "AUD": (
        re.compile(r"\bA\.?B\.?N\.?\s*:?\s*\d{2}\s?\d{3}\s?\d{3}\s?\d{3}\b"),
        re.compile(r"\bPty\.?\s*Ltd\b", re.IGNORECASE),
        re.compile(r"\bAustralia\b|\b(?:NSW|VIC|QLD|TAS|ACT|NT|WA|SA)\s+\d{4}\b|\+61\s?\d"),
    ),
    "NZD": (
        re.compile(r"\bNZBN\b|\bGST\s*(?:No|Number|#)\.?\s*:?\s*\d{2,3}-\d{3}-\d{3}\b", re.IGNORECASE),
        re.compile(r"\bNew\s+Zealand\b|\+64\s?\d", re.IGNORECASE),
    ),
    "CAD": (
        re.compile(r"\b(?:GST/HST|HST|QST|PST|TPS|TVQ)\b"),
        re.compile(r"\bCanada\b|\b(?:ON|BC|AB|QC|MB|SK|NS|NB|NL|PE)\s+[A-Z]\d[A-Z]\s?\d[A-Z]\d\b"),
    ),
    "SGD": (
        re.compile(r"\bPte\.?\s*Ltd\b|\bUEN\b", re.IGNORECASE),
        # Its name, phone prefix and postcode as addresses print it ("S(069184)", "S069184").
        re.compile(r"\bSingapore\b|\+65\s?\d|\bS\(?\d{6}\)?(?![\d-])", re.IGNORECASE),
    ),
    # The Philippines: the BIR's VAT registration ("VAT REG TIN: 009-318-442-000"), places, phone prefix.
    "PHP": (
        re.compile(r"\bVAT\s?REG\.?\s?TIN\b|\bTIN\s*:?\s*\d{3}-\d{3}-\d{3}-\d{3,5}\b", re.IGNORECASE),
        re.compile(r"\b(?:Philippines|Manila|Makati|Quezon\s+City|Cebu|Pasig|Taguig)\b|\+63\s?\d"),
    ),
    # Chile: the RUT tax id ("R.U.T.: 76.543.210-K"), its tax office, its name and phone prefix.
    "CLP": (
        re.compile(r"\bR\.?U\.?T\.?\s*:?\s*\d{1,2}\.\d{3}\.\d{3}-[\dkK]\b|\bS\.I\.I\."),
        re.compile(r"\bChile\b|\bSantiago\b|\+56\s?\d"),
    ),
    # Argentina: the CUIT tax id, its places and phone prefix.
    "ARS": (re.compile(r"\bCUIT\b|\bAFIP\b"), re.compile(r"\bArgentina\b|\bBuenos\s+Aires\b|\+54\s?\d")),
    # Taiwan's uniform invoice ("Electronic Invoice Proof", its "Random No"), places and phone prefix.
    "TWD": (
        re.compile(
            r"\bUniform\s+Invoice\b|\bElectronic\s+Invoice\s+Proof\b|\bRandom\s+No\b|統一", re.IGNORECASE
        ),
        re.compile(r"\b(?:Taiwan|Taipei|Kaohsiung|Taichung|Hsinchu)\b|\+886\s?\d"),
    ),
    # Colombia: the NIT tax id, the DIAN's electronic invoice, its places and phone prefix.
    "COP": (
        re.compile(
            r"\bNIT\s*:?\s*\d{3}\.?\d{3}\.?\d{3}-\d\b|\bDIAN\b|\bFactura\s+Electr(?:ó|o)nica\s+de\s+Venta\b",
            re.IGNORECASE,
        ),
        re.compile(r"\b(?:Colombia|Bogot(?:á|a)|Medell(?:í|i)n|Cali|Barranquilla|Cartagena)\b|\+57\s?\d"),
    ),
    # Mexico: the RFC tax id, the CFDI e-invoice, "S.A. de C.V.", its postcodes and name.
    "MXN": (
        re.compile(r"\bRFC\b|\bCFDI\b"),
        re.compile(r"\bS\.?\s?A\.?\s+de\s+C\.?\s?V\.?", re.IGNORECASE),
        re.compile(r"\bM[ée]xico\b|\bC\.P\.\s?\d{5}\b|\+52\s?\d"),
    ),
}
_US = (
    re.compile(r",\s*[A-Z]{2}\s+\d{5}(?:-\d{4})?\b"),
    re.compile(r"\bsales\s+tax\b|\bEIN\b|\bUnited\s+States\b|\bUSA\b", re.IGNORECASE),
)
_EXPLICIT_USD = re.compile(r"\bUSD\b|US\$")


# Amounts printed without any sign or code: the currency of the country whose tax ids, legal forms or
# places the page shows, when only one country does.
CURRENCY_OF_COUNTRY = 0.4
_COUNTRY_CURRENCY: dict[str, tuple[re.Pattern[str], ...]] = {
    "INR": (re.compile(r"\b\d{2}[A-Z]{5}\d{4}[A-Z][1-9A-Z]Z[0-9A-Z]\b"), re.compile(r"\bIndia\b|\+91\s?\d")),
    # A company number "(123456-X)" is Malaysia's (SSM); so are its streets and states.
    "MYR": (
        re.compile(r"\bSDN\.?\s?BHD\b|\(\d{5,7}-[A-Z]\)", re.IGNORECASE),
        re.compile(
            r"\b(?:Malaysia|Jalan|Jln|Taman|Selangor|Kuala\s?Lumpur|Johor|Penang|Pulau\s?Pinang|Melaka|"
            r"Sabah|Sarawak)\b|\+60\s?\d",
            re.IGNORECASE,
        ),
    ),
    # A state's code before a ZIP code ("AUSTIN TX 78704"), in capitals as addresses print it.
    "USD": (
        re.compile(
            r"\b(?:AL|AK|AZ|AR|CA|CO|CT|DC|DE|FL|GA|HI|IA|ID|IL|IN|KS|KY|LA|MA|MD|ME|MI|MN|MO|MS|MT|NC|ND|"
            r"NE|NH|NJ|NM|NV|NY|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VA|VT|WA|WI|WV|WY)\s+\d{5}(?:-\d{4})?\b"
        ),
        re.compile(r"\bUnited\s+States\b|\bU\.?S\.?A\b"),
    ),
    # NPWP is Indonesia's tax id; "PT." heads a limited company's name there.
    "IDR": (re.compile(r"\bNPWP\b|\bPT\.\s?[A-Z]{2,}"), re.compile(r"\bIndonesia\b|\bJakarta\b|\+62\s?\d")),
    "GBP": (
        re.compile(r"\bGB\s?\d{3}\s?\d{4}\s?\d{2}\b"),
        re.compile(r"\bUnited\s+Kingdom\b|\b[A-Z]{1,2}\d[A-Z\d]?\s\d[A-Z]{2}\b|\+44\s?\d"),
    ),
    "EUR": (
        # VAT ids of the euro countries, and the tax words only they print ("P.IVA", "BTW", "TVA").
        re.compile(
            r"\b(?:DE\s?\d{9}|FR\s?[0-9A-Z]{2}\s?\d{3}\s?\d{3}\s?\d{3}|NL\s?\d{9}B\d{2}|ATU\d{8}|IT\s?\d{11})\b|"
            r"\bP\.\s?IVA\b|\bPartita\s+IVA\b|\bBTW\b|\bKvK\b|\bTVA\b|\bSIRET\b|"
            # Spain's and Portugal's company tax ids ("CIF: B91234567", "NIF 509 876 543")
            r"\b(?:CIF|NIF)\s*:?\s*(?:[A-Z]-?\d{7,8}|\d{8}[A-Z]|\d{3}\s?\d{3}\s?\d{3})\b"
        ),
        re.compile(r"\b(?:Deutschland|Germany|France|Nederland|Österreich|Belgique|België|Italia|España)\b"),
    ),
    # "kr." is the crown of three countries: their business registers, payment systems and places say
    # which (and Switzerland, Poland and Czechia print francs, złoty and crowns without a sign too).
    "DKK": (
        re.compile(r"\bCVR(?:-?nr\.?)?\s*:?\s*\d{2}\s?\d{2}\s?\d{2}\s?\d{2}\b|\bFI-?kort\b|\bFIK\b"),
        re.compile(r"\bDanmark\b|\+45\s?\d"),
    ),
    "SEK": (
        re.compile(r"\b(?:bankgiro|plusgiro|momsreg\.?\s?nr)\b|\bSE\s?\d{10}01\b", re.IGNORECASE),
        re.compile(r"\bSverige\b|\+46\s?\d"),
    ),
    "NOK": (
        re.compile(r"\bMVA\b|\bForetaksregisteret\b|\bKID(?:-?nr\.?)?\b"),
        re.compile(r"\bNorge\b|\+47\s?\d"),
    ),
    "CHF": (
        re.compile(r"\bCHE-?\d{3}\.\d{3}\.\d{3}\b"),
        re.compile(r"\b(?:Schweiz|Suisse|Svizzera)\b|\+41\s?\d"),
    ),
    "PLN": (re.compile(r"\bNIP\s*:?\s*\d{3}-?\d{3}-?\d{2}-?\d{2}\b"), re.compile(r"\bPolska\b|\+48\s?\d")),
    "CZK": (re.compile(r"\b(?:IČO|DIČ)\b"), re.compile(r"\b(?:Česká\s+republika|Praha|Brno)\b|\+420\s?\d")),
    # South Africa prints "R 118.50": its VAT numbers start with 4, its companies are "(Pty) Ltd".
    "ZAR": (
        re.compile(r"\bVAT\s*(?:No\.?|Number|Reg\.?)?\s*:?\s*4\d{9}\b|\(Pty\)\s*Ltd\b", re.IGNORECASE),
        re.compile(r"\b(?:South\s+Africa|Johannesburg|Cape\s+Town|Pretoria|Durban|Sandton)\b|\+27\s?\d"),
    ),
    # Thailand's 13-digit tax id, its places; Vietnam's tax code ("MST"), its places and the word "Thuế".
    "THB": (
        re.compile(r"\bTAX\s?ID\s*:?\s*\d{13}\b|\bBaht\b|บาท", re.IGNORECASE),
        re.compile(
            r"\b(?:Thailand|Bangkok|Samut\s+Prakan|Nonthaburi|Chiang\s+Mai|Phuket|Pattaya)\b|\+66\s?\d"
        ),
    ),
    "VND": (
        re.compile(r"\bMST\s*:?\s*\d{10}(?:-\d{3})?\b|\bThu(?:ế|é|e)\s+(?:VAT|GTGT)\b", re.IGNORECASE),
        re.compile(
            r"\b(?:TP\.?\s?HCM|H(?:à|a)\s+N(?:ộ|o)i|Vi(?:ệ|e)t\s+Nam|S(?:à|a)i\s+G(?:ò|o)n)\b|\+84\s?\d"
        ),
    ),
    # Israel: the company number ("C.N." / "ח.פ"), its card schemes, places and phone prefix.
    "ILS": (
        re.compile(r"₪|\bNIS\b|\bC\.N\.\s*\d{9}\b|ח\.פ|\bIsracard\b", re.IGNORECASE),
        re.compile(r"\b(?:Israel|Tel\s+Aviv|Jerusalem|Haifa|Herzliya|Ramat\s+Gan)\b|\+972\s?\d"),
    ),
    # Turkey: KDV and its tax office ("KADIKÖY V.D."), the lira's "TL", places and phone prefix.
    "TRY": (
        re.compile(r"\b(?:TOP)?KDV\b|\bV\.D\.|\bVKN\b|\b\d+[.,]\d{2}\s?TL\b"),
        re.compile(
            r"\b(?:T(?:ü|u)rkiye|Turkey|(?:İ|I)stanbul|ISTANBUL|Ankara|(?:İ|I)zmir|Antalya|Bursa)\b|\+90\s?\d"
        ),
    ),
    # South Korea: its business registration number ("Biz Reg No. 104-81-45678"), places, phone prefix.
    "KRW": (
        re.compile(
            r"\b(?:Biz|Business)\.?\s?Reg(?:istration)?\.?\s?No\.?\s*:?\s*\d{3}-\d{2}-\d{5}\b", re.IGNORECASE
        ),
        re.compile(r"\b(?:Korea|Seoul|Busan|Incheon|Gangnam)\b|\+82\s?\d"),
    ),
    "NGN": (
        re.compile(r"\bTIN\s*:?\s*\d{8}-\d{4}\b|\bFIRS\b"),
        re.compile(r"\b(?:Nigeria|Lagos|Abuja)\b|\+234\s?\d"),
    ),
    **_DOLLAR_COUNTRIES,
}
# "Rs." is the rupee of several countries: the page's places and registrations say which.
_RUPEE_COUNTRIES: dict[str, tuple[re.Pattern[str], ...]] = {
    "LKR": (re.compile(r"\b(?:Sri\s+Lanka|Colombo|Kandy|Galle)\b|\+94\s?\d"),),
    "PKR": (re.compile(r"\b(?:Pakistan|Karachi|Lahore|Islamabad)\b|\+92\s?\d|\bNTN\b"),),
    "NPR": (re.compile(r"\b(?:Nepal|Kathmandu)\b|\+977\s?\d"),),
}


_INDIA = re.compile(r"₹|\bGSTIN\b|\bIndia\b|\+91\s?\d")


def country_currency(text: str) -> tuple[str, str] | None:
    """(ISO code, the evidence) of the one country the page points to, else None."""
    found: dict[str, str] = {}
    scores: dict[str, int] = {}
    for code, patterns in _COUNTRY_CURRENCY.items():
        hits = [m.group(0) for p in patterns if (m := p.search(text))]
        scores[code] = len(hits)
        if hits:
            found[code] = hits[0]
    code = max(scores, key=lambda c: scores[c])
    if not scores[code] or list(scores.values()).count(scores[code]) > 1:
        return None
    return code, found[code]


def rupee_country(text: str) -> str | None:
    """The ISO code of the rupee a page's "Rs." means, when the page is not India's and one other
    country's places or registrations show."""
    if _INDIA.search(text):
        return None
    found = [code for code, patterns in _RUPEE_COUNTRIES.items() if any(p.search(text) for p in patterns)]
    return found[0] if len(found) == 1 else None


def dollar_country(text: str) -> str | None:
    """The ISO code of the dollar a page without "USD" means, when its country is not the US."""
    if _EXPLICIT_USD.search(text):
        return None
    us = sum(bool(p.search(text)) for p in _US)
    scores = {
        code: sum(bool(p.search(text)) for p in patterns) for code, patterns in _DOLLAR_COUNTRIES.items()
    }
    code = max(scores, key=lambda c: scores[c])
    return code if scores[code] > us and list(scores.values()).count(scores[code]) == 1 else None


def propose(ctx: Context) -> Iterator[tuple[Field, Candidate]]:
    """Text currency is not a candidate among others: `from_text` decides it after the total."""
    return iter(())


def engine_value(field: Field, found: ExtractedField, ctx: Context) -> str | float | None:
    raw = str(found.value)
    return raw.upper() if raw.upper() in CODES else None


def from_text(ctx: Context, total: Candidate | None) -> Candidate | None:
    for info in ctx.infos:
        for hit in info.labels:
            if hit.kind == Kind.CURRENCY:
                m = _CODE_AFTER_LABEL.search(info.line.text[hit.end :])
                if m and m.group(1) in CODES:
                    return Candidate(m.group(1), WEIGHTS.currency_label, info.line.index, m.group(1))
                words = re.findall(r"[^\W\d_]+", info.line.text[hit.end :])[:CURRENCY_WORDS_AFTER_LABEL]
                for word in words:
                    if code := _CURRENCY_WORDS.get(word.lower()):
                        return Candidate(code, WEIGHTS.currency_label, info.line.index, word)
    # "TOTAL (RM) 48.95": the total's own line names the currency in a bracket.
    on_total = (
        ctx.infos[total.line].line.text if total is not None and 0 <= total.line < len(ctx.infos) else ""
    )
    if total is not None and (m := _BRACKETED.search(on_total)):
        word = m.group(1)
        code = SYMBOLS.get(word) or (word if word in CODES else None) or _CURRENCY_WORDS.get(word.lower())
        if code:
            return Candidate(code, WEIGHTS.currency_of_total, total.line, m.group(0))
    amounts = [a for info in ctx.infos for a in info.amounts if a.currency]
    if total is not None:
        for a in amounts:
            if a.value == total.value:
                return Candidate(a.currency or "", WEIGHTS.currency_of_total, total.line, a.raw)
    if amounts:
        code, _ = Counter(a.currency for a in amounts).most_common(1)[0]
        return Candidate(code or "", WEIGHTS.currency_most_common, 0, code or "")
    codes = Counter(
        m.group(0) for info in ctx.infos for m in _CODE.finditer(info.line.text) if m.group(0) in CODES
    )
    if codes:
        code, _ = codes.most_common(1)[0]
        return Candidate(code, WEIGHTS.currency_code_in_text, 0, code)
    return None


def choose(
    ctx: Context, candidates: Mapping[Field, list[Candidate]], chosen: Mapping[Field, Candidate]
) -> dict[Field, Candidate]:
    """The engine's currency or the text's, whichever is surer (the engine's of equals)."""
    engine = best(candidates.get(Field.CURRENCY, []))
    text = from_text(ctx, chosen.get(Field.TOTAL))
    top = max((c for c in (engine, text) if c is not None), key=lambda c: c.weight, default=None)
    if top is None:
        page = "\n".join(info.line.text for info in ctx.infos)
        if country := country_currency(page):
            top = Candidate(country[0], CURRENCY_OF_COUNTRY, 0, country[1])
    if top is text and top is not None and top.value == "USD":
        country = dollar_country("\n".join(info.line.text for info in ctx.infos))
        if country is not None:
            top = replace(top, value=country)
    if top is text and top is not None and top.value == "INR":
        country = rupee_country("\n".join(info.line.text for info in ctx.infos))
        if country is not None:
            top = replace(top, value=country)
    return {} if top is None else {Field.CURRENCY: top}

"""Dates in the forms invoices print them, in English, German, French and Dutch (and Spanish and
Italian month names: "5 de marzo de 2024", "5 marzo 2024").

Numeric dates are ambiguous (01/03/2024): the order is taken from the document itself when one of
its dates settles it (a day above 12), otherwise from its language and currency.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from .text import fold

DMY = "DMY"
MDY = "MDY"

MONTHS: dict[str, int] = {}
# English, German, French, Dutch, Spanish, Italian, Portuguese, Nordic, Polish, Czech, Finnish (the
# genitive forms that dates use: "5 marca 2024", "5. března 2024", "5. maaliskuuta 2024").
_MONTH_NAMES = {
    1: "january jan januar jänner janvier janv januari "
    "enero gennaio janeiro styczeń stycznia ledna leden tammikuuta",
    2: "february feb februar février fevrier févr fevr februari "
    "febrero febbraio fevereiro luty lutego února únor helmikuuta",
    3: "march mar märz maerz mrz mär mars maart mrt marzo março marzec marca března březen maaliskuuta",
    4: "april apr avril avr abril aprile kwiecień kwietnia dubna duben huhtikuuta",
    5: "may mai mei mayo maggio maio maj maja května květen toukokuuta",
    6: "june jun juni juin junio giugno junho czerwiec czerwca června červen kesäkuuta",
    7: "july jul juli juillet juil julio luglio julho lipiec lipca července červenec heinäkuuta",
    8: "august aug août aout augustus agosto augusti sierpień sierpnia srpna srpen elokuuta",
    9: "september sep sept septembre septiembre setiembre "
    "settembre setembro wrzesień września září syyskuuta",
    10: "october oct oktober okt octobre octubre "
    "ottobre outubro październik października října říjen lokakuuta",
    11: "november nov novembre noviembre novembro listopad listopada listopadu marraskuuta",
    12: "december dec dezember dez décembre decembre déc diciembre "
    "dicembre dezembro desember grudzień grudnia prosince prosinec joulukuuta",
}
# Estonian, Latvian and Lithuanian, with the cases dates use ("16. aprill", "12. augustā", "rugsėjo 3 d.").
_BALTIC_MONTH_NAMES = {
    1: "jaanuar jaanuari janvāris janvārī janvara sausio",
    2: "veebruar veebruari februāris februārī februāra vasario",
    3: "märts märtsi marts martā marta kovo",
    4: "aprill aprilli aprīlis aprīlī aprīļa balandžio",
    5: "maijs maijā maija gegužės",
    6: "juuni jūnijs jūnijā jūnija birželio",
    7: "juuli jūlijs jūlijā jūlija liepos",
    8: "augusti augusts augustā augusta rugpjūčio",
    9: "septembri septembris septembrī septembra rugsėjo",
    10: "oktoober oktoobri oktobris oktobrī oktobra spalio",
    11: "novembri novembris novembrī novembra lapkričio",
    12: "detsember detsembri decembris decembrī decembra gruodžio",
}
# Russian, Ukrainian, Bulgarian and Serbian in Cyrillic ("12 марта 2025 г.", "12 березня", "12 март").
_CYRILLIC_MONTH_NAMES = {
    1: "январь января січень січня януари јануар",
    2: "февраль февраля лютий лютого февруари фебруар",
    3: "март марта березень березня",
    4: "апрель апреля квітень квітня април",
    5: "май мая травень травня мај",
    6: "июнь июня червень червня юни јун",
    7: "июль июля липень липня юли јул",
    8: "август августа серпень серпня",
    9: "сентябрь сентября вересень вересня септември септембар",
    10: "октябрь октября жовтень жовтня октомври октобар",
    11: "ноябрь ноября листопад листопада ноември новембар",
    12: "декабрь декабря грудень грудня декември децембар",
}
for _number, _names in [
    *_MONTH_NAMES.items(),
    *_BALTIC_MONTH_NAMES.items(),
    *_CYRILLIC_MONTH_NAMES.items(),
]:
    for _name in _names.split():
        MONTHS[_name] = _number
        MONTHS[fold(_name)] = _number  # "Marz": OCR without the umlaut

_MONTH = "(?P<month>" + "|".join(sorted(map(re.escape, MONTHS), key=len, reverse=True)) + r")(?![a-zà-ÿ])\.?"
# A time glued to the year ("30Mar201818:17": OCR lost the space) ends the year as a space would.
_GLUED_TIME = r"(?=[0-2]?\d[:.][0-5]\d)"
_YEAR = r"(?P<year>\d{4})(?:(?!\d)|" + _GLUED_TIME + ")"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th|er|e|\.)?"

# 2024年3月5日 (Japanese, Chinese), 2024년 3월 5일 (Korean)
_CJK = re.compile(r"(?P<year>(?:19|20)\d{2})\s?[年년]\s?(?P<a>\d{1,2})\s?[月월]\s?(?P<b>\d{1,2})\s?[日일]")
# 2024-03-01 (also with / or .)
_ISO = re.compile(r"(?<![\d.,/])(?P<year>(?:19|20)\d{2})([-/.])(?P<a>\d{1,2})\2(?P<b>\d{1,2})(?![\d])")
# 01/03/2024, 05.03.2018, 29-03-2014, 01.09.13 — the separator repeats
_NUMERIC = re.compile(
    r"(?<![\d.,/])(?P<a>\d{1,2})([./-])(?P<b>\d{1,2})\2(?P<year>\d{4}|\d{2})(?![\d]|[.,]\d)"
)
# OCR puts a space beside a separator of a receipt's date ("12- 06- 2018", "30 /04/2018"); only with a
# four-digit year, so amounts and quantities in a row ("1 - 2 - 18") stay what they are.
_NUMERIC_SPACED = re.compile(
    r"(?<![\d.,/])(?P<a>\d{1,2}) ?([./-]) ?(?P<b>\d{1,2}) ?\2 ?(?P<year>(?:19|20)\d{2})(?![\d]|[.,]\d)"
)
# "09/01/20198:01:11PM", "18-11-1813:58": OCR glued the time to the year; the time is the evidence
# that this is a date (so a short dashed one needs no "Date" beside it).
_NUMERIC_GLUED = re.compile(
    r"(?<![\d.,/])(?P<a>\d{1,2})([./-])(?P<b>\d{1,2})\2(?P<year>(?:19|20)\d{2}|\d{2})" + _GLUED_TIME
)
# "17/01/201842153": the time's colons lost too (4:21:53); only after a four-digit year, and only
# when what follows is a whole time of day (H:MM or H:MM:SS) and nothing more.
_NUMERIC_GLUED_BARE = re.compile(
    r"(?<![\d.,/])(?P<a>\d{1,2})([./-])(?P<b>\d{1,2})\2(?P<year>(?:19|20)\d{2})"
    r"(?=(?:[01]?\d|2[0-3])[0-5]\d(?:[0-5]\d)?(?!\d))"
)
# 1. März 2024, 29 maart 2014, 25 January 2016, 1er mars 2024, 25-Jan-2016, 15/Apr/2017
# («12» марта 2025 г.: the day in quotes)
_DAY_MONTH = re.compile(
    r"(?<![\d])" + _DAY + r"[»\"”]?[\s/-]*(?:de\s+|of\s+)?" + _MONTH + r"[\s,/-]*(?:de(?:l)?\s+)?" + _YEAR,
    re.IGNORECASE,
)
# "24 Mar-20 18 03:44:22 PM": OCR splits the year after a month name into "20 18".
_DAY_MONTH_SPLIT_YEAR = re.compile(
    r"(?<![\d])" + _DAY + r"[\s/-]*" + _MONTH + r"[\s/-]*(?P<century>19|20) (?P<year>\d{2})(?![\d:.,])",
    re.IGNORECASE,
)
# Receipts print short years after a month name: "05 May 18 18:06:40", "15-JUN-18" (not "5 May 18:00").
_DAY_MONTH_SHORT = re.compile(
    r"(?<![\d])" + _DAY + r"[\s/-]*" + _MONTH + r"[\s/-]*(?P<year>\d{2})(?![\d:.,]|\s?(?:h|uhr)\b)",
    re.IGNORECASE,
)
# Latvian and Lithuanian put the year first: "2025. gada 12. augustā", "2025 m. rugsėjo 3 d.".
_YEAR_FIRST_WORDS = re.compile(
    r"(?<!\d)(?P<year>(?:19|20)\d{2})\.?\s*(?:g(?:ada|\.)\s*"
    + _DAY
    + r"\s*"
    + _MONTH
    + r"|m\.\s*"
    + _MONTH.replace("?P<month>", "?P<month2>")
    + r"\s*(?P<day2>[0-3]?\d)\s*d\.)",
    re.IGNORECASE,
)
# A time of day on the same line makes "18-11-18 13:58" a date rather than a reference.
_TIME = re.compile(r"(?<![\d.,])\d{1,2}\s?:\s?\d{2}(?![\d.,])")
_DATE_WORD = re.compile(r"dat(?:e|um)|tarikh", re.IGNORECASE)
# January 25, 2016 / Jan 25 2016 (also "January25,2016" from OCR without spaces)
_MONTH_DAY = re.compile(
    r"(?:(?<![a-zà-ÿ])|(?-i:(?<=[a-zà-ÿ])(?=[A-Z])))"
    + _MONTH
    + r"\s*(?P<day>[0-3]?\d)(?:st|nd|rd|th)?(?!\d),?\s*"
    + _YEAR,
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DateMatch:
    start: int
    end: int
    value: date

    @property
    def iso(self) -> str:
        return self.value.isoformat()


# Thailand counts years in the Buddhist era: 2567 is 2024 (543 years on).
BUDDHIST_ERA = 543


def _make(year: int, month: int, day: int) -> date | None:
    if year < 100:
        year += 2000 if year < 70 else 1900
    if 2443 <= year <= 2643:
        year -= BUDDHIST_ERA
    if not 1900 <= year <= 2100:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _numeric(a: int, b: int, year: int, sep: str, order: str) -> date | None:
    """a/b/year; a "." always means day first (German, Dutch, French use it that way)."""
    if sep == "." or a > 12:
        return _make(year, b, a)
    if b > 12:
        return _make(year, a, b)
    return _make(year, a, b) if order == MDY else _make(year, b, a)


# Runs of letters, also split where OCR ran words together ("30Mar2018", "TotalJanuary25").
_LETTERS = re.compile(r"[A-ZÀ-Þ]?[a-zß-ÿ\u0100-\u024f]+|[A-ZÀ-Þ\u0100-\u024f]+(?![a-zß-ÿ])|[\u0400-\u04ff]+")


def _names_a_month(text: str) -> bool:
    return any(w.lower() in MONTHS for w in _LETTERS.findall(text))


def find_dates(text: str, order: str = DMY, *, short_dashed: bool = False) -> list[DateMatch]:
    """Every date in `text`, left to right, without overlaps.

    `short_dashed` also reads "10-05-17" without a time or "Date" beside it: for a document that has
    no other date (a receipt whose time OCR garbled, "Oi:S7PH 10-05-17")."""
    found: list[DateMatch] = []
    taken: list[tuple[int, int]] = []

    def add(start: int, end: int, value: date | None) -> None:
        if value is None or any(s < end and start < e for s, e in taken):
            return
        taken.append((start, end))
        found.append(DateMatch(start, end, value))

    if _names_a_month(text):  # most lines name none: the month-name patterns are the costly ones
        for m in _DAY_MONTH.finditer(text):
            add(m.start(), m.end(), _make(int(m["year"]), MONTHS[m["month"].lower()], int(m["day"])))
        for m in _DAY_MONTH_SPLIT_YEAR.finditer(text):
            year = int(m["century"] + m["year"])
            add(m.start(), m.end(), _make(year, MONTHS[m["month"].lower()], int(m["day"])))
        for m in _DAY_MONTH_SHORT.finditer(text):
            add(m.start(), m.end(), _make(int(m["year"]), MONTHS[m["month"].lower()], int(m["day"])))
        for m in _MONTH_DAY.finditer(text):
            add(m.start(), m.end(), _make(int(m["year"]), MONTHS[m["month"].lower()], int(m["day"])))
        for m in _YEAR_FIRST_WORDS.finditer(text):
            month, day = (m["month"], m["day"]) if m["month"] else (m["month2"], m["day2"])
            add(m.start(), m.end(), _make(int(m["year"]), MONTHS[month.lower()], int(day)))
    for pattern in (_ISO, _CJK):
        for m in pattern.finditer(text):
            add(m.start(), m.end(), _make(int(m["year"]), int(m["a"]), int(m["b"])))
    dated = _TIME.search(text) is not None or _DATE_WORD.search(text) is not None
    for m in _NUMERIC.finditer(text):
        if len(m["year"]) == 2 and m.group(2) == "-" and not dated and not short_dashed:
            continue  # 12-34-56 is more often a reference than a date, unless a time or "Date" is beside it
        add(m.start(), m.end(), _numeric(int(m["a"]), int(m["b"]), int(m["year"]), m.group(2), order))
    for m in _NUMERIC_SPACED.finditer(text):
        add(m.start(), m.end(), _numeric(int(m["a"]), int(m["b"]), int(m["year"]), m.group(2), order))
    for pattern in (_NUMERIC_GLUED, _NUMERIC_GLUED_BARE):
        for m in pattern.finditer(text):
            add(m.start(), m.end(), _numeric(int(m["a"]), int(m["b"]), int(m["year"]), m.group(2), order))
    return sorted(found, key=lambda d: d.start)


def parse_date(text: str, order: str = DMY) -> str | None:
    """The first date in `text` as ISO YYYY-MM-DD, or None."""
    dates = find_dates(text, order)
    return dates[0].iso if dates else None


def infer_order(text: str) -> str | None:
    """DMY or MDY for the slash/dash dates of this document from its unambiguous dates, else None."""
    votes = {DMY: 0, MDY: 0}
    for m in _NUMERIC.finditer(text):
        if m.group(2) == ".":
            continue
        a, b = int(m["a"]), int(m["b"])
        if a > 12 >= b >= 1:
            votes[DMY] += 1
        elif b > 12 >= a >= 1:
            votes[MDY] += 1
    if votes[DMY] != votes[MDY]:
        return DMY if votes[DMY] > votes[MDY] else MDY
    return None


def is_ambiguous(raw: str) -> bool:
    """A numeric date whose day and month could be swapped (01/03/2024, not 05.03.2018 or 13/03/2024)."""
    m = _NUMERIC.search(raw)
    return bool(m) and m.group(2) != "." and int(m["a"]) <= 12 and int(m["b"]) <= 12 and m["a"] != m["b"]

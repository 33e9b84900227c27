"""Money amounts as invoices print them: 1,234.56 · 1.234,56 · 1 234,56 · -8,79 · 100,00- · (12.50).

An amount needs two decimals, or a currency sign/code next to it: that keeps quantities, rates
("19,0"), unit prices with four decimals and reference numbers out. In currencies without minor
units in use (rupiah, yen, won) a document prints "45.000" for 45,000: there grouped whole numbers
are amounts too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .currency import CODES, SYMBOLS

_SYMBOL = "|".join(re.escape(s) for s in sorted(SYMBOLS, key=len, reverse=True))
_CODE = "|".join(sorted(CODES))
_CUR = rf"(?:{_SYMBOL}|(?<![A-Za-z])(?:{_CODE})(?![A-Za-z]))"

# Digits with optional thousands groups, then a 2-digit decimal part ("1699 .96", "78, 10": OCR adds
# spaces on either side of the separator). India groups lakhs and crores by two: "1,18,000.00".
# Groups of three apart by a comma, a point, a space or the Swiss apostrophe (1'234.56, 7’006.00).
_GROUP = r"[,.'’ \u00a0\u202f]"
_GROUPED = rf"\d{{1,3}}(?:{_GROUP}\d{{3}})+"
_CENTS = r"\s?[.,][ ]?\d{2}"
_DECIMAL = rf"\d{{1,2}}(?:,\d{{2}})+,\d{{3}}\.\d{{2}}|{_GROUPED}{_CENTS}|\d+{_CENTS}"
_INTEGER = rf"{_GROUPED}|\d+"
# "RM 141.5": receipts drop a trailing zero; only read as money with a currency beside it.
_ONE_DECIMAL = r"\d{1,3}(?:,\d{3})+\.\d|\d+[.,]\d"
_AMOUNT = re.compile(
    rf"""
    (?:(?<![\w.,/-])(?<!\d:)|(?=[$€£¥₹])|(?<=[a-z])(?=RM\s?\d)|(?<=[A-Z])(?=(?:RM|RS\.)\s?\d{{1,6}}[.,]\d))
    # not the tail of a longer token (dates, IDs, times); a ringgit sign may be glued to a label
    # ("Grand TotalRM15.40", "CASHRM50.00": RapidOCR drops a receipt line's spaces)
    (?P<open>\()?
    (?P<neg>-\s?)?
    (?:(?P<cur1>{_CUR})\s?)?
    (?P<neg2>-\s?)?
    # A whole number runs on into letters only when they are its currency ("14860Ft"; "TL28120L" is a code).
    (?:(?P<dec>{_DECIMAL})|(?P<dec1>{_ONE_DECIMAL})|(?P<int>{_INTEGER})(?!(?!{_CUR})[A-Za-z]))
    (?![\d]|[.,]\d|\s?%|\s?[.,/:]\d)      # not a longer number, a percentage or a time
    (?:\s?(?P<cur2>{_CUR})(?![\d\w]))?        # "1 RM2.25": a sign glued to the next amount is not this one's;
                                              # nor a word's start ("S/N: KXP0S0192A" is no sol)
    (?P<trail>-(?![\w]))?
    (?P<close>\))?
    """,
    re.VERBOSE,
)


@dataclass(frozen=True)
class AmountMatch:
    start: int
    end: int
    value: float
    currency: str | None  # ISO code when a symbol or code stood next to the amount
    raw: str


def parse_number(raw: str) -> float | None:
    """'1.234,56' / '1,234.56' / '1234,56' / "1'234.56" / '1 234,56' → 1234.56 (no sign handling)."""
    s = re.sub(r"\s", "", raw).replace("'", "").replace("’", "")
    if not s or not re.fullmatch(r"[\d.,]+", s):
        return None
    last = max(s.rfind(","), s.rfind("."))
    if last >= 0 and len(s) - last - 1 == 2:
        s = s[:last].replace(",", "").replace(".", "") + "." + s[last + 1 :]
    elif (
        last >= 0 and len(s) - last - 1 == 3 and s.count(s[last]) == 1 and s[last] == "." and s[:last] == "0"
    ):
        s = s.replace(",", "")  # "0.125" is a fraction, not thousands
    else:
        s = s.replace(",", "").replace(".", "")
    try:
        return float(s)
    except ValueError:
        return None


def _one_decimal(raw: str) -> float | None:
    s = raw.replace(",", ".") if raw.count(",") == 1 and "." not in raw else raw.replace(",", "")
    try:
        return float(s)
    except ValueError:
        return None


def _currency(token: str | None) -> str | None:
    if not token:
        return None
    token = token.strip()
    return SYMBOLS.get(token) or (token.upper() if token.upper() in CODES else None)


def find_amounts(text: str, *, whole_units: bool = False) -> list[AmountMatch]:
    """Money amounts in `text`, left to right. Mask dates out of `text` before calling.

    `whole_units`: the document is in a currency without minor units, so "77.000" is money."""
    out = []
    for m in _AMOUNT.finditer(text):
        currency = _currency(m["cur1"]) or _currency(m["cur2"])
        grouped = m["int"] is not None and whole_units and re.fullmatch(_GROUPED, m["int"]) is not None
        if (m["int"] is not None or m["dec1"] is not None) and currency is None and not grouped:
            continue  # a bare integer (or "19,0") is a quantity, a rate or a reference, not money
        value = parse_number(m["dec"] or m["int"]) if m["dec1"] is None else _one_decimal(m["dec1"])
        if value is None:
            continue
        negative = bool(m["neg"] or m["neg2"] or m["trail"] or (m["open"] and m["close"]))
        if negative:
            value = -value
        start, end = m.start(), m.end()
        if m["open"] and not m["close"]:
            start += 1
        if m["close"] and not m["open"]:
            end -= 1
        out.append(AmountMatch(start, end, round(value, 2), currency, m.group(0).strip()))
    return out


def parse_amount(raw: str) -> float | None:
    """The first amount in `raw` (a field value such as '$1,810.46'), or a bare number."""
    found = find_amounts(raw)
    if found:
        return found[0].value
    m = re.search(r"-?\d[\d.,' ]*", raw)
    if not m:
        return None
    value = parse_number(m.group(0).lstrip("-").strip())
    if value is None:
        return None
    return -value if m.group(0).startswith("-") else value

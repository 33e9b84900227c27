"""Text normalisation and the line/compact views the extractor works on."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property, lru_cache

# Characters that only get in the way of matching: dashes and minus signs become "-",
# non-breaking and narrow spaces become spaces, soft hyphens and the U+FFFE pdfium emits at
# hyphenation points disappear.
_TRANSLATE = str.maketrans(
    {
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u202f": " ",
        "\u2009": " ",
        "\u00ad": None,
        "\ufffe": None,
        "\ufeff": None,
        "\u200b": None,
        "\r": None,
    }
)
# "Steuerbetrag in EUR -" / "1,12": a minus stranded at a line end belongs to the amount below.
_STRANDED_MINUS = re.compile(r"(?<=\s)-[ \t]*\n(?=[ \t]*\d)")


def normalize_text(text: str) -> str:
    """NFKC (ligatures, full-width digits, "№" → "No"), uniform dashes and spaces."""
    text = unicodedata.normalize("NFKC", text).translate(_TRANSLATE)
    return _STRANDED_MINUS.sub("-", text)


def fold(text: str) -> str:
    """Lower-case without accents ("Verkäufer" → "verkaufer", "ß" → "ss"): OCR often drops them."""
    if text.isascii():  # most lines: nothing to take off but the case
        return text.lower()
    return "".join(map(_fold_char, text))


@lru_cache(maxsize=4096)  # a document has a few dozen distinct characters, each folded often
def _fold_char(ch: str) -> str:
    low = ch.lower()
    if low == "ß":
        return "ss"
    if low.isascii():
        return low
    # ("№" decomposes to a capital "No".)
    base = "".join(c for c in unicodedata.normalize("NFKD", low) if not unicodedata.combining(c)).lower()
    return base or low


class Compact:
    """A folded string without whitespace, mapping positions back to the original.

    Labels are matched here, so "Rechnungs nummer", "Br uttosumme" (a spaced text layer),
    "InvoiceDate" (OCR that lost its spaces) and "Verkaufer" (OCR that lost the umlaut) all match.
    """

    def __init__(self, text: str) -> None:
        positions = [i for i, ch in enumerate(text) if not ch.isspace()]
        if text.isascii():  # one folded character per original one
            folded = "".join([text[i] for i in positions]).lower()
        else:
            parts = [_fold_char(text[i]) for i in positions]
            positions = [i for i, part in zip(positions, parts, strict=True) for _ in part]
            folded = "".join(parts)
        self.original = text
        self.text = folded
        self._positions = positions

    def start(self, k: int) -> int:
        """Position in the original of the compact character k."""
        return self._positions[k] if k < len(self._positions) else len(self.original)

    def end(self, k: int) -> int:
        """Position in the original just after the compact character k-1 (an exclusive end)."""
        return self._positions[k - 1] + 1 if k > 0 else 0


@dataclass
class Line:
    text: str
    index: int  # 0-based line number in the document

    @cached_property
    def compact(self) -> Compact:
        return Compact(self.text)

    def cell_bounds(self, pos: int) -> tuple[int, int]:
        """The tab-separated cell (OCR column) that contains position `pos`."""
        start = self.text.rfind("\t", 0, pos) + 1
        end = self.text.find("\t", pos)
        return start, len(self.text) if end < 0 else end

    def cell_index(self, pos: int) -> int:
        return self.text.count("\t", 0, pos)

    def cell(self, index: int) -> tuple[int, int] | None:
        """Bounds of the index-th cell, or None when the line has fewer cells."""
        bounds: list[tuple[int, int]] = []
        start = 0
        for part in self.text.split("\t"):
            bounds.append((start, start + len(part)))
            start += len(part) + 1
        return bounds[index] if index < len(bounds) else None


def split_lines(text: str) -> list[Line]:
    """Non-empty lines, numbered in order (blank lines are dropped, so "next line" means next text)."""
    out: list[Line] = []
    for raw in text.split("\n"):
        stripped = raw.strip(" ")
        if stripped.strip():
            out.append(Line(stripped, len(out)))
    return out


def word_start(text: str, i: int) -> bool:
    """Does a word start at position i? (Also at a lower→upper change: OCR's "TotalDue".)"""
    if i <= 0:
        return True
    prev, cur = text[i - 1], text[i]
    if not prev.isalpha():
        return True
    return prev.islower() and cur.isupper()


# A currency glued to the label before it, then the amount: "CASHRM 52.00", "TOTALRM30.90" (RapidOCR
# drops the spaces of a receipt line), "TotalEUR 12,50".
_GLUED_CURRENCY = re.compile(r"(?:RM|MYR|SGD|USD|EUR|GBP|INR|Rs\.?|AUD|CAD|NZD|HKD|PHP|THB|IDR|CHF)\s?\d")


def word_end(text: str, j: int) -> bool:
    """Does a word end just before position j? (Also before a glued currency and amount.)"""
    if j >= len(text) or j <= 0:
        return True
    prev, nxt = text[j - 1], text[j]
    if not prev.isalpha() or not nxt.isalpha():
        return True
    return (prev.islower() and nxt.isupper()) or _GLUED_CURRENCY.match(text, j) is not None


# --- OCR repairs of numbers (length-preserving: positions still point into the original line) ----------

# "RH24,40" / "RN152. 00" / "RH 141.5": the M of the ringgit sign read as H or N, before a decimal.
_RM_MISREAD = re.compile(r"(?<![A-Za-z])R[NH](?=\s?\d{1,6}[.,-]\s?\d)")
# "P201.50": the peso sign ₱ read as the letter P before a decimal amount (Philippine receipts).
_PESO_AS_P = re.compile(r"(?<![\w.,/-])P(?=\d{1,6}[.,]\d{2}(?![\d.,]))")
# "RMO.55": a zero read as the letter O right after the currency.
_RM_ZERO = re.compile(r"(?<=RM)[Oo](?=\s?[.,]\s?\d)")
# "RM1. 38" / "RM152- 00" / "RM34 60": the decimal point read as a space, or a space after it.
_RM_SPLIT = re.compile(r"(?<=RM)(\s?\d{1,6})(?:[.,-] | )(\d{2})(?![\d.,])")
# "2O/03/2018", "l2.O3.18": letters O/o and I/l/| for digits inside a date-shaped token.
_DATE_SHAPE = re.compile(
    r"(?<![\w/.-])[\dOoIl|]{1,2}([/.-])[\dOoIl|]{1,2}\1(?:[\dOoIl|]{4}|[\dOoIl|]{2})(?![\w/])"
)
_DIGIT_LOOKALIKES = str.maketrans({"O": "0", "o": "0", "I": "1", "l": "1", "|": "1"})
# "CHANGE 16-00", "CASH RM 0-00": the decimal point read as a dash, at the end of a payment line
# (only there: "Period 2019-01" and "Room 101-02" elsewhere are no amounts).
_DASH_DECIMAL = re.compile(
    r"(?i)(?<![\w-])(change|cash|total|tunai|baki|rounding|tendered)\b([^\d\n]{0,12}?)(\d{1,4})-(\d{2})\s*$"
)


def _date_digits(m: re.Match[str]) -> str:
    token = m.group(0)
    # Only repair what is nearly a date already: most characters are real digits.
    if sum(c.isdigit() for c in token) < 4:
        return token
    return token.translate(_DIGIT_LOOKALIKES)


def _dot_for_dash(m: re.Match[str]) -> str:
    head = m[1] + m[2] + m[3]
    return f"{head}.{m[4]}{m[0][len(head) + 3 :]}"


def repair_ocr_numbers(text: str) -> str:
    """Amounts and dates as OCR garbles them on receipts, repaired without changing the length.

    Only shapes that are not valid text as printed are touched ("RMO.55", "RH24,40", "2O/03/2018"),
    so a text layer's lines come out unchanged."""
    if not any(c.isdigit() for c in text):
        return text
    text = _RM_MISREAD.sub("RM", text)
    text = _RM_ZERO.sub("0", text)
    text = _PESO_AS_P.sub(" ", text)
    text = _RM_SPLIT.sub(lambda m: f"{m[1]}.{m[2]}" + " " * (len(m[0]) - len(m[1]) - 3), text)
    text = _DASH_DECIMAL.sub(_dot_for_dash, text)
    return _DATE_SHAPE.sub(_date_digits, text)

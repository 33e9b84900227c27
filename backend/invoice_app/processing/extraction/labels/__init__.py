"""Field labels, one table per language (`en.py`, `de.py`, …), matched on whitespace-free lower-case text.

Patterns are written without spaces ("invoicedate") because they run on `Compact` text (folded:
lower case, no accents): that matches "Invoice Date", "INVOICEDATE" (OCR without spaces) and
"Rechnungs datum" (a text layer that splits words) alike. Weights say how sure a label makes us
(1 = it names exactly this field). When labels overlap, the longest wins: "Subtotal" is not
"total", "Total taxes" is the tax.

Every language's labels run on every document (an English "Total" on a German invoice is still a
total). A language is a module of this package with a `LABELS` list of `Label` rows: adding a file
adds the language.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from dataclasses import dataclass

from ...types import Field
from ..text import Compact, fold, word_end, word_start
from .base import Kind, Label, LabelKind

__all__ = ["LABELS", "Kind", "Label", "LabelHit", "LabelKind", "LabelPattern", "find_labels"]

# Of two hits of the same length and weight on the same text, the kind listed first wins.
PRECEDENCE: tuple[LabelKind, ...] = (
    Field.INVOICE_NUMBER,
    Kind.TITLE,
    Field.INVOICE_DATE,
    Kind.OTHER_DATE,
    Field.DUE_DATE,
    Field.TOTAL,
    Field.SUBTOTAL,
    Field.TAX,
    Kind.IGNORE,
    Kind.CHARGE,
    Kind.SELLER,
    Kind.BUYER,
    Kind.CURRENCY,
    Kind.PAYABLE_TO,
    Kind.OWNER,
    Kind.TENDERED,
    Kind.CHANGE,
    Kind.ROUNDING,
)


@dataclass(frozen=True)
class LabelPattern:
    """One compiled pattern of a `Label` row."""

    kind: LabelKind
    weight: float
    pattern: re.Pattern[str]
    infix: bool = False
    # Letters every match starts with: a line without them is not searched (3× faster extraction).
    prefix: str = ""


@dataclass(frozen=True)
class LabelHit:
    label: LabelPattern
    start: int  # positions in the original line
    end: int

    @property
    def kind(self) -> LabelKind:
        return self.label.kind

    @property
    def weight(self) -> float:
        return self.label.weight


def _literal_prefix(pattern: str) -> str:
    """The letters a pattern must start with ("sub" for "sub-?total", "" for "(?:sales)?tax")."""
    prefix = ""
    for i, ch in enumerate(pattern):
        nxt = pattern[i + 1] if i + 1 < len(pattern) else ""
        if not ch.isalpha() or nxt in ("?", "*", "{"):
            break
        prefix += ch
    return prefix


def _languages() -> list[Label]:
    """The rows of every language module of this package, in module-name order."""
    rows: list[Label] = []
    for module in sorted(m.name for m in pkgutil.iter_modules(__path__) if m.name != "base"):
        rows.extend(importlib.import_module(f"{__name__}.{module}").LABELS)
    return rows


def _rank(kind: LabelKind) -> int:
    return PRECEDENCE.index(kind) if kind in PRECEDENCE else len(PRECEDENCE)


LABELS: list[LabelPattern] = [
    # Patterns are folded like the text they run on: "verkäufer" is matched as "verkaufer".
    LabelPattern(row.field, row.weight, re.compile(fold(word)), row.infix, fold(_literal_prefix(word)))
    for row in sorted(_languages(), key=lambda row: _rank(row.field))
    for word in row.words
]


def _by_first_letters() -> tuple[list[int], dict[str, list[int]]]:
    """Indexes into LABELS: those searched on every line (prefix shorter than two letters), and the
    others by their prefix's first two letters, so a line is only searched for labels it can hold."""
    always: list[int] = []
    by_pair: dict[str, list[int]] = {}
    for i, label in enumerate(LABELS):
        if len(label.prefix) < 2:
            always.append(i)
        else:
            by_pair.setdefault(label.prefix[:2], []).append(i)
    return always, by_pair


_ALWAYS, _BY_PAIR = _by_first_letters()
# One search for any of the unprefixed labels: most lines hold none, and then none is run alone.
_ANY_ALWAYS = re.compile("|".join(f"(?:{LABELS[i].pattern.pattern})" for i in _ALWAYS))


def _candidates(compact_text: str) -> list[LabelPattern]:
    """The labels whose prefix occurs in the line, in LABELS order (it decides ties)."""
    pairs = {compact_text[i : i + 2] for i in range(len(compact_text) - 1)}
    chosen = list(_ALWAYS) if _ANY_ALWAYS.search(compact_text) else []
    for pair in pairs & _BY_PAIR.keys():
        chosen.extend(_BY_PAIR[pair])
    chosen.sort()
    return [label for i in chosen if (label := LABELS[i]).prefix in compact_text]


def _shorter_word_end(label: LabelPattern, compact: Compact, text: str, start: int, stop: int) -> int | None:
    """Where a shorter match of the label (from `start`, before `stop`, in the compact text) ends a
    word, when the greedy one ran into the next word ("totals?" over "TOTAL SGD" reads "TOTAL S");
    None when none does."""
    for end in range(stop - 1, start, -1):
        if label.pattern.fullmatch(compact.text, start, end) and word_end(text, compact.end(end)):
            return compact.end(end)
    return None


def find_labels(text: str, compact: Compact | None = None) -> list[LabelHit]:
    """Label occurrences in one line, left to right; overlapping hits keep the longest."""
    compact = compact or Compact(text)
    hits: list[LabelHit] = []
    for label in _candidates(compact.text):
        for m in label.pattern.finditer(compact.text):
            if m.end() == m.start():
                continue
            start, end = compact.start(m.start()), compact.end(m.end())
            stop = m.end()  # in the compact text
            if not label.infix and not word_start(text, start):
                continue
            if (tab := text.find("\t", start, end)) >= 0:
                # Not across two cells ("Date<tab>Due Date" is no "Date due"): what it matches before the tab.
                stop = next(
                    k for k in range(m.start(), m.end() + 1) if k == m.end() or compact.start(k) > tab
                )
                short = label.pattern.match(compact.text, m.start(), stop)
                if short is None or short.end() == short.start():
                    continue
                end, stop = compact.end(short.end()), short.end()
            if (
                not word_end(text, end)
                and (end := _shorter_word_end(label, compact, text, m.start(), stop)) is None
            ):
                continue
            hits.append(LabelHit(label, start, end))
    kept: list[LabelHit] = []
    for hit in sorted(hits, key=lambda h: (-(h.end - h.start), -h.weight, h.start)):
        if all(hit.end <= k.start or hit.start >= k.end for k in kept):
            kept.append(hit)
    return sorted(kept, key=lambda h: h.start)

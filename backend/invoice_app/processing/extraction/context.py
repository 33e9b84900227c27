"""What every family reads: the document's lines with their labels, dates and amounts."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .amounts import AmountMatch, find_amounts
from .dates import DMY, MDY, DateMatch, find_dates, infer_order
from .labels import LabelHit, find_labels
from .text import Line, normalize_text, split_lines

_LANGUAGE_WORDS = {
    "en": "invoice total date due tax amount the and of to payment bill from subtotal thank please",
    "de": "rechnung summe datum betrag und der die das mwst ust steuer zahlbar bis vom netto brutto",
    "fr": "facture montant total date échéance tva le la les des du paiement ttc ht",
    "nl": "factuur bedrag datum btw totaal het een van en betaling vervaldatum",
}
_WORD = re.compile(r"[a-zäöüßéèàçûô]+")
_DOLLAR = re.compile(r"\bUSD\b")
_EUROPEAN = re.compile(r"€|£|\bEUR\b|\bGBP\b|\bCHF\b")


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


def detect_language(text: str) -> str:
    words = Counter(_WORD.findall(text.lower()))
    scores = {lang: sum(words[w] for w in vocab.split()) for lang, vocab in _LANGUAGE_WORDS.items()}
    best = max(scores, key=lambda lang: scores[lang])
    return best if scores[best] else "en"


def _date_order_default(normalized: str, language: str) -> str:
    # Month-first is the US habit; an English document with euros or pounds is read day-first.
    dollar = "$" in normalized or _DOLLAR.search(normalized) is not None
    european = _EUROPEAN.search(normalized) is not None
    return MDY if language == "en" and (dollar or not european) else DMY


def _line_info(line: Line, order: str) -> LineInfo:
    dates = find_dates(line.text, order)
    masked = line.text
    for d in dates:
        masked = masked[: d.start] + " " * (d.end - d.start) + masked[d.end :]
    return LineInfo(line, find_labels(line.text, line.compact), dates, find_amounts(masked))


def analyse(text: str) -> Context:
    normalized = normalize_text(text)
    language = detect_language(normalized)
    voted = infer_order(normalized)
    order = voted or _date_order_default(normalized, language)
    infos = [_line_info(line, order) for line in split_lines(normalized)]
    return Context(infos, order, language, order_settled=voted is not None)

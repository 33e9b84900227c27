"""Rows rebuilt from positioned text: cells the text layer (or OCR) emitted apart meet again.

A PDF text layer is a stream of runs in drawing order, not reading order: "FACTURE N° :" and its
value "F20220024" are on one visual row but may be a hundred lines apart in the text. Grouping the
runs by vertical overlap and ordering each row left to right restores label → value adjacency and
table rows. Used for line items and as the fallback of the invoice number, the issue date and the
amounts when the text order hid them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import pairwise

from ..types import Detection, Field, TextSegment
from .candidates import Candidate, best
from .text import normalize_text

_NUMBER_WORD = re.compile(
    r"n°|nº|\bno\b|\bnr\b|#|number|nummer|num[ée]ro|invoice|rechnung|facture|factuur|bill|beleg|document",
    re.IGNORECASE,
)
# Rows that may hold an issue-date label ("Date :", "Rechnungsdatum", "Issued").
_DATE_WORD = re.compile(r"dat(?:e|um)|issued|émis", re.IGNORECASE)
# Rows that may hold a due-date label ("Due", "Vervaldag", "Data Vencimento", "Fällig").
_DUE_WORD = re.compile(
    r"due|verval|vencim|f(?:ä|a)llig|scaden|(?:é|e)ch(?:é|e)ance|forfal|förfall|eräp", re.IGNORECASE
)
ROW_OVERLAP = 0.5  # two runs share a row when they overlap by this share of the lower one's height
GLUE_GAP = 0.1  # runs closer than this many character widths are one word
WORD_GAP = 1.6  # closer than this many character widths: one space; further: a column (tab)


def rows_from_boxes(segments: Sequence[TextSegment]) -> list[tuple[str, int]]:
    """(row text with cells joined by tabs, page) for segments that all carry boxes, top to bottom."""
    out: list[tuple[str, int]] = []
    for page in sorted({s.page for s in segments}):
        on_page = sorted(
            (s for s in segments if s.page == page and s.box is not None),
            key=lambda s: (s.box[1] + s.box[3]) / 2,  # type: ignore[index]
        )
        groups: list[list[TextSegment]] = []
        bounds: list[tuple[float, float]] = []
        for seg in on_page:
            top, bottom = seg.box[1], seg.box[3]  # type: ignore[index]
            if groups:
                g_top, g_bottom = bounds[-1]
                overlap = min(bottom, g_bottom) - max(top, g_top)
                if overlap >= ROW_OVERLAP * min(bottom - top, g_bottom - g_top):
                    groups[-1].append(seg)
                    bounds[-1] = (min(top, g_top), max(bottom, g_bottom))
                    continue
            groups.append([seg])
            bounds.append((top, bottom))
        for group in groups:
            out.append((_join(sorted(group, key=lambda s: s.box[0])), page))  # type: ignore[index]
    return out


def _join(cells: list[TextSegment]) -> str:
    """Runs of one row, joined by the gap between them: pdfium splits "1.235,40" into "1.", "2",
    "35,40" at kerning changes; those touch and are glued, a word gap is a space, a column gap a tab."""
    text = normalize_text(cells[0].text).strip()
    for prev, cell in pairwise(cells):
        part = normalize_text(cell.text).strip()
        char = (prev.box[2] - prev.box[0]) / max(1, len(prev.text.strip()))  # type: ignore[index]
        gap = cell.box[0] - prev.box[2]  # type: ignore[index]
        numeric = text[-1:].isdigit() or text[-1:] in ".,'"
        if gap < GLUE_GAP * char or (
            numeric and (part[:1].isdigit() or part[:1] in ".,%") and gap < WORD_GAP * char
        ):
            text += part  # within a word, or the pieces of one number
        elif gap < WORD_GAP * char:
            text += " " + part
        else:
            text += "\t" + part
    return text


def has_boxes(detection: Detection) -> bool:
    segments = [s for s in detection.segments if s.text.strip()]
    return bool(segments) and all(s.box is not None for s in segments)


def number_from_layout(detection: Detection) -> Candidate | None:
    """The invoice number read from the rebuilt rows, for when the text order separated label and value."""
    if not has_boxes(detection):
        return None
    from .context import analyse
    from .families import number

    rows = [text for text, _ in rows_from_boxes(detection.segments)]
    # Only rows that may hold a number label (and the row under each) are analysed again: cheap.
    keep = [i for i, text in enumerate(rows) if _NUMBER_WORD.search(text)]
    picked = sorted({k for i in keep for k in (i, i + 1) if k < len(rows)})
    if not picked:
        return None
    ctx = analyse("\n".join(rows[k] for k in picked))
    found = [c for field, c in number.propose(ctx) if field == Field.INVOICE_NUMBER]
    return best(found)


def date_from_layout(
    detection: Detection, floor: float, field: Field = Field.INVOICE_DATE
) -> Candidate | None:
    """The issue (or due) date read from the rebuilt rows of a PDF text layer, for when the text order
    put the value far from its label ("Date :" first, "31/01/2026" a hundred lines on; a header row
    "Factuurnummer Factuurdatum Vervaldag" over its values): the best labelled candidate above
    `floor` (the weight of an unlabelled guess). OCR lines are rows already."""
    if detection.engine != "pdf-text" or not has_boxes(detection):
        return None
    from .context import analyse
    from .families import dates

    rows = [text for text, _ in rows_from_boxes(detection.segments)]
    words = _DATE_WORD if field == Field.INVOICE_DATE else _DUE_WORD
    keep = [i for i, text in enumerate(rows) if words.search(text)]
    picked = {k for i in keep for k in (i, i + 1, i + 2) if k < len(rows)}
    if not picked:
        return None
    # And a credit note's title: the invoice such a note names is dated too, and not its issue date.
    picked = sorted(picked | {i for i, text in enumerate(rows) if dates.CREDIT_WORD.search(text)})
    ctx = analyse("\n".join(rows[k] for k in picked))
    found = [c for f, c in dates.propose(ctx) if f == field and c.weight > floor]
    return best(found)


def amounts_from_layout(detection: Detection) -> dict[Field, Candidate]:
    """Subtotal, tax and total read from the rebuilt rows of a PDF text layer, when they add up there:
    for when the text order put a totals block's values before its labels (floated cells: "(750.00)
    (67.50) (817.50)" then "Sub-total / GST @ 9% / Total Credit"). Empty when they do not add up."""
    if detection.engine != "pdf-text" or not has_boxes(detection):
        return {}
    from .context import analyse
    from .families import amounts

    ctx = analyse("\n".join(text for text, _ in rows_from_boxes(detection.segments)))
    candidates: dict[Field, list[Candidate]] = {}
    for field, c in amounts.propose(ctx):
        candidates.setdefault(field, []).append(c)
    picked = amounts.choose(ctx, candidates, {})
    total = picked.get(Field.TOTAL)
    return picked if total is not None and total.consistent else {}

"""Template-free field extraction: labels, value patterns and the arithmetic of the totals.

For every field the text yields weighted candidates (a value after a strong label outweighs one
after a weak label, which outweighs an unlabelled guess); an engine's own fields (Textract
AnalyzeExpense) join as candidates weighted by their confidence. Amounts are then chosen together:
the (subtotal, tax, total) triple that agrees — subtotal + tax = total — beats labels alone.
Nothing here knows a vendor, a layout or a file.

This module only orchestrates: `context` reads the document once, each family in `families/`
proposes and chooses the candidates of its fields, `weights` holds the scoring model.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

from ..types import Detection, ExtractedField, Field, Flag, LineItem, TextSegment
from .candidates import Candidate
from .context import Context, analyse
from .families import FAMILIES, FAMILY_OF, dates
from .layout import amounts_from_layout, date_from_layout, number_from_layout
from .spelling import correct_name
from .text import Compact, normalize_text
from .weights import WEIGHTS, confidence

log = logging.getLogger(__name__)

AMOUNT_FIELDS = (Field.SUBTOTAL, Field.TAX, Field.TOTAL)
# The weakest date label ("Date", "Datum"): an issue date chosen below this was not read beside a label.
LAYOUT_DATE_BELOW = 0.6
# The accounts-payable fields: only `extract_document` (or `all_fields=True`) reports them.
AP_FIELDS = frozenset(
    (
        Field.BUYER_NAME,
        Field.VENDOR_TAX_ID,
        Field.BUYER_TAX_ID,
        Field.IBAN,
        Field.BIC,
        Field.PURCHASE_ORDER,
        Field.PAYMENT_TERMS,
    )
)


def _engine_candidates(ctx: Context, detection: Detection) -> list[tuple[Field, Candidate]]:
    """Fields the engine extracted (raw strings) become candidates, parsed like text."""
    out = []
    for name, found in detection.fields.items():
        if name not in FAMILY_OF:
            continue  # a field this extractor does not report
        field = Field(name)
        value = FAMILY_OF[field].engine_value(field, found, ctx)
        if value is not None:
            out.append((field, Candidate(value, WEIGHTS.engine * found.confidence, -1, str(found.value))))
    return out


class _Confidence:
    """OCR confidence of the text a value was read from (1.0 for a PDF text layer)."""

    def __init__(self, detection: Detection) -> None:
        self._segments = [(Compact(s.text).text, s.confidence) for s in detection.segments]
        mean = detection.mean_confidence
        self._default = 1.0 if mean is None else mean

    def of(self, c: Candidate) -> float:
        if c.line < 0:
            return 1.0  # an engine field carries its confidence in its weight
        key = Compact(c.raw).text
        if not key:
            return self._default
        hits = [conf for text, conf in self._segments if key in text]
        return max(hits) if hits else self._default


Box = tuple[float, float, float, float]


class _Locator:
    """Where a value was read: the page and box of the detection segment(s) its raw text came from.

    Post hoc, like `_Confidence`: a candidate knows its line and raw text, a segment its box. A
    segment that contains the raw text and belongs to the candidate's line wins; a value split
    over neighbouring runs of one row gets the union of their boxes. Within a segment longer than
    the value (tesseract reports whole lines) the box is narrowed to the value's share of the text.
    """

    # How many neighbouring runs of one row a value may be split over.
    _MAX_RUN = 8

    def __init__(self, detection: Detection, ctx: Context) -> None:
        self._segments = [(Compact(normalize_text(s.text)), s) for s in detection.segments if s.box]
        self._lines = [info.line.compact.text for info in ctx.infos]

    def of(self, c: Candidate) -> tuple[int | None, Box | None]:
        key = Compact(c.raw).text
        if c.line < 0 or not key:
            return None, None  # an engine field or a derived value: not read from one place
        line = self._lines[c.line] if c.line < len(self._lines) else ""
        hits = [(compact, s) for compact, s in self._segments if key in compact.text]
        if hits:
            compact, segment = max(hits, key=lambda hit: self._fit(hit[1], c.line))  # the first of equals
            return segment.page, _narrowed(segment, compact, key)
        return self._across_runs(key, line)

    def _fit(self, segment: TextSegment, line_no: int) -> int:
        """How well a segment's surroundings match the candidate's line and its neighbours.

        The same text can be printed twice ("$85.00" in a table row and after "Sub Total"; the
        vendor in the address and in the footer): the segment whose row reads like the line, and
        whose nearby segments read like the lines above and below, is the one it was read from.
        """
        line = self._lines[line_no] if line_no < len(self._lines) else ""
        row = "".join(
            compact.text
            for compact, s in sorted(self._segments, key=lambda cs: cs[1].box[0] if cs[1].box else 0.0)
            if s.page == segment.page and _same_row(segment, s)
        )
        score = 3 if row == line else 1 if line and (line in row or row in line) else 0
        box = segment.box
        if box is None:
            return score
        reach = 3 * (box[3] - box[1])
        nearby = [
            compact.text
            for compact, s in self._segments
            if s.page == segment.page and s.box and abs(s.box[1] - box[1]) <= reach and s is not segment
        ]
        for neighbour in (line_no - 1, line_no + 1):
            text = self._lines[neighbour] if 0 <= neighbour < len(self._lines) else ""
            if text and any(text in t or (len(t) > 2 and t in text) for t in nearby):
                score += 1
        return score

    def _across_runs(self, key: str, line: str) -> tuple[int | None, Box | None]:
        found: tuple[int | None, Box | None] = (None, None)
        for i, (_, first) in enumerate(self._segments):
            run: list[TextSegment] = []
            joined = ""
            for compact, s in self._segments[i : i + self._MAX_RUN]:
                if s.page != first.page or not _same_row(first, s):
                    break
                run.append(s)
                joined += compact.text
                if key in joined:
                    # Drop leading runs the value does not need ("Total" before "1,234" "56").
                    while len(run) > 1 and key in joined[len(Compact(normalize_text(run[0].text)).text) :]:
                        joined = joined[len(Compact(normalize_text(run[0].text)).text) :]
                        run.pop(0)
                    box = _union(s.box for s in run if s.box)
                    if joined in line or found[0] is None:
                        found = (first.page, box)
                    if joined in line:
                        return found
                    break
        return found


def _same_row(a: TextSegment, b: TextSegment) -> bool:
    """Do two boxes overlap vertically by more than half the smaller height?"""
    if a.box is None or b.box is None:
        return False
    overlap = min(a.box[3], b.box[3]) - max(a.box[1], b.box[1])
    return overlap > 0.5 * min(a.box[3] - a.box[1], b.box[3] - b.box[1])


def _union(boxes: Iterable[Box]) -> Box:
    x0s, y0s, x1s, y1s = zip(*boxes, strict=True)
    return min(x0s), min(y0s), max(x1s), max(y1s)


def _narrowed(segment: TextSegment, compact: Compact, key: str) -> Box | None:
    """The value's share of a segment's box, by its character positions in the segment's text."""
    box = segment.box
    if box is None:
        return None
    length = len(compact.original)
    at = compact.text.find(key)
    if (at <= 0 and at + len(key) >= len(compact.text)) or length == 0:
        return box
    start, end = compact.start(at) / length, compact.end(at + len(key)) / length
    width = box[2] - box[0]
    return box[0] + width * start, box[1], box[0] + width * end, box[3]


_NAMES = frozenset({Field.VENDOR_NAME, Field.BUYER_NAME})
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _after(due: Candidate, issued: Candidate | None) -> bool:
    """The due date falls after the issue date (True when either is not an ISO date: nothing to say)."""
    a, b = str(due.value), str(issued.value) if issued is not None else ""
    return not (_ISO_DATE.fullmatch(a) and _ISO_DATE.fullmatch(b)) or a > b


def extract_fields(detection: Detection, *, all_fields: bool = False) -> dict[Field, ExtractedField]:
    """invoiceNumber, invoiceDate, dueDate, vendorName, currency, subtotal, tax, total — those found.

    `all_fields` adds the accounts-payable fields (buyerName, tax ids, iban, …); `extract_document`
    is the call that wants them, with the line items.
    """
    ctx = analyse(detection.text)
    candidates: dict[Field, list[Candidate]] = {}
    # The accounts-payable families only run when their fields are wanted (they cost ~20% more time).
    families = FAMILIES if all_fields else tuple(f for f in FAMILIES if not set(f.FIELDS) <= AP_FIELDS)
    proposed = [pair for family in families for pair in family.propose(ctx)]
    for field, candidate in [*proposed, *_engine_candidates(ctx, detection)]:
        candidates.setdefault(field, []).append(candidate)

    chosen: dict[Field, Candidate] = {}
    for family in families:
        chosen.update(family.choose(ctx, candidates, chosen))
    if Field.INVOICE_NUMBER not in chosen and (laid_out := number_from_layout(detection)) is not None:
        chosen[Field.INVOICE_NUMBER] = laid_out  # label and value apart in the text, side by side on the page
    # No issue date right after a label in the text order (a guess, or one read lines below its
    # label): a date beside its label on the page, in the rows rebuilt from the boxes, is surer.
    issued = chosen.get(Field.INVOICE_DATE)
    floor = WEIGHTS.unlabelled_date if issued is None else issued.weight
    if floor < LAYOUT_DATE_BELOW and (laid_date := date_from_layout(detection, floor)) is not None:
        chosen[Field.INVOICE_DATE] = laid_date
        # A due date of issue date + net days counts from the new issue date.
        due = chosen.get(Field.DUE_DATE)
        if (
            due is not None
            and due.weight == dates.TERMS_DUE
            and (by_terms := dates.due_from_terms(ctx, laid_date)) is not None
        ):
            chosen[Field.DUE_DATE] = by_terms

    # Amounts that do not add up in the text order may in the rows rebuilt from the boxes: taken when
    # their total is the same, or surer (a labelled total; not an item row whose net, VAT and gross
    # add up too).
    total = chosen.get(Field.TOTAL)
    if (total is None or not total.consistent) and (laid_amounts := amounts_from_layout(detection)):
        laid_total = laid_amounts[Field.TOTAL]
        if total is None or laid_total.value == total.value or laid_total.weight > total.weight:
            for field in (Field.TOTAL, Field.SUBTOTAL, Field.TAX):
                chosen.pop(field, None)
            chosen.update(laid_amounts)

    # No due date in the text order, or one no later than the issue date (the header row's other
    # date read under the due label): a due-date column over its value, side by side on the page.
    due, issued = chosen.get(Field.DUE_DATE), chosen.get(Field.INVOICE_DATE)
    if (
        (due is None or not _after(due, issued))
        and (laid_due := date_from_layout(detection, 0.0, Field.DUE_DATE)) is not None
        and (issued is None or _after(laid_due, issued))
    ):
        chosen[Field.DUE_DATE] = laid_due

    # A receipt's subtotal is the one it prints under a label: the net its tax table adds up to is
    # arithmetic, not a field the slip states (every labelled receipt set here leaves it empty).
    kind, subtotal = chosen.get(Field.DOCUMENT_TYPE), chosen.get(Field.SUBTOTAL)
    if kind is not None and kind.value == "receipt" and subtotal is not None and not subtotal.raw:
        del chosen[Field.SUBTOTAL]

    ocr = _Confidence(detection)
    where = _Locator(detection, ctx)
    fields: dict[Field, ExtractedField] = {}
    for field, c in chosen.items():
        value: str | float = round(float(c.value), 2) if field in AMOUNT_FIELDS else str(c.value)
        if field in _NAMES and detection.ocr_pages:
            value = correct_name(value)  # a misread letter in a long word ("CONFECTIUNERY")
        fields[field] = ExtractedField(
            value, confidence(c.weight, c.consistent, ocr.of(c)), *where.of(c), consistent=c.consistent
        )
    log.debug("extracted %s (language %s, date order %s)", sorted(fields), ctx.language, ctx.order)
    if not all_fields:
        fields = {name: f for name, f in fields.items() if name not in AP_FIELDS}
    return fields


def extract_document(
    detection: Detection,
) -> tuple[dict[Field, ExtractedField], list[LineItem], list[Flag], float]:
    """The fields, the line items of the table, the flags (line items that do not add up) and the
    allowances and charges printed among the items."""
    from .line_items import extract_table

    fields = extract_fields(detection, all_fields=True)
    items, adjustments = extract_table(detection)
    return fields, items, line_item_flags(fields, items, adjustments), adjustments


def line_item_flags(
    fields: dict[Field, ExtractedField], items: list[LineItem], adjustments: float = 0.0
) -> list[Flag]:
    """`line-items-mismatch` when the rows add up to neither the subtotal nor the total of `fields`."""
    from .line_items import check_against

    subtotal, total = fields.get(Field.SUBTOTAL), fields.get(Field.TOTAL)
    return check_against(
        items,
        float(subtotal.value) if subtotal is not None else None,
        float(total.value) if total is not None else None,
        adjustments,
    )

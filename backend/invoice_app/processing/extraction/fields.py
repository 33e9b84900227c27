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

from ..types import Detection, ExtractedField, Field, Flag, LineItem
from .candidates import Candidate
from .context import Context, analyse
from .families import FAMILIES, FAMILY_OF
from .layout import number_from_layout
from .text import Compact
from .weights import WEIGHTS, confidence

log = logging.getLogger(__name__)

AMOUNT_FIELDS = (Field.SUBTOTAL, Field.TAX, Field.TOTAL)
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

    ocr = _Confidence(detection)
    fields: dict[Field, ExtractedField] = {}
    for field, c in chosen.items():
        value: str | float = round(float(c.value), 2) if field in AMOUNT_FIELDS else str(c.value)
        fields[field] = ExtractedField(value, confidence(c.weight, c.consistent, ocr.of(c)))
    log.debug("extracted %s (language %s, date order %s)", sorted(fields), ctx.language, ctx.order)
    if not all_fields:
        fields = {name: f for name, f in fields.items() if name not in AP_FIELDS}
    return fields


def extract_document(detection: Detection) -> tuple[dict[Field, ExtractedField], list[LineItem], list[Flag]]:
    """The fields, the line items of the table and the flags (line items that do not add up)."""
    from .line_items import check_against, extract_table

    fields = extract_fields(detection, all_fields=True)
    items, adjustments = extract_table(detection)
    subtotal, total = fields.get(Field.SUBTOTAL), fields.get(Field.TOTAL)
    flags = check_against(
        items,
        float(subtotal.value) if subtotal is not None else None,
        float(total.value) if total is not None else None,
        adjustments,
    )
    return fields, items, flags

"""An image is read twice, by Tesseract and by RapidOCR at the same time, and voted field by field.

Measured on the 150 SROIE receipts (README, "Which engine reads receipts best"): RapidOCR reads
receipts better than Tesseract (F1 0.835 against 0.773) and rendered invoice pages a little worse
(0.965 against 0.976), and the two are right on different documents: taking each field from the
reading with the higher field confidence reads the receipts at 0.858 (0.870 / 0.845 on the two
halves), 0.867 (0.870 / 0.864) once a name's misread digit yields to the other reading, 0.878
(0.882 / 0.874) once what both engines read settles near ties on amounts and names (0.908 with
the extraction's rules for tax-class rows and shop owners since). So a
single-page image (PNG, JPEG, WebP: a photo or a scan of a receipt or an invoice page) that Tesseract reads
is read by RapidOCR too, in parallel (Tesseract is a process of its own, RapidOCR runs onnxruntime
in this one), and `vote` keeps, per field, the more confident reading (a tie goes to RapidOCR, the
better receipt reader). On invoice pages rendered as images the vote reads 0.976, as Tesseract alone
(gated to documents either reading takes for a receipt, the receipts fall to 0.846): the vote stays
for every single-page image, and for a PDF of one scanned page (a receipt or an invoice page put
through a scanner: the same image in another wrapper; the pipeline checks and renders the page
beside the first reading). PDFs of several pages or with a text layer and multi-page TIFF scans are
read once (their pages already take the cores, or need no OCR), and Textract's readings are never
read again.

`OCR_SECOND_ENGINE` (settings): `rapidocr` (default) or `none`. A second engine that is not
installed, fails or does not finish within the document's time budget leaves the first reading.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import replace

from . import sniff
from .accuracy import accuracy_score
from .extraction.context import printed_amounts
from .extraction.fields import line_item_flags
from .extraction.line_items import LINE_ITEMS_MISMATCH
from .types import ExtractedField, Field, ProcessedDocument

log = logging.getLogger(__name__)

ENGINES = ("rapidocr", "none")
# Only readings of this engine get a second one (Textract reads with its own models).
FIRST_ENGINE = "tesseract"
# Formats that hold one page: a TIFF may hold many (a scanned invoice), each already OCRed in parallel.
SINGLE_PAGE_TYPES = (sniff.PNG, sniff.JPEG, sniff.WEBP)
# Read twice when they turn out to be one scanned page (the pipeline's `detect_with` checks).
MAYBE_SINGLE_SCAN_TYPES = (sniff.PDF,)


def wanted(media_type: str, first_engine: str, second_engine: str) -> bool:
    """True when an upload of `media_type` read by `first_engine` may be read by `second_engine` too."""
    return (
        second_engine != "none"
        and first_engine == FIRST_ENGINE
        and media_type in SINGLE_PAGE_TYPES + MAYBE_SINGLE_SCAN_TYPES
    )


def vote(first: ProcessedDocument, second: ProcessedDocument) -> ProcessedDocument:
    """Each field from the reading with the higher confidence (ties: the second); the first
    reading's text stays (it is what the page view shows), the engine names both. The line items
    are the first reading's unless only the second's add up to the voted subtotal or total, and
    their flag is checked against the voted fields (the ones the reviewer sees)."""
    fields = dict(first.fields)
    taken: list[str] = []
    for name, candidate in second.fields.items():
        current = fields.get(name)
        if current is None:
            fields[name] = candidate
            taken.append(str(name))
            continue
        chosen = candidate if candidate.confidence >= current.confidence else current
        if name in NAME_FIELDS:
            other = current if chosen is candidate else candidate
            chosen = (
                _read_by_both(chosen, other)
                or _with_diacritics(chosen, other)
                or _without_misread_digits(chosen, other)
            )
        if name in AMOUNT_FIELDS and abs(candidate.confidence - current.confidence) < NEAR_TIE:
            chosen = _printed_by_both(current, candidate, first, second) or chosen
        if name == Field.TOTAL:
            near_tie = abs(candidate.confidence - current.confidence) < NEAR_TIE
            settled = (
                (_paid(current, candidate, first, second) or _with_tax(current, candidate, fields))
                if near_tie
                else None
            )
            chosen = _cash_rounded(current, candidate, first, second) or settled or chosen
        if chosen.value != current.value:
            taken.append(str(name))
        fields[name] = chosen
    if (whole := _whole_triple(fields, first, second)) is not None and whole != fields:
        taken += [str(f) for f in (Field.SUBTOTAL, Field.TAX) if whole.get(f) is not fields.get(f)]
        fields = whole
    detection = replace(
        first.detection,
        engine=f"{first.detection.engine}+{second.detection.engine}",
        timings={**first.detection.timings, **second.detection.timings},
    )
    if taken:
        log.info("second reading (%s) changed %s", second.detection.engine, ", ".join(sorted(taken)))
    items = _line_items(fields, first, second)
    flags = [f for f in first.flags if f.code != LINE_ITEMS_MISMATCH]
    flags += line_item_flags(fields, items.line_items, items.line_adjustments)
    return replace(
        first,
        detection=detection,
        fields=fields,
        accuracy=accuracy_score(detection, fields),
        line_items=items.line_items,
        line_adjustments=items.line_adjustments,
        flags=flags,
    )


# Amounts: two confidences this close say little; what both engines print says more.
AMOUNT_FIELDS = frozenset({Field.TOTAL, Field.SUBTOTAL, Field.TAX})
NEAR_TIE = 0.15


def _adds_up(fields: dict[Field, ExtractedField]) -> bool:
    from .extraction.families.amounts import TOLERANCE

    s, x, t = (fields.get(f) for f in (Field.SUBTOTAL, Field.TAX, Field.TOTAL))
    if s is None or x is None or t is None:
        return False
    return abs(float(s.value) + float(x.value) - float(t.value)) <= TOLERANCE


def _chosen_together(fields: dict[Field, ExtractedField]) -> bool:
    return all(f in fields and fields[f].consistent for f in (Field.SUBTOTAL, Field.TAX, Field.TOTAL))


def _whole_triple(
    fields: dict[Field, ExtractedField], first: ProcessedDocument, second: ProcessedDocument
) -> dict[Field, ExtractedField] | None:
    """The voted total with the subtotal and tax of the reading it came from, when that reading's three
    add up and the voted three do not: voted field by field, a total from one reading and a tax from
    the other (one row of a tax table misread) make a sum neither engine read."""
    total = fields.get(Field.TOTAL)
    if total is None or _adds_up(fields):
        return None
    for reading in (first, second):
        own = reading.fields
        # Its own three add up, or did with the charges and a rounding the page prints between them.
        if own.get(Field.TOTAL) is total and (_adds_up(own) or _chosen_together(own)):
            return {**fields, Field.SUBTOTAL: own[Field.SUBTOTAL], Field.TAX: own[Field.TAX]}
    return None


def _printed_by_both(
    first_field: ExtractedField,
    second_field: ExtractedField,
    first: ProcessedDocument,
    second: ProcessedDocument,
) -> ExtractedField | None:
    """Of two near-tied readings of an amount, the one whose value the other engine printed too,
    when the other value was printed by its own engine only (`TOTAL 15.00` misread where both read
    `SUB-TOTAL 16.00` and only the second read `TOTAL 16.00`); None when that does not decide.
    Only near ties: a reading that is clearly surer has usually found the total line the other
    garbled, and the other's pick is then some other amount both happen to print."""
    # An amount on a line the extractor knows holds none due ("Total 0% supplies: 31.78") is no
    # evidence: there one engine had missed the total line and picked it, the other read 40.18.
    first_printed = printed_amounts(first.detection.text, payable_only=True)
    second_printed = printed_amounts(second.detection.text, payable_only=True)
    first_shared = first_field.value in second_printed
    second_shared = second_field.value in first_printed
    if first_shared != second_shared:
        return first_field if first_shared else second_field
    return None


def _paid(
    first_field: ExtractedField,
    second_field: ExtractedField,
    first: ProcessedDocument,
    second: ProcessedDocument,
) -> ExtractedField | None:
    """Of two near-tied totals, the one that the cash handed over less the change proves (in either
    reading: `CASH 16.00 / CHANGE 0-00` read by one engine, `CASH 2.5.00` by the other), when the
    other is not proven; None when that does not decide."""
    from .extraction.context import analyse
    from .extraction.families.amounts import payment

    proven = payment(analyse(first.detection.text)).implied_totals()
    proven |= payment(analyse(second.detection.text)).implied_totals()
    a, b = round(float(first_field.value), 2) in proven, round(float(second_field.value), 2) in proven
    if a == b:
        return None
    return first_field if a else second_field


def _with_tax(
    first_field: ExtractedField, second_field: ExtractedField, fields: dict[Field, ExtractedField]
) -> ExtractedField | None:
    """Of two totals that differ by the tax (to a cash step: `7.00` / `7.40` with GST 0.42 and a
    rounding of -0.02), the larger: the other reading took the amount before tax (a subtotal or the
    only item's price) for the total. Only for near ties (the caller's): a reading that is clearly
    surer has read the total, and a total that includes the tax ("Total inclusive of tax 11.25")
    makes the other reading's "subtotal + tax" the wrong sum. None when the difference is not the tax."""
    from .extraction.families.amounts import CASH_STEP

    tax = fields.get(Field.TAX)
    if tax is None or float(tax.value) <= 0:
        return None
    a, b = float(first_field.value), float(second_field.value)
    if abs(abs(a - b) - float(tax.value)) > CASH_STEP / 2 + 1e-6:
        return None
    return first_field if a > b else second_field


def _cash_rounded(
    first_field: ExtractedField,
    second_field: ExtractedField,
    first: ProcessedDocument,
    second: ProcessedDocument,
) -> ExtractedField | None:
    """Of two totals one cash step apart or less (`15.39` / `15.40`), the one rounded to the cash
    step when the reading that gave it saw a till payment with a rounding line: that reading found
    what was paid (the extractor's rounding rule), the other missed the rounding line. None when
    that does not decide, whatever the confidences (a rounding line read by one engine only is
    still a fact of the receipt)."""
    from .extraction.context import analyse
    from .extraction.families.amounts import CASH_STEP, is_cash_step, payment

    a, b = float(first_field.value), float(second_field.value)
    if a == b or abs(a - b) > CASH_STEP + 1e-6 or is_cash_step(a) == is_cash_step(b):
        return None
    rounded, reading = (first_field, first) if is_cash_step(a) else (second_field, second)
    paid = payment(analyse(reading.detection.text))
    return rounded if paid.rounds and paid.cash else None


# Names: a digit inside a word of letters is far more often a misread letter than printed.
NAME_FIELDS = frozenset({Field.VENDOR_NAME, Field.BUYER_NAME})
# The letters OCR engines read as these digits (a crisp 0/O, 1/I, 5/S, 8/B on receipt fonts).
_LOOKALIKE = str.maketrans({"0": "O", "1": "I", "5": "S", "8": "B"})
# A name shorter than this (`SDN BHD`, `LTD`) says nothing about which reading holds the other.
_MIN_NAME_LETTERS = 8
_DIGIT_IN_WORD = re.compile(r"[^\W\d_][0158]|[0158][^\W\d_]")


def _read_by_both(chosen: ExtractedField, other: ExtractedField) -> ExtractedField | None:
    """The shorter of two readings of a name when the longer is the shorter with words added
    (`SUSHI MENTAI-MAHKOTA CHERAS MIZUMENTAI SDN. BHD.` against `MIZU MENTAI SDN. BHD.`): the
    added words are a neighbouring line one engine took into the same box (RapidOCR boxes whole
    printed lines, branch and shop names included); the part both read is the name. None when
    neither holds the other."""
    a, b = _letters_only(chosen.value), _letters_only(other.value)
    shorter = chosen if len(a) <= len(b) else other
    inner, outer = sorted((a, b), key=len)
    if inner == outer or len(inner) < _MIN_NAME_LETTERS or inner not in outer:
        return None
    return replace(shorter, confidence=max(chosen.confidence, other.confidence))


def _with_diacritics(chosen: ExtractedField, other: ExtractedField) -> ExtractedField | None:
    """The reading that kept a name's accents when the two read the same letters otherwise
    (`BrasserieduMarche` against `Brasserie du Marché`): RapidOCR's model has no accented Latin
    letters, and an engine does not invent an accent. None when the letters differ."""
    a, b = _letters_only(chosen.value), _letters_only(other.value)
    if a == b or _folded(a) != _folded(b) or _folded(b) == b:
        return None
    return replace(other, confidence=max(chosen.confidence, other.confidence))


def _folded(letters: str) -> str:
    """Letters without their accents (NFKD, combining marks dropped)."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", letters) if not unicodedata.combining(ch))


def _letters_only(value: str | float) -> str:
    return re.sub(r"[\W_]+", "", str(value)).upper()


def _without_misread_digits(chosen: ExtractedField, other: ExtractedField) -> ExtractedField:
    """The other reading of a name when the two read the same letters except that the chosen one
    has digits glued to letters where the other has their look-alike letters (`URBAN 1DEA SDN BHD`
    against `URBAN IDEA SDN BHD`, `AEON C0.(M)BHD` against `AEON CO. (M) BHD`). Two engines that
    agree on every other character read the same line; the one without a digit inside a word is
    the one that read it right."""
    a, b = str(chosen.value), str(other.value)
    if not _DIGIT_IN_WORD.search(a) or _DIGIT_IN_WORD.search(b):
        return chosen
    if _letters(a).translate(_LOOKALIKE) != _letters(b).translate(_LOOKALIKE):
        return chosen
    return replace(other, confidence=max(chosen.confidence, other.confidence))


def _letters(value: str) -> str:
    """The characters that name a company, compared the way the engines differ: no spacing, case."""
    return re.sub(r"\s+", "", value).upper()


def _line_items(
    fields: dict[Field, ExtractedField], first: ProcessedDocument, second: ProcessedDocument
) -> ProcessedDocument:
    """The reading whose line items to keep: the first one whose rows add up to the voted subtotal
    or total; when neither does, the first reading with rows at all (its flag then says so)."""
    with_rows = [r for r in (first, second) if r.line_items]
    for reading in with_rows:
        if not line_item_flags(fields, reading.line_items, reading.line_adjustments):
            return reading
    return with_rows[0] if with_rows else first

"""Amazon Textract: AnalyzeExpense for fields with confidences, DetectDocumentText for plain text.

On Lambda this is the OCR engine (nothing heavy ships in the artifact). Textract's confidences are
0–100 and are normalised to 0–1 here. Field values stay raw strings; the extractor parses them with
the same date/amount rules it uses for text, so both sources are weighed alike.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from botocore.exceptions import BotoCoreError, ClientError

from ...core.errors import EngineUnavailable, UnprocessableDocument
from ..types import ExtractedField, Field
from .base import PageResult, Piece, page_result

if TYPE_CHECKING:
    from PIL.Image import Image

    from ..images import PageImage
    from ..limits import Deadline

log = logging.getLogger(__name__)

NAME = "textract"

# AnalyzeExpense summary field types → our field names.
EXPENSE_FIELDS = {
    "INVOICE_RECEIPT_ID": Field.INVOICE_NUMBER,
    "INVOICE_RECEIPT_DATE": Field.INVOICE_DATE,
    "DUE_DATE": Field.DUE_DATE,
    "VENDOR_NAME": Field.VENDOR_NAME,
    "SUBTOTAL": Field.SUBTOTAL,
    "TAX": Field.TAX,
    "TOTAL": Field.TOTAL,
}
# Used for `total` only when Textract found no TOTAL (the amount due can differ from the total).
_FALLBACK_TOTAL = "AMOUNT_DUE"
_FALLBACK_DISCOUNT = 0.8
_AMOUNT_FIELDS = ("SUBTOTAL", "TAX", "TOTAL", _FALLBACK_TOTAL)

# Textract's synchronous operations take at most 10 MB of image (JPEG or PNG).
MAX_SYNC_BYTES = 10 * 1024 * 1024

# Errors that say the document itself is unusable (→ 422); anything else is the service's problem.
_DOCUMENT_ERRORS = {
    "InvalidParameterException",
    "UnsupportedDocumentException",
    "BadDocumentException",
    "DocumentTooLargeException",
}


class TextractEngine:
    name = NAME

    def __init__(self, client_factory: Callable[[], Any]) -> None:
        # A factory, so the boto3 client is only built when a document really needs OCR.
        self._client_factory = client_factory

    def recognize(self, page: PageImage, deadline: Deadline, *, want_fields: bool = False) -> PageResult:
        payload = textract_payload(page)
        deadline.check(f"before Textract on page {page.page}")
        client = self._client_factory()
        if want_fields:
            response = _call(client.analyze_expense, payload)
            result = parse_expense(response, page.page)
            if result.segments:
                return result
            # An older API version returns no LINE blocks with the fields: read the text separately.
            deadline.check(f"before Textract on page {page.page}")
            text = parse_blocks(_call(client.detect_document_text, payload).get("Blocks", []), page.page)
            text.fields = result.fields
            return text
        return parse_blocks(_call(client.detect_document_text, payload).get("Blocks", []), page.page)


def _call(operation: Callable[..., dict[str, Any]], payload: bytes) -> dict[str, Any]:
    try:
        return operation(Document={"Bytes": payload})
    except ClientError as exc:
        code = exc.response.get("Error", {}).get("Code", "")
        if code in _DOCUMENT_ERRORS:
            raise UnprocessableDocument(f"Textract cannot read this document ({code})") from exc
        log.error("Textract failed: %s", exc)
        raise EngineUnavailable(
            f"text detection is unavailable right now ({code or 'error'}); retry later"
        ) from exc
    except BotoCoreError as exc:
        log.error("Textract could not be reached: %s", exc)
        raise EngineUnavailable("text detection is unavailable right now; retry later") from exc


def textract_payload(page: PageImage, max_bytes: int = MAX_SYNC_BYTES) -> bytes:
    """The page as bytes Textract's synchronous API accepts: the uploaded JPEG/PNG itself when it
    fits, else a PNG of the decoded page, else a JPEG, scaled down until it is under the limit."""
    if page.original is not None and len(page.original) <= max_bytes:
        return page.original
    image = page.image
    data = _encode(image, "PNG")
    while len(data) > max_bytes:
        data = _encode(image, "JPEG")
        if len(data) <= max_bytes:
            break
        image = image.resize((max(1, int(image.width * 0.8)), max(1, int(image.height * 0.8))))
    return data


def _encode(image: Image, fmt: str) -> bytes:
    buffer = io.BytesIO()
    if fmt == "JPEG":
        image.convert("L" if image.mode in ("L", "LA", "I", "I;16") else "RGB").save(
            buffer, format="JPEG", quality=85
        )
    else:
        image.save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()


def parse_blocks(blocks: list[dict[str, Any]], page_no: int) -> PageResult:
    """LINE blocks → rows of text and segments (Textract boxes are already fractions of the page)."""
    pieces = []
    for block in blocks:
        if block.get("BlockType") != "LINE" or not block.get("Text"):
            continue
        box = block.get("Geometry", {}).get("BoundingBox", {})
        left, top = float(box.get("Left", 0.0)), float(box.get("Top", 0.0))
        width, height = float(box.get("Width", 0.0)), float(box.get("Height", 0.0))
        confidence = float(block.get("Confidence", 0.0)) / 100
        pieces.append(Piece(block["Text"], confidence, left, top, left + width, top + height))
    return page_result(pieces, page_no, 1.0, 1.0)


def parse_expense(response: dict[str, Any], page_no: int) -> PageResult:
    """AnalyzeExpense → text from its LINE blocks plus the summary fields it recognised."""
    blocks: list[dict[str, Any]] = []
    fields: dict[Field, ExtractedField] = {}
    fallback_total: ExtractedField | None = None
    currency: ExtractedField | None = None
    for document in response.get("ExpenseDocuments", []):
        blocks.extend(document.get("Blocks", []))
        for summary in document.get("SummaryFields", []):
            kind = summary.get("Type", {}).get("Text", "")
            value = summary.get("ValueDetection", {})
            raw = str(value.get("Text", "")).strip()
            if not raw:
                continue
            confidence = (
                min(
                    float(summary.get("Type", {}).get("Confidence", 100.0)),
                    float(value.get("Confidence", 0.0)),
                )
                / 100
            )
            code = (summary.get("Currency") or {}).get("Code")
            if kind in _AMOUNT_FIELDS and code and (currency is None or confidence > currency.confidence):
                currency = ExtractedField(str(code).upper(), confidence)
            if kind == _FALLBACK_TOTAL:
                if fallback_total is None or confidence > fallback_total.confidence:
                    fallback_total = ExtractedField(raw, confidence * _FALLBACK_DISCOUNT)
                continue
            name = EXPENSE_FIELDS.get(kind)
            if name and (name not in fields or confidence > fields[name].confidence):
                fields[name] = ExtractedField(raw, confidence)
    if Field.TOTAL not in fields and fallback_total is not None:
        fields[Field.TOTAL] = fallback_total
    if currency is not None:
        fields[Field.CURRENCY] = currency
    result = parse_blocks(blocks, page_no)
    result.fields = fields
    return result

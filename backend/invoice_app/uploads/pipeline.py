"""Process one uploaded file and persist it: the work behind both upload paths.

type by magic bytes → (text → fields, beside the S3 original) → invoice item → rollups + metric item
(→ an inline broadcast when BROADCAST_MODE=inline).
"""

from __future__ import annotations

import logging
import time
import uuid
from typing import TYPE_CHECKING, Any

from ..core import filenames
from ..core.concurrent import beside
from ..core.errors import (
    AppError,
    BadRequest,
    PayloadTooLarge,
    StorageUnavailable,
    UnprocessableDocument,
    UnsupportedMediaType,
)
from ..core.logging import bind
from ..core.timeline import mark
from ..invoices.model import Invoice
from ..processing.sniff import sniff_media_type

if TYPE_CHECKING:
    from concurrent.futures import Future

    from ..auth.identity import Identity
    from ..processing.types import Document, ProcessedDocument
    from ..services import Services

log = logging.getLogger(__name__)

# Stored per invoice; far more lines than any invoice has, far fewer than fill a DynamoDB item.
MAX_LINE_ITEMS = 500


def new_invoice_id(now_s: int | None = None) -> str:
    """`inv_<8 hex>_<epoch seconds>`, the id format of the original app."""
    return f"inv_{uuid.uuid4().hex[:8]}_{int(time.time()) if now_s is None else now_s}"


def check_upload(data: bytes, max_bytes: int) -> str:
    """The upload's media type, after the checks that need no parsing (400/413/415)."""
    if not data:
        raise BadRequest("the uploaded file is empty")
    if len(data) > max_bytes:
        raise PayloadTooLarge.for_size(len(data), max_bytes)
    media_type = sniff_media_type(data[:2048])
    if media_type is None:
        raise UnsupportedMediaType(
            "unsupported file type: upload a PDF, PNG, JPEG, TIFF or WebP invoice, "
            "or a CII (Factur-X, ZUGFeRD, XRechnung) or UBL e-invoice XML file"
        )
    return media_type


def ingest(
    services: Services,
    data: bytes,
    filename: str,
    *,
    max_bytes: int | None = None,
    staged_key: str | None = None,
    by: Identity | None = None,
) -> dict[str, Any]:
    """Validate, process and store an invoice; returns the API's response body.

    `staged_key` names the file's object when the browser already put it in the uploads bucket
    (a presigned POST): the original is then copied from it by S3 instead of being uploaded again.
    `max_bytes` defaults to the direct upload limit (MAX_UPLOAD_BYTES). `by` is who uploaded it.
    """
    from ..processing.types import Document  # with the processing stack, on first use

    mark("ingest-begin")
    filename = filenames.clean(filename)  # the one form stored, logged and sent to S3
    limit = services.settings.max_upload_bytes if max_bytes is None else max_bytes
    media_type = check_upload(data, limit)
    invoice_id = new_invoice_id()
    # The original is stored while the document is read (the S3 round trip overlaps the reading);
    # if the invoice record is not written after all, the object is removed again, so a failed
    # upload leaves nothing behind.
    if staged_key is None:
        storing = beside(lambda: services.uploads.put_original(invoice_id, data, media_type, filename))
    else:
        storing = beside(lambda: services.uploads.copy_original(staged_key, invoice_id, media_type, filename))
    started = time.perf_counter()
    try:
        processed = _process(services, Document(data=data, media_type=media_type, filename=filename))
    except BaseException:
        _discard_original(services, storing)
        raise
    latency_ms = round((time.perf_counter() - started) * 1000, 2)
    mark("processed")
    key = storing.result()  # StorageUnavailable (503) when S3 refused it
    mark("original-stored")

    now_ms = int(time.time() * 1000)
    bind(invoiceId=invoice_id)  # every later line of this upload names its invoice
    detection = processed.detection

    flags = [flag.to_json() for flag in processed.flags]
    if len(processed.line_items) > MAX_LINE_ITEMS:
        flags.append(
            {
                "code": "line-items-truncated",
                "message": f"the invoice has {len(processed.line_items)} lines; "
                f"the first {MAX_LINE_ITEMS} are kept",
            }
        )
    invoice = Invoice(
        invoice_id=invoice_id,
        created_at=now_ms,
        file_name=filename,
        media_type=media_type,
        size_bytes=len(data),
        engine=detection.engine,
        pages=detection.pages,
        latency_ms=latency_ms,
        accuracy=processed.accuracy,
        fields=processed.fields_json(),
        detected_text=detection.text,
        line_items=[item.to_json() for item in processed.line_items[:MAX_LINE_ITEMS]],
        flags=flags,
        s3_key=key,
        uploaded_by=by.who() if by is not None else None,
    )
    try:
        services.invoices.put_new(invoice)
    except Exception:
        services.uploads.delete_quietly(key, services.failures)
        raise
    mark("invoice-stored")

    _record_metrics(services, invoice_id, latency_ms, processed.accuracy, now_ms)
    mark("metrics-recorded")
    if services.settings.broadcast_mode == "inline":
        from ..metrics.live import try_broadcast_metrics  # on use: the WebSocket side stays off cold start

        try_broadcast_metrics(services.metrics, services.realtime, services.failures, services.pacing)

    return {**invoice.to_api(), "textSegments": [s.to_json() for s in detection.segments]}


def _discard_original(services: Services, storing: Future[str]) -> None:
    """The document could not be read: remove its original once it is stored (if it was)."""
    try:
        key = storing.result()
    except StorageUnavailable:
        return  # never stored: nothing to remove
    services.uploads.delete_quietly(key, services.failures)


def _process(services: Services, document: Document) -> ProcessedDocument:
    try:
        return services.processor.process(document)
    except AppError:
        # UnprocessableDocument (422), or EngineUnavailable (503) when Textract itself failed.
        _record_failure(services)
        raise
    except Exception as exc:
        # An engine tripped over a malformed file in a way it did not anticipate. The caller gets
        # a 422 with a plain message; the stack trace goes to the log, the count to the metrics.
        log.exception("processing %r (%s) failed unexpectedly", document.filename, document.media_type)
        _record_failure(services)
        raise UnprocessableDocument("the document could not be processed; is the file damaged?") from exc


def _record_metrics(
    services: Services, invoice_id: str, latency_ms: float, accuracy: float, now_ms: int
) -> None:
    try:
        services.metrics.adjust_backlog(+1)  # a new invoice waits for its review
        services.metrics.record_invoice(invoice_id, latency_ms, accuracy, now_ms)
    except StorageUnavailable as exc:
        # The invoice itself is stored; only the dashboard misses it.
        log.error("metrics for %s were not recorded: %s", invoice_id, exc)
        services.failures.add("metrics")


def _record_failure(services: Services) -> None:
    try:
        services.metrics.record_failure(int(time.time() * 1000))
    except StorageUnavailable as exc:
        log.error("a processing failure was not counted: %s", exc)
        services.failures.add("metrics")

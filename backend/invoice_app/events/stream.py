"""DynamoDB Stream batches: the metrics table's (one broadcast per batch with new metrics) and the
invoices table's (one `invoice-updated` per changed invoice to its topic's subscribers).

Which table a record comes from is read from its `eventSourceARN`
(`arn:aws:dynamodb:<region>:<account>:table/<name>/stream/<label>`) against the table names of the
settings; a record without one counts as the metrics table's (what this handler served first).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from ..core.errors import StorageUnavailable
from ..metrics.live import broadcast_metrics
from ..metrics.rollups import is_rollup_id

if TYPE_CHECKING:
    from ..services import Services

log = logging.getLogger(__name__)


def _object(value: Any) -> dict[str, Any]:
    """`value` when it is an object, else an empty one: records are read, never trusted."""
    return value if isinstance(value, dict) else {}


def _is_metric_insert(record: Any) -> bool:
    """An INSERT of a per-invoice metric item or a review event (rollup buckets and the backlog
    counter share the table and are skipped).

    Any shape is read without raising: a `dynamodb` that is a string or a list, images or
    attribute values that are not objects count as "not a metric insert".
    """
    if not isinstance(record, dict) or record.get("eventName") != "INSERT":
        return False
    change = _object(record.get("dynamodb"))
    new_image = _object(change.get("NewImage"))
    for image in (_object(change.get("Keys")), new_image):
        invoice_id = _object(image.get("invoiceId")).get("S")
        if isinstance(invoice_id, str):
            return not is_rollup_id(invoice_id)
    return _object(new_image.get("kind")).get("S") != "rollup"


def first_sequence_number(event: Any) -> str | None:
    """The batch's first SequenceNumber (what a failed batch reports), if it has a usable one."""
    records = event.get("Records") if isinstance(event, dict) else None
    first = records[0] if isinstance(records, list) and records else None
    change = first.get("dynamodb") if isinstance(first, dict) else None
    number = change.get("SequenceNumber") if isinstance(change, dict) else None
    return number if isinstance(number, str) else None


def failed_batch(event: Any) -> dict[str, Any]:
    """The partial-batch response that makes Lambda retry the whole batch."""
    first = first_sequence_number(event)
    return {"batchItemFailures": [{"itemIdentifier": first}] if first else []}


def table_of(record: Any) -> str | None:
    """The table name in a record's `eventSourceARN`, or None without a usable one."""
    arn = record.get("eventSourceARN") if isinstance(record, dict) else None
    if not isinstance(arn, str) or ":table/" not in arn:
        return None
    return arn.split(":table/", 1)[1].split("/", 1)[0] or None


def handle_stream_batch(event: dict[str, Any], services: Services) -> dict[str, Any]:
    """Route the batch by its source table (a mapping hands over one table's records at a time)."""
    records = event.get("Records")
    records = records if isinstance(records, list) else []
    invoices_table = services.settings.invoices_table
    invoice_records = [r for r in records if table_of(r) == invoices_table]
    if not invoice_records:
        return handle_metrics_batch(event, services)
    answer = handle_invoices_batch({"Records": invoice_records}, services)
    rest = [r for r in records if table_of(r) != invoices_table]
    if rest and not answer["batchItemFailures"]:
        return handle_metrics_batch({**event, "Records": rest}, services)
    return answer


def handle_invoices_batch(event: dict[str, Any], services: Services) -> dict[str, Any]:
    """One `invoice-updated` per invoice of the batch to the subscribers of `invoice:<id>`.

    The subscribers cannot be read (StorageUnavailable): the batch is reported failed and
    retried; posts that fail are counted by the broadcaster, never retried as a batch (a retry
    would send the others their update twice).
    """
    from ..review.live import updates

    realtime = services.realtime
    endpoint = realtime.endpoint()
    sent = 0
    for topic, message in updates(event.get("Records") or []):
        try:
            result = services.presence.publish(endpoint, topic, message)
        except StorageUnavailable as exc:
            log.error("invoice update to %s failed: %s", topic, exc)
            services.failures.add("broadcast")
            return failed_batch(event)
        sent += result.sent
    log.info("invoices stream batch of %d records: %d invoice-updated posts", len(event["Records"]), sent)
    return {"batchItemFailures": []}


def handle_metrics_batch(event: dict[str, Any], services: Services) -> dict[str, Any]:
    """Broadcast once for a batch holding metric inserts, whatever BROADCAST_MODE says.

    Returns the partial-batch response of an event source mapping with ReportBatchItemFailures:
    when the snapshot or the connections cannot be read, the batch is reported failed so Lambda
    retries it (and, after its retries, hands it to the on-failure destination).
    """
    records = event.get("Records")
    records = records if isinstance(records, list) else []
    inserts = sum(1 for r in records if _is_metric_insert(r))
    if not inserts:
        log.debug("stream batch of %d records without metric inserts", len(records))
        return {"batchItemFailures": []}
    try:
        result = broadcast_metrics(services.metrics, services.realtime, services.pacing)
    except StorageUnavailable as exc:
        log.error("broadcast for a stream batch of %d inserts failed: %s", inserts, exc)
        services.failures.add("broadcast")
        return failed_batch(event)
    log.info("stream batch: %d metric inserts → %s", inserts, result.to_json())
    return {"batchItemFailures": []}

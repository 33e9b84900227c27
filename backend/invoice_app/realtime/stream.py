"""DynamoDB Stream batches of the metrics table: each batch with new metrics → one broadcast."""

from __future__ import annotations

import logging
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from ..services import Services
from ..storage.metrics import is_rollup_id
from .messages import broadcast_metrics

log = logging.getLogger(__name__)


def _is_metric_insert(record: Any) -> bool:
    """An INSERT of a per-invoice metric item (rollup buckets share the table and are skipped)."""
    if not isinstance(record, dict) or record.get("eventName") != "INSERT":
        return False
    change = record.get("dynamodb") or {}
    for image in (change.get("Keys") or {}, change.get("NewImage") or {}):
        invoice_id = (image.get("invoiceId") or {}).get("S")
        if isinstance(invoice_id, str):
            return not is_rollup_id(invoice_id)
    return (change.get("NewImage") or {}).get("kind", {}).get("S") != "rollup"


def handle_stream_batch(event: dict[str, Any], services: Services) -> dict[str, Any]:
    """Broadcast once for a batch holding metric inserts, whatever BROADCAST_MODE says.

    Returns the partial-batch response of an event source mapping with ReportBatchItemFailures:
    when the snapshot or the connections cannot be read, the batch is reported failed so Lambda
    retries it (and, after its retries, hands it to the on-failure destination).
    """
    records = event.get("Records") or []
    inserts = sum(1 for r in records if _is_metric_insert(r))
    if not inserts:
        log.debug("stream batch of %d records without metric inserts", len(records))
        return {"batchItemFailures": []}
    try:
        result = broadcast_metrics(services)
    except (ClientError, BotoCoreError) as exc:
        log.error("broadcast for a stream batch of %d inserts failed: %s", inserts, exc)
        services.failures.add("broadcast")
        first = (records[0].get("dynamodb") or {}).get("SequenceNumber")
        return {"batchItemFailures": [{"itemIdentifier": first}] if first else []}
    log.info("stream batch: %d metric inserts → %s", inserts, result.to_json())
    return {"batchItemFailures": []}

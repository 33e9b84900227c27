"""Broadcast queue batches (`Records[*].eventSource == "aws:sqs"`): shards of a large fan-out and
catch-up broadcasts of coalesced updates (`realtime/shards.py`, `realtime/pacing.py`).

Answers the partial-batch response of an event source mapping with ReportBatchItemFailures: a
message is reported failed (and redelivered after the visibility timeout, to the dead-letter
queue after `maxReceiveCount` receives) when its shard could not be finished — posts that failed
after their retries, a ledger or snapshot that could not be read, a lease held by a duplicate
delivery, the function's time running out — and when it is malformed (the DLQ keeps it for a
look; its alarm fires). The redrive of a shard posts only to the connections it has not reached.
"""

from __future__ import annotations

import logging
import uuid
from typing import TYPE_CHECKING, Any

from ..core.errors import StorageUnavailable
from ..core.timeline import mark

if TYPE_CHECKING:
    from ..services import Services

log = logging.getLogger(__name__)

# Stop taking new chunks of a shard when the function has less than this left: the ledger is
# written and the message reported for a redrive before Lambda cuts the invocation off.
TIME_MARGIN_MS = 5000


def _deadline(context: Any) -> Any:
    remaining = getattr(context, "get_remaining_time_in_millis", None)
    if not callable(remaining):
        return None

    def near() -> bool:
        try:
            return int(remaining()) < TIME_MARGIN_MS
        except (TypeError, ValueError):
            return False

    return near


def handle_sqs_batch(event: dict[str, Any], services: Services, context: Any = None) -> dict[str, Any]:
    records = event.get("Records")
    records = records if isinstance(records, list) else []
    failures: list[dict[str, str]] = []
    totals = {"shards": 0, "sent": 0, "gone": 0, "failed": 0, "expired": 0, "already": 0, "due": 0}
    for record in records:
        message_id = record.get("messageId") if isinstance(record, dict) else None
        if not isinstance(message_id, str) or not message_id:
            log.error("queue record without a messageId: cannot be reported, skipped")
            services.failures.add("broadcast-shard")
            continue
        if not _handle_record(record, message_id, services, context, totals):
            failures.append({"itemIdentifier": message_id})
    log.info(
        "broadcast queue batch of %d: %s; %d reported for redelivery", len(records), totals, len(failures)
    )
    return {"batchItemFailures": failures}


def _handle_record(
    record: dict[str, Any], message_id: str, services: Services, context: Any, totals: dict[str, int]
) -> bool:
    """True when the message is done with (delete it), False to have it redelivered."""
    from ..realtime.shards import Due, LeaseHeld, MalformedMessage, decode_message

    try:
        message = decode_message(record.get("body"))
    except MalformedMessage as exc:
        log.error("malformed broadcast queue message %s: %s", message_id, exc)
        services.failures.add("broadcast-shard")
        return False
    if isinstance(message, Due):
        return _handle_due(message, services, totals)
    configured = services.realtime.configured_endpoint
    if configured and message.endpoint != configured:
        # Posts are signed with the function's credentials: only to its own WebSocket stage.
        log.error("shard %s names another endpoint than WS_ENDPOINT's; dropped", message.key)
        services.failures.add("broadcast-shard")
        return False
    owner = f"{message_id}:{uuid.uuid4().hex[:8]}"
    try:
        claim = services.shard_ledger.acquire(message, owner)
        if claim.done:
            log.info("shard %s was already delivered (a duplicate message)", message.key)
            totals["already"] += len(message.targets)
            return True
        result, complete = services.broadcaster.deliver_shard(message, claim, deadline=_deadline(context))
    except LeaseHeld as exc:
        log.warning("shard %s not delivered now: %s", message.key, exc)
        return False
    except StorageUnavailable as exc:
        log.error("shard %s not delivered: %s", message.key, exc)
        services.failures.add("broadcast-shard")
        return False
    totals["shards"] += 1
    for key in ("sent", "gone", "failed", "expired"):
        totals[key] += getattr(result, key)
    totals["already"] += len(message.targets) - result.connections
    if not complete:
        log.warning("shard %s incomplete (%d failed): reported for a redrive", message.key, result.failed)
    return complete


def _handle_due(due: Any, services: Services, totals: dict[str, int]) -> bool:
    from ..metrics.live import broadcast_metrics

    mark("due-received")
    if due.topic != "metrics":
        log.error("catch-up broadcast of an unknown topic %r dropped", due.topic)
        services.failures.add("broadcast-shard")
        return True
    try:
        # Delayed by whole seconds rounded down: the last fraction is waited for here.
        broadcast_metrics(
            services.metrics, services.realtime, services.pacing, since_ms=due.since_ms, due_ms=due.due_ms
        )
    except StorageUnavailable as exc:
        log.error("catch-up broadcast failed: %s", exc)
        services.failures.add("broadcast")
        return False
    totals["due"] += 1
    return True

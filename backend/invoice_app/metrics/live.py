"""Pushing the snapshot to every WebSocket client, and answering a client's `getMetrics`.

With `Pacing`, broadcasts are coalesced so that connections / interval stays under
`BROADCAST_MAX_RATE` (`realtime/pacing.py`): an update that comes before the next slot is not
sent; it is logged, counted (`/api/health` → `failures.broadcast-superseded`) and superseded by
a catch-up broadcast of a fresh snapshot at the slot (a delayed message on the broadcast queue,
or, without a queue, a short wait in this invocation). The snapshot carries `intervalMs`, the
spacing in force, so the widget knows when its data is stale.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..core.errors import StorageUnavailable
from ..realtime.actions import ActionTable, Reply
from ..realtime.broadcaster import BroadcastResult
from ..realtime.messages import metrics_update
from .store import MetricsStore

if TYPE_CHECKING:
    from ..core.failures import FailureCounter
    from ..realtime.hub import Realtime
    from ..realtime.pacing import BroadcastPacer, Busy
    from ..realtime.shards import ShardQueue

log = logging.getLogger(__name__)

# Without a queue to schedule the catch-up on, an invocation waits for the slot this long at most.
MAX_INLINE_WAIT_MS = 3000


@dataclass
class Pacing:
    pacer: BroadcastPacer
    queue: ShardQueue | None
    failures: FailureCounter


def broadcast_metrics(
    metrics: MetricsStore, realtime: Realtime, pacing: Pacing | None = None, *, since_ms: int | None = None
) -> BroadcastResult:
    """One snapshot, sent to every connection. Raises StorageUnavailable when DynamoDB is down.

    `since_ms`: this is the catch-up of an update skipped at that time; a broadcast that started
    after it already carried that update.
    """
    if pacing is None:
        return realtime.broadcast(metrics_update(metrics.snapshot()))
    from ..realtime.pacing import Busy

    slot = pacing.pacer.begin()
    if isinstance(slot, Busy):
        if since_ms is not None and slot.last_started_ms >= since_ms:
            log.info("catch-up broadcast not needed: one started after the skipped update")
            return BroadcastResult(skipped=True)
        waited = _supersede(slot, pacing, since_ms)
        if not waited:
            return BroadcastResult(skipped=True, coalesced=True)
        slot = pacing.pacer.begin()
        if isinstance(slot, Busy):  # another invocation took the slot: its snapshot is newer
            return BroadcastResult(skipped=True, coalesced=True)
    snapshot = metrics.snapshot()
    snapshot["intervalMs"] = slot.interval_ms
    result = realtime.broadcast(metrics_update(snapshot))
    pacing.pacer.finish(slot, result.connections)
    return result


def _supersede(busy: Busy, pacing: Pacing, since_ms: int | None) -> bool:
    """Log and count a coalesced update, make sure a later broadcast carries it; True: waited
    here for the slot (no queue) and the caller should try once more."""
    pacing.failures.add("broadcast-superseded")
    wait_ms = busy.next_ms - busy.now_ms
    log.info("metrics update superseded: the next broadcast may start in %d ms", wait_ms)
    if pacing.queue is None:
        if wait_ms <= MAX_INLINE_WAIT_MS:
            time.sleep(max(0, wait_ms) / 1000)
            return True
        log.warning("update superseded with no queue to schedule a catch-up; the next update carries it")
        return False
    if pacing.pacer.mark_due(busy.next_ms):
        from ..realtime.shards import Due

        due = Due("metrics", since_ms if since_ms is not None else busy.now_ms, busy.next_ms)
        pacing.queue.schedule(due, busy.now_ms)
        log.info("catch-up broadcast scheduled for %d", busy.next_ms)
    return False


def try_broadcast_metrics(
    metrics: MetricsStore, realtime: Realtime, failures: FailureCounter, pacing: Pacing | None = None
) -> BroadcastResult | None:
    """broadcast_metrics for callers that must not fail: a failure is logged and counted."""
    try:
        return broadcast_metrics(metrics, realtime, pacing)
    except StorageUnavailable as exc:
        log.error("metrics broadcast failed: %s", exc)
        failures.add("broadcast")
        return None


def register_actions(actions: ActionTable, metrics: MetricsStore) -> None:
    """`{"action": "getMetrics"}` → that connection alone gets a `metrics-update`."""

    @actions.action("getMetrics")
    def get_metrics(_payload: dict) -> Reply:
        return metrics_update(metrics.snapshot())

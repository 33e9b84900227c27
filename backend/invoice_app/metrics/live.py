"""Pushing the snapshot to every WebSocket client, and answering a client's `getMetrics`.

With `Pacing`, broadcasts are coalesced so that connections / interval stays under
`BROADCAST_MAX_RATE` (`realtime/pacing.py`): an update that comes before the next slot is not
sent; it is logged, counted (`/api/health` → `failures.broadcast-superseded`) and superseded by
a catch-up broadcast of a fresh snapshot at the slot. The first skipped update of a slot claims
that catch-up (`mark_due`); the others of the slot return at once. The claimant waits for the
slot in its invocation when it is at most `WAIT_FOR_SLOT_MS` away (1 s, the minimum interval:
every small audience), otherwise it enqueues a `Due` on the broadcast queue, delayed by the whole
seconds until the slot, and the consumer waits the remaining fraction (SQS delays are whole
seconds; rounding up cost up to a second per catch-up). Without a queue an invocation waits up to
`MAX_INLINE_WAIT_MS`. The snapshot carries `intervalMs`, the spacing in force, so the widget
knows when its data is stale.

Each stage of a broadcast is marked on the timeline (`core/timeline.py`) for `bench/e2e_latency.py`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..core.concurrent import beside
from ..core.errors import StorageUnavailable
from ..core.timeline import mark
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
# With a queue, a slot at most this far away is waited for in the invocation (a stream batch, a
# catch-up that arrived in the slot's last second); a farther one goes on the queue.
WAIT_FOR_SLOT_MS = 1000
# Taking a slot after waiting for it: a few rounds at most (each one a wait or an enqueue).
_ATTEMPTS = 3


@dataclass
class Pacing:
    pacer: BroadcastPacer
    queue: ShardQueue | None
    failures: FailureCounter
    sleep: Callable[[float], None] = field(default=time.sleep)  # tests advance a clock instead

    def wait_limit_ms(self) -> int:
        return MAX_INLINE_WAIT_MS if self.queue is None else WAIT_FOR_SLOT_MS


def broadcast_metrics(
    metrics: MetricsStore,
    realtime: Realtime,
    pacing: Pacing | None = None,
    *,
    since_ms: int | None = None,
    due_ms: int | None = None,
    max_wait_ms: int | None = None,
) -> BroadcastResult:
    """One snapshot, sent to every connection. Raises StorageUnavailable when DynamoDB is down.

    `since_ms`/`due_ms`: this is the catch-up, claimed for slot `due_ms`, of an update skipped at
    `since_ms`; a broadcast that started after `since_ms` already carried that update.
    `max_wait_ms`: how long this invocation may wait for a slot (default: `Pacing.wait_limit_ms`).
    """
    mark("broadcast-begin")
    if pacing is None:
        snapshot = metrics.snapshot()
        mark("snapshot")
        return _send(realtime, snapshot)
    from ..realtime.pacing import Busy

    limit = pacing.wait_limit_ms() if max_wait_ms is None else max_wait_ms
    catch_up = since_ms is not None
    claimed = due_ms  # the slot whose catch-up this invocation holds
    for attempt in range(_ATTEMPTS):
        # The slot starts before the snapshot read does: a broadcast that started after a skipped
        # update (the "carried" test below) read its snapshot after that update was written.
        now_ms = pacing.pacer.now_ms()
        # The snapshot is read on another thread while this one takes the slot: the two round
        # trips overlap instead of adding up.
        reading = beside(metrics.snapshot)
        slot = pacing.pacer.begin(now_ms)
        mark("clock")
        if not isinstance(slot, Busy):
            snapshot = reading.result()
            mark("snapshot")
            break
        if since_ms is not None and slot.last_started_ms >= since_ms:
            log.info("update carried by a broadcast that started after it: no catch-up needed")
            return BroadcastResult(skipped=True, coalesced=not catch_up)
        if since_ms is None:  # this update is skipped now: counted once, however long it waits
            since_ms = slot.now_ms
            pacing.failures.add("broadcast-superseded")
        wait_ms = slot.next_ms - slot.now_ms
        log.info("metrics update superseded: the next broadcast may start in %d ms", wait_ms)
        if claimed is None or slot.next_ms > claimed:
            if not pacing.pacer.mark_due(slot.next_ms):
                # Another skipped update holds this slot's catch-up: it carries this one too.
                return BroadcastResult(skipped=True, coalesced=True)
            claimed = slot.next_ms
        if wait_ms > limit or attempt == _ATTEMPTS - 1:
            _defer(slot, pacing, since_ms)
            return BroadcastResult(skipped=True, coalesced=True)
        mark("wait")
        pacing.sleep(wait_ms / 1000)
    snapshot["intervalMs"] = slot.interval_ms
    result = _send(realtime, snapshot)
    pacing.pacer.finish(slot, result.connections)
    return result


def _send(realtime: Realtime, snapshot: dict) -> BroadcastResult:
    result = realtime.broadcast(metrics_update(snapshot))
    mark("posted")
    return result


def _defer(busy: Busy, pacing: Pacing, since_ms: int) -> None:
    """The catch-up of `busy.next_ms` (claimed by the caller) on the queue, or, without one, left
    to the next update (logged: nothing is dropped silently)."""
    if pacing.queue is None:
        log.warning("update superseded with no queue to schedule a catch-up; the next update carries it")
        return
    from ..realtime.shards import Due

    pacing.queue.schedule(Due("metrics", since_ms, busy.next_ms), busy.now_ms)
    log.info("catch-up broadcast scheduled for %d", busy.next_ms)


def try_broadcast_metrics(
    metrics: MetricsStore, realtime: Realtime, failures: FailureCounter, pacing: Pacing | None = None
) -> BroadcastResult | None:
    """broadcast_metrics for callers that must not fail (the upload route in inline mode): a failure
    is logged and counted. With a queue it never waits for a slot (the request would wait too)."""
    try:
        wait = 0 if pacing is not None and pacing.queue is not None else None
        return broadcast_metrics(metrics, realtime, pacing, max_wait_ms=wait)
    except StorageUnavailable as exc:
        log.error("metrics broadcast failed: %s", exc)
        failures.add("broadcast")
        return None


def register_actions(actions: ActionTable, metrics: MetricsStore) -> None:
    """`{"action": "getMetrics"}` → that connection alone gets a `metrics-update`."""

    @actions.action("getMetrics")
    def get_metrics(_payload: dict) -> Reply:
        return metrics_update(metrics.snapshot())

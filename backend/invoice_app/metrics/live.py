"""Pushing the snapshot to every WebSocket client, and answering a client's `getMetrics`."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from ..core.errors import StorageUnavailable
from ..realtime.actions import ActionTable, Reply
from ..realtime.broadcaster import BroadcastResult
from ..realtime.messages import metrics_update
from .store import MetricsStore

if TYPE_CHECKING:
    from ..core.failures import FailureCounter
    from ..realtime.hub import Realtime

log = logging.getLogger(__name__)


def broadcast_metrics(metrics: MetricsStore, realtime: Realtime) -> BroadcastResult:
    """One snapshot, sent to every connection. Raises StorageUnavailable when DynamoDB is down."""
    return realtime.broadcast(metrics_update(metrics.snapshot()))


def try_broadcast_metrics(
    metrics: MetricsStore, realtime: Realtime, failures: FailureCounter
) -> BroadcastResult | None:
    """broadcast_metrics for callers that must not fail: a failure is logged and counted."""
    try:
        return broadcast_metrics(metrics, realtime)
    except StorageUnavailable as exc:
        log.error("metrics broadcast failed: %s", exc)
        failures.add("broadcast")
        return None


def register_actions(actions: ActionTable, metrics: MetricsStore) -> None:
    """`{"action": "getMetrics"}` → that connection alone gets a `metrics-update`."""

    @actions.action("getMetrics")
    def get_metrics(_payload: dict) -> Reply:
        return metrics_update(metrics.snapshot())

"""Failures that were logged but did not fail the request: counted here and as CloudWatch metrics.

The counter (shown by /api/health) is one execution environment's view; every `add` is also an
Embedded Metric Format line (`AbsorbedFailures`, dimension `Kind`), which CloudWatch sums over
every instance, so an alarm sees them all. Broadcast outcomes go out the same way
(`record_broadcast`: `BroadcastPosts`, `BroadcastFailures`, `BroadcastGone`, `BroadcastRetries`).
"""

from __future__ import annotations

import threading
from collections import Counter

from .logging import emit_metric

FAILURE_METRIC = "AbsorbedFailures"
BROADCAST_FAILURE_METRIC = "BroadcastFailures"


class FailureCounter:
    """Counts by kind ("metrics", "broadcast", "cleanup", …); safe across threads."""

    def __init__(self) -> None:
        self._counts: Counter[str] = Counter()
        self._lock = threading.Lock()

    def add(self, kind: str) -> None:
        with self._lock:
            self._counts[kind] += 1
        emit_metric({FAILURE_METRIC: 1}, {"Kind": kind})

    def snapshot(self) -> dict[str, int]:
        with self._lock:
            return dict(self._counts)


def record_broadcast(*, sent: int, failed: int, gone: int, retries: int, message_type: str) -> None:
    """One broadcast's outcome as metrics (dimension `MessageType`, e.g. metrics-update)."""
    emit_metric(
        {
            "BroadcastPosts": sent,
            BROADCAST_FAILURE_METRIC: failed,
            "BroadcastGone": gone,
            "BroadcastRetries": retries,
        },
        {"MessageType": message_type},
    )

"""Rollup items: per-second and per-minute sums that share the metrics table with metric items.

A rollup's id is `rollup#<kind>#<start ms>` (kind `s` or `m`); this module is the one place that
writes or reads that format, and the one place that sums rollup items.
"""

from __future__ import annotations

from typing import Any

from .histogram import BUCKETS

ROLLUP_PREFIX = "rollup#"
SECOND, MINUTE, HOUR = "s", "m", "h"
WIDTH_MS = {SECOND: 1000, MINUTE: 60_000, HOUR: 3_600_000}
# The review backlog: one counter item, ADDed to as invoices enter and leave `needs-review`.
BACKLOG_ID = "counter#needsReview"


def rollup_id(kind: str, start_ms: int) -> str:
    return f"{ROLLUP_PREFIX}{kind}#{start_ms}"


def bucket_start(kind: str, at_ms: int) -> int:
    """The start of the `kind` bucket that `at_ms` falls in."""
    return at_ms // WIDTH_MS[kind] * WIDTH_MS[kind]


def is_rollup_id(invoice_id: str) -> bool:
    """Rollups and counters share the table with metric items; they never trigger a broadcast."""
    return invoice_id.startswith(ROLLUP_PREFIX) or invoice_id == BACKLOG_ID


def histogram_attribute(bucket: int) -> str:
    return f"h{bucket}"


class Totals:
    """Sums over one or more rollup items."""

    __slots__ = (
        "accuracy_sum",
        "count",
        "errors",
        "histogram",
        "latency_sum",
        "reviewed",
        "reviewed_accuracy_sum",
    )

    def __init__(self) -> None:
        self.count = 0
        self.errors = 0
        self.latency_sum = 0.0
        self.accuracy_sum = 0.0
        self.histogram = [0] * BUCKETS
        self.reviewed = 0  # approved invoices, whose true field accuracy is known
        self.reviewed_accuracy_sum = 0.0

    def add_item(self, item: dict[str, Any]) -> None:
        """Add the sums of one rollup item."""
        self.count += int(item.get("count", 0))
        self.errors += int(item.get("errors", 0))
        self.latency_sum += float(item.get("latencySum", 0))
        self.accuracy_sum += float(item.get("accuracySum", 0))
        self.reviewed += int(item.get("reviewed", 0))
        self.reviewed_accuracy_sum += float(item.get("reviewedAccuracySum", 0))
        for index in range(BUCKETS):
            self.histogram[index] += int(item.get(histogram_attribute(index), 0))

    def avg_latency(self) -> float:
        return round(self.latency_sum / self.count, 1) if self.count else 0.0

    def avg_accuracy(self) -> float:
        return round(self.accuracy_sum / self.count, 2) if self.count else 0.0

    def reviewed_accuracy(self) -> float | None:
        """Mean measured accuracy of the approved invoices; None when none was approved."""
        return round(self.reviewed_accuracy_sum / self.reviewed, 2) if self.reviewed else None

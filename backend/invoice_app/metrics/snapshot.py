"""The live snapshot's shape (the `data` of a `metrics-update` and the body of GET /api/metrics)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .histogram import percentile
from .rollups import BACKLOG_ID, HOUR, MINUTE, SECOND, Totals, rollup_id

WINDOW_SECONDS = 60
SERIES_MINUTES = 15
# Reviews are slower than uploads: their measured accuracy is averaged over a day.
REVIEW_HOURS = 24


@dataclass(frozen=True)
class Window:
    """The rollup buckets a snapshot at `now_ms` reads: 60 seconds and 15 minutes."""

    now_ms: int
    seconds: tuple[int, ...]
    minutes: tuple[int, ...]  # oldest first
    hours: tuple[int, ...] = ()

    @classmethod
    def at(cls, now_ms: int) -> Window:
        now_s, now_min, now_h = now_ms // 1000, now_ms // 60_000, now_ms // 3_600_000
        return cls(
            now_ms=now_ms,
            seconds=tuple((now_s - i) * 1000 for i in range(WINDOW_SECONDS)),
            minutes=tuple((now_min - i) * 60_000 for i in range(SERIES_MINUTES - 1, -1, -1)),
            hours=tuple((now_h - i) * 3_600_000 for i in range(REVIEW_HOURS)),
        )

    def buckets(self) -> list[tuple[str, int]]:
        """60 + 15 + 24 rollup keys: with the backlog counter, one BatchGetItem's 100 at most."""
        return (
            [(SECOND, s) for s in self.seconds]
            + [(MINUTE, m) for m in self.minutes]
            + [(HOUR, h) for h in self.hours]
        )


def build_snapshot(window: Window, rollups: Mapping[str, dict[str, Any]]) -> dict[str, Any]:
    """Shape the snapshot from the rollup items found (by id); a missing bucket counts zero."""
    totals = Totals()
    for start in window.seconds:
        if item := rollups.get(rollup_id(SECOND, start)):
            totals.add_item(item)

    day = Totals()
    for start in window.hours:
        if item := rollups.get(rollup_id(HOUR, start)):
            day.add_item(item)
    backlog = rollups.get(BACKLOG_ID) or {}

    series = []
    for start in window.minutes:
        minute = Totals()
        if item := rollups.get(rollup_id(MINUTE, start)):
            minute.add_item(item)
        series.append(
            {
                "t": start,
                "count": minute.count,
                "avgLatency": minute.avg_latency(),
                "avgAccuracy": minute.avg_accuracy(),
                "errors": minute.errors,
            }
        )

    return {
        "total": totals.count,
        "throughput": round(totals.count / WINDOW_SECONDS, 3),
        "avgLatency": totals.avg_latency(),
        "avgAccuracy": totals.avg_accuracy(),
        "p50Latency": percentile(totals.histogram, 0.50),
        "p95Latency": percentile(totals.histogram, 0.95),
        "errors": totals.errors,
        # Measured, not estimated: approved invoices in the window, their field accuracy over a
        # day (null when nothing was approved), and how many invoices wait for a review.
        "reviewed": totals.reviewed,
        "reviewedAccuracy": day.reviewed_accuracy(),
        "needsReview": max(0, int(backlog.get("count", 0))),
        "windowSeconds": WINDOW_SECONDS,
        "series": series,
        "timestamp": window.now_ms,
    }

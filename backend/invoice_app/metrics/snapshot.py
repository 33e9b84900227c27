"""The live snapshot's shape (the `data` of a `metrics-update` and the body of GET /api/metrics)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .histogram import percentile
from .rollups import MINUTE, SECOND, Totals, rollup_id

WINDOW_SECONDS = 60
SERIES_MINUTES = 15


@dataclass(frozen=True)
class Window:
    """The rollup buckets a snapshot at `now_ms` reads: 60 seconds and 15 minutes."""

    now_ms: int
    seconds: tuple[int, ...]
    minutes: tuple[int, ...]  # oldest first

    @classmethod
    def at(cls, now_ms: int) -> Window:
        now_s, now_min = now_ms // 1000, now_ms // 60_000
        return cls(
            now_ms=now_ms,
            seconds=tuple((now_s - i) * 1000 for i in range(WINDOW_SECONDS)),
            minutes=tuple((now_min - i) * 60_000 for i in range(SERIES_MINUTES - 1, -1, -1)),
        )

    def buckets(self) -> list[tuple[str, int]]:
        return [(SECOND, s) for s in self.seconds] + [(MINUTE, m) for m in self.minutes]


def build_snapshot(window: Window, rollups: Mapping[str, dict[str, Any]]) -> dict[str, Any]:
    """Shape the snapshot from the rollup items found (by id); a missing bucket counts zero."""
    totals = Totals()
    for start in window.seconds:
        if item := rollups.get(rollup_id(SECOND, start)):
            totals.add_item(item)

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
        "windowSeconds": WINDOW_SECONDS,
        "series": series,
        "timestamp": window.now_ms,
    }

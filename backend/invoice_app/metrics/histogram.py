"""The latency histogram: fixed bucket bounds, so per-second buckets can be summed with `ADD`."""

from __future__ import annotations

from collections.abc import Sequence

# Upper bounds (ms) of the latency histogram's buckets; one more bucket catches the rest.
# Percentiles are interpolated inside a bucket, so their error is at most one bucket's width.
LATENCY_BOUNDS_MS = (
    5, 10, 15, 20, 30, 50, 75, 100, 150, 200, 300, 500, 750,
    1000, 1500, 2000, 3000, 5000, 7500, 10000, 15000, 20000, 30000, 60000,
)  # fmt: skip
BUCKETS = len(LATENCY_BOUNDS_MS) + 1


def latency_bucket(latency_ms: float) -> int:
    for index, bound in enumerate(LATENCY_BOUNDS_MS):
        if latency_ms <= bound:
            return index
    return len(LATENCY_BOUNDS_MS)


def percentile(histogram: Sequence[int], fraction: float) -> float:
    """The latency below which `fraction` of the samples fall, interpolated within its bucket."""
    total = sum(histogram)
    if total == 0:
        return 0.0
    rank = fraction * total
    seen = 0
    for index, count in enumerate(histogram):
        if count and seen + count >= rank:
            lower = LATENCY_BOUNDS_MS[index - 1] if index > 0 else 0
            upper = LATENCY_BOUNDS_MS[index] if index < len(LATENCY_BOUNDS_MS) else LATENCY_BOUNDS_MS[-1] * 2
            return round(lower + (upper - lower) * (rank - seen) / count, 1)
        seen += count
    return float(LATENCY_BOUNDS_MS[-1])

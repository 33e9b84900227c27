"""`/data`: a visualization's numbers, computed here from the invoices of its range.

The read goes through the invoices table's `byDay` index (`InvoiceRepository.on_days`): one Query
per UTC day of the range, oldest first, at most `MAX_ROWS` invoices (`truncated` says when there
were more), and only the projected numbers, never the detected text. Everything after the read is
a pure function of plain values (the maths below), tested on known data.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from typing import Any, Protocol

from .model import Visualization
from .validation import DAY_MS, DEFAULT_TOP_N, HOUR_MS, INTERVALS

MAX_ROWS = 10_000
NO_CURRENCY = "XXX"  # ISO 4217's "no currency"
OTHER = "other"


class DayReader(Protocol):
    def on_days(
        self, days: list[str], since_ms: int, until_ms: int, *, limit: int
    ) -> Iterable[dict[str, Any]]: ...


# -- reading one invoice's numbers ------------------------------------------------------------


def _field_value(item: dict[str, Any], name: str) -> Any:
    field = (item.get("fields") or {}).get(name)
    return field.get("value") if isinstance(field, dict) else None


def _finite(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return float(value)


def measure_of(item: dict[str, Any], measure: str) -> float | None:
    """The value of a numeric measure for one invoice item (None: it has none)."""
    if measure == "latency":
        return _finite(item.get("latencyMs"))
    if measure == "total":
        return _finite(_field_value(item, "total"))
    if measure == "accuracy":
        return _finite(item.get("accuracy"))
    if measure == "measuredAccuracy":
        return _finite(item.get("measuredAccuracy"))
    if measure == "pages":
        return _finite(item.get("pages"))
    raise ValueError(f"unknown measure {measure!r}")


def vendor_of(item: dict[str, Any]) -> str | None:
    vendor = _field_value(item, "vendorName")
    return vendor.strip() if isinstance(vendor, str) and vendor.strip() else None


def currency_of(item: dict[str, Any]) -> str:
    currency = _field_value(item, "currency")
    return currency if isinstance(currency, str) and currency else NO_CURRENCY


def matches(item: dict[str, Any], filters: dict[str, str]) -> bool:
    if "vendor" in filters and (vendor_of(item) or "").casefold() != filters["vendor"].casefold():
        return False
    if "currency" in filters and currency_of(item) != filters["currency"]:
        return False
    return "status" not in filters or (item.get("status") or "needs-review") == filters["status"]


# -- the maths ----------------------------------------------------------------------------------


def histogram(values: list[float], bins: int) -> list[dict[str, Any]]:
    """`bins` equal-width bins from min to max: [x0, x1), the last one [x0, max]. One value (or all
    equal): the bins span value ± 0.5. No values: no bins."""
    if not values:
        return []
    low, high = min(values), max(values)
    if low == high:
        low, high = low - 0.5, high + 0.5
    width = (high - low) / bins
    edges = [low + i * width for i in range(bins)] + [high]
    counts = [0] * bins
    for v in values:
        counts[min(int((v - low) / width), bins - 1)] += 1
    return [{"x0": edges[i], "x1": edges[i + 1], "count": counts[i]} for i in range(bins)]


def normal_fit(values: list[float]) -> dict[str, float] | None:
    """Mean and population standard deviation (the maximum-likelihood fit); None without values."""
    if not values:
        return None
    mean = math.fsum(values) / len(values)
    variance = math.fsum((v - mean) ** 2 for v in values) / len(values)
    return {"mean": mean, "stdDev": math.sqrt(variance)}


def share_inside(values: list[float], mean: float, std_dev: float, k: float) -> float | None:
    """Share of the values within mean ± k·stdDev (bounds included)."""
    if not values:
        return None
    reach = k * std_dev
    return sum(1 for v in values if abs(v - mean) <= reach) / len(values)


def share_above(values: list[float], target: float) -> float | None:
    if not values:
        return None
    return sum(1 for v in values if v > target) / len(values)


def expected_inside(k: float) -> float:
    """P(|X - μ| ≤ kσ) for a normal X: erf(k/√2) (k = 1.96 → 0.95)."""
    return math.erf(k / math.sqrt(2))


def bucket_start(epoch_ms: int, interval: str) -> int:
    """The UTC hour, UTC day or ISO week (Monday 00:00 UTC) holding `epoch_ms`."""
    if interval == "hour":
        return epoch_ms // HOUR_MS * HOUR_MS
    day = epoch_ms // DAY_MS
    if interval == "day":
        return day * DAY_MS
    # 1970-01-01 was a Thursday: weekday (Monday 0) of epoch day d is (d + 3) % 7.
    return (day - (day + 3) % 7) * DAY_MS


def bucket_starts(since_ms: int, until_ms: int, interval: str) -> list[int]:
    """Every bucket overlapping [since, until)."""
    step = INTERVALS[interval]
    first = bucket_start(since_ms, interval)
    return list(range(first, until_ms, step))


def days_between(since_ms: int, until_ms: int) -> list[str]:
    """The UTC days (`YYYY-MM-DD`) overlapping [since, until): the byDay partitions to read."""
    from ..invoices.model import created_day

    first = since_ms // DAY_MS
    last = (until_ms - 1) // DAY_MS
    return [created_day(d * DAY_MS) for d in range(first, last + 1)]


def _top_vendors(items: list[dict[str, Any]], top_n: int) -> list[str]:
    counts = Counter(v for v in map(vendor_of, items) if v is not None)
    return [name for name, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top_n]]


def series(items: list[dict[str, Any]], params: dict[str, Any]) -> tuple[list[int], list[dict[str, Any]]]:
    """(bucket starts, groups) of a series: values[i] of each group belongs to buckets[i]."""
    start, end, interval, measure = params["from"], params["to"], params["interval"], params["measure"]
    buckets = bucket_starts(start, end, interval)
    index = {b: i for i, b in enumerate(buckets)}
    vendors: list[str] | None = None
    if params.get("split") == "vendor":
        vendors = _top_vendors(items, params.get("topN", DEFAULT_TOP_N))
    known = set(vendors or ())

    def group_of(item: dict[str, Any]) -> tuple[str, dict[str, str]]:
        labels: dict[str, str] = {}
        key = "all"
        if vendors is not None:
            vendor = vendor_of(item)
            key = vendor if vendor in known else OTHER
            if key != OTHER:
                labels["vendor"] = key
        if measure == "spend":
            currency = currency_of(item)
            labels["currency"] = currency
            key = currency if vendors is None else f"{key}|{currency}"
        return key, labels

    sums: dict[str, list[float]] = {}
    counts: dict[str, list[int]] = {}
    labels_of: dict[str, dict[str, str]] = {}
    for item in items:
        created = item.get("createdAt")
        if not isinstance(created, int) or not start <= created < end:
            continue
        if measure == "count":
            value: float | None = 1.0
        elif measure == "spend":
            value = measure_of(item, "total")
        else:
            value = measure_of(item, measure)
        if value is None:
            continue
        key, labels = group_of(item)
        if key not in sums:
            sums[key], counts[key], labels_of[key] = [0.0] * len(buckets), [0] * len(buckets), labels
        i = index[bucket_start(created, interval)]
        sums[key][i] += value
        counts[key][i] += 1

    def order(key: str) -> tuple[int, str]:
        vendor = labels_of[key].get("vendor")
        rank = vendors.index(vendor) if vendors is not None and vendor in known else len(vendors or ())
        return rank, key

    groups = []
    for key in sorted(sums, key=order):
        if measure == "count":
            values: list[float | None] = [c for c in counts[key]]
        elif measure == "spend":
            values = [round(s, 2) for s in sums[key]]
        else:
            values = [s / c if c else None for s, c in zip(sums[key], counts[key], strict=True)]
        groups.append({"key": key, **labels_of[key], "values": values})
    if not groups and measure == "count" and vendors is None:
        groups.append({"key": "all", "values": [0] * len(buckets)})
    return buckets, groups


# -- one visualization's answer ---------------------------------------------------------------


def window(viz: Visualization, now_ms: int) -> tuple[int, int]:
    """[from, to) read for a visualization: a series' own range, else the last `days` UTC days."""
    params = viz.parameters
    if viz.type == "series":
        return params["from"], params["to"]
    end = (now_ms // DAY_MS + 1) * DAY_MS
    return end - params["days"] * DAY_MS, end


def read_rows(reader: DayReader, since_ms: int, until_ms: int) -> tuple[list[dict[str, Any]], bool]:
    """At most MAX_ROWS items of the range (oldest first) and whether there were more."""
    rows = list(reader.on_days(days_between(since_ms, until_ms), since_ms, until_ms, limit=MAX_ROWS + 1))
    return rows[:MAX_ROWS], len(rows) > MAX_ROWS


def compute(
    viz: Visualization, rows: list[dict[str, Any]], truncated: bool, since: int, until: int
) -> dict[str, Any]:
    """The `VisualizationData` answer for these rows (pure: no I/O)."""
    params = viz.parameters
    head = {
        "type": viz.type,
        "visualizationId": viz.id,
        "version": viz.version,
        "from": since,
        "to": until,
        "rows": len(rows),
        "truncated": truncated,
    }
    if viz.type == "series":
        buckets, groups = series(rows, params)
        return {
            **head,
            "measure": params["measure"],
            "interval": params["interval"],
            "buckets": buckets,
            "groups": groups,
        }
    if viz.type == "scatter":
        points = []
        for item in rows:
            x, y = measure_of(item, params["x"]), measure_of(item, params["y"])
            if x is not None and y is not None:
                points.append({"x": x, "y": y, "invoiceId": str(item.get("invoiceId", ""))})
        return {**head, "x": params["x"], "y": params["y"], "points": points}
    if viz.type == "histogram":
        filters = params.get("filters") or {}
        values = [
            v
            for item in rows
            if matches(item, filters)
            for v in [measure_of(item, params["measure"])]
            if v is not None
        ]
        return {
            **head,
            "measure": params["measure"],
            "count": len(values),
            "bins": histogram(values, params["bins"]),
            "min": min(values) if values else None,
            "max": max(values) if values else None,
        }
    # normal
    values = [v for item in rows for v in [measure_of(item, params["measure"])] if v is not None]
    fit = normal_fit(values)
    mean = params.get("mean", fit["mean"] if fit else None)
    std_dev = params.get("stdDev", fit["stdDev"] if fit else None)
    curve = {"mean": mean, "stdDev": std_dev} if mean is not None and std_dev else None
    k, target = params["k"], params.get("target")
    return {
        **head,
        "measure": params["measure"],
        "count": len(values),
        "bins": histogram(values, params["bins"]),
        "fit": fit,
        "curve": curve,
        "k": k,
        "inside": share_inside(values, curve["mean"], curve["stdDev"], k) if curve else None,
        "expectedInside": expected_inside(k) if curve else None,
        "target": target,
        "aboveTarget": share_above(values, target) if target is not None else None,
    }

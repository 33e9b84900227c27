"""Per-invoice metric items and the rollup buckets the live snapshot is computed from.

Each processed invoice writes one metric item (the DynamoDB stream of the table triggers the
broadcast) and `ADD`s itself into two rollup items in the same table: its second and its minute.
`ADD` is atomic, so concurrent uploads never lose a count. The 60-second snapshot reads 60
second-buckets and 15 minute-buckets with one BatchGetItem: its cost depends on the window,
never on how many invoices exist.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from ..dynamo import from_item, to_item

log = logging.getLogger(__name__)

WINDOW_SECONDS = 60
SERIES_MINUTES = 15
ROLLUP_PREFIX = "rollup#"

# Upper bounds (ms) of the latency histogram's buckets; one more bucket catches the rest.
# Percentiles are interpolated inside a bucket, so their error is at most one bucket's width.
LATENCY_BOUNDS_MS = (
    5, 10, 15, 20, 30, 50, 75, 100, 150, 200, 300, 500, 750,
    1000, 1500, 2000, 3000, 5000, 7500, 10000, 15000, 20000, 30000, 60000,
)  # fmt: skip


def latency_bucket(latency_ms: float) -> int:
    for index, bound in enumerate(LATENCY_BOUNDS_MS):
        if latency_ms <= bound:
            return index
    return len(LATENCY_BOUNDS_MS)


def percentile(histogram: list[int], fraction: float) -> float:
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


def is_rollup_id(invoice_id: str) -> bool:
    return invoice_id.startswith(ROLLUP_PREFIX)


class _Bucket:
    """Sums over one or more rollup items."""

    __slots__ = ("accuracy_sum", "count", "errors", "histogram", "latency_sum")

    def __init__(self) -> None:
        self.count = 0
        self.errors = 0
        self.latency_sum = 0.0
        self.accuracy_sum = 0.0
        self.histogram = [0] * (len(LATENCY_BOUNDS_MS) + 1)

    def add_item(self, item: dict[str, Any]) -> None:
        """Add the sums of one rollup item to this bucket."""
        self.count += int(item.get("count", 0))
        self.errors += int(item.get("errors", 0))
        self.latency_sum += float(item.get("latencySum", 0))
        self.accuracy_sum += float(item.get("accuracySum", 0))
        for index in range(len(self.histogram)):
            self.histogram[index] += int(item.get(f"h{index}", 0))

    def avg_latency(self) -> float:
        return round(self.latency_sum / self.count, 1) if self.count else 0.0

    def avg_accuracy(self) -> float:
        return round(self.accuracy_sum / self.count, 2) if self.count else 0.0


class MetricsStore:
    def __init__(
        self,
        client: Any,
        table: str,
        retention_seconds: int = 86_400,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._client = client
        self.table = table
        self._retention = retention_seconds
        self._clock = clock
        self._sort_key: str | None = None
        self._schema_known = False
        self._schema_lock = threading.Lock()

    # -- key schema -------------------------------------------------------------------------
    def _key_schema(self) -> str | None:
        """The table's sort key name, if any (the original table keyed items by id + timestamp)."""
        if not self._schema_known:
            with self._schema_lock:
                if not self._schema_known:
                    desc = self._client.describe_table(TableName=self.table)["Table"]
                    ranges = [k["AttributeName"] for k in desc["KeySchema"] if k["KeyType"] == "RANGE"]
                    self._sort_key = ranges[0] if ranges else None
                    self._schema_known = True
        return self._sort_key

    def _rollup_key(self, kind: str, start_ms: int) -> dict[str, Any]:
        key: dict[str, Any] = {"invoiceId": {"S": f"{ROLLUP_PREFIX}{kind}#{start_ms}"}}
        sort_key = self._key_schema()
        if sort_key:
            key[sort_key] = {"N": str(start_ms)}
        return key

    # -- writes -----------------------------------------------------------------------------
    def record_invoice(self, invoice_id: str, latency_ms: float, accuracy: float, at_ms: int) -> None:
        """Count the invoice into its second and minute buckets, then write its metric item."""
        expires = at_ms // 1000 + self._retention
        item = {
            "invoiceId": invoice_id,
            "timestamp": at_ms,
            "latency": round(latency_ms, 2),
            "accuracy": round(accuracy, 2),
            "processedAt": datetime.fromtimestamp(at_ms / 1000, UTC).isoformat(timespec="milliseconds"),
            "ttl": expires,
        }
        self._add_to_rollups(
            at_ms,
            expires,
            {
                "count": 1,
                "latencySum": round(latency_ms, 2),
                "accuracySum": round(accuracy, 2),
                f"h{latency_bucket(latency_ms)}": 1,
            },
        )
        # Last: this insert is what the stream turns into a broadcast, so the rollups it will
        # read must already hold this invoice.
        self._client.put_item(TableName=self.table, Item=to_item(item))

    def record_failure(self, at_ms: int) -> None:
        """Count an upload that could not be processed (it shows as `errors` in the snapshot)."""
        self._add_to_rollups(at_ms, at_ms // 1000 + self._retention, {"errors": 1})

    def _add_to_rollups(self, at_ms: int, expires: int, increments: dict[str, float]) -> None:
        names = {f"#a{i}": name for i, name in enumerate(increments)}
        values = {f":a{i}": value for i, value in enumerate(increments.values())}
        update = "ADD " + ", ".join(f"#a{i} :a{i}" for i in range(len(increments)))
        update += " SET #ttl = if_not_exists(#ttl, :ttl), #kind = :kind"
        names.update({"#ttl": "ttl", "#kind": "kind"})
        values.update({":ttl": expires, ":kind": "rollup"})
        second_ms = at_ms // 1000 * 1000
        minute_ms = at_ms // 60_000 * 60_000
        for kind, start in (("s", second_ms), ("m", minute_ms)):
            self._client.update_item(
                TableName=self.table,
                Key=self._rollup_key(kind, start),
                UpdateExpression=update,
                ExpressionAttributeNames=names,
                ExpressionAttributeValues=to_item(values),
            )

    # -- reads ------------------------------------------------------------------------------
    def _batch_get(self, keys: list[dict[str, Any]]) -> Iterable[dict[str, Any]]:
        """BatchGetItem, retrying the keys DynamoDB leaves unprocessed under load."""
        request: dict[str, Any] = {self.table: {"Keys": keys}}
        for attempt in range(6):
            resp = self._client.batch_get_item(RequestItems=request)
            yield from resp.get("Responses", {}).get(self.table, [])
            request = resp.get("UnprocessedKeys") or {}
            if not request:
                return
            time.sleep(min(0.05 * 2**attempt, 1.0))
        log.warning("snapshot read left %d keys unprocessed", len(request[self.table]["Keys"]))

    def snapshot(self, now_ms: int | None = None) -> dict[str, Any]:
        """The live metrics of the last 60 s plus a per-minute series of the last 15 minutes."""
        now_ms = int(self._clock() * 1000) if now_ms is None else now_ms
        now_s = now_ms // 1000
        now_min = now_ms // 60_000
        seconds = [(now_s - i) * 1000 for i in range(WINDOW_SECONDS)]
        minutes = [(now_min - i) * 60_000 for i in range(SERIES_MINUTES - 1, -1, -1)]
        keys = [self._rollup_key("s", s) for s in seconds] + [self._rollup_key("m", m) for m in minutes]

        by_id: dict[str, dict[str, Any]] = {}
        for raw in self._batch_get(keys):
            item = from_item(raw)
            by_id[item["invoiceId"]] = item

        window = _Bucket()
        for start in seconds:
            if item := by_id.get(f"{ROLLUP_PREFIX}s#{start}"):
                window.add_item(item)

        series = []
        for start in minutes:
            bucket = _Bucket()
            if item := by_id.get(f"{ROLLUP_PREFIX}m#{start}"):
                bucket.add_item(item)
            series.append(
                {
                    "t": start,
                    "count": bucket.count,
                    "avgLatency": bucket.avg_latency(),
                    "avgAccuracy": bucket.avg_accuracy(),
                    "errors": bucket.errors,
                }
            )

        return {
            "total": window.count,
            "throughput": round(window.count / WINDOW_SECONDS, 3),
            "avgLatency": window.avg_latency(),
            "avgAccuracy": window.avg_accuracy(),
            "p50Latency": percentile(window.histogram, 0.50),
            "p95Latency": percentile(window.histogram, 0.95),
            "errors": window.errors,
            "windowSeconds": WINDOW_SECONDS,
            "series": series,
            "timestamp": now_ms,
        }

    def ping(self) -> None:
        self._schema_known = False
        self._key_schema()

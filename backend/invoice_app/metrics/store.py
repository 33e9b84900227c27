"""Per-invoice metric items and the rollup buckets the live snapshot is computed from.

Each processed invoice writes one metric item (the DynamoDB stream of the table triggers the
broadcast) and `ADD`s itself into two rollup items in the same table: its second and its minute.
`ADD` is atomic, so concurrent uploads never lose a count. The 60-second snapshot reads 60
second-buckets and 15 minute-buckets with one BatchGetItem: its cost depends on the window,
never on how many invoices exist. Failed AWS calls raise `StorageUnavailable`.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from ..core.dynamo import from_item, store_errors, to_item
from .histogram import latency_bucket
from .rollups import (
    BACKLOG_ID,
    HOUR,
    MINUTE,
    SECOND,
    WIDTH_MS,
    bucket_start,
    histogram_attribute,
    rollup_id,
)
from .snapshot import Window, build_snapshot

log = logging.getLogger(__name__)

UNAVAILABLE = "metrics are unavailable right now"


class KeySchema:
    """The metrics table's sort key, if any, learned once (the original table keyed items by id +
    timestamp; the template's has no sort key)."""

    def __init__(self, client: Any, table: str) -> None:
        self._client = client
        self._table = table
        self._sort_key: str | None = None
        self._known = False
        self._lock = threading.Lock()

    def sort_key(self) -> str | None:
        if not self._known:
            with self._lock:
                if not self._known:
                    self._learn()
        return self._sort_key

    def refresh(self) -> None:
        """Describe the table again (health checks use this as their ping)."""
        with self._lock:
            self._learn()

    def _learn(self) -> None:
        desc = self._client.describe_table(TableName=self._table)["Table"]
        ranges = [k["AttributeName"] for k in desc["KeySchema"] if k["KeyType"] == "RANGE"]
        self._sort_key = ranges[0] if ranges else None
        self._known = True


# A rollup bucket is written with the time its upload or review was recorded, by an invocation that
# lives at most the function's timeout (29 s in the template) after taking that time; with a margin
# for the clocks of different instances, a bucket that ended this long ago can no longer change.
FINAL_AFTER_MS = 35_000


class FinalBuckets:
    """The rollup buckets of the snapshot window that can no longer change, kept by id once read
    (a bucket with no item is kept too: it counts zero). A snapshot then reads only its recent
    buckets (the last ~35 seconds, the last minute or two, the current hour) and the backlog:
    about 40 keys of 100, the rest from memory. Buckets that leave the window are dropped."""

    def __init__(self, *, enabled: bool = True) -> None:
        self._items: dict[str, dict[str, Any] | None] = {}
        self._lock = threading.Lock()
        self._enabled = enabled

    @staticmethod
    def _final(kind: str, start: int, now_ms: int) -> bool:
        return start + WIDTH_MS[kind] + FINAL_AFTER_MS <= now_ms

    def split(
        self, buckets: list[tuple[str, int]]
    ) -> tuple[dict[str, dict[str, Any]], list[tuple[str, int]]]:
        """(the kept items of `buckets` by id, the buckets still to read)."""
        wanted = {rollup_id(kind, start): (kind, start) for kind, start in buckets}
        with self._lock:
            for gone in self._items.keys() - wanted.keys():
                del self._items[gone]
            kept = dict(self._items)
        unread = [bucket for bucket_id, bucket in wanted.items() if bucket_id not in kept]
        return {k: v for k, v in kept.items() if v is not None}, unread

    def keep(self, now_ms: int, read: list[tuple[str, int]], by_id: dict[str, dict[str, Any]]) -> None:
        """Remember the final ones of the buckets just `read` (`by_id`: the items found)."""
        if not self._enabled:
            return
        final = {
            rollup_id(kind, start): by_id.get(rollup_id(kind, start))
            for kind, start in read
            if self._final(kind, start, now_ms)
        }
        with self._lock:
            self._items.update(final)


class MetricsStore:
    def __init__(
        self,
        client: Any,
        table: str,
        retention_seconds: int = 86_400,
        clock: Callable[[], float] = time.time,
        *,
        keep_final_buckets: bool = True,
    ) -> None:
        """`keep_final_buckets=False` reads every bucket of every snapshot (bench/snapshot_scaling.py
        compares the two)."""
        self._client = client
        self.table = table
        self._retention = retention_seconds
        self._clock = clock
        self._schema = KeySchema(client, table)
        self._final = FinalBuckets(enabled=keep_final_buckets)

    def _rollup_key(self, kind: str, start_ms: int) -> dict[str, Any]:
        return self._key(rollup_id(kind, start_ms), start_ms)

    def _key(self, item_id: str, sort_value: int = 0) -> dict[str, Any]:
        key: dict[str, Any] = {"invoiceId": {"S": item_id}}
        sort_key = self._schema.sort_key()
        if sort_key:
            key[sort_key] = {"N": str(sort_value)}
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
        increments = {
            "count": 1,
            "latencySum": round(latency_ms, 2),
            "accuracySum": round(accuracy, 2),
            histogram_attribute(latency_bucket(latency_ms)): 1,
        }
        with store_errors(UNAVAILABLE, f"recording metrics of {invoice_id}"):
            self._add_to_rollups(at_ms, expires, increments)
            # Last: this insert is what the stream turns into a broadcast, so the rollups it will
            # read must already hold this invoice.
            self._client.put_item(TableName=self.table, Item=to_item(item))

    def record_review(self, invoice_id: str, version: int, measured_accuracy: float, at_ms: int) -> None:
        """Count an approval with its measured accuracy (second, minute and hour buckets), then
        write a review event item: the stream turns that insert into a broadcast."""
        expires = at_ms // 1000 + self._retention
        increments = {"reviewed": 1, "reviewedAccuracySum": round(measured_accuracy, 2)}
        with store_errors(UNAVAILABLE, f"recording the review of {invoice_id}"):
            self._add_to_rollups(at_ms, expires, increments, kinds=(SECOND, MINUTE, HOUR))
            event = {
                "invoiceId": f"review#{invoice_id}#{version}",
                "timestamp": at_ms,
                "kind": "review",
                "accuracy": round(measured_accuracy, 2),
                "ttl": expires,
            }
            self._client.put_item(TableName=self.table, Item=to_item(event))

    def adjust_backlog(self, delta: int) -> None:
        """+1 when an invoice starts waiting for review, -1 when it is approved or rejected."""
        with store_errors(UNAVAILABLE, "counting the review backlog"):
            self._client.update_item(
                TableName=self.table,
                Key=self._key(BACKLOG_ID),
                UpdateExpression="ADD #c :d",
                ExpressionAttributeNames={"#c": "count"},
                ExpressionAttributeValues={":d": {"N": str(delta)}},
            )

    def record_failure(self, at_ms: int) -> None:
        """Count an upload that could not be processed (it shows as `errors` in the snapshot)."""
        with store_errors(UNAVAILABLE, "counting a processing failure"):
            self._add_to_rollups(at_ms, at_ms // 1000 + self._retention, {"errors": 1})

    def _add_to_rollups(
        self,
        at_ms: int,
        expires: int,
        increments: dict[str, float],
        kinds: tuple[str, ...] = (SECOND, MINUTE),
    ) -> None:
        names = {f"#a{i}": name for i, name in enumerate(increments)}
        values = {f":a{i}": value for i, value in enumerate(increments.values())}
        update = "ADD " + ", ".join(f"#a{i} :a{i}" for i in range(len(increments)))
        update += " SET #ttl = if_not_exists(#ttl, :ttl), #kind = :kind"
        names.update({"#ttl": "ttl", "#kind": "kind"})
        values.update({":ttl": expires, ":kind": "rollup"})
        for kind in kinds:
            self._client.update_item(
                TableName=self.table,
                Key=self._rollup_key(kind, bucket_start(kind, at_ms)),
                UpdateExpression=update,
                ExpressionAttributeNames=names,
                ExpressionAttributeValues=to_item(values),
            )

    # -- reads ------------------------------------------------------------------------------
    def _batch_get(self, keys: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], bool]:
        """BatchGetItem, retrying the keys DynamoDB leaves unprocessed under load: (items, whether
        every key was read)."""
        request: dict[str, Any] = {self.table: {"Keys": keys}}
        items: list[dict[str, Any]] = []
        for attempt in range(6):
            resp = self._client.batch_get_item(RequestItems=request)
            items.extend(resp.get("Responses", {}).get(self.table, []))
            request = resp.get("UnprocessedKeys") or {}
            if not request:
                return items, True
            time.sleep(min(0.05 * 2**attempt, 1.0))
        log.warning("snapshot read left %d keys unprocessed", len(request[self.table]["Keys"]))
        return items, False

    def snapshot(self, now_ms: int | None = None) -> dict[str, Any]:
        """The live metrics of the last 60 s plus a per-minute series of the last 15 minutes.

        Buckets that can no longer change (`FinalBuckets`) are read once per warm environment;
        the others and the backlog counter, with one BatchGetItem."""
        window = Window.at(int(self._clock() * 1000) if now_ms is None else now_ms)
        known, unread = self._final.split(window.buckets())
        with store_errors(UNAVAILABLE, "reading the metrics snapshot"):
            keys = [self._rollup_key(kind, start) for kind, start in unread]
            keys.append(self._key(BACKLOG_ID))
            items, complete = self._batch_get(keys)
            by_id = {item["invoiceId"]: item for item in map(from_item, items)}
        if complete:  # a key left unprocessed is not known to be empty
            self._final.keep(window.now_ms, unread, by_id)
        return build_snapshot(window, {**known, **by_id})

    def ping(self) -> None:
        with store_errors(UNAVAILABLE, f"describing {self.table}"):
            self._schema.refresh()

"""Feed a DynamoDB stream to the handler in batches, as a Lambda event source mapping does.

One poller per mapped table (the metrics table's, the invoices table's); `keep` plays the
mapping's filter criteria (records it drops never reach the function).

Records are read from every shard, gathered up to `batch_size` or until `window_s` has passed
since the first one, and handed to the function as `{"Records": [...]}`. A partial-batch answer
(`batchItemFailures`) makes the poller retry from the first failed record, at most `max_retries`
times; then the batch goes to the "on-failure destination" (here: an error log and a counter).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from .lambda_runtime import InvocationFailed, PayloadTooLarge

log = logging.getLogger(__name__)
timeline = logging.getLogger("devstack.timeline")  # `--timeline`: when a batch is handed over


def is_correction(record: dict[str, Any]) -> bool:
    """The invoices mapping's filter: a MODIFY of an item with a `version` (template.yaml)."""
    new_image = (record.get("dynamodb") or {}).get("NewImage") or {}
    return record.get("eventName") == "MODIFY" and "N" in (new_image.get("version") or {})


class StreamPoller:
    def __init__(
        self,
        dynamodb: Any,
        streams: Any,
        table: str,
        invoke: Callable[[dict[str, Any]], Any],
        *,
        batch_size: int = 100,
        window_s: float = 0.0,
        poll_interval_s: float = 0.05,
        max_retries: int = 2,
        keep: Callable[[dict[str, Any]], bool] | None = None,
    ) -> None:
        self._dynamodb = dynamodb
        self._streams = streams
        self._table = table
        self._invoke = invoke
        self.batch_size = batch_size
        self.window_s = window_s
        self.poll_interval_s = poll_interval_s
        self.max_retries = max_retries
        self._keep = keep
        self.batches = 0
        self.failed_batches = 0
        self._stop = threading.Event()
        self._poke = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"stream-poller-{table}", daemon=True)
        self._iterators: dict[str, str] = {}
        self._arn = ""

    def start(self) -> None:
        self._arn = self._dynamodb.describe_table(TableName=self._table)["Table"]["LatestStreamArn"]
        self._refresh_shards()
        self._thread.start()

    def poke(self) -> None:
        """Read the stream now instead of at the next poll (something was just written)."""
        self._poke.set()

    def stop(self) -> None:
        self._stop.set()
        self._poke.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)

    def _reattach(self) -> None:
        """After a failed read: the table may have a new stream (a restarted embedded AWS creates
        its tables again). A new stream is read from its start: all of it is new, and writes may
        have landed between the table's creation and this moment."""
        try:
            arn = self._dynamodb.describe_table(TableName=self._table)["Table"]["LatestStreamArn"]
            if arn != self._arn:
                log.warning("the %s table has a new stream; reading it from its start", self._table)
                self._arn, self._iterators = arn, {}
                self._refresh_shards("TRIM_HORIZON")
                return
            self._refresh_shards()
        except (ClientError, BotoCoreError, KeyError) as exc:
            log.debug("the %s stream is not back yet: %s", self._table, exc)

    def _refresh_shards(self, iterator_type: str = "LATEST") -> None:
        shards = self._streams.describe_stream(StreamArn=self._arn)["StreamDescription"]["Shards"]
        for shard in shards:
            if shard["ShardId"] not in self._iterators:
                it = self._streams.get_shard_iterator(
                    StreamArn=self._arn, ShardId=shard["ShardId"], ShardIteratorType=iterator_type
                )["ShardIterator"]
                self._iterators[shard["ShardId"]] = it

    def _read(self, limit: int) -> list[dict[str, Any]]:
        records: list[dict[str, Any]] = []
        for shard_id, iterator in list(self._iterators.items()):
            resp = self._streams.get_records(ShardIterator=iterator, Limit=limit - len(records))
            records.extend(resp.get("Records", []))
            if resp.get("NextShardIterator"):
                self._iterators[shard_id] = resp["NextShardIterator"]
            else:  # the shard was closed; its children appear in the next describe
                del self._iterators[shard_id]
                self._refresh_shards()
            if len(records) >= limit:
                break
        return records

    def _run(self) -> None:
        pending: list[dict[str, Any]] = []
        first_at = 0.0
        while not self._stop.is_set():
            try:
                fresh = self._read(self.batch_size - len(pending))
            except (ClientError, BotoCoreError) as exc:
                log.warning("reading the stream failed: %s", exc)
                self._stop.wait(1.0)
                self._reattach()
                continue
            if fresh and not pending:
                first_at = time.monotonic()
            kept = [r for r in fresh if self._keep is None or self._keep(r)]
            pending.extend(self._as_lambda_record(r) for r in kept)
            if fresh and not kept and not pending:
                continue  # all filtered out: nothing to deliver, read on
            full = len(pending) >= self.batch_size
            if pending and (full or time.monotonic() - first_at >= self.window_s):
                self._deliver(pending)
                pending = []
            elif not fresh:
                self._poke.wait(self.poll_interval_s)
                self._poke.clear()

    def _as_lambda_record(self, record: dict[str, Any]) -> dict[str, Any]:
        """boto3 parses the stream's timestamps; Lambda hands them over as epoch seconds."""
        change = dict(record.get("dynamodb") or {})
        created = change.get("ApproximateCreationDateTime")
        if isinstance(created, datetime):
            change["ApproximateCreationDateTime"] = int(created.timestamp())
        return {**record, "dynamodb": change, "eventSourceARN": self._arn}

    def _deliver(self, records: list[dict[str, Any]]) -> None:
        batch = records
        if timeline.isEnabledFor(logging.DEBUG):
            timeline.debug("timeline stream-invoke %.3f %s", time.time() * 1000, self._table)
        for attempt in range(self.max_retries + 1):
            if attempt:
                self._stop.wait(min(0.2 * 2**attempt, 5.0))  # back off between retries
            try:
                result = self._invoke({"Records": batch})
            except (InvocationFailed, PayloadTooLarge) as exc:  # Lambda retries the whole batch
                log.warning("stream batch invocation failed (attempt %d): %s", attempt + 1, exc)
                continue
            failures = (result.get("batchItemFailures") or []) if isinstance(result, dict) else []
            if not failures:
                self.batches += 1
                return
            first_failed = failures[0].get("itemIdentifier")
            seqs = [r["dynamodb"].get("SequenceNumber") for r in batch]
            batch = batch[seqs.index(first_failed) :] if first_failed in seqs else batch
            log.warning("stream batch reported %d failures; retrying %d records", len(failures), len(batch))
        self.failed_batches += 1
        log.error(
            "stream batch of %d records dropped after %d retries (on-failure destination)",
            len(batch),
            self.max_retries,
        )

"""How often a broadcast may start: API Gateway's account-wide ~10,000 requests/s is shared by every
`post_to_connection`, so with N connections one broadcast per N / rate seconds is the ceiling.

The interval is `max(min_interval, audience / max_rate)`: 1 s for small audiences, 20 s for
100,000 connections at 5,000 posts/s. Concurrent invocations (stream shards, inline uploads, queue
consumers) share one clock item in the idempotency table (`pk = broadcast-clock#<topic>`):

- `nextAt`: the earliest start of the next broadcast; a broadcast starts only by a conditional
  `UpdateItem` (`nextAt <= now`), so two invocations never both win the same slot;
- `audience`: the connections the last broadcast reached, which sets the next interval, and
  `gapMs`, that interval: a broadcast takes its slot with one conditional `UpdateItem`
  (`nextAt = now + gapMs`), and a refused one returns the item (`ReturnValuesOnConditionCheckFailure`),
  so taking a slot or learning it is taken is one round trip, not a read and a write;
- `dueAt`: the slot a coalesced-away update was re-scheduled for, so a burst of skipped updates
  schedules one catch-up broadcast, not one each.

The idempotency table (not the metrics table) holds it: the metrics table's stream turns inserts
into broadcasts, and a clock written there would feed its own trigger.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from ..core.dynamo import error_code, store_errors

log = logging.getLogger(__name__)

UNAVAILABLE = "the broadcast clock is unavailable"


@dataclass(frozen=True)
class Slot:
    """This invocation may broadcast now."""

    started_ms: int
    interval_ms: int  # the spacing in force (from the last audience): what the widget expects


@dataclass(frozen=True)
class Busy:
    """A broadcast started too recently: this update is superseded by the next one."""

    now_ms: int
    next_ms: int  # when the next broadcast may start
    last_started_ms: int  # when the latest broadcast started


class BroadcastPacer:
    def __init__(
        self,
        client: Any,
        table: str,
        *,
        max_rate: int,
        min_interval_ms: int = 1000,
        topic: str = "metrics",
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._client = client
        self.table = table
        self.max_rate = max_rate
        self.min_interval_ms = min_interval_ms
        self._key = {"pk": {"S": f"broadcast-clock#{topic}"}}
        self._clock = clock

    def interval_ms(self, audience: int) -> int:
        """The spacing that keeps `audience` posts per broadcast under `max_rate` per second."""
        return max(self.min_interval_ms, math.ceil(audience * 1000 / self.max_rate))

    def now_ms(self) -> int:
        return int(self._clock() * 1000)

    def _read(self) -> dict[str, int]:
        answer = self._client.get_item(TableName=self.table, Key=self._key, ConsistentRead=True)
        return _numbers(answer.get("Item"))

    def begin(self, now_ms: int | None = None) -> Slot | Busy:
        """Take the next broadcast slot, or learn it is not due yet (atomic across invocations).

        `now_ms` (default: the clock now) is the slot's start: a caller that reads its snapshot
        beside this call takes the time before starting that read, so a broadcast's `lastAt` is
        never later than what its snapshot saw.
        """
        now = self.now_ms() if now_ms is None else now_ms
        with store_errors(UNAVAILABLE, "taking a slot on the broadcast clock"):
            try:
                answer = self._client.update_item(
                    TableName=self.table,
                    Key=self._key,
                    UpdateExpression="SET lastAt = :now, nextAt = :now + if_not_exists(gapMs, :min)",
                    ConditionExpression="attribute_not_exists(nextAt) OR nextAt <= :now",
                    ExpressionAttributeValues={
                        ":now": {"N": str(now)},
                        ":min": {"N": str(self.min_interval_ms)},
                    },
                    ReturnValues="UPDATED_NEW",
                    ReturnValuesOnConditionCheckFailure="ALL_OLD",
                )
            except ClientError as exc:
                if error_code(exc) != "ConditionalCheckFailedException":
                    raise
                # The item as it stood (another invocation holds the slot); a store that does not
                # return it is read.
                state = _numbers(exc.response.get("Item")) or self._read()
                return Busy(now, state.get("nextAt", now), state.get("lastAt", now))
        next_at = _numbers(answer.get("Attributes")).get("nextAt", now + self.min_interval_ms)
        return Slot(now, next_at - now)

    def finish(self, slot: Slot, audience: int) -> int:
        """Record how many connections the broadcast had; returns the interval that follows."""
        gap = self.interval_ms(audience)
        with store_errors(UNAVAILABLE, "writing the broadcast clock"):
            try:
                self._client.update_item(
                    TableName=self.table,
                    Key=self._key,
                    UpdateExpression="SET audience = :n, gapMs = :gap, nextAt = :next",
                    # Only our own slot: a slow broadcast must not move a newer one's clock.
                    ConditionExpression="lastAt = :started",
                    ExpressionAttributeValues={
                        ":n": {"N": str(audience)},
                        ":gap": {"N": str(gap)},
                        ":next": {"N": str(slot.started_ms + gap)},
                        ":started": {"N": str(slot.started_ms)},
                    },
                )
            except ClientError as exc:
                if error_code(exc) != "ConditionalCheckFailedException":
                    raise
        return gap

    def mark_due(self, next_ms: int) -> bool:
        """Claim the catch-up of slot `next_ms`: True for the first skipped update that asks."""
        with store_errors(UNAVAILABLE, "scheduling on the broadcast clock"):
            try:
                self._client.update_item(
                    TableName=self.table,
                    Key=self._key,
                    UpdateExpression="SET dueAt = :due",
                    ConditionExpression="attribute_not_exists(dueAt) OR dueAt < :due",
                    ExpressionAttributeValues={":due": {"N": str(next_ms)}},
                )
            except ClientError as exc:
                if error_code(exc) != "ConditionalCheckFailedException":
                    raise
                return False
        return True

    def state(self) -> dict[str, int]:
        """The clock item as numbers (lastAt, nextAt, audience, gapMs, dueAt), for tests and health."""
        with store_errors(UNAVAILABLE, "reading the broadcast clock"):
            return self._read()


def _numbers(item: Any) -> dict[str, int]:
    """The number attributes of a DynamoDB item (None or not a map: none)."""
    if not isinstance(item, dict):
        return {}
    return {k: int(v["N"]) for k, v in item.items() if isinstance(v, dict) and "N" in v}

"""A fixed-window counter in DynamoDB: N events per window per caller, whatever instance counts.

One item per (scope, caller, window) in the idempotency table, under the key prefix `rate#`
(idempotency keys start with a digit, `record_key`, so the two never collide):

    {pk: "rate#upload#<len>#<sub>#<window start>", n: <count>, expires: <window end + slack>}

`hit` is one `UpdateItem`: `ADD n :one` under the condition `attribute_not_exists(n) OR n < :limit`,
so the count is atomic across every Lambda instance and never passes the limit (a refused call
adds nothing). `expires` is the table's TTL attribute; DynamoDB removes old windows eventually and
a window's key is never reused, so a late TTL costs storage, never a wrong answer.
Reusing the idempotency table: same TTL attribute, same on-demand billing, and the role's
`UpdateItem` on it is already granted, so the limiter needs no new table, variable or permission.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from ..core.dynamo import error_code
from ..core.errors import StorageUnavailable

UNAVAILABLE = "the rate limiter's store is unavailable; nothing was done, retry later"
_CHECK_FAILED = "ConditionalCheckFailedException"
# A window's item outlives its window by this much (TTL deletion is late anyway).
_TTL_SLACK_SECONDS = 60


@dataclass(frozen=True)
class Decision:
    allowed: bool
    # Seconds until the window ends (a refused caller may retry then); at least 1.
    retry_after: int
    count: int | None = None


class FixedWindowLimiter:
    """`limit` events per `window_seconds` per key. A failing store raises `StorageUnavailable`
    (the caller fails closed: an abuse limit that cannot count must not let everything through)."""

    def __init__(
        self,
        client: Any,
        table: str,
        *,
        scope: str,
        limit: int,
        window_seconds: int = 60,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if limit < 1 or window_seconds < 1:
            raise ValueError("limit and window_seconds must be at least 1")
        self._client = client
        self.table = table
        self.scope = scope
        self.limit = limit
        self.window_seconds = window_seconds
        self.clock = clock  # tests stand it still, so a window boundary cannot fall between two calls

    def key(self, caller: str, window_start: int) -> str:
        # Length-prefixed caller, so no (caller, window) pair can spell another's key.
        return f"rate#{self.scope}#{len(caller)}#{caller}#{window_start}"

    def hit(self, caller: str) -> Decision:
        """Count one event of `caller`; refused (nothing counted) when the window is full."""
        now = self.clock()
        start = int(now // self.window_seconds) * self.window_seconds
        end = start + self.window_seconds
        retry_after = max(1, math.ceil(end - now))
        try:
            answer = self._client.update_item(
                TableName=self.table,
                Key={"pk": {"S": self.key(caller, start)}},
                UpdateExpression="ADD #n :one SET #exp = if_not_exists(#exp, :exp)",
                ConditionExpression="attribute_not_exists(#n) OR #n < :limit",
                ExpressionAttributeNames={"#n": "n", "#exp": "expires"},
                ExpressionAttributeValues={
                    ":one": {"N": "1"},
                    ":limit": {"N": str(self.limit)},
                    ":exp": {"N": str(end + _TTL_SLACK_SECONDS)},
                },
                ReturnValues="UPDATED_NEW",
            )
        except ClientError as exc:
            if error_code(exc) == _CHECK_FAILED:
                return Decision(False, retry_after)
            raise StorageUnavailable(UNAVAILABLE, code=error_code(exc)) from exc
        except BotoCoreError as exc:
            raise StorageUnavailable(UNAVAILABLE) from exc
        count = int(answer.get("Attributes", {}).get("n", {}).get("N", "0"))
        return Decision(True, retry_after, count)

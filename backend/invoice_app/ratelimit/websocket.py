"""Per-connection limits on WebSocket client messages: size, and rate (a token bucket per connection).

Every client message ($default and custom routes) passes `MessageGate.check` before a route reads
it. A message over `WS_MAX_CLIENT_MESSAGE_BYTES` (the app's own bound, far below API Gateway's
128 KB) or beyond the rate (`rate` per second, bursts of `burst`) is refused: the client gets an
error frame (at most one per second, so refusing never amplifies a flood) and nothing else runs.
`close_after` refusals within `abuse_window_s` are sustained abuse: the connection is closed
(`DELETE @connections/{id}`) and forgotten.

Why the function's memory is enough, with API Gateway spreading one socket's messages over any
warm Lambda environment: an environment handles one invocation at a time, and Lambda only adds
environments when the existing ones are busy. A slow client's messages land wherever, but each
environment sees at most what the client sends; a flood keeps every environment it reaches busy,
so each of them sees the messages back to back — hundreds per second, far beyond the bucket — and
refuses. The bound is therefore "rate × the warm environments one client reaches" for a client
that stays just under the flood line, which the stage's route throttling (template) caps in turn;
a counter on the connection item would cost a DynamoDB write per message to close that gap.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass, field

from ..core.limits import (
    WS_CLIENT_MESSAGE_BURST,
    WS_CLIENT_MESSAGES_PER_SECOND,
    WS_MAX_CLIENT_MESSAGE_BYTES,
)

# At most this many connections are tracked per environment; the least recent is dropped first.
MAX_TRACKED_CONNECTIONS = 10_000
CLOSE_AFTER_REFUSALS = 30
ABUSE_WINDOW_SECONDS = 10.0
ERROR_FRAME_INTERVAL_SECONDS = 1.0


@dataclass
class _Bucket:
    tokens: float
    updated: float
    refusals: deque[float] = field(default_factory=deque)
    last_error_frame: float = float("-inf")


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    # What to tell the client (None: nothing, e.g. a refusal within a second of the last error frame).
    error: str | None = None
    # Sustained abuse: close the connection.
    close: bool = False


class MessageGate:
    def __init__(
        self,
        *,
        rate: float = WS_CLIENT_MESSAGES_PER_SECOND,
        burst: int = WS_CLIENT_MESSAGE_BURST,
        max_bytes: int = WS_MAX_CLIENT_MESSAGE_BYTES,
        close_after: int = CLOSE_AFTER_REFUSALS,
        abuse_window_s: float = ABUSE_WINDOW_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.rate, self.burst, self.max_bytes = rate, burst, max_bytes
        self.close_after, self.abuse_window_s = close_after, abuse_window_s
        self._clock = clock
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()
        self._lock = threading.Lock()

    def check(self, connection_id: str, body: object) -> Verdict:
        """Count one message of `connection_id` (its raw body) and say whether it may be handled."""
        size = len(body.encode("utf-8", "surrogatepass")) if isinstance(body, str) else 0
        now = self._clock()
        with self._lock:
            bucket = self._bucket(connection_id, now)
            bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.updated) * self.rate)
            bucket.updated = now
            if size > self.max_bytes:
                problem = f"message too large: {size:,} bytes; the limit is {self.max_bytes:,}"
            elif bucket.tokens >= 1:
                bucket.tokens -= 1
                return Verdict(True)
            else:
                problem = f"too many messages: at most {self.rate:g} per second (bursts of {self.burst})"
            return self._refuse(bucket, now, problem)

    def forget(self, connection_id: str) -> None:
        with self._lock:
            self._buckets.pop(connection_id, None)

    def _bucket(self, connection_id: str, now: float) -> _Bucket:
        bucket = self._buckets.get(connection_id)
        if bucket is None:
            bucket = self._buckets[connection_id] = _Bucket(tokens=float(self.burst), updated=now)
            while len(self._buckets) > MAX_TRACKED_CONNECTIONS:
                self._buckets.popitem(last=False)
        else:
            self._buckets.move_to_end(connection_id)
        return bucket

    def _refuse(self, bucket: _Bucket, now: float, problem: str) -> Verdict:
        refusals = bucket.refusals
        refusals.append(now)
        while refusals and refusals[0] <= now - self.abuse_window_s:
            refusals.popleft()
        if len(refusals) >= self.close_after:
            return Verdict(False, f"{problem}; closing the connection", close=True)
        if now - bucket.last_error_frame < ERROR_FRAME_INTERVAL_SECONDS:
            return Verdict(False)
        bucket.last_error_frame = now
        return Verdict(False, problem)

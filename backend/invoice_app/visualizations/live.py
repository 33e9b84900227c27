"""Live visualizations: `params-update` after a parameter change, and the cursor relay.

`params-update` goes to every subscriber of `visualization:<id>` (one Query of the topic, one post
each) after the change is stored; a failure to send is logged and counted, never fails the change.

`{"action": "cursor", "topic", "x", "y"}` is relayed to the topic's other subscribers as
`{"type": "cursor", "data": {topic, x, y, by: {sub, name, initials}, connectionId}}`. Per message
it costs no DynamoDB call beyond the topic's member lookup, which is cached for MEMBER_TTL_S in
the function's memory (a subscriber that joined since is found by one refresh).
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..core.errors import AppError, StorageUnavailable
from ..core.failures import FailureCounter
from ..realtime import messages
from ..realtime.actions import ActionTable, Caller, Reply
from ..realtime.broadcaster import Broadcaster, BroadcastResult
from ..realtime.presence import initials
from ..realtime.topics import Member, TopicStore, valid_topic
from .validation import check_coordinate

log = logging.getLogger(__name__)

CURSORS_PER_SECOND = 20.0
CURSOR_BURST = 10.0
MEMBER_TTL_S = 2.0
# A connection not found in a cached member list triggers a re-read at most this often per topic.
MEMBER_REFRESH_S = 0.25
MAX_TRACKED = 10_000  # connections (buckets) and topics (member lists) kept in memory, LRU


def topic_of(viz_id: str) -> str:
    return f"visualization:{viz_id}"


def params_update(
    viz_id: str, parameters: dict[str, Any], version: int, by: dict[str, str]
) -> dict[str, Any]:
    return {
        "type": "params-update",
        "data": {"visualizationId": viz_id, "parameters": parameters, "version": version, "by": by},
    }


def cursor_message(topic: str, x: float, y: float, member: Member) -> dict[str, Any]:
    name = member.name or member.email or "anonymous"
    return {
        "type": "cursor",
        "data": {
            "topic": topic,
            "x": x,
            "y": y,
            "by": {"sub": member.sub, "name": name, "initials": initials(name)},
            "connectionId": member.connection_id,
        },
    }


class TokenBuckets:
    """One token bucket per connection, in this execution environment's memory.

    Why memory is enough: API Gateway hands one connection's messages to whichever Lambda instance
    is free, so a client cursoring at a human pace (the page sends ≤ 20/s) mostly hits one warm
    instance, and each instance enforces the rate on what it sees; no DynamoDB write per cursor
    (which would cost more than the relay it guards). What a determined client can do: spread its
    messages over N concurrent instances and get up to N × 20/s relayed — bounded by the
    function's concurrency and API Gateway's own per-route throttle, and each message still only
    reaches the topic it is subscribed to. A cold instance starts with a full bucket.
    """

    def __init__(self, rate: float, burst: float, clock: Callable[[], float]) -> None:
        self._rate, self._burst, self._clock = rate, burst, clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, key: str) -> bool:
        now = self._clock()
        with self._lock:
            tokens, last = self._buckets.pop(key, (self._burst, now))
            tokens = min(self._burst, tokens + (now - last) * self._rate)
            allowed = tokens >= 1.0
            self._buckets[key] = (tokens - 1.0 if allowed else tokens, now)
            while len(self._buckets) > MAX_TRACKED:
                self._buckets.popitem(last=False)
        return allowed


@dataclass
class RelayStats:
    relayed: int = 0  # cursor messages relayed (to one or more others)
    dropped: int = 0  # over the rate: not relayed
    refused: int = 0  # invalid, or not a subscriber
    member_lookups: int = 0  # Queries of a topic's members


class CursorRelay:
    def __init__(
        self,
        topics: TopicStore,
        broadcaster: Broadcaster,
        failures: FailureCounter | None = None,
        *,
        rate: float = CURSORS_PER_SECOND,
        burst: float = CURSOR_BURST,
        member_ttl_s: float = MEMBER_TTL_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._topics = topics
        self._broadcaster = broadcaster
        self._failures = failures
        self._buckets = TokenBuckets(rate, burst, clock)
        self._ttl = member_ttl_s
        self._clock = clock
        self._members: OrderedDict[str, tuple[float, list[Member]]] = OrderedDict()
        self._warned: OrderedDict[str, None] = OrderedDict()
        self._lock = threading.Lock()
        self.stats = RelayStats()

    def register(self, actions: ActionTable) -> None:
        actions.action("cursor", connection=True)(self.cursor)

    # -- the member cache -------------------------------------------------------------------

    def _lookup(self, topic: str) -> list[Member]:
        members = self._topics.members(topic)
        with self._lock:
            self.stats.member_lookups += 1
            self._members.pop(topic, None)
            self._members[topic] = (self._clock(), members)
            while len(self._members) > MAX_TRACKED:
                self._members.popitem(last=False)
        return members

    def _member(self, topic: str, connection_id: str) -> tuple[Member | None, list[Member]]:
        with self._lock:
            cached = self._members.get(topic)
        now = self._clock()
        if cached is None or now - cached[0] > self._ttl:
            members = self._lookup(topic)
        else:
            members = cached[1]
            if (
                not any(m.connection_id == connection_id for m in members)
                and now - cached[0] > MEMBER_REFRESH_S
            ):
                members = self._lookup(topic)  # it may have subscribed since
        me = next((m for m in members if m.connection_id == connection_id), None)
        return me, members

    def forget_topic(self, topic: str) -> None:
        with self._lock:
            self._members.pop(topic, None)

    # -- the action -------------------------------------------------------------------------

    def cursor(self, payload: dict[str, Any], caller: Caller) -> Reply:
        topic = payload.get("topic")
        if not valid_topic(topic):
            self.stats.refused += 1
            return messages.error('cursor: "topic" is a topic you subscribed to, e.g. "visualization:<id>"')
        try:
            x, y = check_coordinate("x", payload.get("x")), check_coordinate("y", payload.get("y"))
        except AppError as exc:
            self.stats.refused += 1
            return messages.error(f"cursor: {exc.message.removeprefix('parameter ')}")
        if not self._buckets.take(caller.connection_id):
            return self._dropped(caller.connection_id)
        try:
            me, members = self._member(topic, caller.connection_id)
        except StorageUnavailable as exc:
            log.warning("cursor on %s: members unavailable: %s", topic, exc)
            return messages.error("cursor: the topic is unavailable; try again")
        if me is None:
            self.stats.refused += 1
            return messages.error(f"cursor: subscribe to {topic} first")
        others = [m.connection_id for m in members if m.connection_id != caller.connection_id]
        if others:
            result = self._broadcaster.send_to(caller.endpoint, others, cursor_message(topic, x, y, me))
            if result.gone_ids:
                self.forget_topic(topic)  # someone left: read the members again next time
            with self._lock:
                self.stats.relayed += 1
        return None

    def _dropped(self, connection_id: str) -> Reply:
        with self._lock:
            self.stats.dropped += 1
            first = connection_id not in self._warned
            if first:
                self._warned[connection_id] = None
                while len(self._warned) > MAX_TRACKED:
                    self._warned.popitem(last=False)
        if self._failures is not None:
            self._failures.add("cursor-dropped")
        if not first:
            return None
        log.info("cursor of %s over %g/s: dropped (told once)", connection_id, CURSORS_PER_SECOND)
        return messages.error(
            f"cursor: at most {CURSORS_PER_SECOND:g} per second (burst {CURSOR_BURST:g}); "
            "the excess is dropped"
        )


def publish_params(
    publish: Callable[[str | None, str, dict[str, Any]], BroadcastResult],
    endpoint: str | None,
    viz_id: str,
    parameters: dict[str, Any],
    version: int,
    by: dict[str, str],
    failures: FailureCounter,
) -> None:
    """Send `params-update` to the visualization's topic; a failure is logged and counted."""
    try:
        result = publish(endpoint, topic_of(viz_id), params_update(viz_id, parameters, version, by))
    except StorageUnavailable as exc:
        log.error("params-update of %s not sent: %s", viz_id, exc)
        failures.add("broadcast")
        return
    if result.failed or result.skipped:
        failures.add("broadcast")

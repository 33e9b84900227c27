"""Live visualizations: `params-update` after a parameter change, and the cursor relay.

`params-update` goes to the subscribers of `visualization:<id>` who may see it (one Query of the
topic, one post each) after the change is stored; a failure to send is logged and counted, never
fails the change. Who may subscribe is `may_subscribe`, the topic layer's guard for
`visualization:` (registered in services.py; `realtime/` knows no feature), with the routes' rule
(`Visualization.visible_to`); what is sent is filtered by the same rule, so a private one's
updates and cursors reach its owner's connections only. When a visualization is unshared or
deleted, `revoke` takes everyone who may no longer see it out of its topic and tells them
(`visualization-removed`).

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
from ..realtime.presence import Presence, initials
from ..realtime.registry import Viewer
from ..realtime.topics import Member, TopicStore, valid_topic
from .model import Visualization
from .validation import check_coordinate

log = logging.getLogger(__name__)

CURSORS_PER_SECOND = 20.0
CURSOR_BURST = 10.0
MEMBER_TTL_S = 2.0
# A connection not found in a cached member list triggers a re-read at most this often per topic.
MEMBER_REFRESH_S = 0.25
MAX_TRACKED = 10_000  # connections (buckets) and topics (member lists) kept in memory, LRU


TOPIC_PREFIX = "visualization:"
# Who may see what a topic carries: the visualization's `visible_to`, for a topic's sub.
Audience = Callable[[str], Callable[[str], bool]]


def topic_of(viz_id: str) -> str:
    return f"{TOPIC_PREFIX}{viz_id}"


def _find(get: Callable[[str], Visualization | None], viz_id: str) -> Visualization | None:
    """The visualization, without a read for an id that cannot be one (ids are 32 hex digits)."""
    if len(viz_id) == 32 and all(c in "0123456789abcdef" for c in viz_id):
        return get(viz_id)
    return None


def audience_of(get: Callable[[str], Visualization | None]) -> Audience:
    """topic → who (by sub) may receive and send on it: anyone on other topics (invoices are
    visible to every viewer); on `visualization:<id>`, those who may see it (none if it is gone)."""

    def audience(topic: str) -> Callable[[str], bool]:
        if not topic.startswith(TOPIC_PREFIX):
            return lambda _sub: True
        viz = _find(get, topic.removeprefix(TOPIC_PREFIX))
        return viz.visible_to if viz is not None else (lambda _sub: False)

    return audience


def subscribe_check(get: Callable[[str], Visualization | None]) -> Callable[[str, Viewer], bool]:
    """The guard of `visualization:<id>` (Presence.guard): the viewer may see it, by the routes'
    rule. A store failure raises StorageUnavailable, which the topic layer turns into a refusal."""

    def may_subscribe(viz_id: str, viewer: Viewer) -> bool:
        viz = _find(get, viz_id)
        return viz is not None and viz.visible_to(viewer.user_id)

    return may_subscribe


def removed_message(viz_id: str, reason: str) -> dict[str, Any]:
    """To a member who may no longer see it: `reason` is "unshared" or "deleted"."""
    return {"type": "visualization-removed", "data": {"visualizationId": viz_id, "reason": reason}}


def revoke(
    presence: Presence,
    endpoint: str | None,
    viz_id: str,
    still_sees: Callable[[str], bool],
    reason: str,
    failures: FailureCounter,
) -> int:
    """Take the members of the visualization's topic who may no longer see it (by sub) out of it
    and tell them; returns how many. A failure is logged and counted, never raised: the change is
    stored, and what is sent on the topic is filtered by visibility anyway."""
    topic = topic_of(viz_id)
    try:
        gone = [m.connection_id for m in presence.topics.members(topic) if not still_sees(m.sub)]
        if not gone:
            return 0
        result = presence.remove(endpoint, topic, gone, removed_message(viz_id, reason))
    except StorageUnavailable as exc:
        log.error("members of %s not removed after it was %s: %s", topic, reason, exc)
        failures.add("broadcast")
        return 0
    if result.failed or result.skipped:
        failures.add("broadcast")
    return len(gone)


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
        audience: Audience | None = None,
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
        self._audience = audience
        self._clock = clock
        self._members: OrderedDict[str, tuple[float, list[Member]]] = OrderedDict()
        self._warned: OrderedDict[str, None] = OrderedDict()
        self._lock = threading.Lock()
        self.stats = RelayStats()

    def register(self, actions: ActionTable) -> None:
        actions.action("cursor", connection=True)(self.cursor)

    # -- the member cache -------------------------------------------------------------------

    def _lookup(self, topic: str) -> list[Member]:
        """The topic's members who may see it: one Query (+ one GetItem of a visualization)."""
        members = self._topics.members(topic)
        if self._audience is not None:
            allowed = self._audience(topic)
            members = [m for m in members if allowed(m.sub)]
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
        # The rate first: junk counts too, so no message of any shape buys more than 20 posts a second.
        if not self._buckets.take(caller.connection_id):
            return self._dropped(caller.connection_id)
        topic = payload.get("topic")
        if not valid_topic(topic):
            self.stats.refused += 1
            return messages.error('cursor: "topic" is a topic you subscribed to, e.g. "visualization:<id>"')
        try:
            x, y = check_coordinate("x", payload.get("x")), check_coordinate("y", payload.get("y"))
        except AppError as exc:
            self.stats.refused += 1
            return messages.error(f"cursor: {exc.message.removeprefix('parameter ')}")
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
    topics: TopicStore,
    broadcaster: Broadcaster,
    endpoint: str | None,
    viz: Visualization,
    by: dict[str, str],
    failures: FailureCounter,
) -> BroadcastResult | None:
    """Send `params-update` to the subscribers of the visualization's topic who may see it (a
    private one: its owner's connections); a failure is logged and counted, never raised."""
    message = params_update(viz.id, viz.parameters, viz.version, by)
    try:
        members = topics.members(topic_of(viz.id))
        result = broadcaster.send_to(
            endpoint, [m.connection_id for m in members if viz.visible_to(m.sub)], message
        )
    except StorageUnavailable as exc:
        log.error("params-update of %s not sent: %s", viz.id, exc)
        failures.add("broadcast")
        return None
    if result.failed or result.skipped:
        failures.add("broadcast")
    return result

"""Topics over the WebSocket: subscribe, unsubscribe, focus, and who is looking (`presence`).

`{"action": "subscribe"|"unsubscribe", "topic": "invoice:<id>"|"visualization:<id>"}` and
`{"action": "focus", "topic", "field"}` (a field name or null) change a topic's membership; each
change sends `{"type": "presence", "topic", "viewers": [{sub, name, initials, editing}]}` to the
topic's subscribers, as do `$disconnect` and a 410 found while sending (the broadcaster's gone
listeners). These actions are rate-limited per connection, with the counter in the connection's
record (DynamoDB), since several Lambda instances serve one socket. Features publish to a
topic's subscribers with `publish` (one query of the topic, one post per subscriber).

Access: this module knows no feature, so a feature whose topics are not for everyone registers a
check for its prefix (`guard("visualization:", check)`, in the composition root); `subscribe`
asks it before joining. A refusal is one error frame whatever the reason (no existence leak), and
a check that cannot answer (its store down) refuses too. `focus` and a feature's own actions need
the membership, so the check at `subscribe` covers them. `remove` takes members out of a topic
when they may no longer see it, telling them why.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from ..core.errors import StorageUnavailable
from ..core.limits import WS_PRESENCE_ACTIONS_PER_WINDOW, WS_PRESENCE_WINDOW_SECONDS
from . import messages
from .actions import ActionTable, Caller, Reply
from .broadcaster import Broadcaster, BroadcastResult
from .registry import ConnectionRegistry, RateLimited, Viewer
from .topics import MAX_FIELD, Member, TooManyTopics, TopicStore, valid_topic

log = logging.getLogger(__name__)

# (the topic's id after the prefix, the connection's viewer) → may subscribe; may raise
# StorageUnavailable (then the subscription is refused: fail closed).
TopicCheck = Callable[[str, Viewer], bool]

TOPIC_HINT = (
    'a topic is "invoices", "invoice:<id>" or "visualization:<id>" (id: letters, digits, _ or -, ≤ 64)'
)


def initials(name: str) -> str:
    """ "Ada Lovelace" → "AL", "ada.lovelace@example.com" → "AL", "ada" → "A"."""
    text = name.split("@", 1)[0]
    for sep in "._-+":
        text = text.replace(sep, " ")
    words = [w for w in text.split() if w[:1].isalnum()]
    return "".join(w[0] for w in words[:2]).upper() or "?"


def viewers(members: list[Member]) -> list[dict[str, Any]]:
    """One entry per person (two tabs of one viewer are one viewer), in the order they came."""
    out: dict[str, dict[str, Any]] = {}
    for m in members:
        key = m.sub or m.connection_id
        name = m.name or m.email or "anonymous"
        entry = out.setdefault(key, {"sub": m.sub, "name": name, "initials": initials(name), "editing": None})
        entry["editing"] = entry["editing"] or m.editing
    return list(out.values())


class Presence:
    def __init__(
        self,
        topics: TopicStore,
        registry: ConnectionRegistry,
        broadcaster: Broadcaster,
        *,
        actions_per_window: int = WS_PRESENCE_ACTIONS_PER_WINDOW,
        window_s: int = WS_PRESENCE_WINDOW_SECONDS,
        clock: Any = time.time,
    ) -> None:
        self.topics = topics
        self._registry = registry
        self._broadcaster = broadcaster
        self._limit = actions_per_window
        self._window_s = window_s
        self._clock = clock
        self._guards: dict[str, TopicCheck] = {}

    def guard(self, prefix: str, check: TopicCheck) -> None:
        """Subscribing to `<prefix><id>` needs `check(id, viewer)` to say yes."""
        self._guards[prefix] = check

    def _refusal(self, topic: str, viewer: Viewer) -> dict[str, Any] | None:
        """The error frame when a guard refuses `topic` to `viewer` (or cannot answer); else None."""
        for prefix, check in self._guards.items():
            if not topic.startswith(prefix):
                continue
            try:
                allowed = check(topic.removeprefix(prefix), viewer)
            except StorageUnavailable as exc:
                log.warning("subscribe to %s: access not checkable: %s", topic, exc)
                return messages.error(f"subscribe: {topic} cannot be checked now; try again")
            if not allowed:
                # One answer for "does not exist" and "not yours": nothing tells them apart.
                return messages.error(f"subscribe: no {topic} that you may see")
        return None

    def _guarded(self, topic: str) -> bool:
        return any(topic.startswith(prefix) for prefix in self._guards)

    def _leave_quietly(self, topic: str, connection_id: str) -> None:
        try:
            self.topics.leave(topic, connection_id)
        except StorageUnavailable as exc:
            # Left in the topic: what a feature sends there is filtered by its own rule anyway.
            log.error("subscribe to %s refused after joining, but not undone: %s", topic, exc)

    def register(self, actions: ActionTable) -> None:
        actions.action("subscribe", connection=True)(self.subscribe)
        actions.action("unsubscribe", connection=True)(self.unsubscribe)
        actions.action("focus", connection=True)(self.focus)
        self._broadcaster.on_gone(self.connections_gone)

    # -- actions ----------------------------------------------------------------------------

    def _checked(self, payload: dict[str, Any], caller: Caller) -> tuple[str, Any] | dict[str, Any]:
        """(topic, viewer) of a valid, allowed action; else the error frame to answer."""
        topic = payload.get("topic")
        if not valid_topic(topic):
            return messages.error(f"{payload.get('action')}: {TOPIC_HINT}")
        try:
            viewer = self._registry.count_action(
                caller.connection_id, now_s=self._clock(), limit=self._limit, window_s=self._window_s
            )
        except RateLimited as exc:
            return messages.error(str(exc))
        if viewer is None:
            return messages.error("unknown connection; reconnect")
        return topic, viewer

    def subscribe(self, payload: dict[str, Any], caller: Caller) -> Reply:
        checked = self._checked(payload, caller)
        if isinstance(checked, dict):
            return checked
        topic, viewer = checked
        refusal = self._refusal(topic, viewer)
        if refusal is not None:
            return refusal
        member = Member(caller.connection_id, viewer.user_id, viewer.name, viewer.email)
        try:
            self.topics.join(topic, member, now_s=int(self._clock()))
        except TooManyTopics as exc:
            return messages.error(str(exc))
        if self._guarded(topic):
            # Checked again once joined: a revocation whose member read missed this join stored
            # its change before that read, so this read sees it (both are strongly consistent).
            refusal = self._refusal(topic, viewer)
            if refusal is not None:
                self._leave_quietly(topic, caller.connection_id)
                return refusal
        self.announce(caller.endpoint, topic)  # the new subscriber gets it too: the acknowledgement
        return None

    def unsubscribe(self, payload: dict[str, Any], caller: Caller) -> Reply:
        checked = self._checked(payload, caller)
        if isinstance(checked, dict):
            return checked
        topic, _viewer = checked
        if self.topics.leave(topic, caller.connection_id):
            self.announce(caller.endpoint, topic)
        return None

    def focus(self, payload: dict[str, Any], caller: Caller) -> Reply:
        field = payload.get("field")
        if field is None:
            return self._clear_focus(payload, caller)
        if not isinstance(field, str) or not 0 < len(field) <= MAX_FIELD:
            return messages.error(f'focus: "field" is a field name (≤ {MAX_FIELD} characters) or null')
        checked = self._checked(payload, caller)
        if isinstance(checked, dict):
            return checked
        topic, _viewer = checked
        if not self.topics.focus(topic, caller.connection_id, field):
            return messages.error(f"focus: subscribe to {topic} first")
        self.announce(caller.endpoint, topic)
        return None

    def _clear_focus(self, payload: dict[str, Any], caller: Caller) -> Reply:
        """Not rate-limited, so a reviewer who typed fast is never left "editing": only a clear
        that releases a held field announces, so repeating it cannot flood the topic."""
        topic = payload.get("topic")
        if not valid_topic(topic):
            return messages.error(f"focus: {TOPIC_HINT}")
        if self.topics.clear_focus(topic, caller.connection_id):
            self.announce(caller.endpoint, topic)
        return None

    # -- fan-out ----------------------------------------------------------------------------

    def announce(self, endpoint: str | None, topic: str) -> BroadcastResult:
        """Send the topic's presence to its subscribers (a 410 among them announces again)."""
        members = self.topics.members(topic)
        return self._broadcaster.send_to(
            endpoint, [m.connection_id for m in members], messages.presence(topic, viewers(members))
        )

    def publish(self, endpoint: str | None, topic: str, message: dict[str, Any]) -> BroadcastResult:
        """`message` to the subscribers of `topic`: one query, one post each."""
        members = self.topics.members(topic)
        return self._broadcaster.send_to(endpoint, [m.connection_id for m in members], message)

    def remove(
        self, endpoint: str | None, topic: str, connection_ids: list[str], message: dict[str, Any]
    ) -> BroadcastResult:
        """Take these connections out of `topic`, send them `message` (why), announce the rest."""
        removed = [cid for cid in connection_ids if self.topics.leave(topic, cid)]
        result = self._broadcaster.send_to(endpoint, removed, message)
        if removed:
            self.announce(endpoint, topic)
        return result

    def connections_gone(self, endpoint: str | None, connection_ids: list[str]) -> None:
        """The broadcaster's gone listener: drop the memberships, announce the topics they left."""
        left: set[str] = set()
        for connection_id in connection_ids:
            left.update(self.topics.remove_connection(connection_id))
        for topic in sorted(left):
            self.announce(endpoint, topic)

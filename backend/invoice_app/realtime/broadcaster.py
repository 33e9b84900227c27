"""Fan one message out to every registered connection with bounded parallelism.

The message is encoded (and its hash for the signature computed) once, the credentials are frozen
once per broadcast, and the posts share one keep-alive connection pool (`transport.ManagementApi`).
A connection that is gone (410) is removed from the registry; every other failure is counted,
never raised. Throttled and 5xx posts are retried with backoff; the retries are counted too.
"""

from __future__ import annotations

import enum
import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from ..core.aws import AwsClients
from ..core.errors import StorageUnavailable
from .registry import ConnectionRegistry, Target
from .transport import (
    MAX_MESSAGE_BYTES,
    ConnectionGone,
    ManagementApi,
    MessageTooLarge,
    RetryPolicy,
    SendFailed,
    encode_message,
)

if TYPE_CHECKING:
    from .sender import Batch

__all__ = ["MAX_MESSAGE_BYTES", "BroadcastResult", "Broadcaster", "Outcome"]

log = logging.getLogger(__name__)


class Outcome(enum.Enum):
    SENT = "sent"
    GONE = "gone"
    FAILED = "failed"
    EXPIRED = "expired"  # the viewer's token expired: nothing sent, the connection closed


@dataclass
class BroadcastResult:
    connections: int = 0
    sent: int = 0
    gone: int = 0
    failed: int = 0
    expired: int = 0
    retries: int = 0  # posts repeated after a 429, a 5xx or a connection error
    skipped: bool = False  # nothing was sent (no endpoint, or the message is too large)
    gone_ids: list[str] = field(default_factory=list, repr=False)  # the connections found gone

    def count(self, outcome: Outcome) -> None:
        setattr(self, outcome.value, getattr(self, outcome.value) + 1)

    def to_json(self) -> dict[str, Any]:
        body = asdict(self)
        del body["gone_ids"]
        return body


# Told which connections are gone (410, $disconnect, an expired token): (endpoint, connection ids).
GoneListener = Callable[[str | None, list[str]], None]


class Broadcaster:
    def __init__(
        self,
        registry: ConnectionRegistry,
        clients: AwsClients,
        *,
        workers: int = 32,
        retry: RetryPolicy | None = None,
        api: ManagementApi | None = None,
    ) -> None:
        self._registry = registry
        self._api = api or ManagementApi(clients, pool_size=workers, retry=retry)
        self._workers = workers
        self._pool: ThreadPoolExecutor | None = None
        self._pool_lock = threading.Lock()
        self._gone_listeners: list[GoneListener] = []

    def on_gone(self, listener: GoneListener) -> None:
        """Call `listener` after connections turned out gone (topics drop their memberships)."""
        self._gone_listeners.append(listener)

    def notify_gone(self, endpoint: str | None, connection_ids: list[str]) -> None:
        """Tell the listeners; called on the caller's thread, after a fan-out, never inside one."""
        if not connection_ids:
            return
        for listener in self._gone_listeners:
            try:
                listener(endpoint, connection_ids)
            except StorageUnavailable as exc:
                log.warning("cleaning up after gone connections %s failed: %s", connection_ids, exc)

    def _executor(self) -> ThreadPoolExecutor:
        # Kept for the life of the process: a warm Lambda reuses its threads.
        with self._pool_lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(self._workers, thread_name_prefix="broadcast")
            return self._pool

    def send(self, endpoint: str, connection_id: str, message: dict[str, Any]) -> None:
        """One message to one connection; raises ConnectionGone, SendFailed or MessageTooLarge."""
        self._api.post(endpoint, connection_id, encode_message(message))

    def forget(self, connection_id: str, endpoint: str | None = None) -> None:
        """Delete a gone connection's record and tell the listeners (TTL removes what fails)."""
        self._forget_record(connection_id)
        self.notify_gone(endpoint, [connection_id])

    def _forget_record(self, connection_id: str) -> None:
        try:
            self._registry.remove(connection_id)
            log.info("connection %s is gone; record deleted", connection_id)
        except StorageUnavailable as exc:
            log.warning("could not delete stale connection %s: %s", connection_id, exc)

    def _close_expired(self, batch: Batch, connection_id: str) -> Outcome:
        """API Gateway checks a token only at $connect; past its expiry the viewer gets nothing."""
        try:
            batch.close(connection_id)
        except SendFailed as exc:
            log.warning("closing expired connection %s failed: %s", connection_id, exc)
        self._forget_record(connection_id)
        return Outcome.EXPIRED

    def _deliver(self, batch: Batch, target: Target, data: bytes, now_s: float) -> tuple[Outcome, int]:
        """(outcome, retries) of one post."""
        if target.expired(now_s):
            return self._close_expired(batch, target.connection_id), 0
        connection_id = target.connection_id
        try:
            return Outcome.SENT, batch.post(connection_id, data)
        except ConnectionGone:
            self._forget_record(connection_id)
            return Outcome.GONE, 0
        except SendFailed as exc:
            log.warning("post to %s failed: %s", connection_id, exc)
            return Outcome.FAILED, exc.retries

    def broadcast(self, endpoint: str | None, message: dict[str, Any]) -> BroadcastResult:
        """Send `message` to every registered connection. Raises only if the registry is unreadable."""
        return self._fan_out(endpoint, message, self._registry.iter_targets(), "broadcast")

    def send_to(
        self, endpoint: str | None, connection_ids: Iterable[str], message: dict[str, Any]
    ) -> BroadcastResult:
        """Send `message` to these connections only (a topic's subscribers): O(len(connection_ids)).

        410s are handled as in a broadcast (record deleted, gone listeners told afterwards).
        """
        ids = list(dict.fromkeys(connection_ids))
        return self._fan_out(endpoint, message, iter([[Target(c) for c in ids]] if ids else []), "send")

    def _fan_out(
        self, endpoint: str | None, message: dict[str, Any], pages: Iterator[list[Target]], what: str
    ) -> BroadcastResult:
        result = BroadcastResult()
        if not endpoint:
            log.error("no WebSocket management endpoint (set WS_ENDPOINT); %s skipped", what)
            result.skipped = True
            return result
        try:
            data = encode_message(message)
        except MessageTooLarge as exc:
            log.error("%s skipped: %s", what, exc)
            result.skipped = True
            return result
        started = time.perf_counter()
        try:
            batch = self._api.batch(endpoint)
        except SendFailed as exc:
            log.error("%s skipped: %s", what, exc)
            result.skipped = True
            return result
        pool = self._executor()
        now_s = time.time()
        gone: list[str] = []
        for targets in pages:
            result.connections += len(targets)
            outcomes = pool.map(lambda t: self._deliver(batch, t, data, now_s), targets)
            for target, (outcome, retries) in zip(targets, outcomes, strict=True):
                result.count(outcome)
                result.retries += retries
                if outcome in (Outcome.GONE, Outcome.EXPIRED):
                    gone.append(target.connection_id)
        log.info(
            "%s of %s to %d connections in %.0f ms: %d sent, %d gone, %d failed, %d expired, %d retries",
            what,
            message.get("type"),
            result.connections,
            (time.perf_counter() - started) * 1000,
            result.sent,
            result.gone,
            result.failed,
            result.expired,
            result.retries,
        )
        result.gone_ids = gone
        self.notify_gone(endpoint, gone)
        return result

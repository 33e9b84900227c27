"""Fan one message out to every registered connection with bounded parallelism.

The message is encoded (and its hash for the signature computed) once, the credentials are frozen
once per broadcast, and the posts share one keep-alive connection pool (`transport.ManagementApi`).
A connection that is gone (410) is removed from the registry; every other failure is counted,
never raised. Throttled and 5xx posts are retried with backoff; the retries are counted too.

Past `shard_size` connections (and with a queue, `use_shards`), a broadcast or a topic send is not
posted from here: it is cut into shards, one SQS message each (`realtime/shards.py`), and the
invocations that consume them post with `deliver_shard`.
"""

from __future__ import annotations

import enum
import itertools
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
    from .shards import Shard, ShardClaim, ShardQueue

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
    coalesced: bool = False  # not sent: too soon after the last broadcast (superseded, counted)
    shards: int = 0  # SQS messages the connections were handed to (sharded fan-out)
    queued: int = 0  # connections in those shards (their posts are counted by the consumers)
    broadcast_id: str | None = None  # of a sharded fan-out
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
        self._queue: ShardQueue | None = None
        self.shard_size = 0  # 0: never shard

    def use_shards(self, queue: ShardQueue, shard_size: int) -> None:
        """Hand audiences larger than `shard_size` to `queue`, one message per shard."""
        self._queue = queue
        self.shard_size = shard_size

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
        return self._dispatch(endpoint, message, self._registry.iter_targets(), "broadcast")

    def send_to(
        self, endpoint: str | None, connection_ids: Iterable[str], message: dict[str, Any]
    ) -> BroadcastResult:
        """Send `message` to these connections only (a topic's subscribers): O(len(connection_ids)).

        410s are handled as in a broadcast (record deleted, gone listeners told afterwards); a
        large topic takes the shard path like a broadcast.
        """
        ids = list(dict.fromkeys(connection_ids))
        return self._dispatch(endpoint, message, iter([[Target(c) for c in ids]] if ids else []), "send")

    def _dispatch(
        self, endpoint: str | None, message: dict[str, Any], pages: Iterator[list[Target]], what: str
    ) -> BroadcastResult:
        """Post from here, or (past `shard_size` connections, with a queue) enqueue shards."""
        if self._queue is None or not endpoint:
            return self._fan_out(endpoint, message, pages, what)
        # Read ahead up to one shard: a small audience is posted to at once, no queue involved.
        head: list[Target] = []
        for page in pages:
            head.extend(page)
            if len(head) > self.shard_size:
                return self._enqueue(endpoint, message, itertools.chain([head], pages), what)
        return self._fan_out(endpoint, message, iter([head] if head else []), what)

    def _enqueue(
        self, endpoint: str, message: dict[str, Any], pages: Iterator[list[Target]], what: str
    ) -> BroadcastResult:
        from .shards import new_broadcast_id, payload_fits, shards_of

        result = BroadcastResult(broadcast_id=new_broadcast_id())
        try:
            payload = encode_message(message).decode()
        except MessageTooLarge as exc:
            log.error("%s skipped: %s", what, exc)
            result.skipped = True
            return result
        if not payload_fits(payload):  # escaped into the body, it may outgrow SQS's 256 KB
            log.error("%s skipped: its payload does not fit an SQS message once escaped", what)
            result.skipped = True
            return result
        assert self._queue is not None
        started = time.perf_counter()
        counted: list[Shard] = []

        def counting(shards: Iterator[Shard]) -> Iterator[Shard]:
            for shard in shards:
                counted.append(shard)
                yield shard

        shards = shards_of(
            pages,
            broadcast_id=result.broadcast_id or "",
            endpoint=endpoint,
            payload=payload,
            shard_size=self.shard_size,
            what=what,
        )
        sent, unsent = self._queue.send(counting(shards))
        result.shards = sent
        result.connections = sum(len(s.targets) for s in counted)
        result.failed = sum(len(s.targets) for s in unsent)
        result.queued = result.connections - result.failed
        log.log(
            logging.ERROR if unsent else logging.INFO,
            "%s %s of %s to %d connections: %d shards queued in %.0f ms, %d shards (%d connections) not",
            what,
            result.broadcast_id,
            message.get("type"),
            result.connections,
            sent,
            (time.perf_counter() - started) * 1000,
            len(unsent),
            result.failed,
        )
        return result

    def deliver_shard(
        self, shard: Shard, claim: ShardClaim, *, chunk: int = 256, deadline: Callable[[], bool] | None = None
    ) -> tuple[BroadcastResult, bool]:
        """Post a shard's payload to its connections not claimed before; (counts, complete).

        Each chunk of ids is claimed in the ledger before its posts start, and the ids whose post
        failed are released afterwards: a redrive sends to those and to what was never reached.
        `deadline()` true: stop before the next chunk (the function is about to time out).
        """
        todo = [t for t in shard.targets if t.connection_id not in claim.claimed]
        skipped = len(shard.targets) - len(todo)
        chunks = [todo[i : i + chunk] for i in range(0, len(todo), chunk)]
        stopped = False

        def pages() -> Iterator[list[Target]]:
            nonlocal stopped
            for part in chunks:
                if deadline is not None and deadline():
                    stopped = True
                    return
                claim.claim([t.connection_id for t in part])
                yield part

        def released(targets: list[Target], outcomes: list[Outcome]) -> None:
            claim.release(
                [t.connection_id for t, o in zip(targets, outcomes, strict=True) if o is Outcome.FAILED]
            )

        result = self._fan_out(
            shard.endpoint,
            None,
            pages(),
            f"shard {shard.key}",
            data=shard.payload.encode(),
            after_page=released,
        )
        if skipped:
            log.info("shard %s: %d connections already reached by an earlier attempt", shard.key, skipped)
        complete = not stopped and not result.failed and not result.skipped
        if complete:
            claim.finish()
        else:
            claim.let_go()
        return result, complete

    def _fan_out(
        self,
        endpoint: str | None,
        message: dict[str, Any] | None,
        pages: Iterator[list[Target]],
        what: str,
        *,
        data: bytes | None = None,
        after_page: Callable[[list[Target], list[Outcome]], None] | None = None,
    ) -> BroadcastResult:
        result = BroadcastResult()
        if not endpoint:
            log.error("no WebSocket management endpoint (set WS_ENDPOINT); %s skipped", what)
            result.skipped = True
            return result
        if data is None:
            try:
                data = encode_message(message or {})
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
        body = data
        try:
            for targets in pages:
                result.connections += len(targets)
                outcomes = list(pool.map(lambda t: self._deliver(batch, t, body, now_s), targets))
                for target, (outcome, retries) in zip(targets, outcomes, strict=True):
                    result.count(outcome)
                    result.retries += retries
                    if outcome in (Outcome.GONE, Outcome.EXPIRED):
                        gone.append(target.connection_id)
                if after_page is not None:
                    after_page(targets, [o for o, _ in outcomes])
        finally:
            kind = message.get("type") if message else "payload"
            log.info(
                "%s of %s to %d connections in %.0f ms: %d sent, %d gone, %d failed, %d expired, %d retries",
                what,
                kind,
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

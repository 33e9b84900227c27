"""Sharded fan-out: a broadcast too large for one invocation, as one SQS message per shard.

The invocation that computed the message reads the connection table page by page and sends one
message per `shard_size` connections (`SendMessageBatch`, ten at a time). Each message carries the
encoded payload once and the shard's connection ids with their token expiry, not a page cursor:

- a cursor (a scan's `ExclusiveStartKey` plus a limit) would make every consumer scan again, and
  the pages it reads later are not the pages the producer saw (connections come and go): shards
  would overlap or leave gaps, and "which connections of this shard were reached" would not be
  well defined for a redrive;
- ids are small (API Gateway's are 16 characters): 2,000 of them are ~50 KB of JSON, which with
  the largest payload API Gateway accepts (128 KB, ~150 KB once escaped into the body) still fits
  SQS's 256 KB. A shard whose body would not fit is split in halves until it does.

The same entrypoint consumes the messages (`events/sqs.py`). A shard may be delivered twice (SQS
is at-least-once) or redriven after a partial failure, so each (broadcast id, shard) has a ledger
record in the idempotency table (`ShardLedger`): a lease (one consumer at a time), the connection
ids *claimed* before their posts start, and `done`. A redrive sends only to ids not claimed; a
post that failed is released again so the redrive retries it. Claiming before sending means a
connection gets at most one frame per broadcast: an invocation killed between a claim and its post
loses that frame (the next snapshot supersedes it) rather than ever sending one twice.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from ..core.dynamo import error_code, store_errors
from ..core.errors import StorageUnavailable
from .registry import Target

log = logging.getLogger(__name__)

# SQS: at most 256 KiB per message and per SendMessageBatch call, at most ten entries per call.
SQS_MAX_MESSAGE_BYTES = 256 * 1024
SQS_MAX_BATCH_ENTRIES = 10
SQS_MAX_DELAY_SECONDS = 900
SHARD_KIND = "broadcast-shard"
DUE_KIND = "broadcast-due"
_VERSION = 1
_LEDGER_PREFIX = "broadcast-shard#"


class MalformedMessage(ValueError):
    """A queue message this code did not write (or a version it does not know)."""


@dataclass(frozen=True)
class Shard:
    broadcast_id: str
    index: int
    endpoint: str
    payload: str  # the encoded WebSocket message, exactly the bytes every connection gets
    targets: tuple[Target, ...]
    what: str = "broadcast"  # or "send" (a topic's subscribers)

    def body(self) -> str:
        return json.dumps(
            {
                "v": _VERSION,
                "kind": SHARD_KIND,
                "broadcastId": self.broadcast_id,
                "shard": self.index,
                "what": self.what,
                "endpoint": self.endpoint,
                "payload": self.payload,
                "targets": [[t.connection_id, t.token_expires_at] for t in self.targets],
            },
            separators=(",", ":"),
            ensure_ascii=False,
        )

    @property
    def key(self) -> str:
        return f"{self.broadcast_id}#{self.index}"


@dataclass(frozen=True)
class Due:
    """A broadcast that was coalesced away: run a fresh one at `due_ms` (see realtime/pacing.py)."""

    topic: str  # what to broadcast again ("metrics")
    since_ms: int  # when the skipped update happened: a broadcast started after it supersedes it
    due_ms: int

    def body(self) -> str:
        return json.dumps(
            {
                "v": _VERSION,
                "kind": DUE_KIND,
                "topic": self.topic,
                "sinceMs": self.since_ms,
                "dueMs": self.due_ms,
            },
            separators=(",", ":"),
        )


def _int(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise MalformedMessage(f"{name} is not a non-negative integer")
    return value


def _str(value: Any, name: str, max_len: int = 2048) -> str:
    if not isinstance(value, str) or not value or len(value) > max_len:
        raise MalformedMessage(f"{name} is not a non-empty string")
    return value


def decode_message(body: Any) -> Shard | Due:
    """A queue message's body → Shard or Due; MalformedMessage for anything else."""
    from ..core.safe_json import InvalidJson, loads

    if not isinstance(body, str):
        raise MalformedMessage("the body is not a string")
    try:
        doc = loads(body, max_bytes=SQS_MAX_MESSAGE_BYTES, max_depth=4, what="the message")
    except InvalidJson as exc:
        raise MalformedMessage(str(exc)) from exc
    if not isinstance(doc, dict) or doc.get("v") != _VERSION:
        raise MalformedMessage("not a broadcast message of version 1")
    if doc.get("kind") == DUE_KIND:
        return Due(
            _str(doc.get("topic"), "topic", 64),
            _int(doc.get("sinceMs"), "sinceMs"),
            _int(doc.get("dueMs"), "dueMs"),
        )
    if doc.get("kind") != SHARD_KIND:
        raise MalformedMessage(f"unknown kind {doc.get('kind')!r}")
    raw_targets = doc.get("targets")
    if not isinstance(raw_targets, list) or not raw_targets:
        raise MalformedMessage("targets is not a non-empty list")
    targets = []
    for entry in raw_targets:
        if not (isinstance(entry, list) and len(entry) == 2):
            raise MalformedMessage("a target is not [connectionId, tokenExp]")
        exp = entry[1]
        if exp is not None:
            exp = _int(exp, "tokenExp")
        targets.append(Target(_str(entry[0], "connectionId", 256), exp))
    what = doc.get("what")
    if what not in ("broadcast", "send"):
        raise MalformedMessage("what is neither broadcast nor send")
    return Shard(
        broadcast_id=_str(doc.get("broadcastId"), "broadcastId", 64),
        index=_int(doc.get("shard"), "shard"),
        endpoint=_str(doc.get("endpoint"), "endpoint"),
        payload=_str(doc.get("payload"), "payload", 4 * SQS_MAX_MESSAGE_BYTES),
        targets=tuple(targets),
        what=what,
    )


def new_broadcast_id() -> str:
    return uuid.uuid4().hex[:16]


def fit(shard: Shard) -> list[Shard]:
    """`shard`, split in halves until every body fits one SQS message (indexes renumbered later)."""
    if len(shard.body().encode()) <= SQS_MAX_MESSAGE_BYTES:
        return [shard]
    if len(shard.targets) == 1:
        raise ValueError("the payload alone does not fit an SQS message")
    half = len(shard.targets) // 2
    return [
        *fit(Shard(shard.broadcast_id, 0, shard.endpoint, shard.payload, shard.targets[:half], shard.what)),
        *fit(Shard(shard.broadcast_id, 0, shard.endpoint, shard.payload, shard.targets[half:], shard.what)),
    ]


def shards_of(
    pages: Iterable[list[Target]],
    *,
    broadcast_id: str,
    endpoint: str,
    payload: str,
    shard_size: int,
    what: str = "broadcast",
) -> Iterator[Shard]:
    """The connections of `pages` cut into shards of at most `shard_size`, numbered from 0."""
    index = 0
    pending: list[Target] = []

    def emit(chunk: list[Target]) -> Iterator[Shard]:
        nonlocal index
        for piece in fit(Shard(broadcast_id, 0, endpoint, payload, tuple(chunk), what)):
            yield Shard(broadcast_id, index, endpoint, payload, piece.targets, what)
            index += 1

    for page in pages:
        pending.extend(page)
        while len(pending) >= shard_size:
            chunk, pending = pending[:shard_size], pending[shard_size:]
            yield from emit(chunk)
    if pending:
        yield from emit(pending)


def payload_fits(payload: str) -> bool:
    """Whether a shard of one connection with this payload fits an SQS message at all."""
    probe = Shard("0" * 16, 0, "https://" + "x" * 200, payload, (Target("x" * 64, 4102444800),))
    return len(probe.body().encode()) <= SQS_MAX_MESSAGE_BYTES


class ShardQueue:
    """The broadcast queue: shards out (`SendMessageBatch`), due broadcasts scheduled (a delay).

    `client`: an SQS client, or a function returning one (built on the first large broadcast,
    not when the broadcaster is: a cold `$connect` does not pay for SQS's service model).
    """

    def __init__(self, client: Any, queue_url: str, attempts: int = 3) -> None:
        self._client_or_factory = client
        self.queue_url = queue_url
        self._attempts = attempts

    @property
    def _client(self) -> Any:
        client = self._client_or_factory
        if callable(client) and not hasattr(client, "send_message"):
            client = self._client_or_factory = client()
        return client

    def send(self, shards: Iterable[Shard]) -> tuple[int, list[Shard]]:
        """Enqueue every shard; (shards sent, shards that could not be sent after the retries)."""
        sent = 0
        failed: list[Shard] = []
        batch: list[tuple[Shard, str]] = []
        batch_bytes = 0
        for shard in shards:
            body = shard.body()
            size = len(body.encode())
            if batch and (len(batch) == SQS_MAX_BATCH_ENTRIES or batch_bytes + size > SQS_MAX_MESSAGE_BYTES):
                ok, bad = self._send_batch(batch)
                sent, failed = sent + ok, failed + bad
                batch, batch_bytes = [], 0
            batch.append((shard, body))
            batch_bytes += size
        if batch:
            ok, bad = self._send_batch(batch)
            sent, failed = sent + ok, failed + bad
        return sent, failed

    def _send_batch(self, batch: list[tuple[Shard, str]]) -> tuple[int, list[Shard]]:
        pending = {str(i): entry for i, entry in enumerate(batch)}
        sent = 0
        for attempt in range(self._attempts):
            if attempt:
                time.sleep(0.05 * 2**attempt)
            try:
                answer = self._client.send_message_batch(
                    QueueUrl=self.queue_url,
                    Entries=[{"Id": i, "MessageBody": body} for i, (_, body) in pending.items()],
                )
            except (ClientError, BotoCoreError) as exc:
                log.warning("sending %d shards failed (attempt %d): %s", len(pending), attempt + 1, exc)
                continue
            sent += len(answer.get("Successful") or [])
            failed_ids = {f["Id"] for f in answer.get("Failed") or []}
            for failure in answer.get("Failed") or []:
                if failure.get("SenderFault"):  # a malformed entry: a retry cannot help
                    log.error("shard refused by SQS: %s", failure.get("Message"))
            pending = {i: e for i, e in pending.items() if i in failed_ids}
            if not pending:
                break
        return sent, [shard for shard, _ in pending.values()]

    def schedule(self, due: Due, now_ms: int) -> None:
        """Send a due broadcast, delayed by the whole seconds until `due.due_ms` (SQS delays are whole
        seconds, up to 15 minutes): rounded down, so it arrives within the second before the slot
        and the consumer waits the rest (`metrics/live.py`), instead of up to a second late."""
        delay = min(SQS_MAX_DELAY_SECONDS, max(0, (due.due_ms - now_ms) // 1000))
        with store_errors("the broadcast queue is unavailable", "scheduling a coalesced broadcast"):
            self._client.send_message(QueueUrl=self.queue_url, MessageBody=due.body(), DelaySeconds=delay)


class LeaseHeld(Exception):
    """Another consumer is working on this shard right now (a duplicate delivery)."""


@dataclass
class ShardClaim:
    """One consumer's hold on one shard's ledger record."""

    ledger: ShardLedger
    pk: str
    owner: str
    claimed: frozenset[str]  # ids claimed by earlier attempts: never posted to again
    done: bool

    def claim(self, connection_ids: list[str]) -> None:
        """Mark these ids as reached *before* posting to them (at most one frame each)."""
        if connection_ids:
            self.ledger._update(self, "ADD claimed :ids", {":ids": {"SS": connection_ids}})

    def release(self, connection_ids: list[str]) -> None:
        """Posts that failed: unclaim them, so the redrive of this shard tries them again."""
        if connection_ids:
            self.ledger._update(self, "DELETE claimed :ids", {":ids": {"SS": connection_ids}})

    def let_go(self) -> None:
        """End this attempt without finishing: the redrive may take the lease at once."""
        self.ledger._update(self, "REMOVE leaseOwner, leaseUntil", {})

    def finish(self) -> None:
        self.ledger._update(self, "SET done = :t REMOVE leaseOwner, leaseUntil", {":t": {"BOOL": True}})


class ShardLedger:
    """Per-shard delivery records (`broadcast-shard#<broadcast id>#<shard>`) in the idempotency table.

    Failed AWS calls raise `StorageUnavailable` (the shard is then reported failed and redriven).
    """

    UNAVAILABLE = "the broadcast ledger is unavailable"

    def __init__(
        self,
        client: Any,
        table: str,
        *,
        ttl_seconds: int = 86_400,
        lease_seconds: int = 60,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._client = client
        self.table = table
        self._ttl = ttl_seconds
        self._lease = lease_seconds
        self._clock = clock

    def acquire(self, shard: Shard, owner: str) -> ShardClaim:
        """Take the shard's lease: a claim with what earlier attempts reached; LeaseHeld if busy."""
        pk = _LEDGER_PREFIX + shard.key
        now = int(self._clock())
        with store_errors(self.UNAVAILABLE, f"leasing shard {shard.key}"):
            try:
                answer = self._client.update_item(
                    TableName=self.table,
                    Key={"pk": {"S": pk}},
                    UpdateExpression="SET leaseOwner = :me, leaseUntil = :until, "
                    "expires = if_not_exists(expires, :exp)",
                    ConditionExpression="attribute_not_exists(pk) OR (attribute_not_exists(done) AND "
                    "(attribute_not_exists(leaseUntil) OR leaseUntil < :now OR leaseOwner = :me))",
                    ExpressionAttributeValues={
                        ":me": {"S": owner},
                        ":until": {"N": str(now + self._lease)},
                        ":now": {"N": str(now)},
                        ":exp": {"N": str(now + self._ttl)},
                    },
                    ReturnValues="ALL_NEW",
                )
            except ClientError as exc:
                if error_code(exc) != "ConditionalCheckFailedException":
                    raise
                item = self._client.get_item(TableName=self.table, Key={"pk": {"S": pk}}, ConsistentRead=True)
                attrs = item.get("Item") or {}
                if attrs.get("done", {}).get("BOOL"):
                    return ShardClaim(
                        self, pk, owner, frozenset(attrs.get("claimed", {}).get("SS", [])), True
                    )
                raise LeaseHeld(f"shard {shard.key} is leased by another consumer") from exc
        attrs = answer.get("Attributes") or {}
        return ShardClaim(self, pk, owner, frozenset(attrs.get("claimed", {}).get("SS", [])), False)

    def _update(self, claim: ShardClaim, expression: str, values: dict[str, Any]) -> None:
        with store_errors(self.UNAVAILABLE, f"updating {claim.pk}"):
            try:
                self._client.update_item(
                    TableName=self.table,
                    Key={"pk": {"S": claim.pk}},
                    UpdateExpression=expression,
                    ConditionExpression="leaseOwner = :me",
                    ExpressionAttributeValues={**values, ":me": {"S": claim.owner}},
                )
            except ClientError as exc:
                if error_code(exc) == "ConditionalCheckFailedException":
                    # Our lease ran out and someone else holds the shard: stop, do not post.
                    raise LeaseHeld(f"lost the lease of {claim.pk}") from exc
                raise

    def record(self, shard: Shard) -> dict[str, Any]:
        """The ledger record of a shard as plain values (tests, diagnosis)."""
        with store_errors(self.UNAVAILABLE, f"reading the ledger of {shard.key}"):
            item = (
                self._client.get_item(
                    TableName=self.table, Key={"pk": {"S": _LEDGER_PREFIX + shard.key}}, ConsistentRead=True
                ).get("Item")
                or {}
            )
        return {
            "claimed": set(item.get("claimed", {}).get("SS", [])),
            "done": bool(item.get("done", {}).get("BOOL")),
        }


__all__ = [
    "DUE_KIND",
    "SHARD_KIND",
    "SQS_MAX_MESSAGE_BYTES",
    "Due",
    "LeaseHeld",
    "MalformedMessage",
    "Shard",
    "ShardClaim",
    "ShardLedger",
    "ShardQueue",
    "StorageUnavailable",
    "decode_message",
    "new_broadcast_id",
    "shards_of",
]

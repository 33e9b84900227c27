"""Send messages to WebSocket clients through API Gateway's @connections management API.

One encoded payload is fanned out to every connection with bounded parallelism (boto3 clients
are thread-safe). 410 Gone means the client left without a clean close: its record is deleted.
Throttling (429 LimitExceededException) is retried by botocore's standard retry mode with
exponential backoff; what still fails is counted, never raised.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from ..aws import AwsClients
from ..dynamo import error_code, http_status
from .connections import ConnectionRegistry

log = logging.getLogger(__name__)

# API Gateway refuses WebSocket messages over 128 KB.
MAX_MESSAGE_BYTES = 128 * 1024

SENT, GONE, FAILED = "sent", "gone", "failed"


class MessageTooLarge(ValueError):
    pass


def encode_message(message: dict[str, Any]) -> bytes:
    data = json.dumps(message, separators=(",", ":"), allow_nan=False).encode()
    if len(data) > MAX_MESSAGE_BYTES:
        raise MessageTooLarge(f"message of {len(data)} bytes exceeds API Gateway's {MAX_MESSAGE_BYTES}")
    return data


@dataclass
class BroadcastResult:
    connections: int = 0
    sent: int = 0
    gone: int = 0
    failed: int = 0
    skipped: bool = False  # nothing was sent (no endpoint, or the message is too large)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


class Broadcaster:
    def __init__(
        self,
        registry: ConnectionRegistry,
        clients: AwsClients,
        *,
        workers: int = 32,
    ) -> None:
        self._registry = registry
        self._clients = clients
        self._workers = workers
        self._pool: ThreadPoolExecutor | None = None
        self._pool_lock = threading.Lock()

    def _executor(self) -> ThreadPoolExecutor:
        # Kept for the life of the process: a warm Lambda reuses its threads.
        with self._pool_lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(self._workers, thread_name_prefix="broadcast")
            return self._pool

    def post(self, endpoint: str, connection_id: str, data: bytes) -> str:
        """Deliver one message; returns SENT, GONE (record deleted) or FAILED."""
        client = self._clients.management_api(endpoint)
        try:
            client.post_to_connection(ConnectionId=connection_id, Data=data)
            return SENT
        except ClientError as exc:
            if error_code(exc) == "GoneException" or http_status(exc) == 410:
                self._forget(connection_id)
                return GONE
            log.warning("post to %s failed: %s", connection_id, exc)
            return FAILED
        except BotoCoreError as exc:  # connection refused, timeouts after retries
            log.warning("post to %s failed: %s", connection_id, exc)
            return FAILED

    def send(self, endpoint: str, connection_id: str, message: dict[str, Any]) -> str:
        return self.post(endpoint, connection_id, encode_message(message))

    def _forget(self, connection_id: str) -> None:
        try:
            self._registry.remove(connection_id)
            log.info("connection %s is gone; record deleted", connection_id)
        except ClientError as exc:
            log.warning("could not delete stale connection %s: %s", connection_id, exc)

    def broadcast(self, endpoint: str | None, message: dict[str, Any]) -> BroadcastResult:
        """Send `message` to every registered connection. Raises only if the registry is unreadable."""
        result = BroadcastResult()
        if not endpoint:
            log.error("no WebSocket management endpoint (set WS_ENDPOINT); broadcast skipped")
            result.skipped = True
            return result
        try:
            data = encode_message(message)
        except MessageTooLarge as exc:
            log.error("broadcast skipped: %s", exc)
            result.skipped = True
            return result
        started = time.perf_counter()
        pool = self._executor()
        for ids in self._registry.iter_pages():
            result.connections += len(ids)
            for outcome in pool.map(lambda cid: self.post(endpoint, cid, data), ids):
                setattr(result, outcome, getattr(result, outcome) + 1)
        log.info(
            "broadcast to %d connections in %.0f ms: %d sent, %d gone, %d failed",
            result.connections,
            (time.perf_counter() - started) * 1000,
            result.sent,
            result.gone,
            result.failed,
        )
        return result

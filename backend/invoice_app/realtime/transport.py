"""API Gateway's @connections management API: post one message to one connection.

`ManagementApi` keeps the interface the broadcaster and the WebSocket routes rely on: `post` and
`close` raise `ConnectionGone` for a 410 (the caller decides what to do with the stale record)
and `SendFailed` for anything else that still fails after the retries. The requests themselves
go through `sender.py` (botocore's SigV4 signer over a pooled urllib3 client), imported on the
first post so the cold start does not pay for it. Throttling (429 LimitExceededException), 5xx
and connection errors are retried with exponential backoff and full jitter (`RetryPolicy`).
"""

from __future__ import annotations

import json
import logging
import random
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..core.aws import AwsClients
from ..core.limits import WS_MAX_MESSAGE_BYTES

if TYPE_CHECKING:
    from .sender import Batch, Pools

log = logging.getLogger(__name__)

# API Gateway refuses WebSocket messages over 128 KB.
MAX_MESSAGE_BYTES = WS_MAX_MESSAGE_BYTES


class ConnectionGone(Exception):
    """The connection no longer exists (410): the client left without a clean close."""

    def __init__(self, connection_id: str) -> None:
        super().__init__(connection_id)
        self.connection_id = connection_id


class SendFailed(Exception):
    """A post that failed for another reason (after the retries); the record is kept."""

    def __init__(self, message: str, retries: int = 0) -> None:
        super().__init__(message)
        self.retries = retries


class MessageTooLarge(ValueError):
    pass


def encode_message(message: dict[str, Any]) -> bytes:
    data = json.dumps(message, separators=(",", ":"), allow_nan=False).encode()
    if len(data) > MAX_MESSAGE_BYTES:
        raise MessageTooLarge(f"message of {len(data)} bytes exceeds API Gateway's {MAX_MESSAGE_BYTES}")
    return data


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with full jitter: before retry n, sleep U(0, min(cap, base·2ⁿ⁻¹))."""

    attempts: int = 5  # in all, the first one included
    base_ms: float = 25.0
    cap_ms: float = 1000.0

    def delay_s(self, retry: int, rng: random.Random | None = None) -> float:
        ceiling = min(self.cap_ms, self.base_ms * 2 ** (retry - 1))
        return (rng or random).uniform(0.0, ceiling) / 1000


class ManagementApi:
    """Posts to the @connections API of WebSocket stages, signed with the session's credentials."""

    def __init__(
        self,
        clients: AwsClients,
        *,
        pool_size: int = 32,
        retry: RetryPolicy | None = None,
        connect_timeout: float = 3.0,
        read_timeout: float = 5.0,
    ) -> None:
        self._clients = clients
        self._pool_size = pool_size
        self.retry = retry or RetryPolicy()
        self._timeouts = (connect_timeout, read_timeout)
        self._pools: Pools | None = None
        self._lock = threading.Lock()

    def _connection_pools(self) -> Pools:
        if self._pools is None:
            with self._lock:
                if self._pools is None:
                    from .sender import Pools  # urllib3 and botocore's signer: first post only

                    self._pools = Pools(self._pool_size, *self._timeouts)
        return self._pools

    def batch(self, endpoint: str) -> Batch:
        """A sender for one broadcast: credentials are read (and frozen) once, here."""
        from .sender import Batch, region_of

        pools = self._connection_pools()
        credentials = self._clients.credentials()
        if credentials is None:
            raise SendFailed("no AWS credentials to sign @connections requests with")
        region = region_of(endpoint, self._clients.region)
        return Batch(endpoint, credentials.get_frozen_credentials(), region, pools, self.retry)

    def post(self, endpoint: str, connection_id: str, data: bytes) -> int:
        """Deliver one encoded message; returns the retries it took. ConnectionGone or SendFailed."""
        return self.batch(endpoint).post(connection_id, data)

    def close(self, endpoint: str, connection_id: str) -> None:
        """Close a connection (DELETE @connections/{id}); one already gone counts as closed."""
        self.batch(endpoint).close(connection_id)

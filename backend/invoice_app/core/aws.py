"""AWS clients, built lazily on first use and shared by every request of a warm Lambda.

boto3 is imported here (it is part of the cold-start baseline), but no client exists until a code
path needs one: building a client loads its service model, which costs tens of milliseconds.
The @connections API has no boto3 client here: `realtime/sender.py` signs its requests with the
session's credentials (`credentials()`) and sends them over its own connection pool.
Tests pass their own clients through `overrides`.
"""

from __future__ import annotations

import threading
from typing import Any

import boto3
from botocore.config import Config

# botocore's "standard" retry mode retries throttling (ProvisionedThroughputExceeded,
# LimitExceededException, 429) and transient 5xx with exponential backoff and jitter.
_RETRIES = {"mode": "standard", "max_attempts": 5}


class AwsClients:
    """One boto3 session, one client per service (plus one per @connections endpoint)."""

    def __init__(
        self,
        region: str,
        endpoint_url: str | None = None,
        *,
        pool_size: int = 32,
        session: boto3.Session | None = None,
        overrides: dict[str, Any] | None = None,
    ) -> None:
        self._region = region
        self._endpoint_url = endpoint_url
        self._pool_size = pool_size
        self._session = session
        self._clients: dict[str, Any] = dict(overrides or {})
        self._lock = threading.Lock()

    @property
    def region(self) -> str:
        return self._region

    def _own_session(self) -> boto3.Session:
        # Called under the lock. A session of our own: boto3's default session is not thread-safe.
        if self._session is None:
            self._session = boto3.Session(region_name=self._region)
        return self._session

    def credentials(self) -> Any:
        """The session's credentials (botocore `Credentials`, maybe refreshable), or None."""
        with self._lock:
            session = self._own_session()
        return session.get_credentials()

    def _build(self, key: str, service: str, endpoint_url: str | None, **config: Any) -> Any:
        """Create a client once per key; `config` adds botocore Config options (or replaces them)."""
        with self._lock:
            client = self._clients.get(key)
            if client is None:
                self._own_session()
                cfg = Config(**{"retries": _RETRIES, "max_pool_connections": self._pool_size, **config})
                kwargs: dict[str, Any] = {"config": cfg}
                if endpoint_url:
                    kwargs["endpoint_url"] = endpoint_url
                client = self._session.client(service, **kwargs)
                self._clients[key] = client
            return client

    def _get(self, key: str, service: str, endpoint_url: str | None = None, **config: Any) -> Any:
        client = self._clients.get(key)
        return client if client is not None else self._build(key, service, endpoint_url, **config)

    @property
    def dynamodb(self) -> Any:
        return self._get("dynamodb", "dynamodb", self._endpoint_url)

    @property
    def s3(self) -> Any:
        # SigV4 explicitly: botocore still signs presigned POSTs for us-east-1 with SigV2, which S3
        # refuses for buckets created after June 2020 (and in every region opened since 2014).
        return self._get(
            "s3", "s3", self._endpoint_url, s3={"addressing_style": "path"}, signature_version="s3v4"
        )

    def quick(self, service: str) -> Any:
        """A client for cheap checks (/api/health): one attempt, 1 s to connect, 2 s to answer,
        so a dependency that is down is reported at once instead of after the standard retries."""
        extra: dict[str, Any] = {"s3": {"addressing_style": "path"}, "signature_version": "s3v4"}
        return self._get(
            f"{service}-quick",
            service,
            self._endpoint_url,
            retries={"mode": "standard", "total_max_attempts": 1},
            connect_timeout=1,
            read_timeout=2,
            max_pool_connections=2,
            **(extra if service == "s3" else {}),
        )

    @property
    def textract(self) -> Any:
        return self._get("textract", "textract", self._endpoint_url)

    @property
    def sqs(self) -> Any:
        # The sharded fan-out's queue (realtime/shards.py); built on the first large broadcast.
        return self._get("sqs", "sqs", self._endpoint_url)

"""AWS clients, built lazily on first use and shared by every request of a warm Lambda.

boto3 is imported here (it is part of the cold-start baseline), but no client exists until a code
path needs one: building a client loads its service model, which costs tens of milliseconds.
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

    def _build(self, key: str, service: str, endpoint_url: str | None, **config: Any) -> Any:
        """Create a client once per key; `config` adds botocore Config options."""
        with self._lock:
            client = self._clients.get(key)
            if client is None:
                if self._session is None:
                    # A session of our own: boto3's default session is not thread-safe.
                    self._session = boto3.Session(region_name=self._region)
                cfg = Config(retries=_RETRIES, max_pool_connections=self._pool_size, **config)
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

    @property
    def textract(self) -> Any:
        return self._get("textract", "textract", self._endpoint_url)

    def management_api(self, endpoint_url: str) -> Any:
        """The API Gateway @connections client for one WebSocket stage URL (https://…/stage)."""
        return self._get(
            f"apigatewaymanagementapi:{endpoint_url}",
            "apigatewaymanagementapi",
            endpoint_url,
            connect_timeout=3,
            read_timeout=5,
            # A broadcast makes one call per connection, so per-call CPU is what limits its speed:
            # our own code builds the parameters (no need to validate them), and a fixed user agent
            # spares botocore from assembling its long one on every request (~15 % of a post).
            parameter_validation=False,
            user_agent=f"invoice-app-broadcaster Boto3/{boto3.__version__}",
        )

"""The WebSocket connections table: one item per live browser connection."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..core.dynamo import store_errors, to_item
from ..core.limits import WS_MAX_CONNECTION_LIFE_SECONDS

log = logging.getLogger(__name__)

UNAVAILABLE = "the connection registry is unavailable"


@dataclass(frozen=True)
class Viewer:
    """Who opened a connection, as the `$connect` authorizer verified it."""

    user_id: str
    email: str
    name: str
    roles: tuple[str, ...]
    token_expires_at: int | None  # epoch s; after it the connection receives nothing more


@dataclass(frozen=True)
class Target:
    """A connection as a broadcast sees it."""

    connection_id: str
    token_expires_at: int | None = None

    def expired(self, now_s: float) -> bool:
        return self.token_expires_at is not None and self.token_expires_at <= now_s


class ConnectionRegistry:
    """Failed AWS calls raise `StorageUnavailable`."""

    def __init__(
        self,
        client: Any,
        table: str,
        ttl_seconds: int = WS_MAX_CONNECTION_LIFE_SECONDS,
        page_size: int | None = None,
    ) -> None:
        self._client = client
        self.table = table
        self._ttl_seconds = ttl_seconds
        self._page_size = page_size  # None: DynamoDB's own 1 MB pages

    def add(
        self,
        connection_id: str,
        *,
        connected_at_ms: int,
        source_ip: str,
        user_agent: str,
        viewer: Viewer | None = None,
    ) -> None:
        # TTL removes records whose $disconnect never arrived; a connection lives at most 2 h.
        item: dict[str, Any] = {
            "connectionId": connection_id,
            "connectedAt": connected_at_ms,
            "sourceIp": source_ip,
            "userAgent": user_agent[:512],
            "ttl": connected_at_ms // 1000 + self._ttl_seconds,
        }
        if viewer is not None:
            item.update(
                userId=viewer.user_id,
                email=viewer.email,
                name=viewer.name,
                roles=list(viewer.roles),
                tokenExp=viewer.token_expires_at,
            )
        with store_errors(UNAVAILABLE, f"registering connection {connection_id}"):
            self._client.put_item(TableName=self.table, Item=to_item(item))

    def remove(self, connection_id: str) -> None:
        with store_errors(UNAVAILABLE, f"removing connection {connection_id}"):
            self._client.delete_item(TableName=self.table, Key={"connectionId": {"S": connection_id}})

    def iter_targets(self) -> Iterator[list[Target]]:
        """The connections, one scan page (≤ 1 MB) at a time: a page is not all connections."""
        paginator = self._client.get_paginator("scan")
        pages = {"PageSize": self._page_size} if self._page_size else {}
        with store_errors(UNAVAILABLE, f"reading {self.table}"):
            for page in paginator.paginate(
                TableName=self.table,
                ProjectionExpression="connectionId, tokenExp",
                PaginationConfig=pages,
            ):
                targets = [
                    Target(
                        item["connectionId"]["S"], int(item["tokenExp"]["N"]) if "tokenExp" in item else None
                    )
                    for item in page.get("Items", [])
                ]
                if targets:
                    yield targets

    def iter_pages(self) -> Iterator[list[str]]:
        """Connection ids, page by page."""
        for targets in self.iter_targets():
            yield [t.connection_id for t in targets]

    def ping(self) -> None:
        with store_errors(UNAVAILABLE, f"describing {self.table}"):
            self._client.describe_table(TableName=self.table)

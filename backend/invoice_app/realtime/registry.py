"""The WebSocket connections table: one item per live browser connection."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from ..core.dynamo import store_errors, to_item
from ..core.limits import WS_MAX_CONNECTION_LIFE_SECONDS

log = logging.getLogger(__name__)

UNAVAILABLE = "the connection registry is unavailable"


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

    def add(self, connection_id: str, *, connected_at_ms: int, source_ip: str, user_agent: str) -> None:
        # TTL removes records whose $disconnect never arrived; a connection lives at most 2 h.
        item = {
            "connectionId": connection_id,
            "connectedAt": connected_at_ms,
            "sourceIp": source_ip,
            "userAgent": user_agent[:512],
            "ttl": connected_at_ms // 1000 + self._ttl_seconds,
        }
        with store_errors(UNAVAILABLE, f"registering connection {connection_id}"):
            self._client.put_item(TableName=self.table, Item=to_item(item))

    def remove(self, connection_id: str) -> None:
        with store_errors(UNAVAILABLE, f"removing connection {connection_id}"):
            self._client.delete_item(TableName=self.table, Key={"connectionId": {"S": connection_id}})

    def iter_pages(self) -> Iterator[list[str]]:
        """Connection ids, one scan page (≤ 1 MB) at a time: a page is not all connections."""
        paginator = self._client.get_paginator("scan")
        pages = {"PageSize": self._page_size} if self._page_size else {}
        with store_errors(UNAVAILABLE, f"reading {self.table}"):
            for page in paginator.paginate(
                TableName=self.table, ProjectionExpression="connectionId", PaginationConfig=pages
            ):
                ids = [item["connectionId"]["S"] for item in page.get("Items", [])]
                if ids:
                    yield ids

    def ping(self) -> None:
        with store_errors(UNAVAILABLE, f"describing {self.table}"):
            self._client.describe_table(TableName=self.table)

"""The WebSocket connections table: one item per live browser connection."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from ..dynamo import to_item

log = logging.getLogger(__name__)


class ConnectionRegistry:
    def __init__(
        self, client: Any, table: str, ttl_seconds: int = 7200, page_size: int | None = None
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
        self._client.put_item(TableName=self.table, Item=to_item(item))

    def remove(self, connection_id: str) -> None:
        self._client.delete_item(TableName=self.table, Key={"connectionId": {"S": connection_id}})

    def iter_pages(self) -> Iterator[list[str]]:
        """Connection ids, one scan page (≤ 1 MB) at a time: a page is not all connections."""
        paginator = self._client.get_paginator("scan")
        pages = {"PageSize": self._page_size} if self._page_size else {}
        for page in paginator.paginate(
            TableName=self.table, ProjectionExpression="connectionId", PaginationConfig=pages
        ):
            ids = [item["connectionId"]["S"] for item in page.get("Items", [])]
            if ids:
                yield ids

    def ping(self) -> None:
        self._client.describe_table(TableName=self.table)

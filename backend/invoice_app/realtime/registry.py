"""The WebSocket connections table: one item per live browser connection."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from ..core.dynamo import error_code, from_item, store_errors, to_item
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


class RateLimited(Exception):
    pass


def viewer_of(item: dict[str, Any]) -> Viewer:
    """The viewer stored with a connection record (plain values); anonymous fields are empty."""
    roles = item.get("roles")
    exp = item.get("tokenExp")
    return Viewer(
        user_id=str(item.get("userId") or ""),
        email=str(item.get("email") or ""),
        name=str(item.get("name") or item.get("email") or ""),
        roles=tuple(roles) if isinstance(roles, list) else (),
        token_expires_at=int(exp) if isinstance(exp, int | float) else None,
    )


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

    def count_action(self, connection_id: str, *, now_s: float, limit: int, window_s: int) -> Viewer | None:
        """Count one rate-limited action of a connection, atomically in its record.

        A fixed window: `rateWindow` is the window's number, `rateCount` the actions in it. The
        counter lives in DynamoDB, not in this process: several Lambda instances serve one socket.
        Returns the connection's viewer (from the same write); None for an unknown connection;
        `RateLimited` past `limit` actions in the window.
        """
        key = {"connectionId": {"S": connection_id}}
        window = {"N": str(int(now_s // window_s))}
        attempts = (
            # Within the current window: one more, if below the limit.
            {
                "UpdateExpression": "ADD rateCount :one",
                "ConditionExpression": "rateWindow = :w AND rateCount < :limit",
                "ExpressionAttributeValues": {":one": {"N": "1"}, ":w": window, ":limit": {"N": str(limit)}},
            },
            # A new window (or the first action): start counting again.
            {
                "UpdateExpression": "SET rateWindow = :w, rateCount = :one",
                "ConditionExpression": "attribute_exists(connectionId) AND "
                "(attribute_not_exists(rateWindow) OR rateWindow <> :w)",
                "ExpressionAttributeValues": {":one": {"N": "1"}, ":w": window},
            },
        )
        with store_errors(UNAVAILABLE, f"counting an action of {connection_id}"):
            for attempt in attempts:
                try:
                    answer = self._client.update_item(
                        TableName=self.table, Key=key, ReturnValues="ALL_NEW", **attempt
                    )
                except ClientError as exc:
                    if error_code(exc) != "ConditionalCheckFailedException":
                        raise
                    continue
                return viewer_of(from_item(answer.get("Attributes") or {}))
            if "Item" not in self._client.get_item(
                TableName=self.table, Key=key, ProjectionExpression="connectionId"
            ):
                return None
        raise RateLimited(f"at most {limit} of these actions per {window_s} s; wait a moment")

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

"""The visualizations table: saved visualizations and their parameter history (one partition each).

Keys: `pk = viz#<id>`; the visualization is `sk = meta`, each parameter change `sk =
h#<at ms>#<version>#<n>` (so a Query of the partition from the end reads the newest changes
first). A change is one `TransactWriteItems`: the visualization `Put` on the condition that its
`version` is still the one the change was computed from, plus one history `Put` per changed
parameter — a stale version (409) or any failure changes neither. Indexes: `byOwner` (`ownerId`,
`createdAt`) and the sparse `byShared` (`sharedKey`, only on shared ones). Failed AWS calls raise
`StorageUnavailable`.
"""

from __future__ import annotations

import heapq
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from ..core.dynamo import error_code, from_item, store_errors, to_item, versioned_write
from ..core.errors import BadRequest, StorageUnavailable
from ..invoices.cursor import Page as HistoryPage
from ..invoices.cursor import decode_cursor, encode_cursor
from .model import META, SHARED_KEY, Visualization, pk_of

log = logging.getLogger(__name__)

BY_OWNER, BY_SHARED = "byOwner", "byShared"
HISTORY_PREFIX = "h#"
UNAVAILABLE = "the visualizations store is unavailable"
DEFAULT_LIST_PAGE, MAX_LIST_PAGE = 50, 100
_LIST_SHAPE = {"createdAt": "N", "id": "S"}
_VIZ_ID = re.compile(r"[0-9a-f]{32}")
MAX_HISTORY_PAGE = 100
_HISTORY_SHAPE = {"pk": "S", "sk": "S"}
_FIELDS = ("visualizationId", "at", "version", "by", "parameter", "old", "new")


class StaleVersion(Exception):
    """The visualization changed (or was deleted) since the version the caller started from."""


class NotAllowed(Exception):
    """A conditional delete found the visualization, but not as one this caller may delete."""


@dataclass(frozen=True)
class VisualizationPage:
    items: list[Visualization]
    next_cursor: str | None

    def to_api(self) -> dict[str, Any]:
        return {"items": [v.to_api() for v in self.items], "nextCursor": self.next_cursor}


def _list_order(viz: Visualization) -> tuple[int, str]:
    return (viz.created_at, viz.id)


def _list_position(cursor: str) -> tuple[int, str]:
    """(createdAt, id) of the last visualization of the previous page; BadRequest if it is not
    a cursor of this list."""
    key = decode_cursor(cursor, None, shape=_LIST_SHAPE)
    viz_id = key["id"]["S"]
    if not _VIZ_ID.fullmatch(viz_id):
        raise BadRequest("the cursor is not one this API returned")
    return int(key["createdAt"]["N"]), viz_id


def history_sort_key(at_ms: int, version: int, n: int) -> str:
    return f"{HISTORY_PREFIX}{at_ms:013d}#{version:09d}#{n:02d}"


class VisualizationStore:
    def __init__(self, client: Any, table: str) -> None:
        self._client = client
        self.table = table

    def create(self, viz: Visualization) -> None:
        with store_errors("the visualization could not be saved; nothing was stored", f"creating {viz.id}"):
            self._client.put_item(
                TableName=self.table,
                Item=to_item(viz.to_record()),
                ConditionExpression="attribute_not_exists(pk)",
            )

    def get(self, viz_id: str) -> Visualization | None:
        with store_errors(UNAVAILABLE, f"reading visualization {viz_id}"):
            resp = self._client.get_item(
                TableName=self.table,
                Key={"pk": {"S": pk_of(viz_id)}, "sk": {"S": META}},
                ConsistentRead=True,
            )
        item = resp.get("Item")
        return Visualization.from_record(from_item(item)) if item else None

    def visible_to(
        self, sub: str, limit: int = DEFAULT_LIST_PAGE, cursor: str | None = None
    ) -> VisualizationPage:
        """One page of the caller's own and the shared ones, newest created first (`createdAt`,
        then `id`, both descending): the two index Queries (`byOwner`, `byShared`) merged, each
        read from the cursor's position on and only as far as the page needs, never a scan."""
        limit = max(1, min(limit, MAX_LIST_PAGE))
        after = _list_position(cursor) if cursor else None
        streams = [
            self._newest_first(BY_OWNER, "ownerId", sub, after, limit + 1),
            self._newest_first(BY_SHARED, "sharedKey", SHARED_KEY, after, limit + 1),
        ]
        items: list[Visualization] = []
        # One's own shared ones come from both indexes, next to each other in the merged order.
        for viz in heapq.merge(*streams, key=_list_order, reverse=True):
            if items and items[-1].id == viz.id:
                continue
            items.append(viz)
            if len(items) > limit:
                break
        more = len(items) > limit
        items = items[:limit]
        next_cursor = (
            encode_cursor({"createdAt": {"N": str(items[-1].created_at)}, "id": {"S": items[-1].id}})
            if more
            else None
        )
        return VisualizationPage(items, next_cursor)

    def _newest_first(
        self, index: str, key: str, value: str, after: tuple[int, str] | None, page_size: int
    ) -> Iterator[Visualization]:
        """An index's visualizations in `_list_order`, descending, strictly after `after`. An
        index orders items of equal `createdAt` arbitrarily, so each such run is sorted by id."""
        condition = "#k = :v"
        values: dict[str, Any] = {":v": {"S": value}}
        if after is not None:
            condition += " AND #c <= :c"
            values[":c"] = {"N": str(after[0])}
        kwargs: dict[str, Any] = {
            "TableName": self.table,
            "IndexName": index,
            "KeyConditionExpression": condition,
            "ExpressionAttributeNames": {"#k": key, **({"#c": "createdAt"} if after else {})},
            "ExpressionAttributeValues": values,
            "ScanIndexForward": False,
            "Limit": page_size,
        }
        run: list[Visualization] = []
        while True:
            with store_errors(UNAVAILABLE, f"listing visualizations of {index} {value}"):
                resp = self._client.query(**kwargs)
            for item in resp.get("Items", []):
                viz = Visualization.from_record(from_item(item))
                if after is not None and _list_order(viz) >= after:
                    continue
                if run and viz.created_at != run[0].created_at:
                    yield from sorted(run, key=_list_order, reverse=True)
                    run = []
                run.append(viz)
            if not resp.get("LastEvaluatedKey"):
                break
            kwargs["ExclusiveStartKey"] = resp["LastEvaluatedKey"]
        yield from sorted(run, key=_list_order, reverse=True)

    def save(
        self,
        after: Visualization,
        expected_version: int,
        changes: list[tuple[str, Any, Any]],
        by: dict[str, str],
        at_ms: int,
    ) -> None:
        """Write `after` (version = expected + 1) and one history item per parameter change, all or
        nothing. `StaleVersion` when the stored version is no longer `expected_version`."""
        items: list[dict[str, Any]] = [
            {
                "Put": {
                    "TableName": self.table,
                    "Item": to_item(after.to_record()),
                    "ConditionExpression": "#v = :v",
                    "ExpressionAttributeNames": {"#v": "version"},
                    "ExpressionAttributeValues": {":v": {"N": str(expected_version)}},
                }
            }
        ]
        for n, (parameter, old, new) in enumerate(changes):
            record = {
                "pk": pk_of(after.id),
                "sk": history_sort_key(at_ms, after.version, n),
                "visualizationId": after.id,
                "at": at_ms,
                "version": after.version,
                "by": by,
                "parameter": parameter,
                "old": old,
                "new": new,
            }
            items.append(
                {
                    "Put": {
                        "TableName": self.table,
                        "Item": to_item(record),
                        "ConditionExpression": "attribute_not_exists(sk)",
                    }
                }
            )
        with versioned_write(
            lambda: StaleVersion(after.id),
            "the change could not be saved; nothing was changed",
            f"saving visualization {after.id}",
        ):
            self._client.transact_write_items(TransactItems=items)

    def delete(self, viz_id: str, *, sub: str, admin: bool) -> None:
        """Delete a visualization if the caller may: its owner, or an admin when it is shared
        (checked by the condition, so a concurrent unshare cannot slip through). Then its history."""
        condition = "ownerId = :me OR #s = :t" if admin else "ownerId = :me"
        values: dict[str, Any] = {":me": {"S": sub}}
        names: dict[str, str] = {}
        if admin:
            values[":t"] = {"BOOL": True}
            names["#s"] = "shared"
        try:
            self._client.delete_item(
                TableName=self.table,
                Key={"pk": {"S": pk_of(viz_id)}, "sk": {"S": META}},
                ConditionExpression=f"attribute_exists(pk) AND ({condition})",
                ExpressionAttributeValues=values,
                **({"ExpressionAttributeNames": names} if names else {}),
            )
        except ClientError as exc:
            if error_code(exc) == "ConditionalCheckFailedException":
                raise NotAllowed(viz_id) from exc
            log.error("deleting visualization %s failed: %s", viz_id, exc)
            raise StorageUnavailable(UNAVAILABLE, code=error_code(exc)) from exc
        except BotoCoreError as exc:
            log.error("deleting visualization %s failed: %s", viz_id, exc)
            raise StorageUnavailable(UNAVAILABLE) from exc
        try:
            self._delete_history(viz_id)
        except (ClientError, BotoCoreError) as exc:
            # Unreachable without its visualization (every history route 404s first): logged, kept.
            log.warning("the history of deleted visualization %s was not removed: %s", viz_id, exc)

    def _delete_history(self, viz_id: str) -> None:
        paginator = self._client.get_paginator("query")
        for page in paginator.paginate(
            TableName=self.table,
            KeyConditionExpression="pk = :p AND begins_with(sk, :h)",
            ExpressionAttributeValues={":p": {"S": pk_of(viz_id)}, ":h": {"S": HISTORY_PREFIX}},
            ProjectionExpression="pk, sk",
        ):
            keys = [{"pk": i["pk"], "sk": i["sk"]} for i in page.get("Items", [])]
            for start in range(0, len(keys), 25):
                unprocessed: dict[str, Any] = {
                    self.table: [{"DeleteRequest": {"Key": k}} for k in keys[start : start + 25]]
                }
                for _ in range(5):
                    answer = self._client.batch_write_item(RequestItems=unprocessed)
                    unprocessed = answer.get("UnprocessedItems") or {}
                    if not unprocessed:
                        break

    def history(self, viz_id: str, limit: int = 50, cursor: str | None = None) -> HistoryPage:
        """A visualization's parameter changes, newest first."""
        kwargs: dict[str, Any] = {
            "TableName": self.table,
            "KeyConditionExpression": "pk = :p AND begins_with(sk, :h)",
            "ExpressionAttributeValues": {":p": {"S": pk_of(viz_id)}, ":h": {"S": HISTORY_PREFIX}},
            "ScanIndexForward": False,
            "Limit": max(1, min(limit, MAX_HISTORY_PAGE)),
        }
        if cursor:
            start = decode_cursor(cursor, None, shape=_HISTORY_SHAPE)
            if start["pk"]["S"] != pk_of(viz_id) or not start["sk"]["S"].startswith(HISTORY_PREFIX):
                raise BadRequest("the cursor is not one this API returned")
            kwargs["ExclusiveStartKey"] = start
        with store_errors(UNAVAILABLE, f"reading the history of {viz_id}"):
            resp = self._client.query(**kwargs)
        items = []
        for raw in resp.get("Items", []):
            plain = from_item(raw)
            items.append({k: plain.get(k) for k in _FIELDS})
        return HistoryPage(items, encode_cursor(resp.get("LastEvaluatedKey")))

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

import logging
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from ..core.dynamo import error_code, from_item, store_errors, to_item, versioned_write
from ..core.errors import BadRequest, StorageUnavailable
from ..invoices.cursor import decode_cursor, encode_cursor
from .model import META, SHARED_KEY, Visualization, pk_of

log = logging.getLogger(__name__)

BY_OWNER, BY_SHARED = "byOwner", "byShared"
HISTORY_PREFIX = "h#"
UNAVAILABLE = "the visualizations store is unavailable"
LIST_LIMIT = 100  # the newest this many of one's own, and of the shared ones
MAX_HISTORY_PAGE = 100
_HISTORY_SHAPE = {"pk": "S", "sk": "S"}
_FIELDS = ("visualizationId", "at", "version", "by", "parameter", "old", "new")


class StaleVersion(Exception):
    """The visualization changed (or was deleted) since the version the caller started from."""


class NotAllowed(Exception):
    """A conditional delete found the visualization, but not as one this caller may delete."""


@dataclass(frozen=True)
class HistoryPage:
    items: list[dict[str, Any]]
    next_cursor: str | None

    def to_api(self) -> dict[str, Any]:
        return {"items": self.items, "nextCursor": self.next_cursor}


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

    def visible_to(self, sub: str) -> list[Visualization]:
        """The caller's own (newest LIST_LIMIT) and the shared ones (newest LIST_LIMIT), most
        recently updated first: two index Queries, never a scan."""
        found: dict[str, Visualization] = {}
        queries = (
            (BY_OWNER, "ownerId", sub),
            (BY_SHARED, "sharedKey", SHARED_KEY),
        )
        with store_errors(UNAVAILABLE, f"listing visualizations of {sub}"):
            for index, key, value in queries:
                resp = self._client.query(
                    TableName=self.table,
                    IndexName=index,
                    KeyConditionExpression="#k = :v",
                    ExpressionAttributeNames={"#k": key},
                    ExpressionAttributeValues={":v": {"S": value}},
                    ScanIndexForward=False,
                    Limit=LIST_LIMIT,
                )
                for item in resp.get("Items", []):
                    viz = Visualization.from_record(from_item(item))
                    found[viz.id] = viz
        return sorted(found.values(), key=lambda v: (v.updated_at, v.id), reverse=True)

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

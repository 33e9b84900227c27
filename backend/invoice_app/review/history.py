"""The history table: one item per change, written in the same transaction as the invoice.

Keys: `invoiceId` + `changeId` (`<at ms>#<version>#<n>`, so an invoice's changes sort by time);
index `byField` (`field`, `at`) answers "every change of the total", `byUser` (`userId`, `at`)
"everything this person changed". The invoice is written on the condition that its version is
still the one the change was computed from: two people editing at once never silently overwrite
each other (the later one gets 409 with the current invoice).
"""

from __future__ import annotations

import logging
from typing import Any

from ..core.dynamo import from_item, store_errors, to_item, versioned_write
from ..invoices.cursor import KeyShape, decode_cursor, encode_cursor
from ..invoices.cursor import Page as HistoryPage
from ..invoices.model import Invoice
from ..invoices.repository import InvoiceRepository
from .changes import Change

log = logging.getLogger(__name__)

BY_FIELD, BY_USER = "byField", "byUser"
# The key attributes of each paged query (what its cursor may hold).
_SHAPES: dict[str | None, KeyShape] = {
    None: {"invoiceId": "S", "changeId": "S"},
    BY_FIELD: {"invoiceId": "S", "changeId": "S", "field": "S", "at": "N"},
    BY_USER: {"invoiceId": "S", "changeId": "S", "userId": "S", "at": "N"},
}
UNAVAILABLE = "the change history is unavailable"
MAX_PAGE = 100


class StaleVersion(Exception):
    """The invoice changed since the version the caller started from."""


def _public(item: dict[str, Any]) -> dict[str, Any]:
    plain = from_item(item)
    entry = {k: plain.get(k) for k in ("invoiceId", "at", "version", "by", "field", "old", "new")}
    if "reason" in plain:
        entry["reason"] = plain["reason"]
    return entry


class ReviewStore:
    def __init__(self, client: Any, history_table: str, invoices: InvoiceRepository) -> None:
        self._client = client
        self.table = history_table
        self._invoices = invoices

    def save(
        self,
        before: Invoice,
        after: Invoice,
        changes: list[Change],
        by: dict[str, str],
        at_ms: int,
        reason: str | None = None,
    ) -> None:
        """Write the new invoice and one history item per change, all or nothing."""
        condition = (
            {
                "ConditionExpression": "#v = :v",
                "ExpressionAttributeValues": {":v": {"N": str(before.version)}},
            }
            if before.version_stored
            else {"ConditionExpression": "attribute_exists(invoiceId) AND attribute_not_exists(#v)"}
        )
        items: list[dict[str, Any]] = [
            {
                "Put": {
                    "TableName": self._invoices.table,
                    "Item": self._invoices.item_for(after),
                    "ExpressionAttributeNames": {"#v": "version"},
                    **condition,
                }
            }
        ]
        for n, change in enumerate(changes):
            record = {
                "invoiceId": after.invoice_id,
                "changeId": f"{at_ms:013d}#{after.version:06d}#{n:02d}",
                "at": at_ms,
                "version": after.version,
                "by": by,
                "userId": by["sub"],
                "field": change.field,
                "old": change.old,
                "new": change.new,
            }
            if change.field == "status" and reason:
                record["reason"] = reason
            items.append({"Put": {"TableName": self.table, "Item": to_item(record)}})
        with versioned_write(
            lambda: StaleVersion(after.invoice_id),
            "the correction could not be saved; nothing was changed",
            f"saving a correction of {after.invoice_id}",
        ):
            self._client.transact_write_items(TransactItems=items)

    def for_invoice(self, invoice_id: str, limit: int = 50, cursor: str | None = None) -> HistoryPage:
        """An invoice's changes, newest first."""
        return self._query(
            {
                "KeyConditionExpression": "invoiceId = :i",
                "ExpressionAttributeValues": {":i": {"S": invoice_id}},
            },
            limit,
            cursor,
        )

    def across(
        self,
        *,
        field: str | None,
        user: str | None,
        since_ms: int,
        until_ms: int,
        limit: int,
        cursor: str | None,
    ) -> HistoryPage:
        """Changes of one field (index byField) or by one user (byUser) in a time range, newest first."""
        index, key, value = (BY_FIELD, "field", field) if field else (BY_USER, "userId", user)
        request: dict[str, Any] = {
            "IndexName": index,
            "KeyConditionExpression": "#k = :k AND #at BETWEEN :from AND :to",
            "ExpressionAttributeNames": {"#k": key, "#at": "at"},
            "ExpressionAttributeValues": {
                ":k": {"S": str(value)},
                ":from": {"N": str(since_ms)},
                ":to": {"N": str(until_ms)},
            },
        }
        if field and user:
            request["FilterExpression"] = "userId = :u"
            request["ExpressionAttributeValues"][":u"] = {"S": user}
        return self._query(request, limit, cursor)

    def _query(self, request: dict[str, Any], limit: int, cursor: str | None) -> HistoryPage:
        kwargs = {"TableName": self.table, "ScanIndexForward": False, "Limit": max(1, min(limit, MAX_PAGE))}
        kwargs |= request
        if cursor:
            shape = _SHAPES[request.get("IndexName")]
            kwargs["ExclusiveStartKey"] = decode_cursor(cursor, None, shape=shape)
        with store_errors(UNAVAILABLE, f"reading {self.table}"):
            resp = self._client.query(**kwargs)
        return HistoryPage(
            [_public(i) for i in resp.get("Items", [])], encode_cursor(resp.get("LastEvaluatedKey"))
        )

    def ping(self) -> None:
        with store_errors(UNAVAILABLE, f"describing {self.table}"):
            self._client.describe_table(TableName=self.table)

"""The invoices table: one item per processed invoice, listed newest first through a GSI.

Failed AWS calls raise `StorageUnavailable`."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from ..core.dynamo import error_code, from_item, store_errors, to_item
from ..core.errors import BadRequest, StorageUnavailable
from .cursor import decode_cursor, encode_cursor
from .model import Invoice, created_day

log = logging.getLogger(__name__)

# Every invoice carries the same `listKey`, so one Query on this index pages through all of them
# in `createdAt` order. (At this app's write rate one index partition is plenty; shard the key by
# day if uploads ever approach 1,000/s.)
LIST_INDEX = "byCreatedAt"
LIST_KEY = "invoice"
# The invoices of one UTC day (`createdDay`), for the analytics' range reads (visualizations/data.py).
DAY_INDEX = "byDay"
MAX_PAGE = 100
# An item is at most 400 KB; the text of a 20-page invoice fits well under this.
MAX_STORED_TEXT = 100_000
UNAVAILABLE = "the invoice store is unavailable"
# Lambda answers at most 6 MB, and each item carries its text (up to MAX_STORED_TEXT): a page
# stops growing before its items reach this, whatever `limit` asked for.
MAX_PAGE_BYTES = 4_000_000


@dataclass(frozen=True)
class InvoicePage:
    items: list[Invoice]
    next_cursor: str | None

    def to_api(self) -> dict[str, Any]:
        return {"items": [i.to_api() for i in self.items], "nextCursor": self.next_cursor}


class InvoiceRepository:
    def __init__(self, client: Any, table: str) -> None:
        self._client = client
        self.table = table

    def item_for(self, invoice: Invoice) -> dict[str, Any]:
        """The low-level item stored for an invoice (with the listing index's own keys)."""
        item = invoice.to_api()
        text = item.get("detectedText") or ""
        if len(text) > MAX_STORED_TEXT:
            item["detectedText"] = text[:MAX_STORED_TEXT]
            item["textTruncated"] = True
        item["listKey"] = LIST_KEY
        item["searchText"] = _search_text(item)
        if invoice.created_at > 0:
            item["createdDay"] = created_day(invoice.created_at)
        return to_item(item)

    def put_new(self, invoice: Invoice) -> None:
        """Store a new invoice; never overwrites one with the same id."""
        try:
            self._client.put_item(
                TableName=self.table,
                Item=self.item_for(invoice),
                ConditionExpression="attribute_not_exists(invoiceId)",
            )
        except (ClientError, BotoCoreError) as exc:
            log.error("storing invoice %s failed: %s", invoice.invoice_id, exc)
            raise StorageUnavailable("the invoice could not be stored; nothing was saved, try again") from exc

    def get(self, invoice_id: str) -> Invoice | None:
        with store_errors(UNAVAILABLE, f"reading invoice {invoice_id}"):
            resp = self._client.get_item(TableName=self.table, Key={"invoiceId": {"S": invoice_id}})
        item = resp.get("Item")
        return Invoice.from_api(from_item(item)) if item else None

    def list(self, limit: int = 20, cursor: str | None = None, query: str = "") -> InvoicePage:
        """Newest first. `query` filters on number, vendor and file name (case-insensitive)."""
        limit = max(1, min(limit, MAX_PAGE))
        start = decode_cursor(cursor, LIST_KEY) if cursor else None
        needle = query.strip().lower()
        items: list[Invoice] = []
        last_key: dict[str, Any] | None = None
        budget = MAX_PAGE_BYTES
        # A filter is applied after DynamoDB reads a page, so keep reading until the page is full.
        for _ in range(10):
            kwargs: dict[str, Any] = {
                "TableName": self.table,
                "IndexName": LIST_INDEX,
                "KeyConditionExpression": "listKey = :k",
                "ExpressionAttributeValues": {":k": {"S": LIST_KEY}},
                "ScanIndexForward": False,
                "Limit": limit - len(items),
            }
            if needle:
                kwargs["FilterExpression"] = "contains(searchText, :q)"
                kwargs["ExpressionAttributeValues"][":q"] = {"S": needle}
            if start:
                kwargs["ExclusiveStartKey"] = start
            try:
                resp = self._client.query(**kwargs)
            except (ClientError, BotoCoreError) as exc:
                if _missing_index(exc):
                    # A table created without the index (the original design had none).
                    log.warning("table %s has no %s index; listing by scan", self.table, LIST_INDEX)
                    return self._list_by_scan(limit, needle)
                log.error("listing invoices failed: %s", exc)
                if error_code(exc) == "ValidationException":
                    raise BadRequest("the cursor does not fit this listing") from exc
                raise StorageUnavailable(UNAVAILABLE) from exc
            last_key = resp.get("LastEvaluatedKey")
            for raw in resp.get("Items", []):
                if items and budget - _item_bytes(raw) < 0:
                    # The page is as large as one answer may be: continue after the last item sent.
                    return InvoicePage(items, encode_cursor(_listing_key(items[-1])))
                budget -= _item_bytes(raw)
                items.append(Invoice.from_api(from_item(raw)))
            if not last_key or len(items) >= limit:
                break
            start = last_key
        return InvoicePage(items, encode_cursor(last_key))

    def created_between(
        self, since_ms: int, until_ms: int, *, status: str | None = None, limit: int = 10_000
    ) -> Iterator[Invoice]:
        """Invoices created in [since, until], newest first: a range Query of the listing index,
        so the cost is the range's, never the table's. At most `limit` (the caller's bound)."""
        kwargs: dict[str, Any] = {
            "TableName": self.table,
            "IndexName": LIST_INDEX,
            "KeyConditionExpression": "listKey = :k AND createdAt BETWEEN :from AND :to",
            "ExpressionAttributeValues": {
                ":k": {"S": LIST_KEY},
                ":from": {"N": str(since_ms)},
                ":to": {"N": str(until_ms)},
            },
            "ScanIndexForward": False,
        }
        if status:
            kwargs["FilterExpression"] = "#s = :s"
            kwargs["ExpressionAttributeNames"] = {"#s": "status"}
            kwargs["ExpressionAttributeValues"][":s"] = {"S": status}
        found = 0
        with store_errors(UNAVAILABLE, f"exporting from {self.table}"):
            for page in self._client.get_paginator("query").paginate(**kwargs):
                for item in page.get("Items", []):
                    yield Invoice.from_api(from_item(item))
                    found += 1
                    if found >= limit:
                        return

    def on_days(
        self, days: list[str], since_ms: int, until_ms: int, *, limit: int
    ) -> Iterator[dict[str, Any]]:
        """The `byDay` items (the projected numbers, not whole invoices) created in [since, until),
        oldest first: one Query per day of the range, so the cost is those days' invoices, never
        the table's. At most `limit` (the caller's bound)."""
        found = 0
        paginator = self._client.get_paginator("query")
        with store_errors(UNAVAILABLE, f"reading {DAY_INDEX} of {self.table}"):
            for day in days:
                pages = paginator.paginate(
                    TableName=self.table,
                    IndexName=DAY_INDEX,
                    KeyConditionExpression="createdDay = :d AND createdAt BETWEEN :from AND :to",
                    ExpressionAttributeValues={
                        ":d": {"S": day},
                        ":from": {"N": str(since_ms)},
                        ":to": {"N": str(until_ms - 1)},
                    },
                )
                for page in pages:
                    for item in page.get("Items", []):
                        yield from_item(item)
                        found += 1
                        if found >= limit:
                            return

    def _list_by_scan(self, limit: int, needle: str) -> InvoicePage:
        """Degraded listing for a table without the index: one page, newest first, no cursor."""
        plain: list[dict[str, Any]] = []
        with store_errors(UNAVAILABLE, f"scanning {self.table}"):
            for page in self._client.get_paginator("scan").paginate(TableName=self.table):
                plain.extend(from_item(i) for i in page.get("Items", []))
        if needle:
            plain = [i for i in plain if needle in _search_text(i)]
        plain.sort(key=lambda i: i.get("createdAt", 0), reverse=True)
        return InvoicePage([Invoice.from_api(i) for i in plain[:limit]], None)

    def ping(self) -> None:
        with store_errors(UNAVAILABLE, f"describing {self.table}"):
            self._client.describe_table(TableName=self.table)


def _item_bytes(raw: dict[str, Any]) -> int:
    """A rough size of a low-level item as JSON (text dominates; the rest is a few KB)."""
    text = raw.get("detectedText", {}).get("S", "")
    return len(text.encode("utf-8", "surrogatepass")) + 4096


def _listing_key(invoice: Invoice) -> dict[str, Any]:
    """The listing index's key of an invoice, as DynamoDB's LastEvaluatedKey would give it."""
    return {
        "invoiceId": {"S": invoice.invoice_id},
        "listKey": {"S": LIST_KEY},
        "createdAt": {"N": str(invoice.created_at)},
    }


def _missing_index(exc: Exception) -> bool:
    # DynamoDB answers ValidationException ("does not have the specified index"); moto answers
    # ResourceNotFoundException ("Invalid index").
    code = error_code(exc)
    return code in ("ValidationException", "ResourceNotFoundException") and "index" in str(exc).lower()


def _search_text(item: dict[str, Any]) -> str:
    fields = item.get("fields") or {}
    parts = [item.get("invoiceId", ""), item.get("fileName", "")]
    for name in ("invoiceNumber", "vendorName"):
        value = (fields.get(name) or {}).get("value")
        if value is not None:
            parts.append(str(value))
    return " ".join(p for p in parts if p).lower()

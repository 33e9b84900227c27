"""Pagination cursors: a listing's `LastEvaluatedKey` as an opaque URL-safe string, and back.

A cursor is base64url of a JSON object holding exactly the key attributes of the query it pages
(a `KeyShape`: for the listing index `byCreatedAt`, the table key `invoiceId` and the index key
`listKey` + `createdAt`). Decoding accepts exactly that shape and nothing else: the right
attributes with the right types, within bounds DynamoDB can hold. Anything else is a
`BadRequest` (400), never an exception from further down (a `RecursionError` from the JSON, a
`TypeError` or `decimal.Inexact` from the serializer).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..core import safe_json
from ..core.dynamo import from_item
from ..core.errors import BadRequest


@dataclass(frozen=True)
class Page:
    """One page of plain records and the cursor of the next (None on the last page)."""

    items: list[dict[str, Any]]
    next_cursor: str | None

    def to_api(self) -> dict[str, Any]:
        return {"items": self.items, "nextCursor": self.next_cursor}


_NOT_OURS = "the cursor is not one this API returned"
# A cursor this API makes is about 120 characters; anything far longer is not one.
MAX_CURSOR_CHARS = 1024
# DynamoDB's limit for a key attribute of type S is 2048 bytes (1024 for a sort key).
_MAX_ID_BYTES = 1024
# Number key attributes are epoch milliseconds: integers JSON, Python and DynamoDB all hold exactly.
_MAX_NUMBER = 2**53 - 1

# attribute → "S" (string) or "N" (whole number ≥ 0): the key attributes of one paged query.
KeyShape = Mapping[str, str]
LISTING: KeyShape = {"invoiceId": "S", "listKey": "S", "createdAt": "N"}


def encode_cursor(key: dict[str, Any] | None) -> str | None:
    if not key:
        return None
    return base64.urlsafe_b64encode(json.dumps(from_item(key), separators=(",", ":")).encode()).decode()


def _key_string(value: Any) -> bool:
    return isinstance(value, str) and 0 < len(value.encode("utf-8", "surrogatepass")) <= _MAX_ID_BYTES


def _valid(kind: str, value: Any) -> bool:
    if kind == "S":
        return _key_string(value)
    whole = isinstance(value, int) and not isinstance(value, bool)
    return whole and 0 <= value <= _MAX_NUMBER


def decode_cursor(
    cursor: Any, list_key: str | None = "invoice", *, shape: KeyShape = LISTING
) -> dict[str, Any]:
    """The `ExclusiveStartKey` a cursor stands for; BadRequest when it is not one `encode_cursor`
    made for a query of this `shape` (and, for the listing, of the listing key `list_key`)."""
    if not isinstance(cursor, str) or not cursor or len(cursor) > MAX_CURSOR_CHARS:
        raise BadRequest(_NOT_OURS)
    try:
        raw = base64.b64decode(cursor.encode("ascii"), altchars=b"-_", validate=True)
    except (binascii.Error, ValueError) as exc:  # UnicodeEncodeError is a ValueError
        raise BadRequest(_NOT_OURS) from exc
    try:
        plain = safe_json.loads(raw, max_bytes=MAX_CURSOR_CHARS, max_depth=1, what="the cursor")
    except safe_json.InvalidJson as exc:
        raise BadRequest(_NOT_OURS) from exc
    if not isinstance(plain, dict) or set(plain) != set(shape):
        raise BadRequest(_NOT_OURS)
    if not all(_valid(kind, plain[name]) for name, kind in shape.items()):
        raise BadRequest(_NOT_OURS)
    if "listKey" in shape and plain["listKey"] != list_key:
        raise BadRequest(_NOT_OURS)
    return {name: {kind: plain[name] if kind == "S" else str(plain[name])} for name, kind in shape.items()}

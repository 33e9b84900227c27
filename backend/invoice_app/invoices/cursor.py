"""Pagination cursors: a DynamoDB `LastEvaluatedKey` as an opaque URL-safe string, and back."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from ..core.dynamo import from_item, to_item
from ..core.errors import BadRequest

_NOT_OURS = "the cursor is not one this API returned"


def encode_cursor(key: dict[str, Any] | None) -> str | None:
    if not key:
        return None
    return base64.urlsafe_b64encode(json.dumps(from_item(key), separators=(",", ":")).encode()).decode()


def decode_cursor(cursor: str, required_key: str = "invoiceId") -> dict[str, Any]:
    """The key a cursor stands for; BadRequest when it is not one `encode_cursor` made."""
    try:
        plain = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise BadRequest(_NOT_OURS) from exc
    if not isinstance(plain, dict) or required_key not in plain:
        raise BadRequest(_NOT_OURS)
    return to_item(plain)

"""What a correction may contain: one rule per field kind, a 400 naming the field otherwise."""

from __future__ import annotations

import math
import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from ..core.errors import BadRequest
from .currencies import ISO_4217

DATE_FIELDS = frozenset({"invoiceDate", "dueDate"})
AMOUNT_FIELDS = frozenset({"subtotal", "tax", "total"})
TEXT_FIELDS = frozenset({"invoiceNumber", "vendorName"})
CURRENCY_FIELDS = frozenset({"currency"})
EDITABLE_FIELDS = DATE_FIELDS | AMOUNT_FIELDS | TEXT_FIELDS | CURRENCY_FIELDS

NEEDS_REVIEW, APPROVED, REJECTED = "needs-review", "approved", "rejected"
STATUSES = (NEEDS_REVIEW, APPROVED, REJECTED)
MAX_TEXT = 200
MAX_REASON = 500
MAX_AMOUNT = Decimal("1e12")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def clean_value(field: str, value: Any) -> Any:
    """The stored form of a corrected value (None: remove the field); BadRequest if it is wrong."""
    if field not in EDITABLE_FIELDS:
        raise BadRequest(f"{field}: not a field that can be corrected")
    if value is None:
        return None
    if field in DATE_FIELDS:
        return _date(field, value)
    if field in AMOUNT_FIELDS:
        return _amount(field, value)
    if field in CURRENCY_FIELDS:
        if not isinstance(value, str) or value.strip().upper() not in ISO_4217:
            raise BadRequest(f"{field}: must be an ISO 4217 currency code such as EUR")
        return value.strip().upper()
    if not isinstance(value, str) or not value.strip():
        raise BadRequest(f"{field}: must be a non-empty string")
    text = " ".join(value.split())  # trimmed, inner runs of white space (and CR/LF) folded
    if len(text) > MAX_TEXT:
        raise BadRequest(f"{field}: at most {MAX_TEXT} characters")
    return text


def _date(field: str, value: Any) -> str:
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise BadRequest(f"{field}: must be an ISO date (YYYY-MM-DD)")
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError as exc:
        raise BadRequest(f"{field}: {value} is not a calendar date") from exc


def _amount(field: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise BadRequest(f"{field}: must be a number")
    if isinstance(value, float) and not math.isfinite(value):
        raise BadRequest(f"{field}: must be a finite number")
    try:
        exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    except InvalidOperation as exc:
        raise BadRequest(f"{field}: must be a number") from exc
    if abs(exact) >= MAX_AMOUNT:
        raise BadRequest(f"{field}: too large")
    if exact != exact.quantize(Decimal("0.01")):
        raise BadRequest(f"{field}: at most 2 decimals")
    return float(exact) if exact != exact.to_integral_value() else float(int(exact))


def clean_status(body: dict[str, Any]) -> tuple[str | None, str | None]:
    """(status, reason) of a PATCH body; a rejection needs a reason."""
    status = body.get("status")
    if status is None:
        return None, None
    if status not in STATUSES:
        raise BadRequest(f"status: must be one of {', '.join(STATUSES)}")
    reason = body.get("reason")
    if status == REJECTED:
        if not isinstance(reason, str) or not reason.strip():
            raise BadRequest("reason: a rejection needs a reason")
        reason = " ".join(reason.split())[:MAX_REASON]
    elif reason is not None:
        raise BadRequest("reason: only a rejection takes a reason")
    return status, reason

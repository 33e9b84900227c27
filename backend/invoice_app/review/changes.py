"""A correction applied to an invoice: the new invoice and the list of changes, nothing written.

A corrected field becomes `{value, confidence: 1.0, source: "user", extracted}` where `extracted`
keeps what the reader found (None when it found nothing), so accuracy can be measured later.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from ..core.errors import AppError, BadRequest
from ..invoices.model import Invoice
from .validation import APPROVED, REJECTED, clean_status, clean_value

MAX_FIELDS_PER_PATCH = 20


class Locked(AppError):
    """An approved invoice's fields cannot change until it is re-opened."""

    status = 409


@dataclass(frozen=True)
class Change:
    field: str
    old: Any
    new: Any

    def to_api(self) -> dict[str, Any]:
        return {"field": self.field, "old": self.old, "new": self.new}


def _value(entry: dict[str, Any] | None) -> Any:
    return None if entry is None else entry.get("value")


def _corrected(previous: dict[str, Any] | None, value: Any) -> dict[str, Any]:
    extracted = (
        previous.get("extracted") if previous and previous.get("source") == "user" else _value(previous)
    )
    corrected = {"value": value, "confidence": 1.0, "source": "user", "extracted": extracted}
    if previous:  # where the reader found it, for the page view
        corrected |= {k: previous[k] for k in ("page", "box") if k in previous}
    return corrected


def parse_patch(body: Any) -> tuple[dict[str, Any], str | None, str | None]:
    """(cleaned fields, status, reason) of a PATCH body; BadRequest naming what is wrong."""
    if not isinstance(body, dict):
        raise BadRequest('send a JSON object such as {"fields": {"total": 12.5}, "status": "approved"}')
    unknown = sorted(set(body) - {"fields", "status", "reason"})
    if unknown:
        raise BadRequest(f"{unknown[0]}: not something a correction can change")
    fields = body.get("fields", {})
    if not isinstance(fields, dict):
        raise BadRequest("fields: must be an object of field names to values")
    if len(fields) > MAX_FIELDS_PER_PATCH:
        raise BadRequest(f"fields: at most {MAX_FIELDS_PER_PATCH} per correction")
    cleaned = {name: clean_value(str(name), value) for name, value in fields.items()}
    status, reason = clean_status(body)
    if not cleaned and status is None:
        raise BadRequest("nothing to change: send fields, a status or both")
    return cleaned, status, reason


def apply_patch(
    invoice: Invoice,
    fields: dict[str, Any],
    status: str | None,
    reason: str | None,
    at_ms: int,
    by: dict[str, str] | None = None,
) -> tuple[Invoice, list[Change]]:
    """The corrected invoice (version + 1) and what changed; an empty list changes nothing."""
    changes: list[Change] = []
    new_status = invoice.status if status is None else status
    if fields and new_status == APPROVED and invoice.status == APPROVED:
        raise Locked("the invoice is approved: re-open it (status needs-review) to correct fields")

    new_fields = dict(invoice.fields)
    for name, value in fields.items():
        previous = invoice.fields.get(name)
        if value == _value(previous):
            continue  # the value the invoice already has: nothing changes
        if value is None:
            new_fields.pop(name, None)
        else:
            new_fields[name] = _corrected(previous, value)
        changes.append(Change(name, _value(previous), value))
    if new_status != invoice.status:  # last: the status is what a person decides after the fields
        changes.append(Change("status", invoice.status, new_status))
    if not changes:
        return invoice, []
    return (
        dataclasses.replace(
            invoice,
            fields=new_fields,
            status=new_status,
            # A rejection keeps its reason until the status changes again.
            status_reason=(reason if status is not None else invoice.status_reason)
            if new_status == REJECTED
            else None,
            version=invoice.version + 1,
            updated_at=at_ms,
            # Who decided (approved or rejected); re-opening clears it.
            reviewed_by=(by if new_status != invoice.status else invoice.reviewed_by)
            if new_status in (APPROVED, REJECTED)
            else None,
            # Who made this change (any change): what live viewers are told (`invoice-updated`).
            last_changed_by=by,
        ),
        changes,
    )

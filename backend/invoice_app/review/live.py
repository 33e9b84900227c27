"""The invoices table's stream → `invoice-updated` to the viewers of each changed invoice.

A batch's MODIFY records of one invoice are coalesced: the oldest old image against the newest
new image (by `version`), so its subscribers get one message per batch however many corrections
it holds. `changes` are the `fields` values and the status that differ; `by` is the new image's
`lastChangedBy` (written by every correction; `reviewedBy` only names who approved or rejected,
and history items live in another table the stream does not carry).

The same message also goes to the list topic `invoices`, so a list on screen updates a row's
status and fields in place. New uploads need no message here: each one's metric insert already
broadcasts a `metrics-update` to every connection, on which the list reloads its first page.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from ..core.dynamo import from_item
from ..realtime import messages
from ..realtime.topics import LIST_TOPIC

log = logging.getLogger(__name__)


def _object(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


@dataclass
class _Change:
    invoice_id: str
    old: dict[str, Any]
    new: dict[str, Any]


def _image(change: dict[str, Any], name: str) -> dict[str, Any] | None:
    raw = change.get(name)
    if not isinstance(raw, dict):
        return None
    try:
        return from_item(raw)
    except (TypeError, ValueError, AttributeError, KeyError):
        return None


def _version(image: dict[str, Any]) -> int:
    value = image.get("version")
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _values(image: dict[str, Any]) -> dict[str, Any]:
    fields = _object(image.get("fields"))
    return {name: _object(field).get("value") for name, field in fields.items() if isinstance(name, str)}


def coalesce(records: list[Any]) -> list[_Change]:
    """One change per invoice of the batch: the oldest old image, the newest new image."""
    out: dict[str, _Change] = {}
    for record in records:
        if not isinstance(record, dict) or record.get("eventName") != "MODIFY":
            continue
        change = _object(record.get("dynamodb"))
        old, new = _image(change, "OldImage"), _image(change, "NewImage")
        if old is None or new is None or "version" not in new:
            continue
        invoice_id = new.get("invoiceId")
        if not isinstance(invoice_id, str) or _version(new) == _version(old):
            continue  # not a correction (a write that did not move the version)
        seen = out.get(invoice_id)
        if seen is None:
            out[invoice_id] = _Change(invoice_id, old, new)
            continue
        if _version(old) < _version(seen.old):
            seen.old = old
        if _version(new) > _version(seen.new):
            seen.new = new
    return list(out.values())


def update_of(change: _Change) -> dict[str, Any]:
    """{invoiceId, version, changes: [{field, old, new}], status, by} (by: {sub, email} or None)."""
    old_values, new_values = _values(change.old), _values(change.new)
    changes = [
        {"field": name, "old": old_values.get(name), "new": new_values.get(name)}
        for name in sorted(set(old_values) | set(new_values))
        if old_values.get(name) != new_values.get(name)
    ]
    if change.old.get("status") != change.new.get("status"):
        changes.append({"field": "status", "old": change.old.get("status"), "new": change.new.get("status")})
    by = change.new.get("lastChangedBy")
    return {
        "invoiceId": change.invoice_id,
        "version": _version(change.new),
        "changes": changes,
        "status": change.new.get("status"),
        "by": {k: str(v) for k, v in by.items() if k in ("sub", "email")} if isinstance(by, dict) else None,
    }


def topic_of(invoice_id: str) -> str:
    return f"invoice:{invoice_id}"


def updates(records: list[Any]) -> list[tuple[str, dict[str, Any]]]:
    """(topic, message) for each invoice the batch changed: its own topic, and the list's."""
    out = []
    for change in coalesce(records):
        message = messages.invoice_updated(update_of(change))
        out.append((topic_of(change.invoice_id), message))
        out.append((LIST_TOPIC, message))
    return out

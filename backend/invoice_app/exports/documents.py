"""Turning invoices into export rows, CSV and JSON (pure: no AWS, no Flask)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from ..core import filenames
from ..invoices.model import Invoice

FIELDS = ("invoiceNumber", "invoiceDate", "dueDate", "vendorName", "currency", "subtotal", "tax", "total")
COLUMNS = (
    "invoiceId",
    *FIELDS,
    "status",
    "statusReason",
    "reviewedBy",
    "uploadedBy",
    "createdAt",
    "updatedAt",
    "fileName",
    "version",
    "lineItems",
)


def _iso(epoch_ms: int | None) -> str | None:
    return datetime.fromtimestamp(epoch_ms / 1000, UTC).isoformat(timespec="seconds") if epoch_ms else None


def row(invoice: Invoice) -> dict[str, Any]:
    """One export row: the fields' values (absent → None), status, people and dates."""
    values: dict[str, Any] = {"invoiceId": invoice.invoice_id}
    for name in FIELDS:
        field = invoice.fields.get(name)
        values[name] = field.get("value") if isinstance(field, dict) else None
    values |= {
        "status": invoice.status,
        "statusReason": invoice.status_reason,
        "reviewedBy": (invoice.reviewed_by or {}).get("email"),
        "uploadedBy": (invoice.uploaded_by or {}).get("email"),
        "createdAt": _iso(invoice.created_at),
        "updatedAt": _iso(invoice.updated_at),
        "fileName": filenames.clean(invoice.file_name),
        "version": invoice.version,
        # JSON keeps the list; CSV gets it as one compact JSON cell (one row per invoice stays).
        "lineItems": invoice.line_items,
    }
    return values


def neutralise(value: Any) -> Any:
    """A text cell a spreadsheet would run as a formula gets a leading apostrophe; numbers stay."""
    return filenames.formula_safe(value) if isinstance(value, str) else value


def _cell(value: Any) -> Any:
    if isinstance(value, list):
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False) if value else ""
    return value


def to_csv(rows: Iterable[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    for values in rows:
        writer.writerow({k: "" if v is None else neutralise(_cell(v)) for k, v in values.items()})
    return out.getvalue()


def to_json(rows: Iterable[dict[str, Any]]) -> str:
    return json.dumps({"items": list(rows)}, separators=(",", ":"), ensure_ascii=False)

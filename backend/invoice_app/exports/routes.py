"""GET /api/export?format=csv|json&status=&from=&to=: the invoices of a period, for accounting.

Small exports are the answer itself (`Content-Disposition: attachment`); one larger than
`INLINE_LIMIT` (API Gateway answers at most 6 MB from Lambda) is written to the uploads bucket
under `exports/` (expired after a day) and answered with a short-lived presigned download URL.
The work is bounded: at most `MAX_ROWS` invoices per export, else a 413 asking for a shorter range.
"""

from __future__ import annotations

import time
import uuid
from datetime import UTC, date, datetime

from flask import Blueprint, Response, jsonify, request
from flask.typing import ResponseReturnValue

from ..core import filenames
from ..core.errors import BadRequest, PayloadTooLarge
from ..core.http import services
from ..review.validation import STATUSES
from .documents import row, to_csv, to_json

bp = Blueprint("exports", __name__, url_prefix="/api")

MAX_ROWS = 10_000
INLINE_LIMIT = 5_000_000
DOWNLOAD_EXPIRY_SECONDS = 300
_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json"}


def _bound(name: str, default: int, end_of_day: bool = False) -> int:
    """`from` / `to` as epoch ms or an ISO date (a `to` date includes that whole day, UTC)."""
    raw = (request.args.get(name) or "").strip()
    if not raw:
        return default
    if raw.isdigit() and len(raw) <= 15:
        return int(raw)
    try:
        day = date.fromisoformat(raw)
    except ValueError as exc:
        raise BadRequest(f"{name} must be a date (YYYY-MM-DD) or epoch milliseconds") from exc
    start = int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp() * 1000)
    return start + 86_400_000 - 1 if end_of_day else start


@bp.get("/export")
def export() -> ResponseReturnValue:
    fmt = request.args.get("format", "csv")
    if fmt not in _TYPES:
        raise BadRequest("format must be csv or json")
    status = request.args.get("status") or None
    if status is not None and status not in STATUSES:
        raise BadRequest(f"status must be one of {', '.join(STATUSES)}")
    since = _bound("from", 0)
    until = _bound("to", int(time.time() * 1000), end_of_day=True)
    if since > until:
        raise BadRequest("from is after to")

    svc = services()
    invoices = list(svc.invoices.created_between(since, until, status=status, limit=MAX_ROWS + 1))
    if len(invoices) > MAX_ROWS:
        raise PayloadTooLarge(f"more than {MAX_ROWS:,} invoices in this range; export a shorter period")
    rows = [row(i) for i in invoices]
    document = to_csv(rows) if fmt == "csv" else to_json(rows)
    name = f"invoices-{datetime.now(UTC):%Y%m%d-%H%M%S}.{fmt}"
    data = document.encode()
    if len(data) <= INLINE_LIMIT:
        return Response(
            data,
            mimetype=_TYPES[fmt],
            headers={
                "Content-Disposition": filenames.content_disposition(name),
                "X-Export-Rows": str(len(rows)),
            },
        )
    key = f"exports/{uuid.uuid4().hex}/{name}"
    url = svc.uploads.put_export(key, data, _TYPES[fmt], name, DOWNLOAD_EXPIRY_SECONDS)
    return jsonify(url=url, expiresIn=DOWNLOAD_EXPIRY_SECONDS, rows=len(rows), fileName=name)

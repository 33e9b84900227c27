"""Invoice reads: GET /api/invoices (newest first, cursor pagination) and GET /api/invoices/<id>."""

from __future__ import annotations

from flask import Blueprint, jsonify, request
from flask.typing import ResponseReturnValue

from ..core.errors import BadRequest, NotFound
from ..core.http import limit_arg, services

bp = Blueprint("invoices", __name__, url_prefix="/api/invoices")

# The text filter is matched by DynamoDB on every item a page reads; a number, a vendor or a file
# name is far shorter than this (file names are cut at 255 by core/filenames.py).
MAX_QUERY_CHARS = 256


@bp.get("")
def list_invoices() -> ResponseReturnValue:
    limit = limit_arg(default=20)
    query = request.args.get("q", "")
    if len(query) > MAX_QUERY_CHARS:
        raise BadRequest(f"q must be at most {MAX_QUERY_CHARS} characters")
    page = services().invoices.list(limit=limit, cursor=request.args.get("cursor") or None, query=query)
    return jsonify(page.to_api())


@bp.get("/<invoice_id>")
def get_invoice(invoice_id: str) -> ResponseReturnValue:
    invoice = services().invoices.get(invoice_id)
    if invoice is None:
        raise NotFound(f"no invoice with id {invoice_id!r}")
    return jsonify(invoice.to_api())

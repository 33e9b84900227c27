"""Invoice reads: GET /api/invoices (newest first, cursor pagination) and GET /api/invoices/<id>."""

from __future__ import annotations

from flask import Blueprint, jsonify, request
from flask.typing import ResponseReturnValue

from ..core.errors import BadRequest, NotFound
from ..core.http import services

bp = Blueprint("invoices", __name__, url_prefix="/api/invoices")


@bp.get("")
def list_invoices() -> ResponseReturnValue:
    try:
        limit = int(request.args.get("limit", "20"))
    except ValueError as exc:
        raise BadRequest("limit must be a whole number between 1 and 100") from exc
    if not 1 <= limit <= 100:
        raise BadRequest("limit must be a whole number between 1 and 100")
    page = services().invoices.list(
        limit=limit, cursor=request.args.get("cursor") or None, query=request.args.get("q", "")
    )
    return jsonify(page.to_api())


@bp.get("/<invoice_id>")
def get_invoice(invoice_id: str) -> ResponseReturnValue:
    invoice = services().invoices.get(invoice_id)
    if invoice is None:
        raise NotFound(f"no invoice with id {invoice_id!r}")
    return jsonify(invoice.to_api())

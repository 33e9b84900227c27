"""GET /api/invoices/<id>/pages (viewer+): presigned URLs of the page images of an invoice."""

from __future__ import annotations

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue

from ..core.errors import NotFound
from ..core.http import services

bp = Blueprint("documents", __name__, url_prefix="/api/invoices")

# Short-lived: the page reloads them whenever it asks again; an image outlives the URL in its cache.
URL_EXPIRY_SECONDS = 300


@bp.get("/<invoice_id>/pages")
def pages(invoice_id: str) -> ResponseReturnValue:
    svc = services()
    invoice = svc.invoices.get(invoice_id)
    if invoice is None:
        raise NotFound(f"no invoice with id {invoice_id!r}")
    if not invoice.s3_key:
        raise NotFound("this invoice has no stored original to show")
    links = svc.page_cache.links(invoice.invoice_id, invoice.s3_key, URL_EXPIRY_SECONDS)
    return jsonify(pages=[link.to_api() for link in links], expiresIn=URL_EXPIRY_SECONDS)

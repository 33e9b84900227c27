"""PATCH /api/invoices/<id> (correct fields, set the status) and the change history routes."""

from __future__ import annotations

import dataclasses
import time

from flask import Blueprint, jsonify, request
from flask.typing import ResponseReturnValue

from ..auth.errors import Forbidden
from ..auth.http import current_identity, requires
from ..auth.roles import Role
from ..core.errors import AppError, BadRequest, NotFound
from ..core.http import limit_arg, services
from ..core.safe_json import request_json
from ..idempotency.http import idempotent
from .accuracy import measured_accuracy
from .changes import Locked, apply_patch, parse_patch
from .history import StaleVersion
from .metrics import record_review_metrics
from .validation import APPROVED

bp = Blueprint("review", __name__, url_prefix="/api")


class PreconditionRequired(AppError):
    status = 428


def _expected_version() -> int:
    header = request.headers.get("If-Match")
    if header is None:
        raise PreconditionRequired("send If-Match: <version> (the invoice's version you started from)")
    raw = header.strip().removeprefix("W/").strip('"')
    if not raw.isdigit() or len(raw) > 9:
        raise BadRequest("If-Match must be the invoice's version, a whole number")
    return int(raw)


def _conflict(message: str, invoice_id: str) -> ResponseReturnValue:
    current = services().invoices.get(invoice_id)
    return jsonify(error=message, current=current.to_api() if current else None), 409


@bp.patch("/invoices/<invoice_id>")
@requires(Role.REVIEWER)
@idempotent
def correct(invoice_id: str) -> ResponseReturnValue:
    expected = _expected_version()
    fields, status, reason = parse_patch(request_json(request))
    svc = services()
    invoice = svc.invoices.get(invoice_id)
    if invoice is None:
        raise NotFound(f"no invoice with id {invoice_id!r}")
    if invoice.version != expected:
        return _conflict(
            f"the invoice changed: it is at version {invoice.version}, not {expected}", invoice_id
        )
    now_ms = int(time.time() * 1000)
    who = current_identity().who()
    try:
        updated, changes = apply_patch(invoice, fields, status, reason, now_ms, by=who)
    except Locked as exc:
        return _conflict(exc.message, invoice_id)
    if not changes:
        return jsonify(invoice.to_api())
    approved = updated.status == APPROVED and invoice.status != APPROVED
    if approved:
        updated = dataclasses.replace(updated, measured_accuracy=measured_accuracy(updated.fields))
    elif updated.status != APPROVED:
        updated = dataclasses.replace(updated, measured_accuracy=None)
    try:
        svc.review.save(invoice, updated, changes, who, now_ms, reason)
    except StaleVersion:
        # Someone saved between our read and our write: the condition refused the older state.
        return _conflict("the invoice changed while you were editing it", invoice_id)
    record_review_metrics(svc, invoice, updated, now_ms)
    return jsonify(updated.to_api())


@bp.get("/invoices/<invoice_id>/history")
def invoice_history(invoice_id: str) -> ResponseReturnValue:
    page = services().review.for_invoice(
        invoice_id, limit_arg(default=50), request.args.get("cursor") or None
    )
    return jsonify(page.to_api())


def _epoch_ms(name: str, default: int) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isdigit() or len(raw) > 15:
        raise BadRequest(f"{name} must be epoch milliseconds")
    return int(raw)


@bp.get("/history")
@requires(Role.REVIEWER)
def history() -> ResponseReturnValue:
    """?field= (every change of one field) or ?user= (one person's changes), with from/to."""
    field, user = request.args.get("field") or None, request.args.get("user") or None
    if not field and not user:
        raise BadRequest("name a field (?field=total) or a user (?user=<sub>)")
    me = current_identity()
    if user != me.sub and not me.may(Role.ADMIN):
        # Everyone's changes of a field, or another person's: admins only; anyone sees their own.
        raise Forbidden("only an admin sees other people's history; ask for ?user=<your sub>")
    page = services().review.across(
        field=field,
        user=user,
        since_ms=_epoch_ms("from", 0),
        until_ms=_epoch_ms("to", int(time.time() * 1000) + 60_000),
        limit=limit_arg(default=50),
        cursor=request.args.get("cursor") or None,
    )
    return jsonify(page.to_api())

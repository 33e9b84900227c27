"""/api/visualizations: saved visualizations, their parameters, data and history.

Who may do what: anyone signed in (viewer+) reads what they can see — their own and the shared
ones; a private one of someone else is a 404, as if it did not exist. Creating and changing
parameters (of one's own or a shared one) needs reviewer+; renaming, sharing and unsharing, and
deleting are for the owner or an admin (403 for anyone else who can see it). Changes carry the
version they start from (`If-Match` or body `version`); a stale one is 409 with the current state.
"""

from __future__ import annotations

import dataclasses
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

from flask import Blueprint, jsonify, request
from flask.typing import ResponseReturnValue

from ..auth.errors import Forbidden
from ..auth.http import current_identity, requires
from ..auth.roles import Role
from ..core.errors import AppError, BadRequest, NotFound
from ..core.http import limit_arg, services
from ..core.safe_json import request_json
from . import data
from .model import Visualization
from .store import DEFAULT_LIST_PAGE, NotAllowed, StaleVersion
from .validation import check_name, check_type, merge, parameter_changes

bp = Blueprint("visualizations", __name__, url_prefix="/api/visualizations")

_ID = re.compile(r"[0-9a-f]{32}")
_CREATE_KEYS = {"name", "type", "parameters", "shared"}
_UPDATE_KEYS = {"name", "type", "parameters", "shared", "version"}
_CHANGE_KEYS = {"parameters", "version"}


class PreconditionRequired(AppError):
    status = 428


def _now_ms() -> int:
    return int(time.time() * 1000)


def _body(allowed: set[str]) -> dict[str, Any]:
    body = request_json(request)
    if not isinstance(body, dict):
        raise BadRequest("send a JSON object (Content-Type: application/json)")
    unknown = sorted(set(body) - allowed)
    if unknown:
        raise BadRequest(f"unknown key {unknown[0]!r}; expected {', '.join(sorted(allowed))}")
    return body


def _visible(viz_id: str) -> Visualization:
    viz = services().visualizations.get(viz_id) if _ID.fullmatch(viz_id) else None
    if viz is None or not viz.visible_to(current_identity().sub):
        raise NotFound(f"no visualization with id {viz_id!r}")
    return viz


def _expected_version(body: dict[str, Any]) -> int:
    header = request.headers.get("If-Match")
    if header is not None:
        raw = header.strip().removeprefix("W/").strip('"')
        if not raw.isdigit() or len(raw) > 9:
            raise BadRequest("If-Match must be the visualization's version, a whole number")
        version = int(raw)
    elif "version" in body:
        version = body["version"]
        if isinstance(version, bool) or not isinstance(version, int) or not 1 <= version < 10**9:
            raise BadRequest("version must be the visualization's version, a whole number")
    else:
        raise PreconditionRequired('send the version you started from: If-Match: <version> or "version"')
    if "version" in body and body["version"] != version:
        raise BadRequest("If-Match and version disagree")
    return version


def _conflict(message: str, viz_id: str) -> ResponseReturnValue:
    current = services().visualizations.get(viz_id)
    visible = current is not None and current.visible_to(current_identity().sub)
    return jsonify(error=message, current=current.to_api() if visible and current else None), 409


def _save(before: Visualization, after: Visualization, expected: int) -> ResponseReturnValue:
    """Store `after` as version expected + 1 with its parameter history; then tell the topic."""
    svc = services()
    if after == before:
        return jsonify(before.to_api())
    if before.version != expected:
        return _conflict(
            f"the visualization changed: it is at version {before.version}, not {expected}", before.id
        )
    now = _now_ms()
    who = current_identity().who()
    after = dataclasses.replace(after, version=expected + 1, updated_at=max(now, before.updated_at))
    changes = parameter_changes(before.parameters, after.parameters)
    try:
        svc.visualizations.save(after, expected, changes, who, now)
    except StaleVersion:
        # Someone saved between our read and our write: the condition refused the older state.
        return _conflict("the visualization changed while you were editing it", before.id)
    if changes:
        from .live import publish_params  # on use: the WebSocket side stays off cold start

        publish_params(
            svc.topics, svc.broadcaster, svc.settings.management_endpoint, after, who, svc.failures
        )
    if before.shared and not after.shared:
        _revoke(after.id, after.visible_to, "unshared")
    return jsonify(after.to_api())


def _revoke(viz_id: str, still_sees: Callable[[str], bool], reason: str) -> None:
    """Members who may no longer see it leave its topic and are told; this instance's cursor
    relay forgets the topic's cached members (other instances' caches expire within 2 s)."""
    from .live import revoke, topic_of  # on use: the WebSocket side stays off cold start

    svc = services()
    revoke(svc.presence, svc.settings.management_endpoint, viz_id, still_sees, reason, svc.failures)
    svc.cursor_relay.forget_topic(topic_of(viz_id))


@bp.get("")
def list_visualizations() -> ResponseReturnValue:
    page = services().visualizations.visible_to(
        current_identity().sub, limit_arg(default=DEFAULT_LIST_PAGE), request.args.get("cursor") or None
    )
    return jsonify(page.to_api())


@bp.post("")
@requires(Role.REVIEWER)
def create() -> ResponseReturnValue:
    body = _body(_CREATE_KEYS)
    name = check_name(body.get("name"))
    kind = check_type(body.get("type"))
    now = _now_ms()
    parameters = merge(kind, {}, body.get("parameters", {}), now_ms=now)
    shared = body.get("shared", False)
    if not isinstance(shared, bool):
        raise BadRequest("shared must be true or false")
    me = current_identity()
    viz = Visualization(
        id=uuid.uuid4().hex,
        name=name,
        type=kind,
        parameters=parameters,
        owner_id=me.sub,
        owner=me.who(),
        shared=shared,
        version=1,
        created_at=now,
        updated_at=now,
    )
    services().visualizations.create(viz)
    return jsonify(viz.to_api()), 201, {"Location": f"/api/visualizations/{viz.id}"}


@bp.get("/<viz_id>")
def get_one(viz_id: str) -> ResponseReturnValue:
    return jsonify(_visible(viz_id).to_api())


@bp.put("/<viz_id>")
@requires(Role.REVIEWER)
def update(viz_id: str) -> ResponseReturnValue:
    body = _body(_UPDATE_KEYS)
    expected = _expected_version(body)
    viz = _visible(viz_id)
    if "type" in body and body["type"] != viz.type:
        raise BadRequest("type cannot change; create a new visualization")
    me = current_identity()
    name = check_name(body["name"]) if "name" in body else viz.name
    shared = body.get("shared", viz.shared)
    if not isinstance(shared, bool):
        raise BadRequest("shared must be true or false")
    if (name != viz.name or shared != viz.shared) and not (viz.owner_id == me.sub or me.may(Role.ADMIN)):
        raise Forbidden("only its owner or an admin may rename, share or unshare a visualization")
    parameters = (
        merge(viz.type, viz.parameters, body["parameters"], now_ms=_now_ms())
        if "parameters" in body
        else viz.parameters
    )
    return _save(viz, dataclasses.replace(viz, name=name, shared=shared, parameters=parameters), expected)


@bp.delete("/<viz_id>")
@requires(Role.REVIEWER)
def delete(viz_id: str) -> ResponseReturnValue:
    viz = _visible(viz_id)
    me = current_identity()
    if viz.owner_id != me.sub and not me.may(Role.ADMIN):
        raise Forbidden("only its owner or an admin may delete a visualization")
    try:
        services().visualizations.delete(viz_id, sub=me.sub, admin=me.may(Role.ADMIN))
    except NotAllowed as exc:
        # Deleted or unshared between our read and the conditional delete.
        _visible(viz_id)
        raise Forbidden("only its owner or an admin may delete a visualization") from exc
    _revoke(viz_id, lambda _sub: False, "deleted")
    return "", 204


@bp.post("/<viz_id>/parameters")
@requires(Role.REVIEWER)
def change_parameters(viz_id: str) -> ResponseReturnValue:
    body = _body(_CHANGE_KEYS)
    expected = _expected_version(body)
    if "parameters" not in body:
        raise BadRequest('send {"parameters": {…}, "version": <version>}')
    viz = _visible(viz_id)
    parameters = merge(viz.type, viz.parameters, body["parameters"], now_ms=_now_ms())
    return _save(viz, dataclasses.replace(viz, parameters=parameters), expected)


@bp.get("/<viz_id>/data")
def visualization_data(viz_id: str) -> ResponseReturnValue:
    viz = _visible(viz_id)
    since, until = data.window(viz, _now_ms())
    rows, truncated = data.read_rows(services().invoices, since, until)
    return jsonify(data.compute(viz, rows, truncated, since, until))


@bp.get("/<viz_id>/history")
def history(viz_id: str) -> ResponseReturnValue:
    _visible(viz_id)
    page = services().visualizations.history(
        viz_id, limit_arg(default=50), request.args.get("cursor") or None
    )
    return jsonify(page.to_api())

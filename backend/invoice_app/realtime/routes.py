"""API Gateway WebSocket routes: $connect, $disconnect and client messages ($default or custom)."""

from __future__ import annotations

import logging
import time
from typing import Any

from ..core import safe_json
from ..core.errors import StorageUnavailable
from . import messages
from .actions import Caller
from .hub import Realtime
from .registry import Viewer
from .transport import ConnectionGone, MessageTooLarge, SendFailed

log = logging.getLogger(__name__)

OK = {"statusCode": 200}
MAX_CLIENT_MESSAGE = 32 * 1024


def handle_websocket_event(event: dict[str, Any], realtime: Realtime) -> dict[str, Any]:
    ctx = event["requestContext"]
    route = ctx.get("routeKey", "")
    connection_id = ctx["connectionId"]
    if route == "$connect":
        return _connect(event, ctx, connection_id, realtime)
    if route == "$disconnect":
        return _disconnect(ctx, connection_id, realtime)
    return _message(event, ctx, connection_id, realtime)


def viewer_from_authorizer(ctx: dict[str, Any]) -> Viewer | None:
    """The viewer the $connect authorizer verified (its context), or None when there is none."""
    auth = ctx.get("authorizer")
    if not isinstance(auth, dict):
        return None
    sub = auth.get("sub") or auth.get("principalId")
    if not isinstance(sub, str) or not sub or (sub == "anonymous" and "exp" not in auth):
        return None
    try:
        expires = int(auth["exp"]) if auth.get("exp") not in (None, "") else None
    except (TypeError, ValueError, OverflowError):  # OverflowError: an infinite float
        return None
    if expires is not None and not 0 < expires < 2**53:
        return None
    roles = auth.get("roles")
    return Viewer(
        user_id=sub,
        email=str(auth.get("email") or ""),
        name=str(auth.get("name") or auth.get("email") or ""),
        roles=tuple(r for r in str(roles or "viewer").split(",") if r),
        token_expires_at=expires,
    )


def _connect(
    event: dict[str, Any], ctx: dict[str, Any], connection_id: str, realtime: Realtime
) -> dict[str, Any]:
    identity = ctx.get("identity") or {}
    headers = {k.lower(): v for k, v in (event.get("headers") or {}).items()}
    viewer = viewer_from_authorizer(ctx)
    if viewer is None and realtime.require_viewer:
        # On AWS the authorizer always runs first; reaching here without it is a wiring mistake,
        # and an unchecked connection must not receive anything.
        log.error("refused %s: $connect without the authorizer's context", connection_id)
        return {"statusCode": 401, "body": "sign in first"}
    try:
        realtime.registry.add(
            connection_id,
            connected_at_ms=int(ctx.get("connectedAt") or time.time() * 1000),
            source_ip=identity.get("sourceIp") or "",
            user_agent=identity.get("userAgent") or headers.get("user-agent") or "",
            viewer=viewer,
        )
    except StorageUnavailable as exc:
        # A non-200 answer makes API Gateway refuse the connection; the client will retry.
        log.error("could not register connection %s: %s", connection_id, exc)
        realtime.failures.add("connections")
        return {"statusCode": 500, "body": "connection registry unavailable"}
    log.info("connected %s", connection_id)
    return OK


def _disconnect(ctx: dict[str, Any], connection_id: str, realtime: Realtime) -> dict[str, Any]:
    try:
        realtime.registry.remove(connection_id)
    except StorageUnavailable as exc:
        log.error("could not remove connection %s: %s", connection_id, exc)
        realtime.failures.add("connections")
        return {"statusCode": 500, "body": "connection registry unavailable"}
    log.info("disconnected %s (%s)", connection_id, ctx.get("disconnectReason", ""))
    # Its topics lose a viewer (presence); a failure there is logged by the listener, the TTL cleans up.
    realtime.broadcaster.notify_gone(realtime.endpoint(ctx), [connection_id])
    return OK


def parse_message(event: dict[str, Any], route: str) -> tuple[str | None, dict[str, Any], str | None]:
    """(action, payload, error): the client's action and message, or why it cannot be understood."""
    body = event.get("body")
    if route and not route.startswith("$"):
        # A custom route selected by $request.body.action; the body was JSON for API Gateway.
        try:
            payload = (
                safe_json.loads(body, max_bytes=MAX_CLIENT_MESSAGE) if isinstance(body, str) and body else {}
            )
        except safe_json.InvalidJson:
            payload = {}
        return route, payload if isinstance(payload, dict) else {}, None
    if body is None or body == "":
        return None, {}, 'empty message: send JSON such as {"action": "getMetrics"}'
    if not isinstance(body, str):
        return None, {}, "message must be JSON text"
    try:
        payload = safe_json.loads(body, max_bytes=MAX_CLIENT_MESSAGE, what="the message")
    except safe_json.InvalidJson as exc:
        return None, {}, exc.message
    if not isinstance(payload, dict) or not isinstance(payload.get("action"), str):
        return None, {}, 'message needs a string "action" field'
    return payload["action"], payload, None


def _message(
    event: dict[str, Any], ctx: dict[str, Any], connection_id: str, realtime: Realtime
) -> dict[str, Any]:
    action, payload, problem = parse_message(event, ctx.get("routeKey", ""))
    endpoint = realtime.endpoint(ctx)
    if endpoint is None:
        log.error("cannot answer %s: no management endpoint (set WS_ENDPOINT)", connection_id)
        realtime.failures.add("websocket")
        return OK
    try:
        caller = Caller(connection_id, endpoint)
        reply = (
            messages.error(problem) if action is None else realtime.actions.dispatch(action, payload, caller)
        )
        if reply is not None:
            realtime.broadcaster.send(endpoint, connection_id, reply)
    except ConnectionGone:
        realtime.broadcaster.forget(connection_id, endpoint)
        realtime.failures.add("websocket")
    except (SendFailed, MessageTooLarge) as exc:
        log.warning("answering %s on %s failed: %s", action, connection_id, exc)
        realtime.failures.add("websocket")
    except StorageUnavailable as exc:
        log.error("answering %s on %s failed: %s", action, connection_id, exc)
        realtime.failures.add("websocket")
    return OK

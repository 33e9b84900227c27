"""API Gateway WebSocket events ($connect, $disconnect, client messages) → the realtime routes.

The routes read the event's fields as API Gateway sends them; `normalise` makes sure they are
(a test tool, a replay or a hand-made event can send anything): the ids are strings, the optional
parts objects of strings, or the event is answered with a 400 here and never reaches the routes.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from ..realtime import messages
from ..realtime.routes import handle_websocket_event
from ..realtime.transport import ConnectionGone, MessageTooLarge, SendFailed

if TYPE_CHECKING:
    from ..services import Services

log = logging.getLogger(__name__)

# API Gateway's connection ids are 16 characters; anything far longer is not one.
MAX_CONNECTION_ID = 128
_MAX_EPOCH_MS = 2**53 - 1


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _context(value: dict[str, Any]) -> dict[str, Any]:
    """An object without the keys and strings UTF-8 cannot carry (a lone surrogate): they would
    reach the connection record, which DynamoDB refuses to store."""
    return {
        k: v
        for k, v in value.items()
        if isinstance(k, str) and _encodable(k) and (not isinstance(v, str) or _encodable(v))
    }


def _strings(value: Any) -> dict[str, str]:
    """The str → str pairs of an object that UTF-8 can carry (anything else: none)."""
    if not isinstance(value, dict):
        return {}
    return {k: v for k, v in _context(value).items() if isinstance(v, str)}


def normalise(event: dict[str, Any]) -> tuple[dict[str, Any] | None, str]:
    """(the event with well-typed fields, "") or (None, what is wrong with it)."""
    ctx = event.get("requestContext")
    if not isinstance(ctx, dict):
        return None, "requestContext must be an object"
    connection_id, route = ctx.get("connectionId"), ctx.get("routeKey")
    if not isinstance(connection_id, str) or not 0 < len(connection_id) <= MAX_CONNECTION_ID:
        return None, "requestContext.connectionId must be a connection id"
    if not _encodable(connection_id):  # a lone surrogate: no table key, no @connections URL
        return None, "requestContext.connectionId must be a connection id"
    if not isinstance(route, str) or not route:
        return None, "requestContext.routeKey must be a string"
    clean_ctx: dict[str, Any] = {**ctx, "identity": _strings(ctx.get("identity"))}
    for name in ("domainName", "stage", "disconnectReason"):
        if not isinstance(ctx.get(name), str):
            clean_ctx.pop(name, None)
    connected_at = ctx.get("connectedAt")
    whole = isinstance(connected_at, int) and not isinstance(connected_at, bool)
    if not whole or not 0 < connected_at <= _MAX_EPOCH_MS:
        clean_ctx.pop("connectedAt", None)
    if isinstance(ctx.get("authorizer"), dict):
        clean_ctx["authorizer"] = _context(ctx["authorizer"])
    else:
        clean_ctx.pop("authorizer", None)
    return {**event, "requestContext": clean_ctx, "headers": _strings(event.get("headers"))}, ""


def handle(event: dict[str, Any], services: Services) -> dict[str, Any]:
    clean, problem = normalise(event)
    if clean is None:
        return {"statusCode": 400, "body": problem}
    ctx = clean["requestContext"]
    route, connection_id = ctx["routeKey"], ctx["connectionId"]
    if route == "$disconnect":
        services.ws_gate.forget(connection_id)
    elif route != "$connect":
        verdict = services.ws_gate.check(connection_id, clean.get("body"))
        if not verdict.allowed:
            _refuse(clean, services, verdict.error, close=verdict.close)
            return {"statusCode": 200}
    return handle_websocket_event(clean, services.realtime)


def _refuse(event: dict[str, Any], services: Services, error: str | None, *, close: bool) -> None:
    """An error frame for a message over the limits; on sustained abuse, close the connection."""
    ctx = event["requestContext"]
    connection_id = ctx["connectionId"]
    realtime = services.realtime
    endpoint = realtime.endpoint(ctx)
    if error is None:  # within a second of the last error frame: silent, and no log line per message
        log.debug("refused a message of %s (over the rate)", connection_id)
        return
    log.warning("refused a message of %s: %s", connection_id, error)
    if endpoint is None:
        return
    try:
        realtime.broadcaster.send(endpoint, connection_id, messages.error(error))
        if close:
            log.warning("closing %s: sustained abuse of the message limits", connection_id)
            services.ws_closer.close(endpoint, connection_id)
    except ConnectionGone:
        pass  # already closed; its record goes below or by TTL
    except (SendFailed, MessageTooLarge) as exc:
        log.warning("answering the refused message of %s failed: %s", connection_id, exc)
    if close:
        services.ws_gate.forget(connection_id)
        realtime.broadcaster.forget(connection_id, endpoint)

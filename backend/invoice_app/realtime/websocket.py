"""API Gateway WebSocket routes: $connect, $disconnect and $default (client actions)."""

from __future__ import annotations

import json
import logging
import time
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from ..services import Services
from . import messages

log = logging.getLogger(__name__)

OK = {"statusCode": 200}
MAX_CLIENT_MESSAGE = 32 * 1024


def handle_websocket_event(event: dict[str, Any], services: Services) -> dict[str, Any]:
    ctx = event["requestContext"]
    route = ctx.get("routeKey", "")
    connection_id = ctx["connectionId"]
    if route == "$connect":
        return _connect(event, ctx, connection_id, services)
    if route == "$disconnect":
        return _disconnect(ctx, connection_id, services)
    return _message(event, ctx, connection_id, services)


def _connect(
    event: dict[str, Any], ctx: dict[str, Any], connection_id: str, services: Services
) -> dict[str, Any]:
    identity = ctx.get("identity") or {}
    headers = {k.lower(): v for k, v in (event.get("headers") or {}).items()}
    try:
        services.connections.add(
            connection_id,
            connected_at_ms=int(ctx.get("connectedAt") or time.time() * 1000),
            source_ip=identity.get("sourceIp") or "",
            user_agent=identity.get("userAgent") or headers.get("user-agent") or "",
        )
    except (ClientError, BotoCoreError) as exc:
        # A non-200 answer makes API Gateway refuse the connection; the client will retry.
        log.error("could not register connection %s: %s", connection_id, exc)
        services.failures.add("connections")
        return {"statusCode": 500, "body": "connection registry unavailable"}
    log.info("connected %s", connection_id)
    return OK


def _disconnect(ctx: dict[str, Any], connection_id: str, services: Services) -> dict[str, Any]:
    try:
        services.connections.remove(connection_id)
    except (ClientError, BotoCoreError) as exc:
        log.error("could not remove connection %s: %s", connection_id, exc)
        services.failures.add("connections")
        return {"statusCode": 500, "body": "connection registry unavailable"}
    log.info("disconnected %s (%s)", connection_id, ctx.get("disconnectReason", ""))
    return OK


def _parse_action(event: dict[str, Any], route: str) -> tuple[str | None, str | None]:
    """(action, error): the client's action, or why the message cannot be understood."""
    if route and not route.startswith("$"):
        return route, None  # a custom route selected by $request.body.action
    body = event.get("body")
    if body is None or body == "":
        return None, 'empty message: send JSON such as {"action": "getMetrics"}'
    if len(body) > MAX_CLIENT_MESSAGE:
        return None, "message too large"
    try:
        payload = json.loads(body)
    except (TypeError, ValueError):
        return None, "message is not valid JSON"
    if not isinstance(payload, dict) or not isinstance(payload.get("action"), str):
        return None, 'message needs a string "action" field'
    return payload["action"], None


def _message(
    event: dict[str, Any], ctx: dict[str, Any], connection_id: str, services: Services
) -> dict[str, Any]:
    action, problem = _parse_action(event, ctx.get("routeKey", ""))
    endpoint = services.management_endpoint(ctx)
    if endpoint is None:
        log.error("cannot answer %s: no management endpoint (set WS_ENDPOINT)", connection_id)
        services.failures.add("websocket")
        return OK
    try:
        if problem is not None:
            reply = messages.error(problem)
        elif action == "getMetrics":
            reply = messages.metrics_update(services.metrics.snapshot())
        elif action == "ping":
            reply = messages.pong()
        else:
            reply = messages.error(f"unknown action {action!r}; use getMetrics or ping")
        outcome = services.broadcaster.send(endpoint, connection_id, reply)
    except (ClientError, BotoCoreError) as exc:
        log.error("answering %s on %s failed: %s", action, connection_id, exc)
        services.failures.add("websocket")
        return OK
    if outcome != "sent":
        services.failures.add("websocket")
    return OK

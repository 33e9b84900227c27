"""Lambda entrypoint (SAM handler `app.lambda_handler`): one function for HTTP, WebSocket and streams.

The event's shape decides the route (`invoice_app/events/classify.py`):
- `type: "REQUEST"` + `methodArn`              → the WebSocket $connect authorizer (Allow/Deny policy)
- `requestContext.routeKey` + `connectionId`  → API Gateway WebSocket ($connect/$disconnect/$default)
- `Records[*].eventSource == "aws:dynamodb"`  → DynamoDB Stream batch of the metrics table
- REST v1, HTTP API v2, function URL, ALB     → the Flask app through serverless-wsgi
Anything else is logged and answered with a 400; nothing raises out of the handler.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from flask import Flask

from invoice_app import create_app, get_services
from invoice_app.events import http
from invoice_app.events.classify import EventKind, classify_event

log = logging.getLogger("invoice_app.handler")

_app: Flask | None = None


def get_app() -> Flask:
    """The app of this execution environment, built on the first invocation (not at import)."""
    global _app
    if _app is None:
        _app = create_app()
    return _app


def _bad_event(reason: str) -> dict[str, Any]:
    return {
        "statusCode": 400,
        "headers": {"Content-Type": "application/json"},
        "body": json.dumps({"error": reason}),
    }


def lambda_handler(event: Any, context: Any) -> dict[str, Any]:
    kind, reason = classify_event(event)
    if kind is EventKind.UNKNOWN:
        log.error(
            "unrecognised event (%s); keys: %s",
            reason,
            sorted(event)[:20] if isinstance(event, dict) else type(event),
        )
        return _bad_event(f"unrecognised event: {reason}")
    try:
        app = get_app()
        if kind is EventKind.AUTHORIZER:
            from invoice_app.events import authorizer

            return authorizer.handle(event, get_services(app))
        if kind is EventKind.WEBSOCKET:
            from invoice_app.events import websocket

            return websocket.handle(event, get_services(app))
        if kind is EventKind.STREAM:
            from invoice_app.events import stream

            return stream.handle_stream_batch(event, get_services(app))
        return http.handle(app, event, context)
    except Exception:
        # The last line of defence: the route handlers map every expected failure themselves.
        log.exception("%s event failed", kind.value)
        if kind is EventKind.AUTHORIZER:
            from invoice_app.auth.authorizer import deny

            return deny(str(event.get("methodArn") or ""), "internal error")
        if kind is EventKind.STREAM:
            # Report the batch as failed so Lambda retries it, then hands it to the on-failure queue.
            from invoice_app.events.stream import failed_batch

            return failed_batch(event)
        return {"statusCode": 500, "body": json.dumps({"error": "internal error"})}

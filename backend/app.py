"""Lambda entrypoint (SAM handler `app.lambda_handler`): one function for HTTP, WebSocket and streams.

The event's shape decides the route (`invoice_app/events/classify.py`):
- `type: "REQUEST"` + `methodArn`              → the WebSocket $connect authorizer (Allow/Deny policy)
- `requestContext.routeKey` + `connectionId`  → API Gateway WebSocket ($connect/$disconnect/$default)
- `Records[*].eventSource == "aws:dynamodb"`  → DynamoDB Stream batch of the metrics table
- `Records[*].eventSource == "aws:sqs"`       → the broadcast queue: shards of a large fan-out
- REST v1, HTTP API v2, function URL, ALB     → the Flask app through serverless-wsgi
Anything else is logged and answered with a 400; nothing raises out of the handler.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from flask import Flask

from invoice_app import create_app, get_services
from invoice_app.core.logging import log_context
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


def _keys(event: Any) -> Any:
    return sorted(str(k) for k in event)[:20] if isinstance(event, dict) else type(event).__name__


def _ids(event: Any, context: Any) -> dict[str, str | None]:
    """The ids every log line of this invocation carries (read defensively: any event shape)."""
    ctx = event.get("requestContext") if isinstance(event, dict) else None
    ctx = ctx if isinstance(ctx, dict) else {}
    request_id = getattr(context, "aws_request_id", None) or ctx.get("requestId")
    connection_id = ctx.get("connectionId")
    return {
        "requestId": request_id if isinstance(request_id, str) else None,
        "connectionId": connection_id[:128] if isinstance(connection_id, str) else None,
    }


def lambda_handler(event: Any, context: Any) -> dict[str, Any]:
    with log_context(**_ids(event, context)):
        return _dispatch(event, context)


def _dispatch(event: Any, context: Any) -> dict[str, Any]:
    try:
        kind, reason = classify_event(event)
    except Exception:  # classification only reads the event; kept from raising all the same
        log.exception("classifying an event failed")
        return _bad_event("unrecognised event")
    if kind is EventKind.UNKNOWN:
        log.error("unrecognised event (%s); keys: %s", reason, _keys(event))
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
        if kind is EventKind.QUEUE:
            from invoice_app.events import sqs

            return sqs.handle_sqs_batch(event, get_services(app), context)
        return http.handle(app, event, context)
    except Exception:
        # The last line of defence: the route handlers map every expected failure themselves.
        log.exception("%s event failed", kind.value)
        return _failure_answer(kind, event)


def _failure_answer(kind: EventKind, event: dict[str, Any]) -> dict[str, Any]:
    """What a failed event of `kind` answers; reads the event defensively and cannot raise itself."""
    internal = {
        "statusCode": 500,
        "headers": {"Content-Type": "application/json"},
        "body": json.dumps({"error": "internal error"}),
    }
    try:
        if kind is EventKind.AUTHORIZER:
            from invoice_app.auth.authorizer import deny

            arn = event.get("methodArn")
            return deny(arn if isinstance(arn, str) else "", "internal error")
        if kind is EventKind.STREAM:
            # Report the batch as failed so Lambda retries it, then hands it to the on-failure queue.
            from invoice_app.events.stream import failed_batch

            return failed_batch(event)
        if kind is EventKind.QUEUE:
            # Every message of the batch is redelivered (the ledger stops a redrive's double sends).
            ids = [r.get("messageId") for r in event.get("Records") or [] if isinstance(r, dict)]
            return {"batchItemFailures": [{"itemIdentifier": i} for i in ids if isinstance(i, str) and i]}
    except Exception:
        log.exception("answering a failed %s event failed too", kind.value)
        if kind in (EventKind.STREAM, EventKind.QUEUE):
            return {"batchItemFailures": []}
        if kind is EventKind.AUTHORIZER:
            return {"principalId": "anonymous", "policyDocument": {"Version": "2012-10-17", "Statement": []}}
    return internal

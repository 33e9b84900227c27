"""Recognise which AWS service invoked the Lambda from the event's shape."""

from __future__ import annotations

import enum
from typing import Any


class EventKind(enum.Enum):
    AUTHORIZER = "authorizer"
    WEBSOCKET = "websocket"
    STREAM = "stream"
    QUEUE = "queue"  # the broadcast queue (SQS): shards of a large fan-out
    HTTP = "http"
    UNKNOWN = "unknown"


def classify_event(event: Any) -> tuple[EventKind, str]:
    """(kind, reason); the reason says what was wrong when the kind is UNKNOWN."""
    if not isinstance(event, dict):
        return EventKind.UNKNOWN, f"event is a {type(event).__name__}, not an object"
    ctx = event.get("requestContext")
    # First: a WebSocket $connect authorizer event also carries connectionId and routeKey.
    if event.get("type") == "REQUEST" and "methodArn" in event:
        return EventKind.AUTHORIZER, ""
    if isinstance(ctx, dict) and ctx.get("connectionId") and ctx.get("routeKey"):
        return EventKind.WEBSOCKET, ""
    records = event.get("Records")
    if records is not None:
        if not isinstance(records, list) or not records:
            return EventKind.UNKNOWN, "Records is empty or not a list"
        if all(isinstance(r, dict) and r.get("eventSource") == "aws:dynamodb" for r in records):
            return EventKind.STREAM, ""
        if all(isinstance(r, dict) and r.get("eventSource") == "aws:sqs" for r in records):
            return EventKind.QUEUE, ""
        return EventKind.UNKNOWN, "Records are not all DynamoDB stream records or all SQS messages"
    if "httpMethod" in event and isinstance(event.get("headers", {}), dict | None):
        return EventKind.HTTP, ""  # REST API v1 or ALB
    if event.get("version") == "2.0" and isinstance(ctx, dict) and isinstance(ctx.get("http"), dict):
        if "rawPath" not in event:
            return EventKind.UNKNOWN, "HTTP API event without rawPath"
        return EventKind.HTTP, ""  # HTTP API v2 or function URL
    return EventKind.UNKNOWN, "not an HTTP, WebSocket, DynamoDB Stream or SQS event"

"""Build the events API Gateway sends to Lambda: HTTP API v2 payloads and WebSocket route events."""

from __future__ import annotations

import base64
import os
import time
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl

API_ID = "local"
ACCOUNT_ID = "000000000000"
REGION = "us-east-1"

# HTTP API passes these content types as text; anything else arrives base64-encoded.
_TEXT_TYPES = (
    "text/",
    "application/json",
    "application/xml",
    "application/javascript",
    "application/x-www-form",
)


def new_connection_id() -> str:
    """An id shaped like API Gateway's: 11 random bytes, base64 → 16 characters ending in '='."""
    return base64.b64encode(os.urandom(11)).decode()


def _request_time(now: float) -> str:
    return datetime.fromtimestamp(now, UTC).strftime("%d/%b/%Y:%H:%M:%S +0000")


def _request_id() -> str:
    return base64.b64encode(os.urandom(12)).decode().rstrip("=")


def is_text_body(content_type: str) -> bool:
    return content_type.lower().startswith(_TEXT_TYPES)


def http_api_event(
    *,
    method: str,
    path: str,
    query: str,
    headers: Iterable[tuple[str, str]],
    body: bytes,
    source_ip: str,
    host: str,
) -> dict[str, Any]:
    """An HTTP API payload v2.0 event, as API Gateway builds it from a request."""
    joined: dict[str, str] = {}
    cookies: list[str] = []
    for name, value in headers:
        key = name.lower()
        if key == "cookie":
            cookies.extend(c.strip() for c in value.split(";") if c.strip())
            continue
        joined[key] = f"{joined[key]},{value}" if key in joined else value
    now = time.time()
    user_agent = joined.get("user-agent", "")
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": path,
        "rawQueryString": query,
        "headers": joined,
        "requestContext": {
            "accountId": ACCOUNT_ID,
            "apiId": API_ID,
            "domainName": host,
            "domainPrefix": host.split(".")[0],
            "http": {
                "method": method,
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": source_ip,
                "userAgent": user_agent,
            },
            "requestId": _request_id(),
            "routeKey": "$default",
            "stage": "$default",
            "time": _request_time(now),
            "timeEpoch": int(now * 1000),
        },
        "isBase64Encoded": False,
    }
    if cookies:
        event["cookies"] = cookies
    if query:
        params: dict[str, str] = {}
        for key, value in parse_qsl(query, keep_blank_values=True):
            params[key] = f"{params[key]},{value}" if key in params else value
        event["queryStringParameters"] = params
    if body:
        if is_text_body(joined.get("content-type", "")):
            event["body"] = body.decode("utf-8", "replace")
        else:
            event["body"] = base64.b64encode(body).decode()
            event["isBase64Encoded"] = True
    return event


def websocket_event(
    route_key: str,
    connection_id: str,
    *,
    stage: str,
    domain: str,
    connected_at_ms: int,
    source_ip: str,
    user_agent: str,
    headers: dict[str, str] | None = None,
    query: dict[str, str] | None = None,
    body: str | None = None,
    is_base64: bool = False,
    disconnect: tuple[int, str] | None = None,
    authorizer: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A WebSocket API event for $connect, $disconnect, $default or a custom route.

    `authorizer`: what the $connect authorizer answered (its context and principalId); API
    Gateway puts it into `requestContext.authorizer` of every event of that connection.
    """
    ctx = _websocket_request_context(
        route_key,
        connection_id,
        stage=stage,
        domain=domain,
        connected_at_ms=connected_at_ms,
        source_ip=source_ip,
        user_agent=user_agent,
    )
    event_type = ctx["eventType"]
    if authorizer is not None:
        ctx["authorizer"] = dict(authorizer)
    event: dict[str, Any] = {"requestContext": ctx, "isBase64Encoded": is_base64}
    if event_type == "MESSAGE":
        ctx["messageId"] = uuid.uuid4().hex[:16]
        event["body"] = body
    if headers is not None:
        event["headers"] = headers
        event["multiValueHeaders"] = {k: [v] for k, v in headers.items()}
    if event_type == "CONNECT":
        event["queryStringParameters"] = query or None
    if disconnect is not None:
        ctx["disconnectStatusCode"], ctx["disconnectReason"] = disconnect
    return event


def method_arn(stage: str, route_key: str = "$connect", *, api_id: str = API_ID) -> str:
    """The ARN a WebSocket authorizer's policy must allow: no HTTP method, the route key last."""
    return f"arn:aws:execute-api:{REGION}:{ACCOUNT_ID}:{api_id}/{stage}/{route_key}"


def websocket_authorizer_event(
    connection_id: str,
    *,
    stage: str,
    domain: str,
    connected_at_ms: int,
    source_ip: str,
    user_agent: str,
    headers: dict[str, str],
    query: list[tuple[str, str]],
) -> dict[str, Any]:
    """The input of a REQUEST authorizer on a WebSocket API's `$connect` route.

    As AWS documents it: `type`, `methodArn`, headers and query string in single- and
    multi-value form, `stageVariables`, and the `$connect` request context (without an
    `authorizer`, which is what this invocation decides).
    """
    single_query: dict[str, str] = {}
    multi_query: dict[str, list[str]] = {}
    for key, value in query:
        single_query[key] = value  # the last value, as API Gateway's single-value map
        multi_query.setdefault(key, []).append(value)
    return {
        "type": "REQUEST",
        "methodArn": method_arn(stage),
        "headers": dict(headers),
        "multiValueHeaders": {k: [v] for k, v in headers.items()},
        "queryStringParameters": single_query,
        "multiValueQueryStringParameters": multi_query,
        "stageVariables": {},
        "requestContext": _websocket_request_context(
            "$connect",
            connection_id,
            stage=stage,
            domain=domain,
            connected_at_ms=connected_at_ms,
            source_ip=source_ip,
            user_agent=user_agent,
        ),
    }


def _websocket_request_context(
    route_key: str,
    connection_id: str,
    *,
    stage: str,
    domain: str,
    connected_at_ms: int,
    source_ip: str,
    user_agent: str,
) -> dict[str, Any]:
    now = time.time()
    event_type = {"$connect": "CONNECT", "$disconnect": "DISCONNECT"}.get(route_key, "MESSAGE")
    return {
        "routeKey": route_key,
        "eventType": event_type,
        "extendedRequestId": _request_id(),
        "requestTime": _request_time(now),
        "messageDirection": "IN",
        "stage": stage,
        "connectedAt": connected_at_ms,
        "requestTimeEpoch": int(now * 1000),
        "identity": {"sourceIp": source_ip, "userAgent": user_agent},
        "requestId": _request_id(),
        "domainName": domain,
        "connectionId": connection_id,
        "apiId": API_ID,
    }

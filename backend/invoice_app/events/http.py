"""HTTP events (REST v1, HTTP API v2, function URL, ALB) → the Flask app through serverless-wsgi.

serverless-wsgi indexes the event as API Gateway builds it: `headers` an object of strings, a
string method and path, a body that is valid base64 when `isBase64Encoded`. `normalise` checks
exactly that first, so a shape AWS never sends (a null method, headers that are a list, invalid
base64, a header with a newline, text that is not UTF-8) is a 400 `{"error"}` here, never an
exception inside serverless-wsgi or werkzeug.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from typing import Any

import serverless_wsgi
from flask import Flask

# An HTTP method is a token (RFC 9110).
_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]{1,32}")
# werkzeug refuses header names and values with these (and rightly so).
_HEADER_BREAK = re.compile(r"[\r\n\x00]")


class BadHttpEvent(ValueError):
    """The event is not one API Gateway, a function URL or an ALB would send."""


def _text(value: Any, what: str, *, optional: bool = False) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise BadHttpEvent(f"{what} must be a string")
    return value


def _object(value: Any, what: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise BadHttpEvent(f"{what} must be an object")
    return value


def _headers(value: Any, what: str, *, multi: bool) -> dict[str, Any]:
    headers = _object(value, what)
    for name, values in headers.items():
        if not isinstance(name, str) or not name or _HEADER_BREAK.search(name):
            raise BadHttpEvent(f"{what} has a header name that is not one")
        for item in values if multi and isinstance(values, list) else [values]:
            if not isinstance(item, str) or _HEADER_BREAK.search(item):
                raise BadHttpEvent(f"{what}[{name[:40]!r}] must be text on one line")
    return headers


def _query(value: Any, what: str, *, multi: bool) -> dict[str, Any] | None:
    if value is None:
        return None
    params = _object(value, what)
    for name, values in params.items():
        items = values if multi and isinstance(values, list) else [values]
        if not isinstance(name, str) or not all(isinstance(v, str) for v in items):
            raise BadHttpEvent(f"{what} must map names to strings")
    return params


def _method(value: Any, what: str) -> str:
    if not isinstance(value, str) or not _TOKEN.fullmatch(value):
        raise BadHttpEvent(f"{what} must be an HTTP method")
    return value


def normalise(event: dict[str, Any]) -> dict[str, Any]:
    """A copy of the event with exactly the well-typed fields serverless-wsgi reads; BadHttpEvent else."""
    try:
        json.dumps(event, ensure_ascii=False, allow_nan=True).encode("utf-8")
    except (TypeError, ValueError) as exc:  # UnicodeEncodeError: a lone surrogate somewhere
        raise BadHttpEvent("the event holds something that is not JSON text") from exc
    ctx = dict(_object(event.get("requestContext"), "requestContext"))
    for name in ("identity", "http", "elb"):
        if name in ctx and not isinstance(ctx[name], dict):
            raise BadHttpEvent(f"requestContext.{name} must be an object")
    if ctx.get("authorizer") is None:
        ctx.pop("authorizer", None)  # serverless-wsgi reads .get("authorizer", {}).get(…)
    elif not isinstance(ctx["authorizer"], dict):
        raise BadHttpEvent("requestContext.authorizer must be an object")
    encoded = event.get("isBase64Encoded")
    if encoded not in (None, True, False):
        raise BadHttpEvent("isBase64Encoded must be true or false")
    body = _text(event.get("body"), "body", optional=True)
    if encoded and body:
        try:
            base64.b64decode(body, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise BadHttpEvent("the body is not valid base64 (isBase64Encoded is true)") from exc
    clean: dict[str, Any] = {
        "headers": _headers(event.get("headers"), "headers", multi=False),
        "body": body or "",
        # Always a boolean: serverless-wsgi takes an event without it for a "lambda integration".
        "isBase64Encoded": bool(encoded),
        "requestContext": ctx,
    }
    if event.get("version") == "2.0":
        _method(_object(ctx.get("http"), "requestContext.http").get("method"), "requestContext.http.method")
        cookies = event.get("cookies")
        listed = isinstance(cookies, list) and all(isinstance(c, str) for c in cookies)
        if cookies is not None and not listed:
            raise BadHttpEvent("cookies must be a list of strings")
        clean.update(
            version="2.0",
            rawPath=_text(event.get("rawPath"), "rawPath"),
            rawQueryString=_text(event.get("rawQueryString"), "rawQueryString", optional=True) or "",
            cookies=cookies or [],
        )
        return clean
    clean.update(
        httpMethod=_method(event.get("httpMethod"), "httpMethod"),
        path=_text(event.get("path"), "path") or "/",
        multiValueHeaders=_headers(event.get("multiValueHeaders"), "multiValueHeaders", multi=True),
        queryStringParameters=_query(
            event.get("queryStringParameters"), "queryStringParameters", multi=False
        ),
        multiValueQueryStringParameters=_query(
            event.get("multiValueQueryStringParameters"), "multiValueQueryStringParameters", multi=True
        ),
    )
    if "version" in event:
        clean["version"] = event["version"]
    return clean


def bad_request(reason: str) -> dict[str, Any]:
    return {
        "statusCode": 400,
        "headers": {"Content-Type": "application/json"},
        "body": json.dumps({"error": f"malformed HTTP event: {reason}"}),
    }


def handle(app: Flask, event: dict[str, Any], context: Any) -> dict[str, Any]:
    try:
        clean = normalise(event)
    except BadHttpEvent as exc:
        return bad_request(str(exc))
    return serverless_wsgi.handle_request(app, clean, context)

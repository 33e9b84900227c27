"""HTTP events (REST v1, HTTP API v2, function URL, ALB) → the Flask app through serverless-wsgi."""

from __future__ import annotations

from typing import Any

import serverless_wsgi
from flask import Flask


def handle(app: Flask, event: dict[str, Any], context: Any) -> dict[str, Any]:
    # serverless-wsgi indexes event["headers"]; a test tool's event may leave them out.
    return serverless_wsgi.handle_request(app, {**event, "headers": event.get("headers") or {}}, context)

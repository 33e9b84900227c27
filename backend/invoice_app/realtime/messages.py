"""The messages the server sends over the WebSocket (shapes in docs/contract/)."""

from __future__ import annotations

from typing import Any


def metrics_update(snapshot: dict[str, Any]) -> dict[str, Any]:
    return {"type": "metrics-update", "data": snapshot}


def pong() -> dict[str, Any]:
    return {"type": "pong"}


def error(message: str) -> dict[str, Any]:
    return {"type": "error", "error": message}


def presence(topic: str, viewers: list[dict[str, Any]]) -> dict[str, Any]:
    """Who looks at a topic: `viewers` = [{sub, name, initials, editing}] (editing: a field or None)."""
    return {"type": "presence", "topic": topic, "viewers": viewers}


def invoice_updated(update: dict[str, Any]) -> dict[str, Any]:
    """An invoice changed: `data` = {invoiceId, version, changes: [{field, old, new}], status, by}."""
    return {"type": "invoice-updated", "data": update}

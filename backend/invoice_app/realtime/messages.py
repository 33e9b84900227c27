"""The messages the server sends over the WebSocket (shapes in docs/contract/)."""

from __future__ import annotations

from typing import Any


def metrics_update(snapshot: dict[str, Any]) -> dict[str, Any]:
    return {"type": "metrics-update", "data": snapshot}


def pong() -> dict[str, Any]:
    return {"type": "pong"}


def error(message: str) -> dict[str, Any]:
    return {"type": "error", "error": message}

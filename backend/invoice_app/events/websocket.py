"""API Gateway WebSocket events ($connect, $disconnect, client messages) → the realtime routes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..realtime.routes import handle_websocket_event

if TYPE_CHECKING:
    from ..services import Services


def handle(event: dict[str, Any], services: Services) -> dict[str, Any]:
    return handle_websocket_event(event, services.realtime)

"""The messages the server sends over the WebSocket (shapes fixed by DESIGN.md)."""

from __future__ import annotations

import logging
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from ..services import Services
from .broadcaster import BroadcastResult

log = logging.getLogger(__name__)


def metrics_update(snapshot: dict[str, Any]) -> dict[str, Any]:
    return {"type": "metrics-update", "data": snapshot}


def pong() -> dict[str, Any]:
    return {"type": "pong"}


def error(message: str) -> dict[str, Any]:
    return {"type": "error", "error": message}


def broadcast_metrics(services: Services, endpoint: str | None = None) -> BroadcastResult:
    """One snapshot, sent to every connection. Raises only when DynamoDB is unreachable."""
    snapshot = services.metrics.snapshot()
    return services.broadcaster.broadcast(
        endpoint or services.management_endpoint(), metrics_update(snapshot)
    )


def try_broadcast_metrics(services: Services) -> BroadcastResult | None:
    """broadcast_metrics for callers that must not fail: a failure is logged and counted."""
    try:
        return broadcast_metrics(services)
    except (ClientError, BotoCoreError) as exc:
        log.error("metrics broadcast failed: %s", exc)
        services.failures.add("broadcast")
        return None

"""What the WebSocket side of the app needs in one object: registry, fan-out, actions, endpoint."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..core.failures import FailureCounter, record_broadcast
from ..core.settings import management_endpoint_from_ws
from .actions import ActionTable
from .broadcaster import Broadcaster, BroadcastResult
from .registry import ConnectionRegistry

if TYPE_CHECKING:
    from .presence import Presence

_LOOPBACK = ("localhost", "127.0.0.1", "::1")


@dataclass
class Realtime:
    registry: ConnectionRegistry
    broadcaster: Broadcaster
    failures: FailureCounter
    # The @connections URL from WS_ENDPOINT; None: taken from each WebSocket event.
    configured_endpoint: str | None = None
    actions: ActionTable = field(default_factory=ActionTable)
    # AUTH_MODE=cognito: a $connect without the authorizer's verified context is refused.
    require_viewer: bool = True
    # Topics and presence (subscribe/unsubscribe/focus); None until the composition root adds it.
    presence: Presence | None = None

    def endpoint(self, request_context: dict[str, Any] | None = None) -> str | None:
        """WS_ENDPOINT's https twin, else the stage URL of the WebSocket event being handled."""
        if self.configured_endpoint:
            return self.configured_endpoint
        ctx = request_context or {}
        domain, stage = ctx.get("domainName"), ctx.get("stage")
        if not domain:
            return None
        scheme = "ws" if domain.split(":")[0] in _LOOPBACK else "wss"
        return management_endpoint_from_ws(
            f"{scheme}://{domain}/{stage}" if stage else f"{scheme}://{domain}"
        )

    def broadcast(self, message: dict[str, Any]) -> BroadcastResult:
        result = self.broadcaster.broadcast(self.endpoint(), message)
        # Outcomes as CloudWatch metrics (EMF), summed over every instance; alarmed in the template.
        record_broadcast(
            sent=result.sent,
            failed=result.failed,
            gone=result.gone,
            retries=result.retries,
            message_type=str(message.get("type", "unknown")),
        )
        return result

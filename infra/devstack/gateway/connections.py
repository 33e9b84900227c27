"""The open WebSocket connections: what the WebSocket API holds and the @connections API looks up.

A `Connection` is registered when the upgrade request arrives (before `$connect` answers) and
marked `open` once the handshake completed; the management API treats anything not open as gone.
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from starlette.websockets import WebSocket, WebSocketState

from invoice_app.core.limits import WS_IDLE_TIMEOUT_SECONDS, WS_MAX_CONNECTION_LIFE_SECONDS


@dataclass(frozen=True)
class Limits:
    # API Gateway: 10 minutes without a message from the client, 2 hours in all.
    idle_timeout_s: float = float(WS_IDLE_TIMEOUT_SECONDS)
    max_life_s: float = float(WS_MAX_CONNECTION_LIFE_SECONDS)
    send_timeout_s: float = 5.0  # a client that does not read for this long is dropped
    # API Gateway invokes $disconnect on a best-effort basis; tests turn it off to play the
    # "client vanished" case, where only a 410 from @connections reveals the dead connection.
    deliver_disconnect: bool = True


@dataclass
class Connection:
    id: str
    websocket: WebSocket
    source_ip: str
    user_agent: str
    connected_at_ms: int
    last_active: float = field(default_factory=time.monotonic)
    open: bool = False  # True once $connect succeeded and the handshake completed
    closing: bool = False
    # What the $connect authorizer allowed (context + principalId): on every event of this connection.
    authorizer: dict[str, Any] | None = None

    def describe(self) -> dict[str, Any]:
        """The body of `GET @connections/{id}`."""

        def iso(ms: float) -> str:
            return (
                datetime.fromtimestamp(ms / 1000, UTC)
                .isoformat(timespec="milliseconds")
                .replace("+00:00", "Z")
            )

        idle_for = time.monotonic() - self.last_active
        return {
            "connectedAt": iso(self.connected_at_ms),
            "identity": {"sourceIp": self.source_ip, "userAgent": self.user_agent},
            "lastActiveAt": iso(time.time() * 1000 - idle_for * 1000),
        }

    async def close(self, code: int, reason: str) -> None:
        """Close from the server side (a limit, a DELETE, a client that stopped reading); once."""
        if self.closing:
            return
        self.closing = True
        self.open = False
        if self.websocket.application_state != WebSocketState.DISCONNECTED:
            with contextlib.suppress(RuntimeError):  # the client is already gone
                await self.websocket.close(code=code, reason=reason)


# Connection id → connection; one table shared by the WebSocket API and the @connections API.
Connections = dict[str, Connection]

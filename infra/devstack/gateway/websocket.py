"""The WebSocket API at `/{stage}`: one function invocation per connection event.

The upgrade request invokes `$connect` (a non-2xx answer refuses the handshake); each message
invokes the route chosen by `$request.body.action` (else `$default`); the end of the connection
invokes `$disconnect` (best effort, see `Limits.deliver_disconnect`). API Gateway's limits are
played here: an idle connection and one past its maximum life close with 1001. (A client message
over 128 KB closes with 1009 in the server's framing layer, see `stack.py`.)

The handshake is a sequence of small steps in `WebSocketApi.endpoint`. When the template gives
`$connect` an authorizer, it runs first (`authorizer.py`): a refusal answers the upgrade with
its status (401, 403, 500) and `$connect` is never invoked; an Allow hands its context to
`$connect` and to every later event of the connection as `requestContext.authorizer`.
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import time
from collections.abc import Iterable
from typing import Any

from starlette.responses import JSONResponse
from starlette.websockets import WebSocket, WebSocketDisconnect

from .. import events
from ..lambda_runtime import InvocationFailed, LocalLambda, PayloadTooLarge
from .authorizer import RequestAuthorizer
from .connections import Connection, Connections, Limits

log = logging.getLogger(__name__)

# API Gateway's bodies for a refused upgrade.
_REFUSALS = {401: "Unauthorized", 403: "Forbidden", 500: "Internal server error"}


class WebSocketApi:
    def __init__(
        self,
        function: LocalLambda,
        connections: Connections,
        *,
        stage: str,
        route_keys: Iterable[str],
        limits: Limits,
        authorizer: RequestAuthorizer | None = None,
    ) -> None:
        self.function = function
        self.authorizer = authorizer
        self.connections = connections
        self.stage = stage
        self.route_keys = {k for k in route_keys if not k.startswith("$")}
        self.limits = limits

    async def endpoint(self, websocket: WebSocket) -> None:
        conn = self._register(websocket)
        if self.authorizer is not None:
            decision = await self.authorizer.decide(self._authorizer_event(conn))
            if decision.status != 200:
                log.info("authorizer answered %s: refusing %s", decision.status, conn.id)
                await self._refuse(conn, decision.status)
                return
            conn.authorizer = decision.authorizer
        status = await self._invoke_connect(conn)
        if not 200 <= status < 300:
            log.info("$connect answered %s: refusing %s", status, conn.id)
            await self._refuse(conn)
            return
        await self._accept(conn)
        code, reason = await self._serve(conn)
        self._unregister(conn)
        await self._invoke_disconnect(conn, code, reason)

    # -- the handshake ------------------------------------------------------------------------
    def _register(self, websocket: WebSocket) -> Connection:
        """A connection id for the upgrade request; @connections answers 410 until it is open."""
        conn = Connection(
            id=events.new_connection_id(),
            websocket=websocket,
            source_ip=websocket.client.host if websocket.client else "127.0.0.1",
            user_agent=websocket.headers.get("user-agent", ""),
            connected_at_ms=int(time.time() * 1000),
        )
        self.connections[conn.id] = conn
        return conn

    def _unregister(self, conn: Connection) -> None:
        self.connections.pop(conn.id, None)
        conn.open = False

    async def _invoke_connect(self, conn: Connection) -> int:
        """Invoke `$connect` with the upgrade's headers and query; its status code (200 if none)."""
        websocket = conn.websocket
        headers = {k.title(): v for k, v in websocket.headers.items()}
        event = self._event("$connect", conn, headers=headers, query=dict(websocket.query_params))
        try:
            result = await self.function.invoke(event)
        except (InvocationFailed, PayloadTooLarge):
            return 500
        status = result.get("statusCode", 200) if isinstance(result, dict) else 200
        return int(status)

    def _authorizer_event(self, conn: Connection) -> dict[str, Any]:
        websocket = conn.websocket
        return events.websocket_authorizer_event(
            conn.id,
            stage=self.stage,
            domain=websocket.headers.get("host", "localhost"),
            connected_at_ms=conn.connected_at_ms,
            source_ip=conn.source_ip,
            user_agent=conn.user_agent,
            headers={k.title(): v for k, v in websocket.headers.items()},
            query=websocket.query_params.multi_items(),
        )

    async def _refuse(self, conn: Connection, status: int | None = None) -> None:
        """Refuse the handshake (before accept): with `status` when the server can, else 403."""
        self._unregister(conn)
        websocket = conn.websocket
        if status is not None and "websocket.http.response" in websocket.scope.get("extensions", {}):
            message = _REFUSALS.get(status, "Forbidden")
            await websocket.send_denial_response(JSONResponse({"message": message}, status_code=status))
            return
        await websocket.close()

    async def _accept(self, conn: Connection) -> None:
        await conn.websocket.accept()
        conn.open = True

    async def _invoke_disconnect(self, conn: Connection, code: int, reason: str) -> None:
        if not self.limits.deliver_disconnect:
            return
        try:
            await self.function.invoke(
                self._event("$disconnect", conn, headers={}, disconnect=(code, reason))
            )
        except (InvocationFailed, PayloadTooLarge):
            log.warning("$disconnect of %s failed", conn.id)

    # -- messages -----------------------------------------------------------------------------
    async def _serve(self, conn: Connection) -> tuple[int, str]:
        """Read the client's messages until it leaves or a limit closes the connection."""
        deadline = time.monotonic() + self.limits.max_life_s
        pending: set[asyncio.Task[None]] = set()  # holds the tasks until done (no early GC)
        try:
            while True:
                now = time.monotonic()
                idle_left = conn.last_active + self.limits.idle_timeout_s - now
                life_left = deadline - now
                if idle_left <= 0 or life_left <= 0:
                    reason = "Going away: idle timeout" if idle_left <= 0 else "Going away: connection life"
                    await conn.close(1001, reason)
                    return 1001, reason
                try:
                    message = await asyncio.wait_for(conn.websocket.receive(), min(idle_left, life_left))
                except TimeoutError:
                    continue
                if message["type"] == "websocket.disconnect":
                    code = message.get("code", 1005)
                    return code, message.get("reason") or ""
                conn.last_active = time.monotonic()
                if message.get("text") is not None:
                    body, is_b64 = message["text"], False
                else:
                    body, is_b64 = base64.b64encode(message.get("bytes") or b"").decode(), True
                # Messages are routed concurrently, as API Gateway invokes the function per message.
                task = asyncio.create_task(self._route_message(conn, body, is_b64))
                pending.add(task)
                task.add_done_callback(pending.discard)
        except WebSocketDisconnect as exc:
            return exc.code, exc.reason or ""

    def select_route(self, body: str, is_base64: bool) -> str:
        """`$request.body.action`: a configured route key, else `$default`."""
        if not is_base64 and self.route_keys:
            try:
                action = json.loads(body).get("action")
            except (ValueError, AttributeError):
                action = None
            if isinstance(action, str) and action in self.route_keys:
                return action
        return "$default"

    async def _route_message(self, conn: Connection, body: str, is_base64: bool) -> None:
        route = self.select_route(body, is_base64)
        try:
            await self.function.invoke(self._event(route, conn, body=body, is_base64=is_base64))
        except (InvocationFailed, PayloadTooLarge) as exc:
            log.warning("%s on %s failed: %s", route, conn.id, exc)

    def _event(self, route: str, conn: Connection, **extra: Any) -> dict[str, Any]:
        host = conn.websocket.headers.get("host", "localhost")
        return events.websocket_event(
            route,
            conn.id,
            authorizer=conn.authorizer,
            stage=self.stage,
            domain=host,
            connected_at_ms=conn.connected_at_ms,
            source_ip=conn.source_ip,
            user_agent=conn.user_agent,
            **extra,
        )

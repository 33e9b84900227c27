"""A local API Gateway on one port: HTTP API, WebSocket API and the @connections management API.

- HTTP requests become HTTP API payload v2.0 events for the real handler; its answer is mapped
  back (status, headers, cookies, base64 bodies).
- WebSocket connections at `/{stage}` (framing by the `websockets` library, through uvicorn):
  the handshake invokes `$connect` (a non-200 answer refuses it), each message invokes the route
  chosen by `$request.body.action` (else `$default`), closing invokes `$disconnect`.
- `/{stage}/@connections/{id}`: POST delivers to the browser, GET describes, DELETE closes;
  410 Gone for unknown ids and for connections whose `$connect` has not finished.
- API Gateway's limits: 128 KB per message (a larger client message closes with 1009, a larger
  POST is refused with 413), 10-minute idle timeout, 2-hour connection life.
- Everything else is the frontend's static build, plus `/config.json` with this gateway's URLs.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState

from . import events
from .lambda_runtime import InvocationFailed, LocalLambda, PayloadTooLarge

log = logging.getLogger(__name__)

MAX_MESSAGE_BYTES = 128 * 1024
MAX_HTTP_BODY = 10 * 1024 * 1024  # HTTP API's own request limit
# Paths that always go to the function, even when a static file of that name exists.
API_PREFIXES = ("/api/", "/receive")


@dataclass(frozen=True)
class Limits:
    idle_timeout_s: float = 600.0  # API Gateway: 10 minutes without a message from the client
    max_life_s: float = 7200.0  # API Gateway: 2 hours
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

    def describe(self) -> dict[str, Any]:
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


def _gone() -> Response:
    return JSONResponse({"message": "Gone"}, status_code=410, headers={"x-amzn-ErrorType": "GoneException"})


class Gateway:
    def __init__(
        self,
        function: LocalLambda,
        *,
        stage: str = "ws",
        route_keys: Iterable[str] = (),
        static_dir: Path | None = None,
        limits: Limits | None = None,
        max_upload_bytes: int = 4_500_000,
        max_large_upload_bytes: int = 20_000_000,
    ) -> None:
        self.function = function
        self.stage = stage
        self.route_keys = {k for k in route_keys if not k.startswith("$")}
        self.static_dir = static_dir.resolve() if static_dir and static_dir.is_dir() else None
        self.limits = limits or Limits()
        self.max_upload_bytes = max_upload_bytes
        self.max_large_upload_bytes = max_large_upload_bytes
        self.connections: dict[str, Connection] = {}
        # Called when an HTTP invocation ends: the stack pokes the stream poller with it, so the
        # metrics an upload just wrote are read at once rather than at the next poll.
        self.after_http_invocation: Callable[[], None] | None = None
        self.app = Starlette(
            routes=[
                WebSocketRoute(f"/{stage}", self.websocket_endpoint),
                Route(
                    f"/{stage}/@connections/{{connection_id:path}}",  # ids may hold "/" (base64)
                    self.manage_connection,
                    methods=["GET", "POST", "DELETE"],
                ),
                Route("/config.json", self.config_json, methods=["GET"]),
                Route(
                    "/{path:path}",
                    self.http_entry,
                    methods=["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
                ),
            ]
        )

    # -- HTTP API ----------------------------------------------------------------------------
    async def http_entry(self, request: Request) -> Response:
        path = request.url.path
        if request.method in ("GET", "HEAD") and not path.startswith(API_PREFIXES) and self.static_dir:
            static = self._static_file(path)
            if static is not None:
                return FileResponse(static)
            not_found = self.static_dir / "404.html"
            if not_found.is_file():  # what CloudFront answers for a page the export lacks
                return FileResponse(not_found, status_code=404)
        body = await request.body()
        if len(body) > MAX_HTTP_BODY:
            return JSONResponse({"message": "Request Entity Too Large"}, status_code=413)
        event = events.http_api_event(
            method=request.method,
            path=path,
            query=request.url.query,
            headers=request.headers.items(),
            body=body,
            source_ip=request.client.host if request.client else "127.0.0.1",
            host=request.headers.get("host", "localhost"),
        )
        try:
            result = await self.function.invoke(event)
        except PayloadTooLarge:
            return JSONResponse({"message": "Request Entity Too Large"}, status_code=413)
        except InvocationFailed:
            return JSONResponse({"message": "Internal Server Error"}, status_code=500)
        finally:
            if self.after_http_invocation is not None:
                self.after_http_invocation()
        return self._http_response(result)

    @staticmethod
    def _http_response(result: Any) -> Response:
        if not isinstance(result, dict) or "statusCode" not in result:
            # Payload v2: an answer without statusCode is taken as a 200 JSON body.
            return JSONResponse(result)
        body = result.get("body") or ""
        data = base64.b64decode(body) if result.get("isBase64Encoded") else str(body).encode()
        response = Response(content=data, status_code=int(result["statusCode"]))
        for name, value in (result.get("headers") or {}).items():
            response.headers[name] = str(value)
        for name, values in (result.get("multiValueHeaders") or {}).items():
            for value in values:
                response.headers.append(name, str(value))
        for cookie in result.get("cookies") or []:
            response.headers.append("set-cookie", cookie)
        return response

    def _static_file(self, path: str) -> Path | None:
        """The export's file for a URL path: exact file, `path.html`, or `path/index.html`."""
        if self.static_dir is None:
            return None
        relative = path.lstrip("/")
        for candidate in (relative, f"{relative.rstrip('/')}.html", f"{relative}/index.html".lstrip("/")):
            file = (self.static_dir / candidate).resolve()
            if file.is_file() and file.is_relative_to(self.static_dir):
                return file
        return None

    async def config_json(self, request: Request) -> Response:
        host = request.headers.get("host", request.url.netloc)
        return JSONResponse(
            {
                "apiUrl": "",
                "wsUrl": f"ws://{host}/{self.stage}",
                "maxUploadBytes": self.max_upload_bytes,
                # Larger files go from the browser to the embedded S3 with a presigned POST.
                "maxLargeUploadBytes": self.max_large_upload_bytes,
            },
            headers={"Cache-Control": "no-store"},
        )

    # -- WebSocket API -----------------------------------------------------------------------
    def _ws_event(self, route: str, conn: Connection, **extra: Any) -> dict[str, Any]:
        host = conn.websocket.headers.get("host", "localhost")
        return events.websocket_event(
            route,
            conn.id,
            stage=self.stage,
            domain=host,
            connected_at_ms=conn.connected_at_ms,
            source_ip=conn.source_ip,
            user_agent=conn.user_agent,
            **extra,
        )

    async def websocket_endpoint(self, websocket: WebSocket) -> None:
        conn = Connection(
            id=events.new_connection_id(),
            websocket=websocket,
            source_ip=websocket.client.host if websocket.client else "127.0.0.1",
            user_agent=websocket.headers.get("user-agent", ""),
            connected_at_ms=int(time.time() * 1000),
        )
        self.connections[conn.id] = conn
        headers = {k.title(): v for k, v in websocket.headers.items()}
        try:
            result = await self.function.invoke(
                self._ws_event("$connect", conn, headers=headers, query=dict(websocket.query_params))
            )
        except (InvocationFailed, PayloadTooLarge):
            result = {"statusCode": 500}
        status = result.get("statusCode", 200) if isinstance(result, dict) else 200
        if not 200 <= int(status) < 300:
            log.info("$connect answered %s: refusing %s", status, conn.id)
            self.connections.pop(conn.id, None)
            await websocket.close()  # before accept: the handshake is refused
            return
        await websocket.accept()
        conn.open = True
        code, reason = await self._serve(conn)
        self.connections.pop(conn.id, None)
        conn.open = False
        if self.limits.deliver_disconnect:
            try:
                await self.function.invoke(
                    self._ws_event("$disconnect", conn, headers={}, disconnect=(code, reason))
                )
            except (InvocationFailed, PayloadTooLarge):
                log.warning("$disconnect of %s failed", conn.id)

    async def _serve(self, conn: Connection) -> tuple[int, str]:
        """Read the client's messages until it leaves or a limit closes the connection."""
        deadline = time.monotonic() + self.limits.max_life_s
        pending: set[asyncio.Task[None]] = set()
        try:
            while True:
                now = time.monotonic()
                idle_left = conn.last_active + self.limits.idle_timeout_s - now
                life_left = deadline - now
                if idle_left <= 0 or life_left <= 0:
                    reason = "Going away: idle timeout" if idle_left <= 0 else "Going away: connection life"
                    await self._close(conn, 1001, reason)
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
            await self.function.invoke(self._ws_event(route, conn, body=body, is_base64=is_base64))
        except (InvocationFailed, PayloadTooLarge) as exc:
            log.warning("%s on %s failed: %s", route, conn.id, exc)

    async def _close(self, conn: Connection, code: int, reason: str) -> None:
        if conn.closing:
            return
        conn.closing = True
        conn.open = False
        if conn.websocket.application_state != WebSocketState.DISCONNECTED:
            with contextlib.suppress(RuntimeError):  # the client is already gone
                await conn.websocket.close(code=code, reason=reason)

    # -- @connections management API ---------------------------------------------------------
    async def manage_connection(self, request: Request) -> Response:
        conn = self.connections.get(request.path_params["connection_id"])
        if conn is None or not conn.open:
            return _gone()
        if request.method == "GET":
            return JSONResponse(conn.describe())
        if request.method == "DELETE":
            await self._close(conn, 1000, "Closed by the server")
            return Response(status_code=204)
        data = await request.body()
        if len(data) > MAX_MESSAGE_BYTES:
            return JSONResponse(
                {"message": f"Message of {len(data)} bytes exceeds {MAX_MESSAGE_BYTES}"},
                status_code=413,
                headers={"x-amzn-ErrorType": "PayloadTooLargeException"},
            )
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = None
        try:
            send = conn.websocket.send_text(text) if text is not None else conn.websocket.send_bytes(data)
            await asyncio.wait_for(send, self.limits.send_timeout_s)
        except (TimeoutError, RuntimeError, WebSocketDisconnect, OSError):
            # The client stopped reading or went away: to the backend it is gone.
            await self._close(conn, 1001, "Going away")
            return _gone()
        return Response(status_code=200)

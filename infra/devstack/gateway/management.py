"""The @connections management API: `/{stage}/@connections/{id}`.

POST delivers a message to the client, GET describes the connection, DELETE closes it. Unknown
ids, and connections whose `$connect` has not finished, answer 410 Gone as on API Gateway; so does
a client that stopped reading (it is dropped). A POST over 128 KB is refused with 413.
"""

from __future__ import annotations

import asyncio
import logging
import time

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.websockets import WebSocketDisconnect

from invoice_app.core.limits import WS_MAX_MESSAGE_BYTES

from .connections import Connections, Limits

timeline = logging.getLogger("devstack.timeline")


class _Bursts:
    """`--timeline`: one line per burst of delivered posts (first, last, count), logged once the
    posts have paused for `quiet_s`: a line per post would cost the loop more than the post."""

    def __init__(self, quiet_s: float = 0.15) -> None:
        self.quiet_s = quiet_s
        self.first = self.last = 0.0
        self.count = 0

    def delivered(self) -> None:
        now = time.time()
        if not self.count:
            self.first = now
            asyncio.get_running_loop().call_later(self.quiet_s, self._flush)
        self.last = now
        self.count += 1

    def _flush(self) -> None:
        idle = time.time() - self.last
        if idle < self.quiet_s:
            asyncio.get_running_loop().call_later(self.quiet_s - idle, self._flush)
            return
        timeline.debug(
            "timeline gateway-first %.3f; timeline gateway-last %.3f (%d posts)",
            self.first * 1000,
            self.last * 1000,
            self.count,
        )
        self.count = 0


def _gone() -> Response:
    return JSONResponse({"message": "Gone"}, status_code=410, headers={"x-amzn-ErrorType": "GoneException"})


class ManagementApi:
    def __init__(self, connections: Connections, limits: Limits) -> None:
        self.connections = connections
        self.limits = limits
        self._bursts = _Bursts()

    async def endpoint(self, request: Request) -> Response:
        conn = self.connections.get(request.path_params["connection_id"])
        if conn is None or not conn.open:
            return _gone()
        if request.method == "GET":
            return JSONResponse(conn.describe())
        if request.method == "DELETE":
            await conn.close(1000, "Closed by the server")
            return Response(status_code=204)
        data = await request.body()
        if len(data) > WS_MAX_MESSAGE_BYTES:
            return JSONResponse(
                {"message": f"Message of {len(data)} bytes exceeds {WS_MAX_MESSAGE_BYTES}"},
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
            await conn.close(1001, "Going away")
            return _gone()
        if timeline.isEnabledFor(logging.DEBUG):
            self._bursts.delivered()
        return Response(status_code=200)

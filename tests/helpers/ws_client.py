"""A blocking WebSocket test client: connect, send, and wait for frames with a timeout.

Frames are read by a background thread into a list, so a test can wait for "the next
metrics-update whose total is 3" without racing the server.

    with WsClient(stack.ws_url, token=signed_in(stack, "viewer")) as ws:
        ws.send_json({"action": "ping"})
        assert ws.wait_for(type="pong")
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect


class FrameTimeout(AssertionError):
    pass


class WsClient:
    def __init__(
        self, url: str, *, token: str | None = None, open_timeout: float = 10.0, max_size: int | None = 2**20
    ) -> None:
        # A browser cannot set headers on a WebSocket: the token travels as ?token= (the
        # $connect authorizer's identity source).
        if token is not None:
            url = f"{url}{'&' if '?' in url else '?'}{urlencode({'token': token})}"
        self.url = url
        self.open_timeout = open_timeout
        self.max_size = max_size
        self.frames: list[Any] = []
        self.close_code: int | None = None
        self.close_reason = ""
        self._conn: ClientConnection | None = None
        self._cond = threading.Condition()
        self._reader: threading.Thread | None = None
        self._cursor = 0  # frames before this index were already matched by wait_for
        self._exit = contextlib.ExitStack()

    def connect(self) -> WsClient:
        self._conn = self._exit.enter_context(
            connect(self.url, open_timeout=self.open_timeout, max_size=self.max_size, ping_interval=None)
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        return self

    def _read(self) -> None:
        assert self._conn is not None
        try:
            for raw in self._conn:
                try:
                    frame: Any = json.loads(raw)
                except ValueError:
                    frame = raw
                with self._cond:
                    self.frames.append(frame)
                    self._cond.notify_all()
        except ConnectionClosed:
            pass
        finally:
            with self._cond:
                self.close_code = self._conn.close_code or 1006  # 1006: closed without a close frame
                self.close_reason = self._conn.close_reason or ""
                self._cond.notify_all()

    @property
    def closed(self) -> bool:
        return self.close_code is not None

    def send_json(self, payload: Any) -> None:
        self.send(json.dumps(payload))

    def send(self, data: str | bytes) -> None:
        assert self._conn is not None
        self._conn.send(data)

    def wait_for(
        self,
        type: str | None = None,  # the frame's "type" field
        where: Callable[[dict[str, Any]], bool] | None = None,
        timeout: float = 10.0,
    ) -> dict[str, Any]:
        """The first frame after the previous match with this type (and predicate)."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for index in range(self._cursor, len(self.frames)):
                    frame = self.frames[index]
                    if not isinstance(frame, dict) or (type and frame.get("type") != type):
                        continue
                    if where is None or where(frame):
                        self._cursor = index + 1
                        return frame
                remaining = deadline - time.monotonic()
                if remaining <= 0 or (self.closed and self._cursor >= len(self.frames)):
                    raise FrameTimeout(
                        f"no {type or 'matching'} frame within {timeout}s; got {self.frames[-5:]}"
                    )
                self._cond.wait(remaining)

    def wait_closed(self, timeout: float = 10.0) -> int:
        deadline = time.monotonic() + timeout
        with self._cond:
            while not self.closed:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise FrameTimeout(f"connection still open after {timeout}s")
                self._cond.wait(remaining)
        assert self.close_code is not None
        return self.close_code

    def vanish(self) -> None:
        """Drop the TCP connection without a close frame, like a browser tab that crashed."""
        assert self._conn is not None
        self._conn.socket.shutdown(2)
        self._conn.socket.close()

    def close(self) -> None:
        self._exit.close()
        if self._reader is not None:
            self._reader.join(timeout=5)

    def __enter__(self) -> WsClient:
        return self.connect()

    def __exit__(self, *exc: object) -> None:
        self.close()

"""Serve a local gateway's ASGI app on a free loopback port, in a thread, for one test."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import uvicorn

from invoice_app.core.limits import WS_MAX_MESSAGE_BYTES


@contextlib.contextmanager
def serving(app: Any, **config: Any) -> Iterator[str]:
    """`with serving(gateway.app) as host:` → `127.0.0.1:<port>` while the server runs."""
    options = {"ws": "websockets-sansio", "ws_max_size": WS_MAX_MESSAGE_BYTES, "lifespan": "off"}
    options |= {"log_level": "warning", **config}
    sock = socket.create_server(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, **options))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    try:
        yield f"127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(5)

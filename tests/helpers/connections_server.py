"""A loopback stand-in for API Gateway's @connections management API.

moto's `post_to_connection` accepts any id; this server answers like the real service:
410 GoneException for ids it does not know, optional 429 LimitExceededException throttling and
5xx answers, and an optional delay per post (the broadcast benchmark uses ~5 ms). It records the
headers of every request (not in accept-all mode), so tests can check the SigV4 signature.
"""

from __future__ import annotations

import json
import threading
import time
from collections import defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote

# How often serve_forever looks for shutdown(): its default, 0.5 s, was the cost of every test
# that starts one (half of the unit suite's time went to waiting for it).
POLL_S = 0.02


class ConnectionsServer:
    def __init__(self, stage: str = "test", delay_s: float = 0.0, accept_all: bool = False) -> None:
        self.stage = stage
        self.delay_s = delay_s
        self.accept_all = accept_all  # every id is live (benchmarks), nothing is recorded
        self.live: set[str] = set()
        self.received: dict[str, list[bytes]] = defaultdict(list)
        self.throttle_remaining = 0  # answer this many posts with 429 before accepting
        self.fail_remaining = 0  # then this many with `fail_status` (a transient server error)
        self.fail_status = 503
        self.headers: list[dict[str, str]] = []  # of every POST, in order
        self.paths: list[str] = []  # the raw (still quoted) path of every POST
        self.requests = 0
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._server.request_queue_size = 1024
        self._thread = threading.Thread(target=self._server.serve_forever, args=(POLL_S,), daemon=True)

    @property
    def endpoint(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/{self.stage}"

    @property
    def ws_endpoint(self) -> str:
        return self.endpoint.replace("http://", "ws://", 1)

    def __enter__(self) -> ConnectionsServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def messages(self, connection_id: str) -> list[dict]:
        with self._lock:
            return [json.loads(m) for m in self.received.get(connection_id, [])]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:  # keep test output quiet
                pass

            def _connection_id(self) -> str | None:
                prefix = f"/{outer.stage}/@connections/"
                return unquote(self.path[len(prefix) :]) if self.path.startswith(prefix) else None

            def _reply(self, status: int, error_type: str | None = None, body: bytes = b"") -> None:
                if error_type:
                    body = json.dumps({"message": error_type}).encode()
                self.send_response(status)
                if error_type:
                    self.send_header("x-amzn-ErrorType", error_type)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self) -> None:
                data = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                cid = self._connection_id()
                if outer.delay_s:
                    time.sleep(outer.delay_s)
                failed = False
                with outer._lock:
                    outer.requests += 1
                    if not outer.accept_all:
                        outer.headers.append(dict(self.headers.items()))
                        outer.paths.append(self.path)
                    if outer.throttle_remaining > 0:
                        outer.throttle_remaining -= 1
                        throttled = True
                    else:
                        throttled = False
                        if outer.fail_remaining > 0:
                            outer.fail_remaining -= 1
                            failed = True
                        known = outer.accept_all or cid in outer.live
                        if known and not outer.accept_all and not failed:
                            outer.received[cid].append(data)
                if throttled:
                    self._reply(429, "LimitExceededException")
                elif failed:
                    self._reply(outer.fail_status, "InternalServerErrorException")
                elif cid is None:
                    self._reply(404, "NotFoundException")
                elif not known:
                    self._reply(410, "GoneException")
                else:
                    self._reply(200)

            def do_GET(self) -> None:
                cid = self._connection_id()
                if cid in outer.live:
                    self._reply(200, body=json.dumps({"connectedAt": "2026-01-01T00:00:00Z"}).encode())
                else:
                    self._reply(410, "GoneException")

            def do_DELETE(self) -> None:
                cid = self._connection_id()
                with outer._lock:
                    known = cid in outer.live
                    outer.live.discard(cid or "")
                self._reply(204 if known else 410, None if known else "GoneException")

        return Handler


def serve_in_subprocess(stage: str, delay_s: float) -> tuple[str, object]:
    """An accept-all server in its own process, so it does not share the caller's GIL (benchmarks).

    Returns (endpoint, process); terminate the process when done.
    """
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    process = ctx.Process(target=_serve_forever, args=(stage, delay_s, queue), daemon=True)
    process.start()
    return queue.get(timeout=10), process


def _serve_forever(stage: str, delay_s: float, queue: object) -> None:
    server = ConnectionsServer(stage=stage, delay_s=delay_s, accept_all=True)
    server.__enter__()
    queue.put(server.endpoint)  # type: ignore[attr-defined]
    threading.Event().wait()

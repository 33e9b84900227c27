"""The embedded AWS: moto's server in a process of its own (it is busy under load; the gateway too)."""

from __future__ import annotations

import logging
import multiprocessing
import threading
from typing import Any

from ._orphans import exit_with_parent
from .moto_atomic import make_dynamodb_writes_atomic


def _serve(queue: Any) -> None:
    from moto.server import ThreadedMotoServer

    exit_with_parent()
    make_dynamodb_writes_atomic()
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # moto's per-request log
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    queue.put(f"http://{host}:{port}")
    threading.Event().wait()


class EmbeddedAws:
    """`with EmbeddedAws() as aws:` → aws.endpoint, usable as boto3's AWS_ENDPOINT_URL."""

    def __init__(self) -> None:
        ctx = multiprocessing.get_context("spawn")
        self._queue = ctx.Queue()
        self._process = ctx.Process(target=_serve, args=(self._queue,), name="moto", daemon=True)
        self.endpoint = ""

    def start(self) -> EmbeddedAws:
        self._process.start()
        self.endpoint = self._queue.get(timeout=60)
        return self

    def stop(self) -> None:
        if self._process.is_alive():
            self._process.terminate()
            self._process.join(timeout=10)

    def __enter__(self) -> EmbeddedAws:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

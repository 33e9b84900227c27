"""The embedded AWS: moto's server in a process of its own (it is busy under load; the gateway too)."""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import threading
from typing import Any

from ._orphans import exit_with_parent
from .moto_atomic import make_dynamodb_writes_atomic
from .moto_sqs import make_sqs_long_polls_prompt

log = logging.getLogger(__name__)


def _serve(queue: Any, port: int = 0) -> None:
    from moto.server import ThreadedMotoServer

    exit_with_parent()
    make_dynamodb_writes_atomic()
    make_sqs_long_polls_prompt()
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # moto's per-request log
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    queue.put(f"http://{host}:{port}")
    threading.Event().wait()


class EmbeddedAws:
    """`with EmbeddedAws() as aws:` → aws.endpoint, usable as boto3's AWS_ENDPOINT_URL.

    Restartable on the same port (`kill` then `restart`: the chaos tests' outage of the embedded
    AWS). moto keeps everything in memory, so a restarted one is empty: the stack provisions it
    again from the template (a real DynamoDB or S3 outage keeps the data; an emulator restart does
    not).
    """

    def __init__(self) -> None:
        self._ctx = multiprocessing.get_context("spawn")
        self._queue = self._ctx.Queue()
        self._process = self._new_process(0)
        self.endpoint = ""
        self.port = 0

    def _new_process(self, port: int) -> Any:
        return self._ctx.Process(target=_serve, args=(self._queue, port), name="moto", daemon=True)

    def start(self) -> EmbeddedAws:
        self._process.start()
        self.endpoint = self._queue.get(timeout=60)
        self.port = int(self.endpoint.rsplit(":", 1)[1])
        log.info("embedded AWS on %s (pid %s)", self.endpoint, self._process.pid)
        return self

    @property
    def alive(self) -> bool:
        return bool(self._process.is_alive())

    @property
    def pid(self) -> int | None:
        return self._process.pid

    def kill(self) -> None:
        """Kill the process at once (SIGKILL), as a crash would."""
        if self._process.is_alive() and self._process.pid:
            os.kill(self._process.pid, signal.SIGKILL)
            self._process.join(timeout=10)
        log.warning("embedded AWS killed")

    def restart(self) -> None:
        """A fresh, empty moto on the same port (nothing else needs to learn a new endpoint)."""
        self.stop()
        self._process = self._new_process(self.port)
        self.start()

    def stop(self) -> None:
        if self._process.is_alive():
            self._process.terminate()
            self._process.join(timeout=10)

    def __enter__(self) -> EmbeddedAws:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

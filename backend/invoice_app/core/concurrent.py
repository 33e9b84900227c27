"""Work that does not depend on what the caller does meanwhile, started beside it.

A `Lane` is a small thread pool made on first use and kept for the process (a warm Lambda
environment keeps it); its work runs with the caller's context variables, so its log lines carry
the same request ids. Nothing that runs on a lane submits to the same lane again.
"""

from __future__ import annotations

import contextvars
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


class Lane:
    def __init__(self, workers: int, name: str) -> None:
        self._workers, self._name = workers, name
        self._pool: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()

    def submit(self, call: Callable[..., T], *args: Any) -> Future[T]:
        """Start `call(*args)` on the lane; its result (or its exception) is the future's."""
        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(self._workers, thread_name_prefix=self._name)
        return self._pool.submit(contextvars.copy_context().run, call, *args)


# Round trips (I/O: the GIL is released while a call waits): the snapshot beside the broadcast
# slot, the S3 original beside the reading; room to spare.
_ROUND_TRIPS = Lane(4, "beside")


def beside(call: Callable[[], T]) -> Future[T]:
    """Start the round trip `call` on another thread; its result (or its exception) is the future's."""
    return _ROUND_TRIPS.submit(call)

"""Round trips that do not depend on what the caller does meanwhile, overlapped instead of added up.

One small thread pool per process (a warm Lambda environment keeps it). The work runs with the
caller's context variables, so its log lines carry the same request ids. Only I/O goes here (the
GIL is released while a call waits), and nothing that runs on the pool submits to it again.
"""

from __future__ import annotations

import contextvars
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")

WORKERS = 4  # the snapshot beside the broadcast slot, the S3 original beside the reading; room to spare

_pool: ThreadPoolExecutor | None = None
_lock = threading.Lock()


def _executor() -> ThreadPoolExecutor:
    global _pool
    with _lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(WORKERS, thread_name_prefix="beside")
        return _pool


def beside(call: Callable[[], T]) -> Future[T]:
    """Start `call` on another thread; its result (or its exception) is the future's."""
    return _executor().submit(contextvars.copy_context().run, call)

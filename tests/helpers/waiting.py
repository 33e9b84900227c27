"""Waiting for something that happens on another thread or process, without fixed sleeps."""

from __future__ import annotations

import time
from collections.abc import Callable


def eventually(condition: Callable[[], object], timeout: float = 10.0, interval: float = 0.05) -> bool:
    """Poll `condition` until it is true or `timeout` passes; returns its last truthiness."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return bool(condition())


def wait_until(condition: Callable[[], object], timeout: float = 5.0) -> None:
    """`eventually`, failing the test when the condition never holds."""
    assert eventually(condition, timeout, interval=0.01), "condition not met in time"

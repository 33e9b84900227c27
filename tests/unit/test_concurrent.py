"""Work beside the caller (`core/concurrent.py`): really at once, with the caller's context."""

from __future__ import annotations

import contextvars
import threading

import pytest

from invoice_app.core.concurrent import beside

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")


def test_the_call_runs_while_the_caller_goes_on() -> None:
    # A barrier of two parties opens only when the call and the caller wait at the same time.
    barrier = threading.Barrier(2, timeout=10)
    future = beside(lambda: barrier.wait() is not None)

    barrier.wait()
    assert future.result(timeout=10)


def test_the_calls_exception_is_the_futures() -> None:
    def fails() -> None:
        raise ValueError("refused")

    with pytest.raises(ValueError, match="refused"):
        beside(fails).result(timeout=10)


def test_work_beside_runs_with_the_callers_context() -> None:
    request_id.set("req-42")

    assert beside(request_id.get).result(timeout=10) == "req-42"

"""LocalStack.start() that fails part-way leaves nothing running (no leaked moto process)."""

from __future__ import annotations

import pytest

from devstack import stack as stack_module
from devstack.moto_process import EmbeddedAws
from devstack.stack import LocalStack, StackConfig


def test_a_failing_step_stops_what_was_already_started(monkeypatch) -> None:
    started: list[EmbeddedAws] = []
    real_start = EmbeddedAws.start

    def record_start(self: EmbeddedAws) -> EmbeddedAws:
        started.append(self)
        return real_start(self)

    def fail(*args, **kwargs) -> None:
        raise RuntimeError("provisioning failed")

    monkeypatch.setattr(EmbeddedAws, "start", record_start)
    monkeypatch.setattr(stack_module, "provision", fail)
    local = LocalStack(StackConfig(port=0, frontend_dir=None))

    with pytest.raises(RuntimeError, match="provisioning failed"):
        local.start()

    assert len(started) == 1
    assert not started[0]._process.is_alive()
    assert local._socket is not None
    assert local._socket.fileno() == -1  # closed
    local.stop()  # nothing left to stop: a no-op

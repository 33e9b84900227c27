from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.helpers.stack_process import StackProcess


@pytest.fixture(scope="module")
def stack() -> Iterator[StackProcess]:
    """The local stack as `make dev` runs it (stream mode), on a free port."""
    with StackProcess() as running:
        yield running


@pytest.fixture(scope="module")
def harsh_stack() -> Iterator[StackProcess]:
    """A stack with short connection limits that, like API Gateway at worst, drops $disconnect events."""
    with StackProcess(
        "--idle-timeout", "3", "--max-connection-life", "6", "--no-disconnect-events"
    ) as running:
        yield running

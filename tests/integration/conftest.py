from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.helpers.stack_process import StackProcess

USER_PASSWORD = "Integration-Tests-1"


@pytest.fixture(scope="module")
def stack() -> Iterator[StackProcess]:
    """The local stack as `make dev` runs it (stream mode, sign-in on), on a free port; the seeded
    users get a fixed password (the harsh stack's are random, read from its start-up block)."""
    with StackProcess("--user-password", USER_PASSWORD) as running:
        yield running


@pytest.fixture(scope="module")
def harsh_stack() -> Iterator[StackProcess]:
    """A stack with short connection limits that, like API Gateway at worst, drops $disconnect events."""
    with StackProcess(
        "--idle-timeout", "3", "--max-connection-life", "6", "--no-disconnect-events"
    ) as running:
        yield running

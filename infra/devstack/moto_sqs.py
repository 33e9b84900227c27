"""Make moto's SQS long polls return when a delayed message becomes visible, as SQS's do.

moto's `ReceiveMessage` with `WaitTimeSeconds` waits on a condition that only a *new* message
notifies: a message whose `DelaySeconds` (or visibility timeout) runs out during the wait is not
seen until the wait times out, up to a second after the poll began, and our pollers poll with a
one-second wait. A catch-up broadcast scheduled on the queue (`realtime/pacing.py`) would then
land up to a second after its slot locally, a delay AWS does not have. The patch shortens each
wait to the moment the soonest waiting message turns visible, so the poll re-scans then.
"""

from __future__ import annotations

import functools
from typing import Any

_patched = False


def wake_after_s(messages: list[Any], now_ms: float, timeout_s: float) -> float:
    """How long a long poll may wait: until the soonest delayed or in-flight message is visible,
    at most `timeout_s` (a millisecond past it: moto compares with `>`)."""
    soonest = min(
        (
            max(m.delayed_until, m.visible_at)
            for m in messages
            if m.delayed_until > now_ms or m.visible_at > now_ms
        ),
        default=None,
    )
    if soonest is None:
        return timeout_s
    return max(0.0, min(timeout_s, (soonest - now_ms) / 1000 + 0.001))


def make_sqs_long_polls_prompt() -> None:
    global _patched
    if _patched:
        return
    from moto.core.utils import unix_time_millis
    from moto.sqs.models import Queue

    original = Queue.wait_for_messages

    @functools.wraps(original)
    def wait_for_messages(self: Any, timeout: int) -> None:
        original(self, wake_after_s(list(self._messages), unix_time_millis(), timeout))

    Queue.wait_for_messages = wait_for_messages
    _patched = True

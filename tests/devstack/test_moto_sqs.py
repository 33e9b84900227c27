"""The local queue's long polls end when a delayed message turns visible (devstack/moto_sqs.py)."""

from __future__ import annotations

from types import SimpleNamespace

import boto3
from moto import mock_aws

from devstack.moto_sqs import make_sqs_long_polls_prompt, wake_after_s


def _message(delayed_until: float = 0.0, visible_at: float = 0.0) -> SimpleNamespace:
    return SimpleNamespace(delayed_until=delayed_until, visible_at=visible_at)


def test_a_poll_waits_until_the_soonest_delayed_or_in_flight_message_is_visible() -> None:
    now = 1_000_000.0
    messages = [_message(delayed_until=now + 400), _message(visible_at=now + 250), _message()]

    assert wake_after_s(messages, now, 1) == 0.251


def test_without_waiting_messages_or_past_the_timeout_the_poll_waits_its_whole_timeout() -> None:
    now = 1_000_000.0

    assert wake_after_s([_message(), _message(visible_at=now - 5)], now, 1) == 1
    assert wake_after_s([_message(delayed_until=now + 3000)], now, 1) == 1


def test_a_long_poll_returns_a_message_delayed_into_its_wait() -> None:
    make_sqs_long_polls_prompt()
    with mock_aws():
        sqs = boto3.client("sqs", region_name="us-east-1")
        url = sqs.create_queue(QueueName="delayed")["QueueUrl"]
        sqs.send_message(QueueUrl=url, MessageBody="due", DelaySeconds=1)

        answer = sqs.receive_message(QueueUrl=url, WaitTimeSeconds=3)

        assert [m["Body"] for m in answer.get("Messages", [])] == ["due"]

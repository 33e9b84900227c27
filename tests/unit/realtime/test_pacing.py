"""The adaptive broadcast interval, shared through DynamoDB (moto): one slot per interval across
concurrent invocations, the interval grows with the audience, and a coalesced update is counted
and caught up by a delayed queue message, never dropped silently."""

from __future__ import annotations

import threading

import boto3
import pytest

from invoice_app import get_services
from invoice_app.core.failures import FailureCounter
from invoice_app.metrics.live import Pacing, broadcast_metrics
from invoice_app.realtime.pacing import BroadcastPacer, Busy, Slot
from invoice_app.realtime.shards import Due, ShardQueue, decode_message


class Clock:
    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def pacer(provisioned, clock) -> BroadcastPacer:
    table = provisioned["IDEMPOTENCY_TABLE"]
    return BroadcastPacer(boto3.client("dynamodb"), table, max_rate=5000, clock=clock)


def test_interval_is_one_second_for_small_audiences_and_grows_with_large_ones(pacer) -> None:
    assert pacer.interval_ms(0) == 1000
    assert pacer.interval_ms(5000) == 1000
    assert pacer.interval_ms(20_000) == 4000
    assert pacer.interval_ms(100_000) == 20_000  # 100,000 viewers at 5,000 posts/s


def test_one_slot_per_interval(pacer, clock) -> None:
    first = pacer.begin()
    assert isinstance(first, Slot)
    assert isinstance(pacer.begin(), Busy)
    clock.now += 0.999
    assert isinstance(pacer.begin(), Busy)
    clock.now += 0.001
    assert isinstance(pacer.begin(), Slot)


def test_the_audience_of_a_broadcast_spaces_the_next_one(pacer, clock) -> None:
    slot = pacer.begin()
    assert pacer.finish(slot, audience=50_000) == 10_000

    clock.now += 9.9
    busy = pacer.begin()
    assert isinstance(busy, Busy) and busy.next_ms == slot.started_ms + 10_000
    clock.now += 0.1
    nxt = pacer.begin()
    assert isinstance(nxt, Slot) and nxt.interval_ms == 10_000


def test_concurrent_invocations_win_one_slot_between_them(pacer) -> None:
    outcomes: list[object] = []
    barrier = threading.Barrier(8)

    def race() -> None:
        barrier.wait()
        outcomes.append(pacer.begin())

    threads = [threading.Thread(target=race) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert sum(isinstance(o, Slot) for o in outcomes) == 1


def test_a_slow_broadcast_does_not_move_a_newer_ones_clock(pacer, clock) -> None:
    old = pacer.begin()
    clock.now += 2
    new = pacer.begin()
    pacer.finish(new, audience=10)
    pacer.finish(old, audience=100_000)  # finishes late: its audience must not push the clock

    assert pacer.state()["nextAt"] == new.started_ms + 1000


def test_one_catch_up_per_slot(pacer) -> None:
    assert pacer.mark_due(5000) is True
    assert pacer.mark_due(5000) is False
    assert pacer.mark_due(6000) is True


@pytest.fixture
def queue(aws) -> ShardQueue:
    url = boto3.client("sqs").create_queue(QueueName="pacing-test")["QueueUrl"]
    return ShardQueue(boto3.client("sqs"), url)


def test_an_update_too_soon_is_counted_and_caught_up_later(services, pacer, clock, queue, connections_server):
    services.connections.add("a=", connected_at_ms=1, source_ip="127.0.0.1", user_agent="t")
    connections_server.live.add("a=")
    failures = FailureCounter()
    pacing = Pacing(pacer, queue, failures)

    first = broadcast_metrics(services.metrics, services.realtime, pacing)
    clock.now += 0.3
    second = broadcast_metrics(services.metrics, services.realtime, pacing)
    third = broadcast_metrics(services.metrics, services.realtime, pacing)

    assert first.sent == 1 and (second.coalesced, third.coalesced) == (True, True)
    assert failures.snapshot() == {"broadcast-superseded": 2}
    assert len(connections_server.messages("a=")) == 1
    assert connections_server.messages("a=")[0]["data"]["intervalMs"] == 1000
    # One catch-up message for the slot (not one per skipped update), delayed until it.
    sqs = boto3.client("sqs")
    attrs = sqs.get_queue_attributes(QueueUrl=queue.queue_url, AttributeNames=["All"])["Attributes"]
    assert int(attrs["ApproximateNumberOfMessagesDelayed"]) + int(attrs["ApproximateNumberOfMessages"]) == 1

    # At the slot, the catch-up (as the queue consumer runs it) sends a fresh snapshot.
    clock.now += 0.7
    due = Due("metrics", since_ms=int((clock.now - 0.7) * 1000), due_ms=int(clock.now * 1000))
    caught_up = broadcast_metrics(services.metrics, services.realtime, pacing, since_ms=due.since_ms)
    assert caught_up.sent == 1
    assert len(connections_server.messages("a=")) == 2


def test_a_catch_up_already_superseded_sends_nothing(services, pacer, clock, queue, connections_server):
    pacing = Pacing(pacer, queue, FailureCounter())
    skipped_at = int(clock.now * 1000)
    clock.now += 1
    broadcast_metrics(services.metrics, services.realtime, pacing)  # a newer broadcast

    result = broadcast_metrics(services.metrics, services.realtime, pacing, since_ms=skipped_at)

    assert result.skipped and not result.coalesced


def test_without_a_queue_the_invocation_waits_for_the_slot(services, provisioned, connections_server) -> None:
    services.connections.add("a=", connected_at_ms=1, source_ip="127.0.0.1", user_agent="t")
    connections_server.live.add("a=")
    pacer = BroadcastPacer(boto3.client("dynamodb"), provisioned["IDEMPOTENCY_TABLE"], max_rate=5000)
    pacing = Pacing(pacer, None, FailureCounter())
    assert isinstance(pacer.begin(), Slot)  # another invocation broadcast a moment ago

    result = broadcast_metrics(services.metrics, services.realtime, pacing)

    assert result.sent == 1  # after waiting for the slot (≤ 1 s), not dropped
    assert pacing.failures.snapshot() == {"broadcast-superseded": 1}


def test_the_queue_consumer_runs_a_due_catch_up(services, queue, connections_server) -> None:
    from invoice_app.events.sqs import handle_sqs_batch

    services.connections.add("a=", connected_at_ms=1, source_ip="127.0.0.1", user_agent="t")
    connections_server.live.add("a=")
    due = Due("metrics", since_ms=1, due_ms=2)
    assert decode_message(due.body()) == due
    event = {"Records": [{"messageId": "m1", "eventSource": "aws:sqs", "body": due.body()}]}

    assert handle_sqs_batch(event, services) == {"batchItemFailures": []}
    assert [m["type"] for m in connections_server.messages("a=")] == ["metrics-update"]


def test_services_pace_with_the_configured_rate(app_config, monkeypatch) -> None:
    from invoice_app import create_app

    app = create_app({**app_config, "BROADCAST_MAX_RATE": "2500"})

    assert get_services(app).pacing.pacer.interval_ms(10_000) == 4000


@pytest.mark.parametrize("var", ["BROADCAST_SHARD_SIZE", "BROADCAST_MAX_RATE"])
@pytest.mark.parametrize("value", ["0", "-5", "many"])
def test_shard_size_and_rate_must_be_positive_integers(var: str, value: str) -> None:
    from invoice_app.core.settings import ConfigError, Settings

    with pytest.raises(ConfigError, match=var):
        Settings.from_env({"AUTH_MODE": "none", var: value})


def test_without_a_queue_url_nothing_is_sharded(services) -> None:
    assert services.broadcast_queue is None
    assert services.broadcaster.shard_size == 0

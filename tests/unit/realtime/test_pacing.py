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


class Sleeper:
    """`Pacing.sleep` for tests: advances the fake clock instead of sleeping, and can run what
    another invocation does meanwhile."""

    def __init__(self, clock: Clock, meanwhile=None) -> None:
        self.clock = clock
        self.waits: list[float] = []
        self.meanwhile = meanwhile

    def __call__(self, seconds: float) -> None:
        self.waits.append(round(seconds, 3))
        self.clock.now += seconds
        if self.meanwhile is not None:
            self.meanwhile()


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


def test_without_a_queue_the_invocation_waits_for_the_slot(
    services, pacer, clock, connections_server
) -> None:
    services.connections.add("a=", connected_at_ms=1, source_ip="127.0.0.1", user_agent="t")
    connections_server.live.add("a=")
    sleeper = Sleeper(clock)
    pacing = Pacing(pacer, None, FailureCounter(), sleep=sleeper)
    assert isinstance(pacer.begin(), Slot)  # another invocation broadcast a moment ago
    clock.now += 0.2

    result = broadcast_metrics(services.metrics, services.realtime, pacing)

    assert result.sent == 1 and sleeper.waits == [0.8]  # after waiting for the slot, not dropped
    assert pacing.failures.snapshot() == {"broadcast-superseded": 1}


def test_without_a_queue_a_slot_too_far_away_is_left_to_the_next_update(
    services, pacer, clock, connections_server, caplog
) -> None:
    sleeper = Sleeper(clock)
    pacing = Pacing(pacer, None, FailureCounter(), sleep=sleeper)
    pacer.finish(pacer.begin(), audience=50_000)  # 10 s between broadcasts

    result = broadcast_metrics(services.metrics, services.realtime, pacing)

    assert result.coalesced and sleeper.waits == []
    assert "no queue to schedule a catch-up" in caplog.text  # logged and counted, never silent
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


# -- sub-second catch-ups: wait for a near slot, whole-second delays rounded down ----------------


def _queue_depth(queue: ShardQueue) -> tuple[int, int]:
    """(visible, delayed) messages of the queue."""
    attrs = boto3.client("sqs").get_queue_attributes(QueueUrl=queue.queue_url, AttributeNames=["All"])
    attrs = attrs["Attributes"]
    return int(attrs["ApproximateNumberOfMessages"]), int(attrs["ApproximateNumberOfMessagesDelayed"])


def _received(queue: ShardQueue) -> list[Due]:
    answer = boto3.client("sqs").receive_message(QueueUrl=queue.queue_url, MaxNumberOfMessages=10)
    return [decode_message(m["Body"]) for m in answer.get("Messages", [])]


@pytest.fixture
def viewer(services, connections_server) -> str:
    services.connections.add("a=", connected_at_ms=1, source_ip="127.0.0.1", user_agent="t")
    connections_server.live.add("a=")
    return "a="


def test_an_update_within_a_second_of_the_slot_waits_for_it_instead_of_the_queue(
    services, pacer, clock, queue, connections_server, viewer
) -> None:
    sleeper = Sleeper(clock)
    pacing = Pacing(pacer, queue, FailureCounter(), sleep=sleeper)
    broadcast_metrics(services.metrics, services.realtime, pacing)
    clock.now += 0.3

    result = broadcast_metrics(services.metrics, services.realtime, pacing)

    assert result.sent == 1 and not result.coalesced
    assert sleeper.waits == [0.7]  # the rest of the interval, not a whole second
    assert len(connections_server.messages(viewer)) == 2
    assert _queue_depth(queue) == (0, 0)  # no catch-up message: this invocation was it
    assert pacing.failures.snapshot() == {"broadcast-superseded": 1}
    assert pacer.state()["lastAt"] == int(clock.now * 1000)


def test_other_updates_of_a_slot_being_waited_for_return_at_once(
    services, pacer, clock, queue, connections_server, viewer
) -> None:
    sleeper = Sleeper(clock)
    pacing = Pacing(pacer, queue, FailureCounter(), sleep=sleeper)
    broadcast_metrics(services.metrics, services.realtime, pacing)
    clock.now += 0.3
    busy = pacer.begin()
    assert isinstance(busy, Busy) and pacer.mark_due(busy.next_ms)  # an invocation waiting for it

    result = broadcast_metrics(services.metrics, services.realtime, pacing)

    assert result.coalesced and sleeper.waits == []
    assert len(connections_server.messages(viewer)) == 1
    assert _queue_depth(queue) == (0, 0)  # the waiting invocation carries it
    assert pacing.failures.snapshot() == {"broadcast-superseded": 1}  # counted, never silent


def test_a_broadcast_taken_by_another_invocation_meanwhile_carries_the_waiting_update(
    services, pacer, clock, queue, connections_server, viewer
) -> None:
    other = Pacing(pacer, queue, FailureCounter())

    def another_invocation_takes_the_slot() -> None:
        broadcast_metrics(services.metrics, services.realtime, other)

    sleeper = Sleeper(clock, meanwhile=another_invocation_takes_the_slot)
    pacing = Pacing(pacer, queue, FailureCounter(), sleep=sleeper)
    broadcast_metrics(services.metrics, services.realtime, pacing)
    clock.now += 0.5

    result = broadcast_metrics(services.metrics, services.realtime, pacing)

    assert result.skipped and result.coalesced and result.sent == 0
    assert len(connections_server.messages(viewer)) == 2  # the other's, which started after the skip
    assert _queue_depth(queue) == (0, 0)


def test_a_far_slot_is_enqueued_with_its_whole_seconds_and_the_consumer_waits_the_rest(
    services, pacer, clock, queue, connections_server, viewer
) -> None:
    sleeper = Sleeper(clock)
    pacing = Pacing(pacer, queue, FailureCounter(), sleep=sleeper)
    slot = pacer.begin()
    pacer.finish(slot, audience=50_000)  # 10 s between broadcasts
    clock.now += 7.4  # 2.6 s before the next slot

    assert broadcast_metrics(services.metrics, services.realtime, pacing).coalesced
    assert sleeper.waits == [] and _queue_depth(queue) == (0, 1)  # delayed by 2 s, not 3

    # The consumer runs the catch-up 2 s later, 0.6 s before the slot: it waits for it.
    clock.now += 2.0
    due = Due("metrics", since_ms=slot.started_ms + 7400, due_ms=slot.started_ms + 10_000)
    result = broadcast_metrics(
        services.metrics, services.realtime, pacing, since_ms=due.since_ms, due_ms=due.due_ms
    )
    assert result.sent == 1 and sleeper.waits == [0.6]
    assert pacer.state()["lastAt"] == due.due_ms
    assert pacing.failures.snapshot() == {"broadcast-superseded": 1}  # the catch-up is not a skip


def test_a_slot_under_a_second_away_is_enqueued_without_delay(queue) -> None:
    queue.schedule(Due("metrics", since_ms=1_000, due_ms=1_700), now_ms=1_000)
    queue.schedule(Due("metrics", since_ms=1_000, due_ms=3_900), now_ms=1_000)

    assert _queue_depth(queue) == (1, 1)  # 0.7 s → DelaySeconds 0; 2.9 s → 2
    assert [d.due_ms for d in _received(queue)] == [1_700]


def test_a_catch_up_that_arrives_too_early_is_put_back_not_dropped(
    services, pacer, clock, queue, connections_server, viewer
) -> None:
    sleeper = Sleeper(clock)
    pacing = Pacing(pacer, queue, FailureCounter(), sleep=sleeper)
    slot = pacer.begin()
    pacer.finish(slot, audience=50_000)
    assert pacer.mark_due(slot.started_ms + 10_000)  # claimed by the skipped update that queued it
    clock.now += 5  # 5 s early (not what SQS does, but nothing may rely on it)

    result = broadcast_metrics(
        services.metrics,
        services.realtime,
        pacing,
        since_ms=slot.started_ms + 1,
        due_ms=slot.started_ms + 10_000,
    )

    assert result.coalesced and result.sent == 0 and sleeper.waits == []
    visible, delayed = _queue_depth(queue)
    assert (visible, delayed) == (0, 1)  # scheduled again for the same slot


def test_the_inline_upload_never_waits_with_a_queue(
    services, pacer, clock, queue, connections_server, viewer
) -> None:
    from invoice_app.metrics.live import try_broadcast_metrics

    sleeper = Sleeper(clock)
    pacing = Pacing(pacer, queue, FailureCounter(), sleep=sleeper)
    try_broadcast_metrics(services.metrics, services.realtime, pacing.failures, pacing)
    clock.now += 0.3

    result = try_broadcast_metrics(services.metrics, services.realtime, pacing.failures, pacing)

    assert result is not None and result.coalesced
    assert sleeper.waits == []  # the request is not held; the queue carries the catch-up
    assert _queue_depth(queue) == (1, 0)  # 0.7 s away: no delay, the consumer waits the rest
    (due,) = _received(queue)
    assert due.due_ms == pacer.state()["nextAt"]


def test_the_queue_consumer_waits_for_a_due_slot_under_a_second_away(
    services, pacer, clock, connections_server, viewer
) -> None:
    from invoice_app.events.sqs import handle_sqs_batch

    sleeper = Sleeper(clock)
    services.pacing.pacer, services.pacing.sleep = pacer, sleeper
    slot = pacer.begin()
    assert pacer.mark_due(slot.started_ms + 1000)
    clock.now += 0.25
    due = Due("metrics", since_ms=slot.started_ms + 100, due_ms=slot.started_ms + 1000)
    event = {"Records": [{"messageId": "m1", "eventSource": "aws:sqs", "body": due.body()}]}

    assert handle_sqs_batch(event, services) == {"batchItemFailures": []}
    assert sleeper.waits == [0.75]
    assert [m["type"] for m in connections_server.messages(viewer)] == ["metrics-update"]


def test_taking_a_slot_or_learning_it_is_taken_is_one_round_trip(provisioned, clock) -> None:
    client = boto3.client("dynamodb")
    calls: list[str] = []
    client.meta.events.register("before-call.dynamodb", lambda model, **_: calls.append(model.name))
    pacer = BroadcastPacer(client, provisioned["IDEMPOTENCY_TABLE"], max_rate=5000, clock=clock)

    slot = pacer.begin()
    pacer.finish(slot, audience=20_000)
    clock.now += 1
    busy = pacer.begin()

    assert calls == ["UpdateItem", "UpdateItem", "UpdateItem"]  # no GetItem before either begin
    assert isinstance(busy, Busy) and (busy.last_started_ms, busy.next_ms) == (
        slot.started_ms,
        slot.started_ms + 4000,
    )

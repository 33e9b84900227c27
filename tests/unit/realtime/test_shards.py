"""Sharded fan-out on SQS (moto) to the loopback @connections stand-in: the producer's shards, the
consumer through the real entrypoint, partial failures and redrives without double sends."""

from __future__ import annotations

import copy
import json
import threading

import boto3
import pytest

from invoice_app import get_services
from invoice_app.realtime.registry import Target
from invoice_app.realtime.shards import (
    SQS_MAX_MESSAGE_BYTES,
    LeaseHeld,
    MalformedMessage,
    Shard,
    decode_message,
    shards_of,
)
from tests.helpers.events import load_event


@pytest.fixture
def queue_url(aws) -> str:
    return boto3.client("sqs").create_queue(QueueName="broadcast-test")["QueueUrl"]


@pytest.fixture
def shard_config(app_config, queue_url, monkeypatch) -> dict[str, str]:
    config = {
        **app_config,
        "BROADCAST_QUEUE_URL": queue_url,
        "BROADCAST_SHARD_SIZE": "2",
        # One attempt per post: a 503 of the stand-in is a failed post at once.
        "BROADCAST_RETRY_ATTEMPTS": "1",
    }
    for var, value in config.items():
        monkeypatch.setenv(var, value)
    return config


@pytest.fixture
def entry(shard_config, monkeypatch):
    import app as lambda_module

    monkeypatch.setattr(lambda_module, "_app", None)
    return lambda_module


def register(services, server, ids: list[str]) -> None:
    for cid in ids:
        services.connections.add(cid, connected_at_ms=1, source_ip="127.0.0.1", user_agent="test")
        server.live.add(cid)


def receive_event(queue_url: str) -> dict:
    """What Lambda's event source mapping hands the function: up to 10 messages as Records."""
    sqs = boto3.client("sqs")
    answer = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, AttributeNames=["All"])
    return {
        "Records": [
            {
                "messageId": m["MessageId"],
                "receiptHandle": m["ReceiptHandle"],
                "body": m["Body"],
                "attributes": m.get("Attributes", {}),
                "messageAttributes": {},
                "md5OfBody": m["MD5OfBody"],
                "eventSource": "aws:sqs",
                "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:broadcast-test",
                "awsRegion": "us-east-1",
            }
            for m in answer.get("Messages", [])
        ]
    }


def frames(server, ids: list[str]) -> dict[str, int]:
    return {cid: len(server.messages(cid)) for cid in ids}


# -- shards --------------------------------------------------------------------------------------


def test_shards_cover_every_connection_once_in_order() -> None:
    pages = [[Target(f"c{i}=") for i in range(start, start + 3)] for start in range(0, 12, 3)]

    shards = list(shards_of(pages, broadcast_id="b1", endpoint="https://x/prod", payload="{}", shard_size=5))

    assert [s.index for s in shards] == [0, 1, 2]
    assert [len(s.targets) for s in shards] == [5, 5, 2]
    assert [t.connection_id for s in shards for t in s.targets] == [f"c{i}=" for i in range(12)]


def test_a_shard_too_large_for_sqs_is_split_until_it_fits() -> None:
    payload = json.dumps({"type": "metrics-update", "data": {"blob": "x" * 120_000}})
    ids = [Target(f"{i:016d}", 4102444800) for i in range(8000)]

    shards = list(
        shards_of([ids], broadcast_id="b2", endpoint="https://x/prod", payload=payload, shard_size=8000)
    )

    assert len(shards) > 1
    assert all(len(s.body().encode()) <= SQS_MAX_MESSAGE_BYTES for s in shards)
    assert sum(len(s.targets) for s in shards) == 8000
    assert decode_message(shards[0].body()) == shards[0]


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        "[]",
        '{"v": 1, "kind": "broadcast-shard"}',
        '{"v": 1, "kind": "broadcast-shard", "broadcastId": "b", "shard": 0, "what": "broadcast",'
        ' "endpoint": "https://x", "payload": "{}", "targets": [["a", "soon"]]}',
        '{"v": 1, "kind": "broadcast-due", "topic": "metrics", "sinceMs": -1, "dueMs": 1}',
        "[" * 100,
    ],
)
def test_malformed_bodies_are_refused(body: str) -> None:
    with pytest.raises(MalformedMessage):
        decode_message(body)


# -- producer ------------------------------------------------------------------------------------


def test_past_the_shard_size_a_broadcast_is_queued_not_posted(entry, queue_url, connections_server) -> None:
    services = get_services(entry.get_app())
    ids = [f"c{i}=" for i in range(5)]
    register(services, connections_server, ids)

    result = services.broadcaster.broadcast(services.realtime.endpoint(), {"type": "pong"})

    assert (result.connections, result.shards, result.queued, result.sent) == (5, 3, 5, 0)
    assert connections_server.requests == 0
    bodies = [decode_message(r["body"]) for r in receive_event(queue_url)["Records"]]
    assert sorted(t.connection_id for s in bodies for t in s.targets) == ids
    assert {s.broadcast_id for s in bodies} == {result.broadcast_id}
    assert {s.payload for s in bodies} == {'{"type":"pong"}'}


def test_up_to_the_shard_size_it_is_posted_at_once(entry, queue_url, connections_server) -> None:
    services = get_services(entry.get_app())
    register(services, connections_server, ["a=", "b="])

    result = services.broadcaster.broadcast(services.realtime.endpoint(), {"type": "pong"})

    assert (result.sent, result.shards) == (2, 0)
    assert receive_event(queue_url)["Records"] == []


def test_a_large_topic_takes_the_shard_path(entry, queue_url, connections_server) -> None:
    services = get_services(entry.get_app())
    ids = [f"t{i}=" for i in range(3)]
    register(services, connections_server, ids)

    result = services.broadcaster.send_to(services.realtime.endpoint(), ids, {"type": "pong"})

    assert (result.shards, result.queued) == (2, 3)
    assert {decode_message(r["body"]).what for r in receive_event(queue_url)["Records"]} == {"send"}


# -- consumer ------------------------------------------------------------------------------------


def test_every_connection_gets_exactly_one_frame_through_the_entrypoint(
    entry, queue_url, connections_server
) -> None:
    services = get_services(entry.get_app())
    ids = [f"c{i}=" for i in range(5)]
    register(services, connections_server, ids)
    services.broadcaster.broadcast(services.realtime.endpoint(), {"type": "pong"})

    answer = entry.lambda_handler(receive_event(queue_url), None)

    assert answer == {"batchItemFailures": []}
    assert frames(connections_server, ids) == dict.fromkeys(ids, 1)


def test_a_shard_failed_midway_is_redriven_to_the_rest_only(entry, queue_url, connections_server) -> None:
    services = get_services(entry.get_app())
    services.broadcaster.shard_size = 3
    ids = [f"c{i}=" for i in range(4)]  # shards of 3 + 1
    register(services, connections_server, ids)
    services.broadcaster.broadcast(services.realtime.endpoint(), {"type": "pong"})
    event = receive_event(queue_url)
    connections_server.fail_remaining = 1  # the first post of the batch answers 503 once

    first = entry.lambda_handler(event, None)

    assert len(first["batchItemFailures"]) == 1
    failed_id = first["batchItemFailures"][0]["itemIdentifier"]
    assert sum(frames(connections_server, ids).values()) == 3
    # Lambda redelivers the failed message alone (same body, same messageId).
    redrive = {"Records": [r for r in event["Records"] if r["messageId"] == failed_id]}
    second = entry.lambda_handler(redrive, None)

    assert second == {"batchItemFailures": []}
    assert frames(connections_server, ids) == dict.fromkeys(ids, 1)
    # A third delivery of any of them (SQS is at-least-once) sends nothing more.
    assert entry.lambda_handler(copy.deepcopy(event), None) == {"batchItemFailures": []}
    assert frames(connections_server, ids) == dict.fromkeys(ids, 1)


def test_a_gone_connection_is_deleted_and_the_shard_completes(entry, queue_url, connections_server) -> None:
    services = get_services(entry.get_app())
    register(services, connections_server, ["a=", "b="])
    services.connections.add("gone=", connected_at_ms=1, source_ip="127.0.0.1", user_agent="t")
    services.broadcaster.broadcast(services.realtime.endpoint(), {"type": "pong"})

    assert entry.lambda_handler(receive_event(queue_url), None) == {"batchItemFailures": []}
    assert {c for page in services.connections.iter_pages() for c in page} == {"a=", "b="}


def test_a_shard_leased_by_a_concurrent_delivery_is_reported_not_sent(
    entry, queue_url, connections_server
) -> None:
    services = get_services(entry.get_app())
    ids = [f"c{i}=" for i in range(3)]
    register(services, connections_server, ids)
    services.broadcaster.broadcast(services.realtime.endpoint(), {"type": "pong"})
    event = receive_event(queue_url)
    shard = decode_message(event["Records"][0]["body"])
    services.shard_ledger.acquire(shard, "someone-else")

    answer = entry.lambda_handler(event, None)

    assert answer["batchItemFailures"] == [{"itemIdentifier": event["Records"][0]["messageId"]}]
    assert sum(frames(connections_server, [t.connection_id for t in shard.targets]).values()) == 0
    with pytest.raises(LeaseHeld):
        services.shard_ledger.acquire(shard, "a-third-one")


def test_racing_duplicates_reach_each_connection_once(entry, queue_url, connections_server) -> None:
    services = get_services(entry.get_app())
    services.broadcaster.shard_size = 20
    ids = [f"r{i:02d}=" for i in range(21)]
    register(services, connections_server, ids)
    services.broadcaster.broadcast(services.realtime.endpoint(), {"type": "pong"})
    event = receive_event(queue_url)
    threads = [
        threading.Thread(target=entry.lambda_handler, args=(copy.deepcopy(event), None)) for _ in range(4)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    entry.lambda_handler(copy.deepcopy(event), None)  # the redrive of whatever lost a lease

    assert frames(connections_server, ids) == dict.fromkeys(ids, 1)


class _Context:
    def __init__(self, remaining_ms: int) -> None:
        self.remaining_ms = remaining_ms

    def get_remaining_time_in_millis(self) -> int:
        return self.remaining_ms


def test_near_the_timeout_the_shard_stops_and_is_redriven(entry, queue_url, connections_server) -> None:
    services = get_services(entry.get_app())
    ids = [f"c{i}=" for i in range(3)]
    register(services, connections_server, ids)
    services.broadcaster.broadcast(services.realtime.endpoint(), {"type": "pong"})
    event = receive_event(queue_url)

    answer = entry.lambda_handler(event, _Context(remaining_ms=1000))

    assert len(answer["batchItemFailures"]) == len(event["Records"])
    assert connections_server.requests == 0
    assert entry.lambda_handler(event, _Context(remaining_ms=20_000)) == {"batchItemFailures": []}
    assert frames(connections_server, ids) == dict.fromkeys(ids, 1)


def test_the_recorded_shard_batch_is_delivered(entry, connections_server) -> None:
    services = get_services(entry.get_app())
    event = load_event("sqs_broadcast_shards")
    ids = []
    for record in event["Records"]:
        body = json.loads(record["body"])
        body["endpoint"] = services.realtime.endpoint()
        record["body"] = json.dumps(body)
        ids += [cid for cid, _ in body["targets"]]
    connections_server.live.update(ids)

    assert entry.lambda_handler(event, None) == {"batchItemFailures": []}
    assert frames(connections_server, ids) == dict.fromkeys(ids, 1)
    assert connections_server.messages(ids[0])[0]["type"] == "metrics-update"


def test_a_shard_for_another_endpoint_is_refused(entry, connections_server) -> None:
    event = load_event("sqs_broadcast_shards")  # names an AWS endpoint, not this app's WS_ENDPOINT

    answer = entry.lambda_handler(event, None)

    assert len(answer["batchItemFailures"]) == 2
    assert connections_server.requests == 0


def test_malformed_messages_are_reported_and_counted_never_raised(entry) -> None:
    event = load_event("sqs_broadcast_malformed")

    answer = entry.lambda_handler(event, None)

    assert answer["batchItemFailures"] == [{"itemIdentifier": r["messageId"]} for r in event["Records"]]
    assert get_services(entry.get_app()).failures.snapshot()["broadcast-shard"] == 3


def test_a_record_without_message_id_is_skipped(entry) -> None:
    event = {"Records": [{"eventSource": "aws:sqs", "body": "x"}]}

    assert entry.lambda_handler(event, None) == {"batchItemFailures": []}


def test_shard_dataclass_round_trip() -> None:
    shard = Shard("b", 3, "https://x/prod", '{"a":1}', (Target("a=", None), Target("b=", 5)), "send")

    assert decode_message(shard.body()) == shard


def test_a_payload_that_cannot_fit_sqs_once_escaped_is_skipped_not_raised(
    entry, queue_url, connections_server
) -> None:
    services = get_services(entry.get_app())
    register(services, connections_server, [f"c{i}=" for i in range(3)])
    # Under API Gateway's 128 KB as JSON, but every quote doubles once escaped into the body.
    message = {"type": "metrics-update", "data": {"q": '"' * 65_500}}

    result = services.broadcaster.broadcast(services.realtime.endpoint(), message)

    assert result.skipped and result.shards == 0
    assert receive_event(queue_url)["Records"] == []

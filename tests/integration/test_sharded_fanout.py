"""The sharded fan-out end to end over real sockets: the local stack with a shard size of 2, its
embedded SQS queue and queue poller (as Lambda's event source mapping), real WebSocket clients."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator

import pytest

from tests.helpers.auth import signed_in
from tests.helpers.stack_process import StackProcess
from tests.helpers.uploads import upload_to_stack
from tests.helpers.waiting import eventually
from tests.helpers.ws_client import WsClient

PASSWORD = "Integration-Tests-1"


@pytest.fixture(scope="module")
def sharded() -> Iterator[StackProcess]:
    with StackProcess("--user-password", PASSWORD, "--shard-size", "2") as running:
        yield running


@contextlib.contextmanager
def clients(stack: StackProcess, n: int) -> Iterator[list[WsClient]]:
    token = signed_in(stack, "viewer")
    with contextlib.ExitStack() as opened:
        conns = [opened.enter_context(WsClient(stack.ws_url, token=token)) for _ in range(n)]
        assert eventually(lambda: len(stack.connection_ids()) >= n)
        yield conns


def updates(client: WsClient) -> list[dict]:
    return [f for f in client.frames if isinstance(f, dict) and f.get("type") == "metrics-update"]


def queue_url(stack: StackProcess) -> str:
    return stack.client("sqs").get_queue_url(QueueName="BroadcastQueue")["QueueUrl"]


def test_one_upload_reaches_five_clients_through_shards_once_each(sharded) -> None:
    with clients(sharded, 5) as conns:
        upload_to_stack(sharded.url, token=signed_in(sharded, "reviewer"))

        for client in conns:
            client.wait_for("metrics-update", timeout=20)
        time.sleep(1.5)  # anything sent twice (a redelivered shard) would have arrived by now
        assert [len(updates(c)) for c in conns] == [1] * 5
    # The broadcast went through the queue: shards were consumed, none is left or dead.
    assert any("shards queued" in line for line in sharded.log), "\n".join(list(sharded.log)[-30:])
    sqs = sharded.client("sqs")
    dlq = sqs.get_queue_url(QueueName="BroadcastDeadLetterQueue")["QueueUrl"]
    attrs = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["ApproximateNumberOfMessages"])
    assert attrs["Attributes"]["ApproximateNumberOfMessages"] == "0"


def test_redelivered_shards_do_not_send_twice(sharded) -> None:
    """SQS delivers at least once: the same shard delivered three times, twice at the same moment
    (the poller runs several consumers), reaches each connection once."""
    from invoice_app.realtime.registry import Target
    from invoice_app.realtime.shards import Shard

    with clients(sharded, 3) as conns:
        ids = sorted(sharded.connection_ids())
        endpoint = sharded.ws_url.replace("ws://", "http://", 1)
        shard = Shard(
            "redelivered01",
            0,
            endpoint,
            '{"type":"metrics-update","data":{"total":7}}',
            tuple(Target(i) for i in ids),
        )
        sqs = sharded.client("sqs")
        url = queue_url(sharded)
        sqs.send_message_batch(
            QueueUrl=url, Entries=[{"Id": str(i), "MessageBody": shard.body()} for i in range(2)]
        )
        for client in conns:
            client.wait_for("metrics-update", where=lambda f: f["data"]["total"] == 7, timeout=20)
        sqs.send_message(QueueUrl=url, MessageBody=shard.body())  # a late redelivery
        assert eventually(
            lambda: sum("already delivered" in line for line in sharded.log) >= 1, timeout=20
        ), "\n".join(list(sharded.log)[-30:])
        time.sleep(1.5)  # a lease-held duplicate comes back after the local visibility (1 s)
        assert [len([f for f in updates(c) if f["data"]["total"] == 7]) for c in conns] == [1, 1, 1]


def test_a_shard_whose_first_attempt_died_midway_is_redriven_to_the_rest_only(sharded) -> None:
    """The first attempt reached two of five connections and died (its lease ran out, the message
    came back after the visibility timeout): the redrive posts to the other three only."""
    from urllib.parse import quote

    import requests

    from invoice_app.realtime.registry import Target
    from invoice_app.realtime.shards import Shard

    with clients(sharded, 5) as conns:
        ids = sorted(sharded.connection_ids())  # the five clients' (which is whose does not matter)
        endpoint = sharded.ws_url.replace("ws://", "http://", 1)
        payload = '{"type":"metrics-update","data":{"total":9}}'
        shard = Shard("midway000000001", 0, endpoint, payload, tuple(Target(i) for i in ids))
        # What the first attempt did before it died: claimed and posted to the first two...
        for cid in ids[:2]:
            answer = requests.post(f"{endpoint}/@connections/{quote(cid, safe='')}", data=payload, timeout=10)
            assert answer.status_code == 200
        expired = str(int(time.time()) - 1)
        sharded.dynamodb().put_item(
            TableName="IdempotencyKeys",
            Item={
                "pk": {"S": f"broadcast-shard#{shard.key}"},
                "claimed": {"SS": ids[:2]},
                "leaseOwner": {"S": "the-attempt-that-died"},
                "leaseUntil": {"N": expired},
                "expires": {"N": str(int(time.time()) + 3600)},
            },
        )
        # ...and the message comes back.
        sharded.client("sqs").send_message(QueueUrl=queue_url(sharded), MessageBody=shard.body())

        for client in conns:
            client.wait_for("metrics-update", where=lambda f: f["data"]["total"] == 9, timeout=20)
        assert eventually(
            lambda: any(f"shard {shard.key}: 2 connections already reached" in line for line in sharded.log),
            timeout=20,
        ), "\n".join(list(sharded.log)[-30:])
        time.sleep(1.5)  # a second frame to any of them would have arrived by now
        assert [len([f for f in updates(c) if f["data"]["total"] == 9]) for c in conns] == [1] * 5

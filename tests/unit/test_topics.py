"""Topics over the WebSocket: subscribe/unsubscribe/focus, presence, limits — through the real entrypoint."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest

from invoice_app.realtime.presence import initials
from tests.helpers.events import connect_event, load_event

TOPIC = "invoice:inv_1a2b3c4d"


def connect(handler, server, cid: str, *, sub: str, name: str = "", email: str = "") -> str:
    event = connect_event()
    event["requestContext"]["connectionId"] = cid
    event["requestContext"]["authorizer"].update(sub=sub, principalId=sub, name=name, email=email)
    assert handler(event, None) == {"statusCode": 200}
    server.live.add(cid)
    return cid


def send(handler, cid: str, body: dict[str, Any]) -> None:
    event = load_event("ws_default_ping")
    event["requestContext"]["connectionId"] = cid
    event["body"] = json.dumps(body)
    assert handler(event, None) == {"statusCode": 200}


def disconnect(handler, cid: str) -> None:
    event = load_event("ws_disconnect")
    event["requestContext"]["connectionId"] = cid
    assert handler(event, None) == {"statusCode": 200}


def presences(server, cid: str, topic: str = TOPIC) -> list[list[dict[str, Any]]]:
    return [m["viewers"] for m in server.messages(cid) if m["type"] == "presence" and m["topic"] == topic]


def errors(server, cid: str) -> list[str]:
    return [m["error"] for m in server.messages(cid) if m["type"] == "error"]


@pytest.fixture
def live(handler):
    """The services of the app the entrypoint runs (not the `services` fixture's own app)."""
    import app as lambda_module
    from invoice_app import get_services

    return get_services(lambda_module.get_app())


@pytest.fixture
def two(handler, connections_server, provisioned):
    a = connect(
        handler, connections_server, "A=", sub="sub-a", name="Rita Reviewer", email="rita@example.com"
    )
    b = connect(handler, connections_server, "B=", sub="sub-b", email="otto.other@example.com")
    return a, b


def test_initials_come_from_the_name_or_the_e_mail() -> None:
    assert initials("Rita Reviewer") == "RR"
    assert initials("otto.other@example.com") == "OO"
    assert initials("ada") == "A"
    assert initials("") == "?"


def test_subscribe_sends_presence_to_every_subscriber(handler, connections_server, two) -> None:
    a, b = two
    send(handler, a, {"action": "subscribe", "topic": TOPIC})
    send(handler, b, {"action": "subscribe", "topic": TOPIC})

    assert presences(connections_server, a) == [
        [{"sub": "sub-a", "name": "Rita Reviewer", "initials": "RR", "editing": None}],
        [
            {"sub": "sub-a", "name": "Rita Reviewer", "initials": "RR", "editing": None},
            {"sub": "sub-b", "name": "otto.other@example.com", "initials": "OO", "editing": None},
        ],
    ]
    assert [len(v) for v in presences(connections_server, b)] == [2]


def test_only_the_topics_subscribers_hear_of_it(handler, connections_server, two) -> None:
    a, b = two
    send(handler, a, {"action": "subscribe", "topic": TOPIC})
    send(handler, b, {"action": "subscribe", "topic": "invoice:other"})

    assert [len(v) for v in presences(connections_server, a)] == [1]
    assert presences(connections_server, b) == []


def test_focus_and_unsubscribe_update_presence(handler, connections_server, two) -> None:
    a, b = two
    send(handler, a, {"action": "subscribe", "topic": TOPIC})
    send(handler, b, {"action": "subscribe", "topic": TOPIC})

    send(handler, b, {"action": "focus", "topic": TOPIC, "field": "total"})
    assert {v["sub"]: v["editing"] for v in presences(connections_server, a)[-1]} == {
        "sub-a": None,
        "sub-b": "total",
    }
    send(handler, b, {"action": "focus", "topic": TOPIC, "field": None})
    assert [v["editing"] for v in presences(connections_server, a)[-1]] == [None, None]

    send(handler, b, {"action": "unsubscribe", "topic": TOPIC})
    assert [v["sub"] for v in presences(connections_server, a)[-1]] == ["sub-a"]


def test_disconnect_removes_the_viewer_from_presence(handler, connections_server, provisioned, two) -> None:
    a, b = two
    send(handler, a, {"action": "subscribe", "topic": TOPIC})
    send(handler, b, {"action": "subscribe", "topic": TOPIC})

    disconnect(handler, b)

    assert [v["sub"] for v in presences(connections_server, a)[-1]] == ["sub-a"]
    left = boto3.client("dynamodb").scan(TableName=provisioned["TOPICS_TABLE"])["Items"]
    assert [i["connectionId"]["S"] for i in left] == [a]


def test_a_410_while_sending_removes_the_viewer_and_announces_again(
    handler, connections_server, provisioned, two
) -> None:
    a, b = two
    send(handler, a, {"action": "subscribe", "topic": TOPIC})
    send(handler, b, {"action": "subscribe", "topic": TOPIC})
    connections_server.live.discard(b)  # B vanished without a $disconnect

    send(handler, a, {"action": "focus", "topic": TOPIC, "field": "vendorName"})

    *_, with_b, without_b = presences(connections_server, a)
    assert [v["sub"] for v in with_b] == ["sub-a", "sub-b"]
    assert without_b == [{"sub": "sub-a", "name": "Rita Reviewer", "initials": "RR", "editing": "vendorName"}]
    db = boto3.client("dynamodb")
    assert "Item" not in db.get_item(
        TableName=provisioned["CONNECTIONS_TABLE"], Key={"connectionId": {"S": b}}
    )
    assert [i["connectionId"]["S"] for i in db.scan(TableName=provisioned["TOPICS_TABLE"])["Items"]] == [a]


def test_two_tabs_of_one_viewer_are_one_viewer(handler, connections_server, provisioned) -> None:
    a = connect(handler, connections_server, "A=", sub="sub-a", name="Rita Reviewer")
    a2 = connect(handler, connections_server, "A2=", sub="sub-a", name="Rita Reviewer")
    send(handler, a, {"action": "subscribe", "topic": TOPIC})
    send(handler, a2, {"action": "subscribe", "topic": TOPIC})

    assert [v["sub"] for v in presences(connections_server, a)[-1]] == ["sub-a"]


@pytest.mark.parametrize(
    "topic",
    ["", "invoice:", "invoice", "order:1", "invoice:a b", "invoice:" + "x" * 65, 7, None, "visualization:"],
)
def test_a_bad_topic_is_an_error_frame(handler, connections_server, two, topic) -> None:
    a, _ = two
    send(handler, a, {"action": "subscribe", "topic": topic})

    [error] = errors(connections_server, a)
    assert "invoice:<id>" in error
    assert presences(connections_server, a) == []


def test_visualization_topics_are_accepted(handler, connections_server, client_as, two) -> None:
    a, _ = two
    created = client_as("reviewer").post(
        "/api/visualizations", json={"name": "Latency", "type": "normal", "shared": True}
    )
    topic = f"visualization:{created.get_json()['id']}"
    send(handler, a, {"action": "subscribe", "topic": topic})

    assert len(presences(connections_server, a, topic)) == 1
    assert errors(connections_server, a) == []


@pytest.mark.parametrize("topic", ["visualization:viz_1", "visualization:" + "0" * 32])
def test_a_visualization_that_does_not_exist_is_refused(
    handler, connections_server, live, two, topic
) -> None:
    a, _ = two
    send(handler, a, {"action": "subscribe", "topic": topic})

    assert errors(connections_server, a) == [f"subscribe: no {topic} that you may see"]
    assert presences(connections_server, a, topic) == []
    assert live.topics.members(topic) == []


def test_at_most_twenty_topics_per_connection(handler, connections_server, live, two, monkeypatch) -> None:
    a, _ = two
    monkeypatch.setattr(live.presence, "_limit", 100)  # this test is about the topic limit
    for n in range(21):
        send(handler, a, {"action": "subscribe", "topic": f"invoice:inv_{n}"})

    assert errors(connections_server, a) == ["at most 20 topics per connection"]
    assert len(live.topics.topics_of(a)) == 20
    send(handler, a, {"action": "subscribe", "topic": "invoice:inv_3"})  # again: not a new one
    assert len(errors(connections_server, a)) == 1


def test_presence_actions_are_rate_limited_per_connection(
    handler, connections_server, live, two, monkeypatch
) -> None:
    a, b = two
    # One instant: on a slow machine six real sends can outlast the rate window.
    monkeypatch.setattr(live.presence, "_clock", lambda: 1_000_000.0)
    for n in range(6):
        send(handler, a, {"action": "subscribe", "topic": f"invoice:inv_{n}"})
    send(handler, b, {"action": "subscribe", "topic": TOPIC})  # another connection: its own counter

    [error] = errors(connections_server, a)
    assert "at most 5" in error
    assert errors(connections_server, b) == []


def test_clearing_a_focus_is_never_refused_and_announces_only_a_release(
    handler, connections_server, live, two, monkeypatch
) -> None:
    a, b = two
    monkeypatch.setattr(live.presence, "_clock", lambda: 1_000_000.0)
    send(handler, a, {"action": "subscribe", "topic": TOPIC})
    send(handler, b, {"action": "subscribe", "topic": TOPIC})
    for field in ("vendorName", "total", "currency", "invoiceDate"):  # the limit is now spent
        send(handler, b, {"action": "focus", "topic": TOPIC, "field": field})
    send(handler, b, {"action": "focus", "topic": TOPIC, "field": "iban"})
    assert "at most 5" in errors(connections_server, b)[-1]
    heard = len(presences(connections_server, a))

    send(handler, b, {"action": "focus", "topic": TOPIC, "field": None})
    send(handler, b, {"action": "focus", "topic": TOPIC, "field": None})  # nothing held: silent

    assert len(presences(connections_server, a)) == heard + 1
    assert [v["editing"] for v in presences(connections_server, a)[-1]] == [None, None]
    assert len(errors(connections_server, b)) == 1


def test_the_rate_window_moves_on(handler, connections_server, live, two, monkeypatch) -> None:
    a, _ = two
    now = [1_000_000.0]
    monkeypatch.setattr(live.presence, "_clock", lambda: now[0])
    for n in range(5):
        send(handler, a, {"action": "subscribe", "topic": f"invoice:inv_{n}"})
    send(handler, a, {"action": "unsubscribe", "topic": "invoice:inv_0"})
    assert len(errors(connections_server, a)) == 1

    now[0] += 10
    send(handler, a, {"action": "unsubscribe", "topic": "invoice:inv_0"})
    assert len(errors(connections_server, a)) == 1


def test_the_counter_is_in_the_connection_record(handler, provisioned, two) -> None:
    a, _ = two
    send(handler, a, {"action": "subscribe", "topic": TOPIC})

    item = boto3.client("dynamodb").get_item(
        TableName=provisioned["CONNECTIONS_TABLE"], Key={"connectionId": {"S": a}}
    )["Item"]
    assert item["rateCount"] == {"N": "1"}


def test_focus_needs_a_subscription_and_a_field_name(handler, connections_server, two) -> None:
    a, _ = two
    send(handler, a, {"action": "focus", "topic": TOPIC, "field": "total"})
    send(handler, a, {"action": "subscribe", "topic": TOPIC})
    send(handler, a, {"action": "focus", "topic": TOPIC, "field": 3})

    first, second = errors(connections_server, a)
    assert "subscribe to invoice:inv_1a2b3c4d first" in first
    assert "field" in second


def test_unknown_action_lists_the_topic_actions(handler, connections_server, two) -> None:
    a, _ = two
    send(handler, a, {"action": "nope"})

    [error] = errors(connections_server, a)
    assert all(name in error for name in ("subscribe", "unsubscribe", "focus"))


def test_a_topic_message_queries_the_topic_and_never_scans_connections(
    handler, connections_server, services, two, monkeypatch
) -> None:
    a, b = two
    send(handler, a, {"action": "subscribe", "topic": TOPIC})
    calls: list[str] = []
    client = services.aws.dynamodb
    original = client._make_api_call

    def spy(operation, params):
        calls.append(operation)
        return original(operation, params)

    monkeypatch.setattr(client, "_make_api_call", spy)
    services.presence.publish(connections_server.endpoint, TOPIC, {"type": "pong"})

    assert calls == ["Query"]
    assert connections_server.messages(a)[-1] == {"type": "pong"}
    assert connections_server.messages(b) == []

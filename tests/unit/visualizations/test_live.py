"""params-update and the cursor relay through the real entrypoint and the loopback @connections."""

from __future__ import annotations

import pytest

from invoice_app.visualizations.live import CursorRelay, TokenBuckets
from tests.unit.test_topics import connect, send


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def of_type(server, cid: str, kind: str) -> list[dict]:
    return [m for m in server.messages(cid) if m["type"] == kind]


@pytest.fixture
def live(handler):
    import app as lambda_module
    from invoice_app import get_services

    return get_services(lambda_module.get_app())


@pytest.fixture
def viz(client_as) -> dict:
    response = client_as("reviewer").post(
        "/api/visualizations", json={"name": "Latency", "type": "normal", "shared": True}
    )
    assert response.status_code == 201
    return response.get_json()


@pytest.fixture
def watching(handler, connections_server, viz):
    """Two connections subscribed to the visualization's topic, and one that is not."""
    topic = f"visualization:{viz['id']}"
    a = connect(
        handler, connections_server, "A=", sub="sub-a", name="Rita Reviewer", email="rita@example.com"
    )
    b = connect(handler, connections_server, "B=", sub="sub-b", email="otto.other@example.com")
    c = connect(handler, connections_server, "C=", sub="sub-c", name="Carl Outsider")
    send(handler, a, {"action": "subscribe", "topic": topic})
    send(handler, b, {"action": "subscribe", "topic": topic})
    return topic, a, b, c


def test_a_parameter_change_reaches_the_subscribers_as_params_update(
    client_as, connections_server, viz, watching
) -> None:
    _topic, a, b, c = watching
    response = client_as("admin").post(
        f"/api/visualizations/{viz['id']}/parameters", json={"parameters": {"mean": 1500}, "version": 1}
    )
    assert response.status_code == 200
    for cid in (a, b):
        (update,) = of_type(connections_server, cid, "params-update")
        assert update["data"] == {
            "visualizationId": viz["id"],
            "parameters": response.get_json()["parameters"],
            "version": 2,
            "by": {"sub": update["data"]["by"]["sub"], "email": "admin@example.com"},
        }
    assert of_type(connections_server, c, "params-update") == []


def test_unchanged_parameters_send_nothing(client_as, connections_server, viz, watching) -> None:
    _topic, a, _b, _c = watching
    client_as("reviewer").post(
        f"/api/visualizations/{viz['id']}/parameters", json={"parameters": {"k": 2}, "version": 1}
    )
    assert of_type(connections_server, a, "params-update") == []


def test_a_cursor_goes_to_the_other_subscribers_only(handler, connections_server, watching) -> None:
    topic, a, b, c = watching
    send(handler, a, {"action": "cursor", "topic": topic, "x": 1234.5, "y": -2})
    (cursor,) = of_type(connections_server, b, "cursor")
    assert cursor["data"] == {
        "topic": topic,
        "x": 1234.5,
        "y": -2,
        "by": {"sub": "sub-a", "name": "Rita Reviewer", "initials": "RR"},
        "connectionId": a,
    }
    assert of_type(connections_server, a, "cursor") == []
    assert of_type(connections_server, c, "cursor") == []


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ({"topic": "visualization:x", "x": "1", "y": 2}, "'x'"),
        ({"topic": "visualization:x", "x": 1, "y": 1e13}, "'y'"),
        ({"topic": "visualization:x", "x": 1, "y": True}, "'y'"),
        ({"topic": "visualization:x", "x": 1}, "'y'"),
        ({"topic": "nope", "x": 1, "y": 2}, "topic"),
    ],
)
def test_a_bad_cursor_is_an_error_frame(handler, connections_server, watching, body, says) -> None:
    _topic, a, b, _c = watching
    send(handler, a, {"action": "cursor", **body})
    errors = [m["error"] for m in of_type(connections_server, a, "error")]
    assert len(errors) == 1 and says in errors[0]
    assert of_type(connections_server, b, "cursor") == []


def test_only_a_subscriber_may_relay(handler, connections_server, watching) -> None:
    topic, a, b, c = watching
    send(handler, c, {"action": "cursor", "topic": topic, "x": 1, "y": 1})
    assert [m["error"] for m in of_type(connections_server, c, "error")] == [
        f"cursor: subscribe to {topic} first"
    ]
    assert of_type(connections_server, a, "cursor") == of_type(connections_server, b, "cursor") == []


def test_the_relay_is_throttled_per_connection_and_says_so_once(
    handler, connections_server, watching, live
) -> None:
    topic, a, b, _c = watching
    clock = FakeClock()
    relay = CursorRelay(live.topics, live.broadcaster, live.failures, rate=20, burst=10, clock=clock)
    relay.register(live.realtime.actions)  # the same action, on a clock the test moves
    for _ in range(30):  # 30 at one instant: the burst passes
        send(handler, a, {"action": "cursor", "topic": topic, "x": 1, "y": 1})
    clock.now += 0.5  # half a second refills 10
    for _ in range(30):
        send(handler, a, {"action": "cursor", "topic": topic, "x": 2, "y": 2})
    assert len(of_type(connections_server, b, "cursor")) == 20
    assert (relay.stats.relayed, relay.stats.dropped) == (20, 40)
    errors = [m["error"] for m in of_type(connections_server, a, "error")]
    assert len(errors) == 1 and "at most 20 per second" in errors[0]
    assert live.failures.snapshot()["cursor-dropped"] == 40
    # Another connection has its own bucket.
    send(handler, b, {"action": "cursor", "topic": topic, "x": 3, "y": 3})
    assert len(of_type(connections_server, a, "cursor")) == 1


def test_members_are_read_once_per_ttl_not_per_message(
    handler, connections_server, watching, live, monkeypatch
) -> None:
    topic, a, b, _c = watching
    clock = FakeClock()
    relay = CursorRelay(live.topics, live.broadcaster, rate=1000, burst=1000, member_ttl_s=2.0, clock=clock)
    relay.register(live.realtime.actions)
    calls: list[str] = []
    client = live.aws.dynamodb
    for name in ("query", "get_item", "put_item", "update_item", "scan", "batch_get_item"):
        original = getattr(client, name)
        monkeypatch.setattr(
            client, name, lambda *args, _o=original, _n=name, **kw: (calls.append(_n), _o(*args, **kw))[1]
        )
    for i in range(50):
        send(handler, a, {"action": "cursor", "topic": topic, "x": i, "y": i})
    assert len(of_type(connections_server, b, "cursor")) == 50
    # 50 relayed cursors, one DynamoDB call: the member lookup (a paginated Query is `query`).
    assert relay.stats.member_lookups == 1 and calls == ["query"]
    clock.now += 2.5  # past the TTL: one more lookup
    send(handler, a, {"action": "cursor", "topic": topic, "x": 0, "y": 0})
    assert relay.stats.member_lookups == 2 and calls == ["query", "query"]


def test_a_new_subscriber_is_found_by_one_refresh(handler, connections_server, watching, live) -> None:
    topic, a, _b, c = watching
    clock = FakeClock()
    relay = CursorRelay(live.topics, live.broadcaster, rate=1000, burst=1000, clock=clock)
    relay.register(live.realtime.actions)
    send(handler, a, {"action": "cursor", "topic": topic, "x": 1, "y": 1})  # cached without C
    send(handler, c, {"action": "subscribe", "topic": topic})
    clock.now += 0.5
    send(handler, c, {"action": "cursor", "topic": topic, "x": 5, "y": 5})
    assert [m["data"]["connectionId"] for m in of_type(connections_server, a, "cursor")] == [c]
    assert relay.stats.member_lookups == 2


def test_token_buckets_refill_at_the_rate_up_to_the_burst() -> None:
    clock = FakeClock()
    buckets = TokenBuckets(rate=20, burst=10, clock=clock)
    assert sum(buckets.take("a") for _ in range(15)) == 10
    clock.now += 0.25  # 5 tokens
    assert sum(buckets.take("a") for _ in range(15)) == 5
    clock.now += 60  # never more than the burst
    assert sum(buckets.take("a") for _ in range(30)) == 10
    # Over one second of steady sending, at most burst + rate pass.
    clock.now += 60
    passed = 0
    for _ in range(100):
        clock.now += 0.01
        passed += buckets.take("b")
    assert 10 + 20 - 1 <= passed <= 10 + 20  # the burst, then the rate


def test_a_private_visualization_reaches_only_its_owner(handler, client_as, connections_server) -> None:
    owner = client_as("reviewer")
    me = owner.get("/api/me").get_json()
    viz = owner.post("/api/visualizations", json={"name": "mine", "type": "normal"}).get_json()
    topic = f"visualization:{viz['id']}"
    # The stranger's subscribe is refused (test_access.py); what is sent is filtered by the same rule.
    mine = connect(handler, connections_server, "O=", sub=me["sub"], name="Rita Reviewer")
    tab = connect(handler, connections_server, "T=", sub=me["sub"], name="Rita Reviewer")
    stranger = connect(handler, connections_server, "S=", sub="sub-s", name="Sam Stranger")
    for cid in (mine, tab, stranger):
        send(handler, cid, {"action": "subscribe", "topic": topic})
    assert (
        owner.post(
            f"/api/visualizations/{viz['id']}/parameters", json={"parameters": {"k": 3}, "version": 1}
        ).status_code
        == 200
    )
    assert [len(of_type(connections_server, c, "params-update")) for c in (mine, tab, stranger)] == [1, 1, 0]

    send(handler, mine, {"action": "cursor", "topic": topic, "x": 1, "y": 1})
    send(handler, stranger, {"action": "cursor", "topic": topic, "x": 2, "y": 2})
    assert [m["data"]["x"] for m in of_type(connections_server, tab, "cursor")] == [1]
    assert of_type(connections_server, stranger, "cursor") == []
    assert [m["error"] for m in of_type(connections_server, stranger, "error")] == [
        f"subscribe: no {topic} that you may see",
        f"cursor: subscribe to {topic} first",
    ]


def test_a_cursor_on_a_visualization_that_does_not_exist_goes_nowhere(handler, connections_server) -> None:
    topic = "visualization:0123456789abcdef0123456789abcdef"
    a = connect(handler, connections_server, "A=", sub="sub-a", name="Ann")
    b = connect(handler, connections_server, "B=", sub="sub-b", name="Ben")
    for cid in (a, b):
        send(handler, cid, {"action": "subscribe", "topic": topic})
    send(handler, a, {"action": "cursor", "topic": topic, "x": 1, "y": 1})
    assert of_type(connections_server, b, "cursor") == []
    assert [m["error"] for m in of_type(connections_server, a, "error")] == [
        f"subscribe: no {topic} that you may see",
        f"cursor: subscribe to {topic} first",
    ]


def test_junk_cursors_count_against_the_rate_too(handler, connections_server, watching, live) -> None:
    topic, a, _b, _c = watching
    relay = CursorRelay(live.topics, live.broadcaster, rate=20, burst=10, clock=FakeClock())
    relay.register(live.realtime.actions)
    for _ in range(30):
        send(handler, a, {"action": "cursor", "topic": topic, "x": "junk", "y": 0})
    # 10 answered (the burst), then one error saying the rest is dropped, then silence.
    errors = [m["error"] for m in of_type(connections_server, a, "error")]
    assert len(errors) == 11 and "at most 20 per second" in errors[-1]
    assert (relay.stats.refused, relay.stats.dropped) == (10, 20)

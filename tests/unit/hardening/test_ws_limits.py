"""Per-connection WebSocket limits: message size and rate, an error frame, then a close on abuse.

GIVEN a connected client WHEN it sends a message over the app's size bound, or more than the rate
allows (30/s, bursts of 60 by default) THEN that message is not handled and the client gets an error frame
(at most one a second); WHEN it keeps on (30 refusals within 10 s) THEN the connection is closed
through `DELETE @connections/{id}` and its record deleted. Other connections are unaffected.
"""

from __future__ import annotations

import copy

import boto3
import pytest

from invoice_app.core.limits import WS_CLIENT_MESSAGE_BURST as BURST
from invoice_app.core.limits import WS_MAX_CLIENT_MESSAGE_BYTES
from invoice_app.ratelimit.websocket import MessageGate
from tests.helpers.events import connect_event, load_event

CID = "L0SM9cOFvHcCIhw="


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(handler) -> Clock:
    """The entrypoint's gate on a clock that stands still (a slow machine refills no tokens)."""
    import app as lambda_module
    from invoice_app import get_services

    frozen = Clock()
    get_services(lambda_module.get_app()).ws_gate = MessageGate(clock=frozen)
    return frozen


@pytest.fixture
def connected(handler, clock, connections_server, provisioned):
    assert handler(connect_event(), None) == {"statusCode": 200}
    connections_server.live.add(CID)
    return CID


def message(body: str, cid: str = CID) -> dict:
    event = copy.deepcopy(load_event("ws_default_ping"))
    event["body"] = body
    event["requestContext"]["connectionId"] = cid
    return event


def test_a_message_over_the_size_bound_gets_an_error_frame_and_is_not_handled(
    handler, connections_server, connected
) -> None:
    big = '{"action": "ping", "pad": "' + "x" * WS_MAX_CLIENT_MESSAGE_BYTES + '"}'

    assert handler(message(big), None) == {"statusCode": 200}

    [frame] = connections_server.messages(CID)
    assert frame["type"] == "error" and "message too large" in frame["error"]
    assert handler(message('{"action": "ping"}'), None) == {"statusCode": 200}
    assert connections_server.messages(CID)[-1] == {"type": "pong"}


def test_a_burst_beyond_the_bucket_is_refused_with_one_error_frame(handler, connections_server, connected):
    for _ in range(BURST + 5):
        assert handler(message('{"action": "ping"}'), None) == {"statusCode": 200}

    frames = connections_server.messages(CID)
    assert frames[:BURST] == [{"type": "pong"}] * BURST
    # the 5 refused messages: one error frame, not five (refusing must not amplify a flood)
    assert len(frames) == BURST + 1
    assert frames[BURST]["type"] == "error" and "too many messages" in frames[BURST]["error"]


def test_sustained_abuse_closes_the_connection_and_forgets_it(
    handler, connections_server, connected, provisioned
) -> None:
    for _ in range(BURST + 30):
        handler(message('{"action": "ping"}'), None)

    assert CID not in connections_server.live  # DELETE @connections/{id} was sent
    assert "closing the connection" in connections_server.messages(CID)[-1]["error"]
    record = boto3.client("dynamodb").get_item(
        TableName=provisioned["CONNECTIONS_TABLE"], Key={"connectionId": {"S": CID}}
    )
    assert "Item" not in record


def test_one_connection_over_its_limit_leaves_others_alone(handler, connections_server, connected) -> None:
    other = "b1XyZcOFvHcCIhw="
    connections_server.live.add(other)
    for _ in range(BURST + 5):
        handler(message('{"action": "ping"}'), None)

    handler(message('{"action": "ping"}', other), None)

    assert connections_server.messages(other) == [{"type": "pong"}]


def test_disconnect_forgets_the_bucket(handler, connections_server, connected) -> None:
    for _ in range(BURST):
        handler(message('{"action": "ping"}'), None)
    handler(load_event("ws_disconnect"), None)
    assert handler(connect_event(), None) == {"statusCode": 200}
    connections_server.live.add(CID)

    handler(message('{"action": "ping"}'), None)

    assert connections_server.messages(CID)[-1] == {"type": "pong"}


# -- the gate on its own, with a clock of the test's ------------------------------------------


def test_the_bucket_refills_at_the_rate() -> None:
    clock = Clock()
    gate = MessageGate(rate=10, burst=20, clock=clock)
    assert all(gate.check("c", "{}").allowed for _ in range(20))
    assert not gate.check("c", "{}").allowed
    clock.now += 0.5  # 5 tokens back
    assert [gate.check("c", "{}").allowed for _ in range(6)] == [True] * 5 + [False]


def test_error_frames_are_at_most_one_a_second_and_abuse_is_counted_in_a_window() -> None:
    clock = Clock()
    gate = MessageGate(rate=1, burst=1, close_after=5, abuse_window_s=10, clock=clock)
    assert gate.check("c", "{}").allowed
    first = gate.check("c", "{}")
    assert not first.allowed and first.error and not first.close
    assert gate.check("c", "{}").error is None  # within the second: silent
    clock.now += 11  # the window forgets those two refusals (and the bucket refills)
    assert gate.check("c", "{}").allowed
    verdicts = [gate.check("c", "{}") for _ in range(5)]
    assert [v.close for v in verdicts] == [False] * 4 + [True]


def test_size_is_measured_in_utf8_bytes() -> None:
    gate = MessageGate(max_bytes=10)
    assert gate.check("c", "é" * 5).allowed  # 10 bytes
    verdict = gate.check("c", "é" * 6)
    assert not verdict.allowed and "12 bytes" in (verdict.error or "")


def test_the_gate_tracks_a_bounded_number_of_connections(monkeypatch) -> None:
    from invoice_app.ratelimit import websocket

    monkeypatch.setattr(websocket, "MAX_TRACKED_CONNECTIONS", 3)
    gate = MessageGate()
    for cid in "abcd":
        gate.check(cid, "{}")
    assert list(gate._buckets) == ["b", "c", "d"]

"""Visualizations over real sockets in the local stack: params-update, cursors, the throttle, /data.

Two signed-in clients subscribe to one visualization's topic; a parameter change over HTTP
reaches the other as `params-update`; a cursor goes to the other viewer only; 100 cursors sent
in one second are cut down by the per-connection token bucket (20/s, burst 10) — per function
environment, as on Lambda: the local stack runs 4 of them and a connection's messages go to
whichever is free, so the bound is 4 × (burst + 20/s × the time it took). Someone else's private
visualization cannot be subscribed to, and unsharing one drops the other viewer and tells them.
"""

from __future__ import annotations

import base64
import json
import logging
import time

import requests

from tests.helpers.auth import bearer, signed_in
from tests.helpers.uploads import upload_to_stack
from tests.helpers.ws_client import FrameTimeout, WsClient

FUNCTION_ENVIRONMENTS = 4  # devstack's StackConfig.concurrency
RATE, BURST = 20, 10


def sub_of(token: str) -> str:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))["sub"]


def create(stack, token: str, **body) -> dict:
    answer = requests.post(
        f"{stack.url}/api/visualizations",
        json={"name": "Latency", "type": "normal", "shared": True, **body},
        headers=bearer(token),
        timeout=30,
    )
    assert answer.status_code == 201, answer.text
    return answer.json()


def subscribed(ws: WsClient, topic: str, people: int) -> None:
    ws.send_json({"action": "subscribe", "topic": topic})
    ws.wait_for("presence", where=lambda f: f["topic"] == topic and len(f["viewers"]) == people)


def test_a_parameter_change_and_cursors_reach_the_other_viewer(stack) -> None:
    reviewer, viewer = signed_in(stack, "reviewer"), signed_in(stack, "viewer")
    viz = create(stack, reviewer)
    topic = f"visualization:{viz['id']}"
    with WsClient(stack.ws_url, token=reviewer) as ws_r, WsClient(stack.ws_url, token=viewer) as ws_v:
        subscribed(ws_r, topic, 1)
        subscribed(ws_v, topic, 2)

        answer = requests.post(
            f"{stack.url}/api/visualizations/{viz['id']}/parameters",
            json={"parameters": {"mean": 1800, "stdDev": 250}},
            headers={**bearer(reviewer), "If-Match": "1"},
            timeout=30,
        )
        assert answer.status_code == 200, answer.text
        update = ws_v.wait_for("params-update")["data"]
        assert update == {
            "visualizationId": viz["id"],
            "parameters": answer.json()["parameters"],
            "version": 2,
            "by": {"sub": sub_of(reviewer), "email": "reviewer@example.com"},
        }

        ws_v.send_json({"action": "cursor", "topic": topic, "x": 1234.5, "y": 0.25})
        cursor = ws_r.wait_for("cursor")["data"]
        assert (cursor["topic"], cursor["x"], cursor["y"]) == (topic, 1234.5, 0.25)
        assert cursor["by"]["sub"] == sub_of(viewer) and cursor["by"]["initials"]
        # ... and not back to its sender.
        ws_v.send_json({"action": "ping"})
        ws_v.wait_for("pong")
        assert not [f for f in ws_v.frames if isinstance(f, dict) and f.get("type") == "cursor"]


def pinged(ws: WsClient) -> None:
    """A pong for a ping; after a flood the connection's bucket may refuse the first pings."""
    for _ in range(30):
        ws.send_json({"action": "ping"})
        try:
            ws.wait_for("pong", timeout=1)
            return
        except FrameTimeout:
            continue
    raise AssertionError("no pong within 30 pings")


def test_the_cursor_relay_is_throttled(stack) -> None:
    reviewer, viewer = signed_in(stack, "reviewer"), signed_in(stack, "viewer")
    topic = f"visualization:{create(stack, reviewer)['id']}"
    with WsClient(stack.ws_url, token=reviewer) as ws_r, WsClient(stack.ws_url, token=viewer) as ws_v:
        subscribed(ws_r, topic, 1)
        subscribed(ws_v, topic, 2)
        started = time.monotonic()
        for i in range(100):  # 100 in one second
            ws_r.send_json({"action": "cursor", "topic": topic, "x": i, "y": i})
            time.sleep(max(0.0, started + (i + 1) / 100 - time.monotonic()))
        pinged(ws_r)  # every cursor before it has been handled...
        pinged(ws_v)  # ...and what was relayed has arrived
        elapsed = time.monotonic() - started

        arrived = [f for f in ws_v.frames if isinstance(f, dict) and f.get("type") == "cursor"]
        errors = [f for f in ws_r.frames if isinstance(f, dict) and f.get("type") == "error"]
        logging.getLogger(__name__).info(
            "cursor relay: 100 sent in 1 s, %d relayed in %.2f s, %d error frames",
            len(arrived),
            elapsed,
            len(errors),
        )
        assert 0 < len(arrived) < 100
        assert len(arrived) <= FUNCTION_ENVIRONMENTS * (BURST + RATE * elapsed)
        # One error frame per function environment that dropped some, never one per dropped cursor;
        # the connection's own message limit (30/s, ratelimit/websocket.py) may refuse a few too.
        dropped = [e for e in errors if "at most 20 per second" in e["error"]]
        assert 1 <= len(dropped) <= FUNCTION_ENVIRONMENTS
        assert all("too many messages" in e["error"] for e in errors if e not in dropped)


def test_a_cursor_from_outside_the_topic_is_refused(stack) -> None:
    reviewer, viewer = signed_in(stack, "reviewer"), signed_in(stack, "viewer")
    topic = f"visualization:{create(stack, reviewer)['id']}"
    with WsClient(stack.ws_url, token=reviewer) as ws_r, WsClient(stack.ws_url, token=viewer) as ws_v:
        subscribed(ws_r, topic, 1)
        ws_v.send_json({"action": "cursor", "topic": topic, "x": 1, "y": 1})
        assert "subscribe to" in ws_v.wait_for("error")["error"]
        ws_r.send_json({"action": "ping"})
        ws_r.wait_for("pong")
        try:
            ws_r.wait_for("cursor", timeout=0.5)
            raise AssertionError("a non-subscriber's cursor was relayed")
        except FrameTimeout:
            pass


def test_data_of_an_uploaded_invoice_comes_from_the_day_index(stack) -> None:
    reviewer = signed_in(stack, "reviewer")
    invoice = upload_to_stack(stack.url, token=reviewer)
    viz = create(stack, reviewer, type="scatter", parameters={"x": "pages", "y": "latency", "days": 1})
    answer = requests.get(
        f"{stack.url}/api/visualizations/{viz['id']}/data", headers=bearer(reviewer), timeout=30
    )
    assert answer.status_code == 200, answer.text
    points = {p["invoiceId"]: (p["x"], p["y"]) for p in answer.json()["points"]}
    assert points[invoice["invoiceId"]] == (invoice["pages"], invoice["latencyMs"])


def test_a_private_one_is_refused_and_unsharing_drops_the_others(stack) -> None:
    owner, other = signed_in(stack, "reviewer"), signed_in(stack, "viewer")
    private = create(stack, owner, shared=False)
    shared = create(stack, owner, shared=True)
    with WsClient(stack.ws_url, token=owner) as ws_o, WsClient(stack.ws_url, token=other) as ws_x:
        # Someone else's private one: refused, with the answer a missing one gets.
        for viz_id in (private["id"], "0" * 32):
            ws_x.send_json({"action": "subscribe", "topic": f"visualization:{viz_id}"})
            refusal = ws_x.wait_for("error")["error"]
            assert refusal == f"subscribe: no visualization:{viz_id} that you may see"
        subscribed(ws_o, f"visualization:{private['id']}", 1)

        topic = f"visualization:{shared['id']}"
        subscribed(ws_o, topic, 1)
        subscribed(ws_x, topic, 2)
        answer = requests.put(
            f"{stack.url}/api/visualizations/{shared['id']}",
            json={"shared": False},
            headers={**bearer(owner), "If-Match": "1"},
            timeout=30,
        )
        assert answer.status_code == 200, answer.text

        removed = ws_x.wait_for("visualization-removed")["data"]
        assert removed == {"visualizationId": shared["id"], "reason": "unshared"}
        ws_o.wait_for("presence", where=lambda f: f["topic"] == topic and len(f["viewers"]) == 1)
        # Gone for good: a cursor from them reaches no one, a new subscribe is refused.
        ws_x.send_json({"action": "cursor", "topic": topic, "x": 1, "y": 1})
        assert "subscribe to" in ws_x.wait_for("error")["error"]
        ws_x.send_json({"action": "subscribe", "topic": topic})
        assert ws_x.wait_for("error")["error"] == f"subscribe: no {topic} that you may see"
        ws_o.send_json({"action": "ping"})
        ws_o.wait_for("pong")
        assert not [f for f in ws_o.frames if isinstance(f, dict) and f.get("type") == "cursor"]

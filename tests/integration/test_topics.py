"""Live review over real sockets in the local stack: topics, presence, invoice-updated.

Two signed-in clients follow one invoice; a reviewer corrects it over HTTP (`PATCH` with
`If-Match`); the other client receives `invoice-updated` through the invoices table's stream
(the local stack polls it like an event source mapping); a client that vanishes leaves the
topic's presence (on `$disconnect`, or on the 410 of the next send when that never arrives).
"""

from __future__ import annotations

import base64
import json

import requests

from tests.helpers.auth import bearer, signed_in
from tests.helpers.uploads import upload_to_stack
from tests.helpers.ws_client import WsClient


def sub_of(token: str) -> str:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))["sub"]


def subs(frame: dict) -> set[str]:
    return {v["sub"] for v in frame["viewers"]}


def follow_one_invoice(stack) -> tuple[str, str, str, str]:
    reviewer, viewer = signed_in(stack, "reviewer"), signed_in(stack, "viewer")
    invoice = upload_to_stack(stack.url, token=reviewer)
    return invoice["invoiceId"], f"invoice:{invoice['invoiceId']}", reviewer, viewer


def test_two_viewers_see_each_other_and_the_correction(stack) -> None:
    invoice_id, topic, reviewer, viewer = follow_one_invoice(stack)
    both = {sub_of(reviewer), sub_of(viewer)}
    with WsClient(stack.ws_url, token=reviewer) as ws_r, WsClient(stack.ws_url, token=viewer) as ws_v:
        ws_r.send_json({"action": "subscribe", "topic": topic})
        ws_r.wait_for("presence", where=lambda f: f["topic"] == topic)
        ws_v.send_json({"action": "subscribe", "topic": topic})
        # THEN presence shows both, to both
        for ws in (ws_r, ws_v):
            ws.wait_for("presence", where=lambda f: f["topic"] == topic and subs(f) == both)

        ws_r.send_json({"action": "focus", "topic": topic, "field": "total"})
        frame = ws_v.wait_for("presence", where=lambda f: any(v["editing"] for v in f["viewers"]))
        assert {v["sub"]: v["editing"] for v in frame["viewers"]} == {
            sub_of(reviewer): "total",
            sub_of(viewer): None,
        }

        # WHEN the reviewer corrects the invoice over HTTP
        answer = requests.patch(
            f"{stack.url}/api/invoices/{invoice_id}",
            json={"fields": {"total": 4242.42}},
            headers={**bearer(reviewer), "If-Match": "1"},
            timeout=30,
        )
        assert answer.status_code == 200, answer.text

        # THEN the other client hears of it, with what changed and who changed it
        update = ws_v.wait_for("invoice-updated", timeout=20)["data"]
        assert update["invoiceId"] == invoice_id and update["version"] == 2
        assert next(c for c in update["changes"] if c["field"] == "total")["new"] == 4242.42
        assert update["by"]["sub"] == sub_of(reviewer)
        assert update["status"] == "needs-review"


def test_a_vanished_client_leaves_the_presence(stack) -> None:
    _, topic, reviewer, viewer = follow_one_invoice(stack)
    with WsClient(stack.ws_url, token=reviewer) as ws_r:
        ws_v = WsClient(stack.ws_url, token=viewer).connect()
        ws_r.send_json({"action": "subscribe", "topic": topic})
        ws_r.wait_for("presence")  # one after the other: concurrent joins may announce out of order
        ws_v.send_json({"action": "subscribe", "topic": topic})
        ws_r.wait_for("presence", where=lambda f: len(f["viewers"]) == 2)

        ws_v.vanish()  # no close frame: $disconnect when the gateway notices, else a 410 on the next send
        ws_r.send_json({"action": "focus", "topic": topic, "field": "vendorName"})

        frame = ws_r.wait_for("presence", where=lambda f: subs(f) == {sub_of(reviewer)}, timeout=20)
        assert frame["viewers"][0]["editing"] in ("vendorName", None)


def test_without_disconnect_events_the_410_removes_the_viewer(harsh_stack) -> None:
    # The harsh stack drops $disconnect (API Gateway's is best effort): only a send finds it gone.
    _, topic, reviewer, viewer = follow_one_invoice(harsh_stack)
    with WsClient(harsh_stack.ws_url, token=reviewer) as ws_r:
        ws_v = WsClient(harsh_stack.ws_url, token=viewer).connect()
        ws_r.send_json({"action": "subscribe", "topic": topic})
        ws_r.wait_for("presence")  # one after the other: concurrent joins may announce out of order
        ws_v.send_json({"action": "subscribe", "topic": topic})
        ws_r.wait_for("presence", where=lambda f: len(f["viewers"]) == 2)

        ws_v.vanish()
        ws_r.send_json({"action": "focus", "topic": topic, "field": "total"})

        # The 410 may be found by this focus's fan-out or by an earlier one (the upload's metrics
        # broadcast): either way the reviewer ends up alone, and editing the total.
        frame = ws_r.wait_for(
            "presence",
            where=lambda f: subs(f) == {sub_of(reviewer)} and f["viewers"][0]["editing"] == "total",
            timeout=20,
        )
        assert [v["editing"] for v in frame["viewers"]] == ["total"]
        ws_v.close()

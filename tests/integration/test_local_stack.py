"""The local stack over real sockets: HTTP through the gateway, WebSocket frames, stream broadcasts."""

from __future__ import annotations

import time
from urllib.parse import quote

import pytest
import requests
from websockets.exceptions import ConnectionClosed

from tests.helpers.auth import bearer, signed_in
from tests.helpers.uploads import upload_to_stack
from tests.helpers.waiting import eventually
from tests.helpers.ws_client import WsClient

pytestmark = pytest.mark.integration


def upload(stack, name: str = "sample-invoice.pdf") -> dict:
    return upload_to_stack(stack.url, name, token=signed_in(stack, "reviewer"))


def viewer(stack) -> dict[str, str]:
    """The Authorization header of the seeded viewer (reads need no more)."""
    return bearer(signed_in(stack, "viewer"))


def ws(stack, role: str = "viewer") -> WsClient:
    """A WebSocket client signed in as `role` (the $connect authorizer wants ?token=)."""
    return WsClient(stack.ws_url, token=signed_in(stack, role))


def manage_url(stack, connection_id: str) -> str:
    """The @connections URL of one connection (ids are base64: quote them, as boto3 does)."""
    return f"{stack.ws_url.replace('ws://', 'http://')}/@connections/{quote(connection_id, safe='')}"


def test_http_goes_through_the_gateway_to_the_function(stack) -> None:
    health = requests.get(f"{stack.url}/api/health", timeout=10)
    assert health.status_code == 200
    assert health.json()["checks"] == {
        "invoicesTable": "ok",
        "metricsTable": "ok",
        "connectionsTable": "ok",
        "uploadsBucket": "ok",
        "historyTable": "ok",
    }

    body = upload(stack)
    assert body["fields"]["invoiceNumber"]["value"] == "INV-3337"
    stored = requests.get(
        f"{stack.url}/api/invoices/{body['invoiceId']}", headers=viewer(stack), timeout=10
    ).json()
    assert stored["fields"] == body["fields"]


def test_errors_keep_their_status_and_json(stack) -> None:
    reviewer = bearer(signed_in(stack, "reviewer"))
    wrong = requests.post(
        f"{stack.url}/receive", files={"file": ("a.pdf", b"hello")}, headers=reviewer, timeout=10
    )
    missing = requests.get(f"{stack.url}/api/invoices/inv_nope", headers=viewer(stack), timeout=10)

    assert wrong.status_code == 415
    assert "unsupported file type" in wrong.json()["error"]
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("application/json")


def test_body_over_lambdas_payload_limit_is_413(stack) -> None:
    big = b"%PDF-1.7\n" + b"0" * (7 * 1024 * 1024)

    response = requests.post(
        f"{stack.url}/receive",
        files={"file": ("big.pdf", big)},
        headers=bearer(signed_in(stack, "reviewer")),
        timeout=60,
    )

    assert response.status_code == 413


def test_config_json_points_at_this_gateway(stack) -> None:
    config = requests.get(f"{stack.url}/config.json", timeout=10).json()  # public, like the page

    assert config["apiUrl"] == ""
    assert config["wsUrl"] == stack.ws_url
    assert config["maxUploadBytes"] > 0
    assert config["maxLargeUploadBytes"] > config["maxUploadBytes"]


def test_get_metrics_ping_and_errors_answer_that_client(stack) -> None:
    with ws(stack) as client, ws(stack) as other:
        client.send_json({"action": "getMetrics"})
        update = client.wait_for("metrics-update")
        assert {"total", "throughput", "avgLatency", "avgAccuracy", "timestamp"} <= set(update["data"])

        client.send_json({"action": "ping"})
        assert client.wait_for("pong") == {"type": "pong"}

        client.send_json({"action": "launchRockets"})
        assert "unknown action" in client.wait_for("error")["error"]

        client.send("{not json")
        assert "not valid JSON" in client.wait_for("error")["error"]

        time.sleep(0.3)
        assert other.frames == []  # replies go to the asking connection only


def test_upload_pushes_a_metrics_update_to_every_client(stack) -> None:
    with ws(stack) as first, ws(stack, "admin") as second:
        first.send_json({"action": "getMetrics"})
        before = first.wait_for("metrics-update")["data"]["total"]

        upload(stack)
        upload(stack)

        for client in (first, second):
            client.wait_for("metrics-update", where=lambda m: m["data"]["total"] >= before + 2)


def test_connect_and_disconnect_maintain_the_connections_table(stack) -> None:
    before = stack.connection_ids()
    with ws(stack):
        assert eventually(lambda: len(stack.connection_ids() - before) == 1)
        [new_id] = stack.connection_ids() - before
        assert new_id.endswith("=") and len(new_id) == 16

        info = requests.get(manage_url(stack, new_id), timeout=10)
        assert info.status_code == 200
        assert "connectedAt" in info.json()
    assert eventually(lambda: new_id not in stack.connection_ids())


def test_management_api_answers_410_for_unknown_connections(stack) -> None:
    for method in ("POST", "GET", "DELETE"):
        response = requests.request(method, manage_url(stack, "AAAAAAAAAAAAAAA="), data=b"{}", timeout=10)
        assert response.status_code == 410
        assert response.headers["x-amzn-ErrorType"] == "GoneException"


def test_management_delete_closes_the_connection(stack) -> None:
    before = stack.connection_ids()
    with ws(stack) as client:
        assert eventually(lambda: len(stack.connection_ids() - before) == 1)
        [cid] = stack.connection_ids() - before

        response = requests.delete(
            f"{stack.ws_url.replace('ws://', 'http://')}/@connections/{cid}", timeout=10
        )

        assert response.status_code == 204
        assert client.wait_closed() == 1000


def test_oversized_client_message_closes_with_1009(stack) -> None:
    with ws(stack) as client:
        client.send("x" * (129 * 1024))

        assert client.wait_closed() == 1009


def test_oversized_post_to_a_connection_is_refused(stack) -> None:
    before = stack.connection_ids()
    with ws(stack) as client:
        assert eventually(lambda: len(stack.connection_ids() - before) == 1)
        [cid] = stack.connection_ids() - before
        response = requests.post(manage_url(stack, cid), data=b"x" * (128 * 1024 + 1), timeout=10)

        assert response.status_code == 413
        assert not client.closed


def test_vanished_client_is_removed_after_a_410(harsh_stack) -> None:
    # GIVEN a client that disappears without a close frame, and no $disconnect event for it
    ghost = ws(harsh_stack).connect()
    assert eventually(lambda: len(harsh_stack.connection_ids()) == 1)
    [ghost_id] = harsh_stack.connection_ids()
    ghost.vanish()
    time.sleep(0.5)
    assert harsh_stack.connection_ids() == {ghost_id}  # nothing told the backend yet

    # WHEN the next broadcast reaches for it
    with ws(harsh_stack) as watcher:
        upload(harsh_stack)
        watcher.wait_for("metrics-update")

    # THEN @connections answered 410 and the backend deleted the record
    assert eventually(lambda: ghost_id not in harsh_stack.connection_ids())


def test_idle_connections_are_closed_like_api_gateway(harsh_stack) -> None:
    with ws(harsh_stack) as client:
        assert client.wait_closed(timeout=10) == 1001
        assert "idle" in client.close_reason


def test_connection_life_is_capped_even_when_active(harsh_stack) -> None:
    with ws(harsh_stack) as client:
        started = time.monotonic()
        while not client.closed and time.monotonic() - started < 15:
            try:
                client.send_json({"action": "ping"})  # keeps it from going idle
            except ConnectionClosed:
                break  # the cap fell between the check and the send
            time.sleep(0.5)

        assert client.wait_closed(timeout=1) == 1001
        assert "life" in client.close_reason

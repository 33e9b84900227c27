"""The visualizations' answers and messages checked against the contract (published and strict).

Through the app's public surfaces only, like tests/contract/test_contract.py: HTTP through the
Flask test client on moto, WebSocket events through the real `lambda_handler`.
"""

from __future__ import annotations

import json
import time

import pytest

from tests.contract.test_contract import assert_invalid, assert_valid, upload
from tests.helpers.events import connect_event, load_event
from tests.helpers.samples import fixture_bytes

DAY = 86_400_000
VARIANTS = {
    "normal": ("NormalVisualization", "NormalData", {"target": 500, "mean": 100, "stdDev": 20}),
    "histogram": ("HistogramVisualization", "HistogramData", {"filters": {"currency": "EUR"}}),
    "series": ("SeriesVisualization", "SeriesData", {"measure": "spend", "split": "vendor", "topN": 3}),
    "scatter": ("ScatterVisualization", "ScatterData", {"x": "total", "y": "accuracy"}),
}


@pytest.fixture
def reviewer(client_as):
    return client_as("reviewer")


def created(client, kind: str, parameters: dict | None = None) -> dict:
    response = client.post(
        "/api/visualizations",
        json={"name": kind, "type": kind, "shared": True, "parameters": parameters or {}},
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()


@pytest.mark.parametrize("kind", sorted(VARIANTS))
@pytest.mark.parametrize("with_invoice", [True, False])
def test_visualizations_and_their_data_are_in_the_contract(
    client, reviewer, kind: str, with_invoice: bool
) -> None:
    if with_invoice:
        assert upload(client, fixture_bytes("sample-invoice.pdf")).status_code == 200
    variant, data_def, parameters = VARIANTS[kind]
    for params in ({}, parameters):
        viz = created(reviewer, kind, params)
        assert_valid(viz, "Visualization")
        assert_valid(viz, variant)
        assert_valid(viz["parameters"], "VisualizationParameters")
        body = reviewer.get(f"/api/visualizations/{viz['id']}/data").get_json()
        assert_valid(body, "VisualizationData")
        assert_valid(body, data_def)
        if with_invoice and kind != "series":
            assert body["rows"] == 1
    assert_valid(reviewer.get("/api/visualizations").get_json(), "VisualizationList")


def test_a_change_its_conflict_and_the_history_are_in_the_contract(reviewer, client_as) -> None:
    viz = created(reviewer, "normal")
    url = f"/api/visualizations/{viz['id']}"
    changed = reviewer.post(f"{url}/parameters", json={"parameters": {"mean": 5, "target": 9}, "version": 1})
    assert changed.status_code == 200
    assert_valid(changed.get_json(), "NormalVisualization")
    stale = reviewer.post(f"{url}/parameters", json={"parameters": {"k": 3}, "version": 1})
    assert stale.status_code == 409
    assert_valid(stale.get_json(), "VisualizationConflict")
    renamed = reviewer.put(url, json={"name": "renamed", "version": 2})
    assert_valid(renamed.get_json(), "Visualization")
    reviewer.post(f"{url}/parameters", json={"parameters": {"mean": None}, "version": 3})
    history = client_as("viewer").get(f"{url}/history").get_json()
    assert [h["parameter"] for h in history["items"]] == ["mean", "target", "mean"]
    assert_valid(history, "ParameterHistoryPage")


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("post", "/api/visualizations", {"name": "x", "type": "pie"}, 400),
        ("post", "/api/visualizations", {"name": "x", "type": "normal", "parameters": {"k": -1}}, 400),
        ("get", "/api/visualizations/0123456789abcdef0123456789abcdef", None, 404),
        ("get", "/api/visualizations/0123456789abcdef0123456789abcdef/data", None, 404),
    ],
)
def test_visualization_errors_are_error_bodies(reviewer, method: str, path: str, body, status: int) -> None:
    response = (
        getattr(reviewer, method)(path, json=body) if body is not None else getattr(reviewer, method)(path)
    )
    assert response.status_code == status
    assert_valid(response.get_json(), "ErrorBody")


# -- WebSocket ----------------------------------------------------------------------------------


def connect(handler, server, cid: str, sub: str, name: str) -> str:
    event = connect_event()
    event["requestContext"]["connectionId"] = cid
    event["requestContext"]["authorizer"].update(
        sub=sub, principalId=sub, name=name, email=f"{sub}@example.com"
    )
    assert handler(event, None) == {"statusCode": 200}
    server.live.add(cid)
    return cid


def send(handler, cid: str, body: dict) -> None:
    event = load_event("ws_default_ping")
    event["requestContext"]["connectionId"] = cid
    event["body"] = json.dumps(body)
    assert handler(event, None) == {"statusCode": 200}


def test_params_update_and_cursor_messages_are_server_messages(handler, connections_server, reviewer) -> None:
    viz = created(reviewer, "normal")
    topic = f"visualization:{viz['id']}"
    a = connect(handler, connections_server, "A=", "sub-a", "Ada Lovelace")
    b = connect(handler, connections_server, "B=", "sub-b", "Bob")
    cursor_action = {"action": "cursor", "topic": topic, "x": 12.5, "y": -3}
    assert_valid(cursor_action, "ClientMessage")
    assert_valid(cursor_action, "CursorAction")
    for cid in (a, b):
        send(handler, cid, {"action": "subscribe", "topic": topic})
    send(handler, a, cursor_action)
    send(handler, a, {"action": "cursor", "topic": topic, "x": "left", "y": 0})
    assert (
        reviewer.post(
            f"/api/visualizations/{viz['id']}/parameters", json={"parameters": {"k": 1.5}, "version": 1}
        ).status_code
        == 200
    )
    kinds = {"params-update": "ParamsUpdateMessage", "cursor": "CursorMessage", "error": "ErrorMessage"}
    seen = set()
    for cid in (a, b):
        for message in connections_server.messages(cid):
            assert_valid(message, "ServerMessage")
            if message["type"] in kinds:
                assert_valid(message, kinds[message["type"]])
                seen.add(message["type"])
    assert seen == set(kinds)


def test_bad_cursor_actions_are_not_client_messages() -> None:
    topic = "visualization:abc"
    for bad in (
        {"action": "cursor", "topic": topic, "x": "1", "y": 2},
        {"action": "cursor", "topic": topic, "x": 1},
        {"action": "cursor", "topic": "elsewhere", "x": 1, "y": 2},
        {"action": "cursor", "topic": topic, "x": 1, "y": 1e13},
    ):
        assert_invalid(bad, "ClientMessage")


def test_a_series_over_days_is_in_the_contract(client, reviewer) -> None:
    assert upload(client, fixture_bytes("sample-invoice.pdf")).status_code == 200
    now = int(time.time() * 1000)
    for interval in ("hour", "day", "week"):
        viz = created(reviewer, "series", {"interval": interval, "from": now - 2 * DAY, "to": now + 1})
        body = reviewer.get(f"/api/visualizations/{viz['id']}/data").get_json()
        assert_valid(body, "SeriesData")
        assert sum(v or 0 for g in body["groups"] for v in g["values"]) == 1

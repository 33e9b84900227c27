"""WebSocket routes through the real Lambda entrypoint, replies delivered to a loopback @connections API."""

from __future__ import annotations

import time

import boto3
import pytest

from tests.helpers.events import connect_event, load_event

CID = "L0SM9cOFvHcCIhw="  # the connection id of the recorded events


def connection_item(table: str, cid: str = CID) -> dict | None:
    return boto3.client("dynamodb").get_item(TableName=table, Key={"connectionId": {"S": cid}}).get("Item")


@pytest.fixture
def connected(handler, connections_server, provisioned):
    assert handler(connect_event(), None) == {"statusCode": 200}
    connections_server.live.add(CID)
    return CID


def test_connect_records_the_connection_with_a_ttl_within_two_hours(handler, provisioned) -> None:
    before = int(time.time())

    assert handler(connect_event(), None) == {"statusCode": 200}

    item = connection_item(provisioned["CONNECTIONS_TABLE"])
    assert item["connectionId"]["S"] == CID
    assert item["sourceIp"]["S"] == "203.0.113.24"
    assert "Chrome" in item["userAgent"]["S"]
    connected_at = int(item["connectedAt"]["N"])
    assert connected_at == load_event("ws_connect")["requestContext"]["connectedAt"]
    assert 0 < int(item["ttl"]["N"]) - connected_at // 1000 <= 7200
    assert int(item["ttl"]["N"]) >= before - 86400 * 365 * 5  # epoch seconds, not ms


def test_connect_answers_500_when_the_table_is_unreachable(handler, provisioned, caplog) -> None:
    boto3.client("dynamodb").delete_table(TableName=provisioned["CONNECTIONS_TABLE"])

    response = handler(connect_event(), None)

    assert response["statusCode"] == 500
    assert "could not register connection" in caplog.text


def test_a_lone_surrogate_in_the_context_is_dropped_not_a_500(handler, provisioned) -> None:
    # A JSON escape (`"\\ud800"`) can carry one; DynamoDB cannot store it.
    no_agent = connect_event()
    no_agent["requestContext"]["identity"]["userAgent"] = "\ud800"
    assert handler(no_agent, None) == {"statusCode": 200}
    assert "Chrome" in connection_item(provisioned["CONNECTIONS_TABLE"])["userAgent"]["S"]  # the header's

    no_name = connect_event()
    no_name["requestContext"]["authorizer"]["name"] = "Rita \ud800"
    assert handler(no_name, None) == {"statusCode": 200}
    assert connection_item(provisioned["CONNECTIONS_TABLE"])["name"]["S"] == "rita.reviewer@example.com"

    no_sub = connect_event()
    del no_sub["requestContext"]["authorizer"]["principalId"]
    no_sub["requestContext"]["authorizer"]["sub"] = "\ud800"
    assert handler(no_sub, None)["statusCode"] == 401


def test_disconnect_deletes_the_record(handler, provisioned, connected) -> None:
    assert handler(load_event("ws_disconnect"), None) == {"statusCode": 200}

    assert connection_item(provisioned["CONNECTIONS_TABLE"]) is None


def test_disconnect_answers_500_when_the_table_is_unreachable(handler, provisioned, connected) -> None:
    boto3.client("dynamodb").delete_table(TableName=provisioned["CONNECTIONS_TABLE"])

    assert handler(load_event("ws_disconnect"), None)["statusCode"] == 500


def test_get_metrics_answers_that_connection_only(handler, services, connections_server, connected) -> None:
    services.connections.add("other=", connected_at_ms=1, source_ip="", user_agent="")
    connections_server.live.add("other=")
    services.metrics.record_invoice("inv_x", 120.0, 88.0, int(time.time() * 1000))

    assert handler(load_event("ws_default_get_metrics"), None) == {"statusCode": 200}

    [message] = connections_server.messages(CID)
    assert message["type"] == "metrics-update"
    data = message["data"]
    assert data["total"] == 1 and data["avgLatency"] == 120.0 and data["avgAccuracy"] == 88.0
    assert {"throughput", "timestamp", "p95Latency", "series"} <= set(data)
    assert connections_server.messages("other=") == []


def test_ping_gets_pong(handler, connections_server, connected) -> None:
    handler(load_event("ws_default_ping"), None)

    assert connections_server.messages(CID) == [{"type": "pong"}]


@pytest.mark.parametrize(
    ("event_name", "body", "expected"),
    [
        ("ws_default_unknown_action", None, "unknown action 'deleteEverything'"),
        ("ws_default_malformed_json", None, "not valid JSON"),
        ("ws_default_ping", '"just a string"', 'needs a string "action"'),
        ("ws_default_ping", '{"action": 42}', 'needs a string "action"'),
        ("ws_default_ping", "", "empty message"),
    ],
)
def test_bad_messages_get_an_error_frame_and_the_handler_returns_normally(
    handler, connections_server, connected, event_name: str, body: str | None, expected: str
) -> None:
    event = load_event(event_name)
    if body is not None:
        event["body"] = body

    assert handler(event, None) == {"statusCode": 200}

    [message] = connections_server.messages(CID)
    assert message["type"] == "error"
    assert expected in message["error"]


def test_custom_route_key_is_taken_as_the_action(handler, connections_server, connected) -> None:
    event = load_event("ws_default_ping")
    event["requestContext"]["routeKey"] = "ping"

    handler(event, None)

    assert connections_server.messages(CID) == [{"type": "pong"}]


def test_reply_to_a_vanished_client_deletes_its_record(
    handler, connections_server, provisioned, connected
) -> None:
    connections_server.live.discard(CID)  # the browser went away without a close frame

    assert handler(load_event("ws_default_ping"), None) == {"statusCode": 200}

    assert connection_item(provisioned["CONNECTIONS_TABLE"]) is None


def test_endpoint_falls_back_to_the_event_domain_and_stage(app_config, monkeypatch) -> None:
    import app as lambda_module

    for var, value in app_config.items():
        monkeypatch.setenv(var, value)
    monkeypatch.delenv("WS_ENDPOINT")
    monkeypatch.setattr(lambda_module, "_app", None)
    services = lambda_module.get_services(lambda_module.get_app())

    ctx = load_event("ws_default_ping")["requestContext"]
    assert services.management_endpoint(ctx) == "https://ws987zyxwv.execute-api.us-east-1.amazonaws.com/prod"
    assert (
        services.management_endpoint({"domainName": "127.0.0.1:8000", "stage": "ws"})
        == "http://127.0.0.1:8000/ws"
    )
    assert services.management_endpoint({}) is None

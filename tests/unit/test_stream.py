"""DynamoDB Stream batches: one broadcast per batch with metric inserts, whatever the mode."""

from __future__ import annotations

import boto3
import pytest

from tests.helpers.events import load_event


@pytest.fixture
def viewers(services, connections_server) -> list[str]:
    ids = ["viewer-1=", "viewer-2="]
    for cid in ids:
        services.connections.add(cid, connected_at_ms=1, source_ip="", user_agent="")
        connections_server.live.add(cid)
    return ids


@pytest.mark.parametrize("mode", ["stream", "inline"])
def test_batch_with_metric_inserts_broadcasts_exactly_once(
    handler, monkeypatch, connections_server, viewers, mode: str
) -> None:
    monkeypatch.setenv("BROADCAST_MODE", mode)

    assert handler(load_event("dynamodb_stream_metric_inserts"), None) == {"batchItemFailures": []}

    for cid in viewers:
        [message] = connections_server.messages(cid)
        assert message["type"] == "metrics-update"
    assert connections_server.requests == len(viewers)


def test_batch_without_metric_inserts_does_not_broadcast(handler, connections_server, viewers) -> None:
    assert handler(load_event("dynamodb_stream_rollups_only"), None) == {"batchItemFailures": []}

    assert connections_server.requests == 0


def test_malformed_records_are_skipped(handler, connections_server, viewers) -> None:
    event = {
        "Records": [{"eventSource": "aws:dynamodb", "eventName": "INSERT"}, {"eventSource": "aws:dynamodb"}]
    }

    assert handler(event, None) == {"batchItemFailures": []}


def test_unreadable_connections_table_reports_the_batch_for_retry(
    handler, provisioned, connections_server
) -> None:
    boto3.client("dynamodb").delete_table(TableName=provisioned["CONNECTIONS_TABLE"])
    event = load_event("dynamodb_stream_metric_inserts")

    response = handler(event, None)

    first = event["Records"][0]["dynamodb"]["SequenceNumber"]
    assert response == {"batchItemFailures": [{"itemIdentifier": first}]}

"""The invoices table's stream → `invoice-updated` to the subscribers of `invoice:<id>` only."""

from __future__ import annotations

import boto3
import pytest

from tests.helpers.events import load_event
from tests.unit.test_topics import connect, send

A = "inv_1a2b3c4d_1795343467"  # corrected twice in the recording (v1 → v2 → v3, approved)
B = "inv_5e6f7a8b_1795343470"  # corrected once (v1 → v2, rejected)
RITA = {"sub": "8b7e2f3c-51a4-4c8e-9e0b-6f1d2a3b4c5d", "email": "rita.reviewer@example.com"}
OTTO = {"sub": "3c9d0e1f-2a3b-4c5d-8e9f-0a1b2c3d4e5f", "email": "otto.other@example.com"}


def corrections(table: str) -> dict:
    """The recorded batch (2 uploads, 3 corrections), as this test's invoices table's stream."""
    event = load_event("dynamodb_stream_invoice_corrections")
    for record in event["Records"]:
        record["eventSourceARN"] = record["eventSourceARN"].replace("table/Invoices/", f"table/{table}/")
    return event


def updates(server, cid: str) -> list[dict]:
    return [m["data"] for m in server.messages(cid) if m["type"] == "invoice-updated"]


@pytest.fixture
def watchers(handler, connections_server, provisioned):
    a = connect(handler, connections_server, "A=", sub="sub-a", name="Rita Reviewer")
    b = connect(handler, connections_server, "B=", sub="sub-b", name="Otto Other")
    idle = connect(handler, connections_server, "C=", sub="sub-c", name="Ina Idle")
    send(handler, a, {"action": "subscribe", "topic": f"invoice:{A}"})
    send(handler, b, {"action": "subscribe", "topic": f"invoice:{A}"})
    send(handler, b, {"action": "subscribe", "topic": f"invoice:{B}"})
    connections_server.requests = 0
    return a, b, idle


def test_a_batch_sends_one_coalesced_update_per_invoice_to_its_subscribers(
    handler, connections_server, provisioned, watchers
) -> None:
    a, b, idle = watchers

    answer = handler(corrections(provisioned["INVOICES_TABLE"]), None)

    assert answer == {"batchItemFailures": []}
    assert updates(connections_server, a) == [
        {
            "invoiceId": A,
            "version": 3,
            "changes": [
                {"field": "total", "old": 118.0, "new": 119.0},
                {"field": "vendorName", "old": "ACME GmbH", "new": "ACME Gmbh & Co. KG"},
                {"field": "status", "old": "needs-review", "new": "approved"},
            ],
            "status": "approved",
            "by": OTTO,  # the last change of the batch
        }
    ]
    assert [(u["invoiceId"], u["version"], u["by"]) for u in updates(connections_server, b)] == [
        (A, 3, OTTO),
        (B, 2, RITA),
    ]
    assert connections_server.messages(idle) == []  # not subscribed: nothing
    assert connections_server.requests == 3  # one post per subscriber per invoice, no metrics broadcast


def test_uploads_alone_send_nothing(handler, connections_server, provisioned, watchers) -> None:
    event = corrections(provisioned["INVOICES_TABLE"])
    event["Records"] = [r for r in event["Records"] if r["eventName"] == "INSERT"]

    assert handler(event, None) == {"batchItemFailures": []}
    assert connections_server.requests == 0


def test_a_gone_subscriber_is_dropped_and_the_others_see_it_in_presence(
    handler, connections_server, provisioned, watchers
) -> None:
    a, b, _ = watchers
    connections_server.live.discard(b)

    handler(corrections(provisioned["INVOICES_TABLE"]), None)

    [update] = updates(connections_server, a)
    assert update["invoiceId"] == A
    last = [m for m in connections_server.messages(a) if m["type"] == "presence"][-1]
    assert [v["sub"] for v in last["viewers"]] == ["sub-a"]


def test_an_unreadable_topics_table_fails_the_batch_for_a_retry(
    handler, connections_server, provisioned, watchers
) -> None:
    boto3.client("dynamodb").delete_table(TableName=provisioned["TOPICS_TABLE"])

    answer = handler(corrections(provisioned["INVOICES_TABLE"]), None)

    first = corrections(provisioned["INVOICES_TABLE"])["Records"][0]["dynamodb"]["SequenceNumber"]
    assert answer == {"batchItemFailures": [{"itemIdentifier": first}]}


def test_metrics_batches_still_broadcast_to_everyone(handler, connections_server, watchers) -> None:
    assert handler(load_event("dynamodb_stream_metric_inserts"), None) == {"batchItemFailures": []}

    assert connections_server.requests == 3
    assert all([m["type"] for m in connections_server.messages(c)][-1] == "metrics-update" for c in watchers)


def test_a_correction_through_the_api_records_who_made_it(client_as, services, user_pool) -> None:
    from invoice_app.invoices.model import Invoice

    services.invoices.put_new(Invoice("inv_live_1", created_at=1, fields={"total": {"value": 1.0}}))
    reviewer = client_as("reviewer")

    answer = reviewer.patch(
        "/api/invoices/inv_live_1", json={"fields": {"total": 2.0}}, headers={"If-Match": "1"}
    )

    assert answer.status_code == 200, answer.get_json()
    stored = services.invoices.get("inv_live_1")
    assert (
        stored.last_changed_by and stored.last_changed_by["sub"] == answer.get_json()["lastChangedBy"]["sub"]
    )

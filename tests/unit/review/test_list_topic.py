"""The invoices list's topic `invoices`: every invoice's `invoice-updated`, nothing else."""

from __future__ import annotations

from invoice_app.realtime.topics import valid_topic
from tests.unit.test_invoice_stream import A, B, corrections, updates
from tests.unit.test_topics import connect, send


def test_the_list_topic_is_a_topic_and_its_look_alikes_are_not() -> None:
    assert valid_topic("invoices")
    assert not valid_topic("invoices:")
    assert not valid_topic("invoicesx")
    assert not valid_topic("invoices:abc")


def test_a_list_watcher_gets_every_changed_invoice_once_per_batch(
    handler, connections_server, provisioned
) -> None:
    lister = connect(handler, connections_server, "L=", sub="sub-l", name="Lisa Lister")
    reviewer = connect(handler, connections_server, "R=", sub="sub-r", name="Rita Reviewer")
    send(handler, lister, {"action": "subscribe", "topic": "invoices"})
    send(handler, reviewer, {"action": "subscribe", "topic": f"invoice:{A}"})
    connections_server.requests = 0

    assert handler(corrections(provisioned["INVOICES_TABLE"]), None) == {"batchItemFailures": []}

    listed = updates(connections_server, lister)
    assert [(u["invoiceId"], u["version"], u["status"]) for u in listed] == [
        (A, 3, "approved"),
        (B, 2, "rejected"),
    ]
    assert {c["field"] for c in listed[0]["changes"]} == {"total", "vendorName", "status"}
    # The invoice's own watcher still gets only its invoice; one post per subscriber per message.
    assert [u["invoiceId"] for u in updates(connections_server, reviewer)] == [A]
    assert connections_server.requests == 3


def test_uploads_reach_a_list_watcher_as_the_metrics_broadcast(
    handler, connections_server, provisioned
) -> None:
    from tests.helpers.events import load_event

    lister = connect(handler, connections_server, "L=", sub="sub-l", name="Lisa Lister")
    send(handler, lister, {"action": "subscribe", "topic": "invoices"})
    uploads = corrections(provisioned["INVOICES_TABLE"])
    uploads["Records"] = [r for r in uploads["Records"] if r["eventName"] == "INSERT"]

    handler(uploads, None)
    assert updates(connections_server, lister) == []
    handler(load_event("dynamodb_stream_metric_inserts"), None)
    assert [m["type"] for m in connections_server.messages(lister)][-1] == "metrics-update"

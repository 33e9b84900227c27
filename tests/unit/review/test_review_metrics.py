"""Accuracy that is measured: an approval's true field accuracy, rolled up; the review backlog."""

from __future__ import annotations

import pytest

from invoice_app.events.stream import _is_metric_insert
from invoice_app.review.accuracy import measured_accuracy
from invoice_app.review.metrics import backlog_delta
from tests.helpers.samples import fixture_bytes
from tests.helpers.uploads import post_file


@pytest.fixture
def reviewer(client_as):
    return client_as("reviewer")


def upload(client) -> dict:
    response = post_file(client, fixture_bytes("sample-invoice.pdf"), "sample-invoice.pdf")
    assert response.status_code == 200
    return response.get_json()


def patch(client, invoice: dict, body: dict, version: int) -> dict:
    response = client.patch(
        f"/api/invoices/{invoice['invoiceId']}", json=body, headers={"If-Match": str(version)}
    )
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_the_measure_counts_what_the_reader_got_right() -> None:
    read = {"value": "x", "confidence": 0.8}
    fixed = {"value": 2.0, "confidence": 1.0, "source": "user", "extracted": 1.0}
    filled = {"value": "2024-01-01", "confidence": 1.0, "source": "user", "extracted": None}
    confirmed = {"value": 3.0, "confidence": 1.0, "source": "user", "extracted": 3.0}

    assert measured_accuracy({"a": read, "b": read, "c": fixed, "d": filled}) == 50.0
    assert measured_accuracy({"a": read, "b": confirmed}) == 100.0
    assert measured_accuracy({}) is None


def test_an_approval_stores_its_measured_accuracy_and_the_snapshot_shows_it(reviewer, client_as) -> None:
    invoice = upload(reviewer)
    fields = len(invoice["fields"])
    snapshot = client_as("viewer").get("/api/metrics").get_json()
    assert (snapshot["needsReview"], snapshot["reviewed"], snapshot["reviewedAccuracy"]) == (1, 0, None)

    patch(reviewer, invoice, {"fields": {"total": 1.0}}, version=1)
    approved = patch(reviewer, invoice, {"status": "approved"}, version=2)

    expected = round(100 * (fields - 1) / fields, 2)  # one of the reader's fields was wrong
    assert approved["measuredAccuracy"] == expected
    snapshot = client_as("viewer").get("/api/metrics").get_json()
    assert (snapshot["needsReview"], snapshot["reviewed"], snapshot["reviewedAccuracy"]) == (0, 1, expected)
    assert snapshot["avgAccuracy"] == invoice["accuracy"]  # the estimate stays apart from the measure


def test_reopening_puts_it_back_in_the_backlog_and_forgets_the_measure(reviewer, client_as) -> None:
    invoice = upload(reviewer)
    patch(reviewer, invoice, {"status": "approved"}, version=1)

    reopened = patch(reviewer, invoice, {"status": "needs-review"}, version=2)

    assert "measuredAccuracy" not in reopened
    assert client_as("viewer").get("/api/metrics").get_json()["needsReview"] == 1


def test_backlog_moves_only_when_an_invoice_starts_or_stops_waiting() -> None:
    assert backlog_delta("needs-review", "approved") == -1
    assert backlog_delta("needs-review", "rejected") == -1
    assert backlog_delta("approved", "needs-review") == 1
    assert backlog_delta("approved", "rejected") == 0
    assert backlog_delta("processed", "approved") == -1  # invoices stored before review existed


def test_a_review_event_triggers_a_broadcast_and_the_counter_does_not() -> None:
    review = {"eventName": "INSERT", "dynamodb": {"Keys": {"invoiceId": {"S": "review#inv_1#3"}}}}
    counter = {"eventName": "MODIFY", "dynamodb": {"Keys": {"invoiceId": {"S": "counter#needsReview"}}}}
    counter_insert = {**counter, "eventName": "INSERT"}

    assert _is_metric_insert(review)
    assert not _is_metric_insert(counter) and not _is_metric_insert(counter_insert)

"""PATCH /api/invoices/<id>: validated corrections, optimistic versions, status, atomic history."""

from __future__ import annotations

import threading

import boto3
import pytest

from tests.helpers.samples import fixture_bytes
from tests.helpers.uploads import post_file


@pytest.fixture
def invoice(client_as) -> dict:
    """A freshly uploaded invoice (version 1, needs-review), uploaded by the reviewer."""
    response = post_file(client_as("reviewer"), fixture_bytes("sample-invoice.pdf"), "sample-invoice.pdf")
    assert response.status_code == 200, response.get_json()
    return response.get_json()


@pytest.fixture
def reviewer(client_as):
    return client_as("reviewer")


def patch(client, invoice_id: str, body, version: int | str | None = 1):
    headers = {} if version is None else {"If-Match": str(version)}
    return client.patch(f"/api/invoices/{invoice_id}", json=body, headers=headers)


def history_items(table: str) -> list[dict]:
    return boto3.client("dynamodb").scan(TableName=table)["Items"]


def test_a_new_invoice_needs_review_at_version_1(invoice) -> None:
    assert (invoice["status"], invoice["version"]) == ("needs-review", 1)


def test_a_correction_keeps_what_the_reader_found(reviewer, invoice, client_as) -> None:
    extracted = invoice["fields"]["total"]["value"]

    response = patch(reviewer, invoice["invoiceId"], {"fields": {"total": 123.45, "dueDate": None}})

    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["version"] == 2
    total = body["fields"]["total"]
    assert (total["value"], total["confidence"], total["source"], total["extracted"]) == (
        123.45, 1.0, "user", extracted,
    )  # fmt: skip
    assert "dueDate" not in body["fields"]
    assert client_as("viewer").get(f"/api/invoices/{invoice['invoiceId']}").get_json() == body


def test_every_change_is_on_record_newest_first(reviewer, invoice, client_as) -> None:
    me = reviewer.get("/api/me").get_json()
    patch(reviewer, invoice["invoiceId"], {"fields": {"total": 100.0}})
    patch(reviewer, invoice["invoiceId"], {"fields": {"total": 101.0}, "status": "approved"}, version=2)

    page = client_as("viewer").get(f"/api/invoices/{invoice['invoiceId']}/history").get_json()

    assert [(i["version"], i["field"], i["old"], i["new"]) for i in page["items"]] == [
        (3, "status", "needs-review", "approved"),
        (3, "total", 100.0, 101.0),
        (2, "total", invoice["fields"]["total"]["value"], 100.0),
    ]
    assert all(i["by"] == {"sub": me["sub"], "email": "reviewer@example.com"} for i in page["items"])
    first = client_as("viewer").get(f"/api/invoices/{invoice['invoiceId']}/history?limit=2").get_json()
    rest = (
        client_as("viewer")
        .get(f"/api/invoices/{invoice['invoiceId']}/history?limit=2&cursor={first['nextCursor']}")
        .get_json()
    )
    assert [i["version"] for i in first["items"] + rest["items"]] == [3, 3, 2]


def test_a_stale_version_is_409_with_the_current_invoice(reviewer, invoice) -> None:
    patch(reviewer, invoice["invoiceId"], {"fields": {"total": 1.0}})

    response = patch(reviewer, invoice["invoiceId"], {"fields": {"total": 2.0}}, version=1)

    assert response.status_code == 409
    body = response.get_json()
    assert body["error"]
    assert body["current"]["version"] == 2
    assert body["current"]["fields"]["total"]["value"] == 1.0


def test_two_writers_at_once_one_wins_one_gets_409(app, user_pool, invoice, provisioned) -> None:
    token = user_pool.id_token("reviewer")
    answers: list[int] = []
    start = threading.Barrier(2)

    def write(total: float) -> None:
        client = app.test_client()
        start.wait()
        response = client.patch(
            f"/api/invoices/{invoice['invoiceId']}",
            json={"fields": {"total": total}},
            headers={"If-Match": "1", "Authorization": f"Bearer {token}"},
        )
        answers.append(response.status_code)

    threads = [threading.Thread(target=write, args=(t,)) for t in (10.0, 20.0)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)

    assert sorted(answers) == [200, 409]
    assert len(history_items(provisioned["HISTORY_TABLE"])) == 1  # never a silent last-writer-wins


def test_if_match_is_required_and_must_be_a_version(reviewer, invoice) -> None:
    assert patch(reviewer, invoice["invoiceId"], {"fields": {"total": 1.0}}, version=None).status_code == 428
    assert patch(reviewer, invoice["invoiceId"], {"fields": {"total": 1.0}}, version="abc").status_code == 400
    assert patch(reviewer, invoice["invoiceId"], {"fields": {"total": 1.0}}, version='"1"').status_code == 200


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ({"fields": {"invoiceDate": "01/02/2024"}}, "invoiceDate"),
        ({"fields": {"invoiceDate": "2024-02-30"}}, "invoiceDate"),
        ({"fields": {"total": "12.50"}}, "total"),
        ({"fields": {"total": 12.345}}, "total"),
        ({"fields": {"tax": float("inf")}}, "not valid JSON"),  # Infinity is no JSON at all
        ({"fields": {"subtotal": True}}, "subtotal"),
        ({"fields": {"currency": "EURO"}}, "currency"),
        ({"fields": {"currency": "XYZ"}}, "currency"),
        ({"fields": {"vendorName": "   "}}, "vendorName"),
        ({"fields": {"vendorName": "x" * 201}}, "vendorName"),
        ({"fields": {"colour": "red"}}, "colour"),
        ({"fields": ["total", 1]}, "fields"),
        ({"status": "done"}, "status"),
        ({"status": "rejected"}, "reason"),
        ({"status": "approved", "reason": "fine"}, "reason"),
        ({"owner": "me"}, "owner"),
        ({}, "nothing to change"),
        ([], "JSON object"),
    ],
)
def test_a_bad_value_is_400_naming_it_and_nothing_is_written(
    reviewer, invoice, provisioned, body, named
) -> None:
    response = patch(reviewer, invoice["invoiceId"], body)

    assert response.status_code == 400
    assert named in response.get_json()["error"]
    assert reviewer.get(f"/api/invoices/{invoice['invoiceId']}").get_json()["version"] == 1
    assert history_items(provisioned["HISTORY_TABLE"]) == []


def test_good_values_are_normalised(reviewer, invoice) -> None:
    body = {"fields": {"currency": " usd ", "vendorName": "  ACME\n Corp ", "tax": -5, "total": 1e3}}

    fields = patch(reviewer, invoice["invoiceId"], body).get_json()["fields"]

    assert fields["currency"]["value"] == "USD"
    assert fields["vendorName"]["value"] == "ACME Corp"
    assert fields["tax"]["value"] == -5  # credit notes are negative
    assert fields["total"]["value"] == 1000


def test_approval_locks_the_fields_until_reopened(reviewer, invoice) -> None:
    approved = patch(reviewer, invoice["invoiceId"], {"status": "approved"}).get_json()
    assert approved["status"] == "approved"

    locked = patch(reviewer, invoice["invoiceId"], {"fields": {"total": 5.0}}, version=2)
    assert locked.status_code == 409
    assert "re-open" in locked.get_json()["error"]
    assert locked.get_json()["current"]["status"] == "approved"

    reopened = patch(
        reviewer, invoice["invoiceId"], {"status": "needs-review", "fields": {"total": 5.0}}, version=2
    )
    assert reopened.status_code == 200
    assert (reopened.get_json()["status"], reopened.get_json()["version"]) == ("needs-review", 3)


def test_a_rejection_keeps_its_reason(reviewer, invoice, client_as) -> None:
    body = patch(reviewer, invoice["invoiceId"], {"status": "rejected", "reason": "duplicate of INV-1"})

    assert body.get_json()["statusReason"] == "duplicate of INV-1"
    [entry] = client_as("viewer").get(f"/api/invoices/{invoice['invoiceId']}/history").get_json()["items"]
    assert (entry["field"], entry["new"], entry["reason"]) == ("status", "rejected", "duplicate of INV-1")


def test_the_same_value_again_changes_nothing(reviewer, invoice, provisioned) -> None:
    same = invoice["fields"]["total"]["value"]

    response = patch(reviewer, invoice["invoiceId"], {"fields": {"total": same}})

    assert response.get_json()["version"] == 1
    assert history_items(provisioned["HISTORY_TABLE"]) == []


def test_a_viewer_may_not_correct(client_as, invoice) -> None:
    assert patch(client_as("viewer"), invoice["invoiceId"], {"fields": {"total": 1.0}}).status_code == 403
    assert patch(client_as(None), invoice["invoiceId"], {"fields": {"total": 1.0}}).status_code == 401


def test_an_unknown_invoice_is_404(reviewer) -> None:
    assert patch(reviewer, "inv_nope", {"fields": {"total": 1.0}}).status_code == 404


def test_history_and_invoice_never_disagree(reviewer, invoice, provisioned) -> None:
    # GIVEN the history table is gone, so the transaction's second item cannot be written
    boto3.client("dynamodb").delete_table(TableName=provisioned["HISTORY_TABLE"])

    response = patch(reviewer, invoice["invoiceId"], {"fields": {"total": 1.0}})

    # THEN nothing changed: not the invoice either
    assert response.status_code == 503
    assert "nothing was changed" in response.get_json()["error"]
    stored = reviewer.get(f"/api/invoices/{invoice['invoiceId']}").get_json()
    assert (stored["version"], stored["fields"]["total"]) == (1, invoice["fields"]["total"])


def test_history_across_invoices_by_field_and_by_user(client_as, invoice) -> None:
    reviewer, admin = client_as("reviewer"), client_as("admin")
    me = reviewer.get("/api/me").get_json()
    patch(reviewer, invoice["invoiceId"], {"fields": {"total": 7.0}})
    patch(admin, invoice["invoiceId"], {"fields": {"tax": 1.0}}, version=2)

    by_field = admin.get("/api/history?field=total").get_json()["items"]
    assert [(i["invoiceId"], i["new"]) for i in by_field] == [(invoice["invoiceId"], 7.0)]

    mine = reviewer.get(f"/api/history?user={me['sub']}").get_json()["items"]
    assert [i["field"] for i in mine] == ["total"]
    assert reviewer.get("/api/history?field=total").status_code == 403  # everyone's: admins only
    assert client_as("viewer").get(f"/api/history?user={me['sub']}").status_code == 403
    assert admin.get("/api/history").status_code == 400
    future = admin.get("/api/history?field=total&from=99999999999999").get_json()["items"]
    assert future == []


def test_a_history_cursor_must_be_one_of_its_own(client_as, invoice) -> None:
    viewer = client_as("viewer")
    listing_cursor = "eyJpbnZvaWNlSWQiOiJ4IiwibGlzdEtleSI6Imludm9pY2UiLCJjcmVhdGVkQXQiOjF9"

    for cursor in (listing_cursor, "W1tbW1tbW1s", "not base64!"):
        response = viewer.get(f"/api/invoices/{invoice['invoiceId']}/history?cursor={cursor}")
        assert response.status_code == 400, cursor
        assert "cursor" in response.get_json()["error"]

"""GET /api/export: CSV and JSON of a period, status filter, formula-safe cells, S3 for large ones."""

from __future__ import annotations

import csv
import io
import time

import pytest
import requests

from invoice_app.exports import routes as export_routes
from invoice_app.exports.documents import neutralise
from invoice_app.invoices.model import Invoice
from tests.helpers.samples import fixture_bytes
from tests.helpers.uploads import post_file


def store(services, invoice_id: str, created_at: int, **changes) -> None:
    fields = {
        "invoiceNumber": {"value": f"NR-{invoice_id}", "confidence": 0.9},
        "total": {"value": 10.5, "confidence": 0.9},
    }
    services.invoices.put_new(
        Invoice(
            invoice_id=invoice_id,
            created_at=created_at,
            file_name=f"{invoice_id}.pdf",
            fields=fields,
            **changes,
        )
    )


def rows(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def test_csv_of_a_period_newest_first_with_the_status_filter(client_as, services) -> None:
    day = 86_400_000
    store(services, "a", 1_700_000_000_000)
    store(services, "b", 1_700_000_000_000 + day, status="approved")
    store(services, "c", 1_700_000_000_000 + 5 * day, status="approved")

    viewer = client_as("viewer")
    response = viewer.get(f"/api/export?format=csv&from=1700000000000&to={1_700_000_000_000 + 2 * day}")

    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="invoices-')
    assert [r["invoiceId"] for r in rows(response)] == ["b", "a"]
    assert rows(response)[0]["invoiceNumber"] == "NR-b"
    assert rows(response)[0]["total"] == "10.5"

    approved = viewer.get("/api/export?status=approved&from=2023-11-14&to=2023-11-30")
    assert [r["invoiceId"] for r in rows(approved)] == ["c", "b"]


def test_json_has_the_reviewer_and_the_uploader(client_as) -> None:
    reviewer = client_as("reviewer")
    uploaded = post_file(reviewer, fixture_bytes("sample-invoice.pdf"), "sample-invoice.pdf").get_json()
    reviewer.patch(
        f"/api/invoices/{uploaded['invoiceId']}", json={"status": "approved"}, headers={"If-Match": "1"}
    )

    body = client_as("viewer").get("/api/export?format=json").get_json()

    [item] = body["items"]
    assert (item["status"], item["reviewedBy"], item["uploadedBy"]) == (
        "approved", "reviewer@example.com", "reviewer@example.com",
    )  # fmt: skip
    assert item["invoiceNumber"] == uploaded["fields"]["invoiceNumber"]["value"]


def test_cells_a_spreadsheet_would_run_are_neutralised(client_as, services) -> None:
    now = int(time.time() * 1000)
    for n, name in enumerate(['=HYPERLINK("http://x")', "+1+2", "@SUM(A1)", "-2+3", "\tTAB", "\rCR"]):
        services.invoices.put_new(
            Invoice(
                invoice_id=f"evil{n}",
                created_at=now - n,
                fields={
                    "vendorName": {"value": name, "confidence": 0.5},
                    "total": {"value": -5, "confidence": 1},
                },
            )
        )

    exported = rows(client_as("viewer").get("/api/export"))

    assert all(r["vendorName"].startswith("'") for r in exported)
    assert {r["total"] for r in exported} == {"-5"}  # a negative amount is a number, not a formula
    assert neutralise("-12.50") == "-12.50" and neutralise("safe") == "safe"


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("format=xml", "format"),
        ("status=paid", "status"),
        ("from=yesterday", "from"),
        ("from=1700000000001&to=1700000000000", "after"),
    ],
)
def test_bad_parameters_are_400(client_as, query, words) -> None:
    response = client_as("viewer").get(f"/api/export?{query}")

    assert response.status_code == 400
    assert words in response.get_json()["error"]


def test_export_needs_a_signed_in_user(client_as) -> None:
    assert client_as(None).get("/api/export").status_code == 401


def test_too_many_rows_is_413(client_as, services, monkeypatch) -> None:
    monkeypatch.setattr(export_routes, "MAX_ROWS", 2)
    for n in range(3):
        store(services, f"r{n}", 1_700_000_000_000 + n)

    response = client_as("viewer").get("/api/export")

    assert response.status_code == 413
    assert "shorter period" in response.get_json()["error"]


def test_a_large_export_goes_through_s3_with_a_presigned_url(client_as, services, monkeypatch) -> None:
    monkeypatch.setattr(export_routes, "INLINE_LIMIT", 10)
    store(services, "big", 1_700_000_000_000)

    body = client_as("viewer").get("/api/export?format=csv").get_json()

    assert body["rows"] == 1 and body["expiresIn"] == export_routes.DOWNLOAD_EXPIRY_SECONDS
    assert "/exports/" in body["url"] and "X-Amz-Signature" in body["url"]
    downloaded = requests.get(body["url"], timeout=10)  # moto's mock answers the presigned GET
    assert downloaded.status_code == 200
    assert "big" in downloaded.text

"""GET /api/invoices (newest first, cursor pagination, text filter) and GET /api/invoices/<id>."""

from __future__ import annotations

import time

import pytest

from invoice_app.invoices.model import Invoice
from invoice_app.invoices.repository import InvoiceRepository


def make_invoices(services, count: int) -> list[str]:
    ids = []
    base = int(time.time() * 1000)
    for i in range(count):
        invoice_id = f"inv_{i:08x}_{base // 1000}"
        services.invoices.put_new(
            Invoice.from_api(
                {
                    "invoiceId": invoice_id,
                    "createdAt": base + i,
                    "status": "processed",
                    "fileName": f"file-{i}.pdf",
                    "fields": {"invoiceNumber": {"value": f"NR-{i:03d}", "confidence": 0.9}},
                    "detectedText": "x",
                }
            )
        )
        ids.append(invoice_id)
    return ids


def test_lists_newest_first_across_pages(client, services) -> None:
    ids = make_invoices(services, 7)

    seen, cursor = [], None
    while True:
        page = client.get(
            "/api/invoices", query_string={"limit": 3, **({"cursor": cursor} if cursor else {})}
        ).json
        seen.extend(i["invoiceId"] for i in page["items"])
        cursor = page["nextCursor"]
        if not cursor:
            break

    assert seen == list(reversed(ids))
    assert "listKey" not in client.get("/api/invoices").json["items"][0]


def test_text_filter_matches_number_and_file_name(client, services) -> None:
    make_invoices(services, 12)

    by_number = client.get("/api/invoices", query_string={"q": "nr-011"}).json["items"]
    by_file = client.get("/api/invoices", query_string={"q": "FILE-3"}).json["items"]

    assert [i["fields"]["invoiceNumber"]["value"] for i in by_number] == ["NR-011"]
    assert [i["fileName"] for i in by_file] == ["file-3.pdf"]


def test_filtered_page_is_filled_from_later_pages(client, services) -> None:
    make_invoices(services, 30)

    page = client.get("/api/invoices", query_string={"q": "nr-00", "limit": 5}).json

    assert len(page["items"]) == 5


@pytest.mark.parametrize("limit", ["0", "101", "ten"])
def test_bad_limit_is_400(client, limit: str) -> None:
    response = client.get("/api/invoices", query_string={"limit": limit})

    assert response.status_code == 400
    assert "limit" in response.json["error"]


@pytest.mark.parametrize("cursor", ["not-base64!!", "eyJmb28iOiAxfQ=="])
def test_bad_cursor_is_400(client, cursor: str) -> None:
    response = client.get("/api/invoices", query_string={"cursor": cursor})

    assert response.status_code == 400
    assert "cursor" in response.json["error"]


def test_unknown_invoice_is_404(client) -> None:
    response = client.get("/api/invoices/inv_deadbeef_1700000000")

    assert response.status_code == 404
    assert "inv_deadbeef_1700000000" in response.json["error"]


def test_table_without_the_index_still_lists(aws) -> None:
    import boto3

    ddb = boto3.client("dynamodb")
    ddb.create_table(
        TableName="legacy-invoices",
        AttributeDefinitions=[{"AttributeName": "invoiceId", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "invoiceId", "KeyType": "HASH"}],
        BillingMode="PAY_PER_REQUEST",
    )
    repo = InvoiceRepository(ddb, "legacy-invoices")
    for i in range(3):
        repo.put_new(Invoice.from_api({"invoiceId": f"inv_{i}", "createdAt": i, "fileName": f"f{i}.pdf"}))

    assert [i["invoiceId"] for i in repo.list().to_api()["items"]] == ["inv_2", "inv_1", "inv_0"]


def test_a_page_of_long_texts_stays_under_lambdas_answer_limit(client, services, monkeypatch) -> None:
    from invoice_app.invoices import repository

    monkeypatch.setattr(repository, "MAX_PAGE_BYTES", 25_000)
    base = int(time.time() * 1000)
    for i in range(6):
        services.invoices.put_new(
            Invoice(f"inv_long{i}", created_at=base + i, file_name=f"{i}.pdf", detected_text="x" * 9_000)
        )

    first = client.get("/api/invoices?limit=100").get_json()
    rest = client.get(f"/api/invoices?limit=100&cursor={first['nextCursor']}").get_json()

    assert 1 <= len(first["items"]) < 6  # cut by size, not by limit
    assert first["nextCursor"]
    ids = [i["invoiceId"] for i in first["items"] + rest["items"]]
    assert len(ids) == len(set(ids))  # nothing twice…
    seen = set(ids)
    while rest["nextCursor"]:
        rest = client.get(f"/api/invoices?limit=100&cursor={rest['nextCursor']}").get_json()
        seen |= {i["invoiceId"] for i in rest["items"]}
    assert seen == {f"inv_long{i}" for i in range(6)}  # …and nothing lost

"""POST /receive and POST /api/invoices: validation, processing, persistence, failure handling."""

from __future__ import annotations

import re

import boto3
import pytest

from invoice_app import create_app, get_services
from tests.helpers.samples import fixture_bytes
from tests.helpers.uploads import post_file

upload = post_file


def items(table: str) -> list[dict]:
    return boto3.client("dynamodb").scan(TableName=table)["Items"]


def objects(bucket: str) -> list[str]:
    return [o["Key"] for o in boto3.client("s3").list_objects_v2(Bucket=bucket).get("Contents", [])]


@pytest.mark.parametrize("route", ["/receive", "/api/invoices"])
def test_upload_returns_the_contract_shape(client, route: str) -> None:
    response = upload(client, fixture_bytes("sample-invoice.pdf"), "sample-invoice.pdf", route)

    assert response.status_code == 200, response.json
    body = response.json
    assert re.fullmatch(r"inv_[0-9a-f]{8}_\d{10}", body["invoiceId"])
    assert "Invoice Number INV-3337" in body["detectedText"]
    assert body["textSegments"] and {"text", "confidence", "page"} <= set(body["textSegments"][0])
    assert body["engine"] == "pdf-text"
    assert body["pages"] == 1
    assert body["latencyMs"] > 0
    assert 0 <= body["accuracy"] <= 100
    number = body["fields"]["invoiceNumber"]
    assert number["value"] == "INV-3337"
    assert set(number) == {"value", "confidence", "page", "box"}  # where it was read, for the page view
    assert number["page"] == 1 and len(number["box"]) == 4
    assert body["fields"]["total"]["value"] == 93.5


def test_upload_persists_invoice_original_and_metrics(client, provisioned) -> None:
    body = upload(client, fixture_bytes("sample-invoice.pdf")).json
    invoice_id = body["invoiceId"]

    stored = client.get(f"/api/invoices/{invoice_id}").json
    assert stored["status"] == "needs-review"  # until a person approves or rejects it
    assert stored["fields"] == body["fields"]
    assert stored["latencyMs"] == body["latencyMs"]
    assert stored["accuracy"] == body["accuracy"]
    assert stored["engine"] == "pdf-text" and stored["pages"] == 1 and stored["createdAt"] > 0

    original = boto3.client("s3").get_object(Bucket=provisioned["UPLOADS_BUCKET"], Key=stored["s3Key"])
    assert original["Body"].read() == fixture_bytes("sample-invoice.pdf")
    assert original["ContentType"] == "application/pdf"

    metric = [i for i in items(provisioned["METRICS_TABLE"]) if i["invoiceId"]["S"] == invoice_id]
    assert len(metric) == 1
    assert {"invoiceId", "timestamp", "latency", "accuracy", "processedAt"} <= set(metric[0])
    assert client.get("/api/metrics").json["total"] == 1


def test_missing_file_field_is_400(client) -> None:
    response = upload(client, b"%PDF-1.4", field="document")

    assert response.status_code == 400
    assert "'file'" in response.json["error"]


def test_no_multipart_at_all_is_400(client) -> None:
    response = client.post("/receive", data=b"{}", content_type="application/json")

    assert response.status_code == 400
    assert "multipart" in response.json["error"]


def test_empty_file_is_400(client) -> None:
    response = upload(client, b"")

    assert response.status_code == 400
    assert "empty" in response.json["error"]


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"Invoice No. 1\nTotal 10.00\n", "invoice.pdf"),  # a text file named .pdf
        (b"PK\x03\x04" + b"\x00" * 100, "invoice.zip"),
        (b"GIF89a" + b"\x00" * 100, "invoice.gif"),
        (b"<html><body>invoice</body></html>", "invoice.png"),
    ],
)
def test_wrong_type_by_content_is_415(client, data: bytes, name: str) -> None:
    response = upload(client, data, name)

    assert response.status_code == 415
    assert "PDF, PNG, JPEG, TIFF or WebP" in response.json["error"]


def test_a_real_pdf_with_an_image_name_is_accepted(client) -> None:
    assert upload(client, fixture_bytes("sample-invoice.pdf"), "scan.png").status_code == 200


def test_oversized_file_is_413_and_stores_nothing(app_config, provisioned, client_as) -> None:
    client = client_as("admin", create_app({**app_config, "MAX_UPLOAD_BYTES": "10000"}))

    response = upload(client, fixture_bytes("sample-invoice.pdf"))  # 43 KB

    assert response.status_code == 413
    assert "limit" in response.json["error"]
    assert objects(provisioned["UPLOADS_BUCKET"]) == []
    assert items(provisioned["INVOICES_TABLE"]) == []


def test_body_far_over_the_limit_is_refused_by_werkzeug_with_json(app_config, client_as) -> None:
    client = client_as("admin", create_app({**app_config, "MAX_UPLOAD_BYTES": "1000"}))

    response = upload(client, b"%PDF-1.4\n" + b"0" * 200_000)

    assert response.status_code == 413
    assert "limit" in response.json["error"]


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n" + b"\x00garbage" * 200,  # a PDF header and nothing readable after it
        fixture_bytes("sample-invoice.pdf")[:4000],  # truncated
    ],
)
def test_corrupt_pdf_is_422_counted_and_nothing_stored(client, provisioned, data: bytes) -> None:
    response = upload(client, data)

    assert response.status_code == 422
    assert response.json["error"]
    assert "Traceback" not in response.get_data(as_text=True)
    assert objects(provisioned["UPLOADS_BUCKET"]) == []
    assert items(provisioned["INVOICES_TABLE"]) == []
    assert client.get("/api/metrics").json["errors"] == 1


def test_store_failure_is_503_and_leaves_no_original_behind(client, provisioned) -> None:
    # GIVEN the invoices table is gone (a real DynamoDB failure: ResourceNotFoundException)
    boto3.client("dynamodb").delete_table(TableName=provisioned["INVOICES_TABLE"])

    response = upload(client, fixture_bytes("sample-invoice.pdf"))

    # THEN the caller learns nothing was saved, and the uploaded original was removed again
    assert response.status_code == 503
    assert "nothing was saved" in response.json["error"]
    assert objects(provisioned["UPLOADS_BUCKET"]) == []


def test_bucket_failure_is_503_and_writes_no_invoice(client, provisioned) -> None:
    boto3.client("s3").delete_bucket(Bucket=provisioned["UPLOADS_BUCKET"])

    response = upload(client, fixture_bytes("sample-invoice.pdf"))

    assert response.status_code == 503
    assert items(provisioned["INVOICES_TABLE"]) == []


def test_metrics_failure_does_not_fail_the_upload(client, services, provisioned) -> None:
    boto3.client("dynamodb").delete_table(TableName=provisioned["METRICS_TABLE"])

    response = upload(client, fixture_bytes("sample-invoice.pdf"))

    assert response.status_code == 200
    assert client.get(f"/api/invoices/{response.json['invoiceId']}").status_code == 200
    assert services.failures.snapshot() == {"metrics": 1}
    health = client.get("/api/health")
    assert health.status_code == 503
    assert health.json["checks"]["metricsTable"] == "unreachable"
    assert health.json["failures"] == {"metrics": 1}


def test_inline_mode_broadcasts_after_storing(app_config, connections_server, client_as) -> None:
    app = create_app({**app_config, "BROADCAST_MODE": "inline"})
    get_services(app).connections.add("conn-A=", connected_at_ms=1, source_ip="127.0.0.1", user_agent="t")
    connections_server.live.add("conn-A=")

    upload(client_as("admin", app), fixture_bytes("sample-invoice.pdf"))

    [message] = connections_server.messages("conn-A=")
    assert message["type"] == "metrics-update"
    assert message["data"]["total"] == 1


def test_stream_mode_leaves_broadcasting_to_the_stream(client, services, connections_server) -> None:
    services.connections.add("conn-A=", connected_at_ms=1, source_ip="127.0.0.1", user_agent="t")
    connections_server.live.add("conn-A=")

    upload(client, fixture_bytes("sample-invoice.pdf"))

    assert connections_server.messages("conn-A=") == []


def test_inline_broadcast_failure_does_not_fail_the_upload(app_config, provisioned, client_as) -> None:
    app = create_app({**app_config, "BROADCAST_MODE": "inline"})
    boto3.client("dynamodb").delete_table(TableName=provisioned["CONNECTIONS_TABLE"])

    response = upload(client_as("admin", app), fixture_bytes("sample-invoice.pdf"))

    assert response.status_code == 200
    assert get_services(app).failures.snapshot() == {"broadcast": 1}

"""Uploads over Lambda's payload limit: presigned POST to S3, then POST /api/uploads/<id>/process.

The browser's POST to S3 is a real multipart request (requests): inside `mock_aws` moto intercepts
the `requests` library too, so the form goes through moto's S3 POST-object handler. moto does not
evaluate the POST policy, so the policy itself is decoded and checked here; S3 enforces it on AWS.
"""

from __future__ import annotations

import base64
import io
import json
import re

import boto3
import pytest
import requests
from botocore.exceptions import ClientError

from invoice_app import create_app, get_services
from invoice_app.uploads.presigned import PRESIGNED_POST_EXPIRY_SECONDS
from invoice_app.uploads.store import encode_filename
from tests.helpers.samples import fixture_bytes, large_pdf

BIG = 4_600_000  # over the direct path's 4.5 MB


def items(table: str) -> list[dict]:
    return boto3.client("dynamodb").scan(TableName=table)["Items"]


def objects(bucket: str, prefix: str = "") -> list[str]:
    listing = boto3.client("s3").list_objects_v2(Bucket=bucket, Prefix=prefix)
    return [o["Key"] for o in listing.get("Contents", [])]


def presign(client, file_name: str = "scan.pdf", size: int = BIG):
    return client.post("/api/uploads", json={"fileName": file_name, "size": size})


def post_to_s3(ticket: dict, data: bytes, name: str = "scan.pdf") -> requests.Response:
    """What the browser does: the signed fields first, the file last, multipart/form-data."""
    return requests.post(
        ticket["url"], data=ticket["fields"], files={"file": (name, data, "application/pdf")}, timeout=60
    )


def policy_of(ticket: dict) -> dict:
    return json.loads(base64.b64decode(ticket["fields"]["policy"]))


def upload_via_s3(client, data: bytes, name: str = "scan.pdf") -> tuple[dict, object]:
    ticket = presign(client, name, len(data)).json
    assert post_to_s3(ticket, data, name).status_code == 204
    return ticket, client.post(f"/api/uploads/{ticket['uploadId']}/process")


# -- POST /api/uploads ------------------------------------------------------------------------


def test_presign_answers_a_post_for_one_incoming_key(client, provisioned) -> None:
    response = presign(client, "scan.pdf", BIG)

    assert response.status_code == 200, response.json
    ticket = response.json
    assert set(ticket) == {"uploadId", "url", "fields", "expiresIn", "maxBytes"}
    assert re.fullmatch(r"[0-9a-f]{32}", ticket["uploadId"])
    assert ticket["url"].rstrip("/").endswith(provisioned["UPLOADS_BUCKET"])
    assert ticket["fields"]["key"] == f"incoming/{ticket['uploadId']}"
    assert ticket["expiresIn"] == PRESIGNED_POST_EXPIRY_SECONDS <= 3600
    assert ticket["maxBytes"] == 20_000_000
    # SigV4 (S3 refuses SigV2 for new buckets), signed by the function's credentials
    assert ticket["fields"]["x-amz-algorithm"] == "AWS4-HMAC-SHA256"
    assert ticket["fields"]["x-amz-signature"]


def test_presigned_policy_pins_key_and_name_and_bounds_the_size(client, provisioned) -> None:
    ticket = presign(client, "Rechnung März.pdf", BIG).json

    conditions = policy_of(ticket)["conditions"]

    assert ["content-length-range", 1, 20_000_000] in conditions
    assert {"key": f"incoming/{ticket['uploadId']}"} in conditions
    assert {"bucket": provisioned["UPLOADS_BUCKET"]} in conditions
    assert {"x-amz-meta-filename": "Rechnung M%C3%A4rz.pdf"} in conditions
    # every field the browser sends is covered by the policy (S3 refuses unlisted fields)
    covered = {k for c in conditions if isinstance(c, dict) for k in c}
    assert set(ticket["fields"]) - {"policy", "x-amz-signature"} <= covered


def test_presign_limit_follows_max_s3_upload_bytes(app_config, client_as) -> None:
    client = client_as("admin", create_app({**app_config, "MAX_S3_UPLOAD_BYTES": "8000000"}))

    ticket = presign(client, size=7_000_000).json

    assert ticket["maxBytes"] == 8_000_000
    assert ["content-length-range", 1, 8_000_000] in policy_of(ticket)["conditions"]
    assert presign(client, size=8_000_001).status_code == 413


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ({"fileName": "a.pdf", "size": 20_000_001}, 413, "limit is 20,000,000 bytes"),
        ({"fileName": "a.pdf", "size": 0}, 400, "empty"),
        ({"fileName": "a.pdf", "size": -5}, 400, "empty"),
        ({"fileName": "a.pdf", "size": "5000000"}, 400, "size"),
        ({"fileName": "a.pdf", "size": 5e6}, 400, "size"),
        ({"fileName": "a.pdf", "size": True}, 400, "size"),
        ({"fileName": "a.pdf"}, 400, "size"),
        ({"size": BIG}, 400, "fileName"),
        ({"fileName": "  ", "size": BIG}, 400, "fileName"),
        ({"fileName": 42, "size": BIG}, 400, "fileName"),
        ({"fileName": "x" * 256 + ".pdf", "size": BIG}, 400, "255"),
        (["a.pdf", BIG], 400, "JSON object"),
    ],
)
def test_presign_refuses_bad_requests(client, provisioned, body, status: int, message: str) -> None:
    response = client.post("/api/uploads", json=body)

    assert response.status_code == status
    assert message in response.json["error"]
    assert objects(provisioned["UPLOADS_BUCKET"]) == []


def test_presign_without_json_is_400(client) -> None:
    response = client.post("/api/uploads", data="fileName=a.pdf", content_type="text/plain")

    assert response.status_code == 400
    assert "JSON" in response.json["error"]


# -- the whole path -----------------------------------------------------------------------------


def test_large_pdf_via_s3_is_processed_like_a_direct_upload(client, provisioned) -> None:
    data = large_pdf(BIG)
    assert len(data) > 4_500_000

    _, response = upload_via_s3(client, data, "big-scan.pdf")

    # THEN the answer has the /receive contract and the invoice's fields
    assert response.status_code == 200, response.json
    body = response.json
    small = fixture_bytes("sample-invoice.pdf")
    direct = client.post("/receive", data={"file": (io.BytesIO(small), "small.pdf")}).json
    assert set(body) == set(direct)
    assert re.fullmatch(r"inv_[0-9a-f]{8}_\d{10}", body["invoiceId"])
    assert body["fields"]["invoiceNumber"]["value"] == "INV-3337"
    assert body["fields"]["total"]["value"] == 93.5
    assert body["fileName"] == "big-scan.pdf"
    assert body["sizeBytes"] == len(data)
    assert body["textSegments"]

    # … the invoice, its original (copied under the usual key) and its metrics are stored
    stored = client.get(f"/api/invoices/{body['invoiceId']}").json
    assert stored["fields"] == body["fields"]
    assert stored["s3Key"] == f"invoices/{body['invoiceId']}/original.pdf"
    original = boto3.client("s3").get_object(Bucket=provisioned["UPLOADS_BUCKET"], Key=stored["s3Key"])
    assert original["Body"].read() == data
    assert original["ContentType"] == "application/pdf"
    assert original["Metadata"]["invoice-id"] == body["invoiceId"]
    assert client.get("/api/metrics").json["total"] == 2
    # … and the incoming object is gone
    assert objects(provisioned["UPLOADS_BUCKET"], "incoming/") == []


def test_the_file_name_survives_the_trip_through_s3(client) -> None:
    _, response = upload_via_s3(client, large_pdf(50_000), "Rechnung März 2024 (Kopie).pdf")

    assert response.status_code == 200, response.json
    assert response.json["fileName"] == "Rechnung März 2024 (Kopie).pdf"


def test_a_small_file_may_take_the_s3_path_too(client) -> None:
    _, response = upload_via_s3(client, fixture_bytes("sample-invoice.pdf"))

    assert response.status_code == 200, response.json
    assert response.json["fields"]["invoiceNumber"]["value"] == "INV-3337"


def test_an_upload_id_is_single_use(client) -> None:
    ticket, first = upload_via_s3(client, fixture_bytes("sample-invoice.pdf"))

    again = client.post(f"/api/uploads/{ticket['uploadId']}/process")

    assert first.status_code == 200
    assert again.status_code == 404
    assert "already processed" in again.json["error"]


# -- /process: bad input ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "upload_id",
    [
        "abc",
        "0" * 31,
        "0" * 33,
        "ABCDEF0123456789ABCDEF0123456789",  # upper case: not an id we issue
        "..%2F..%2Finvoices%2Fx",
        "../../invoices/x",
        "0123456789abcdef/0123456789abcdef",
        "g" * 32,
        "0123456789abcdef0123456789abcde%00",
    ],
)
def test_process_refuses_an_invalid_id(client, upload_id: str) -> None:
    response = client.post(f"/api/uploads/{upload_id}/process")

    assert response.status_code == 400
    assert "upload id" in response.json["error"]


def test_process_of_an_unknown_id_is_404(client, provisioned) -> None:
    ticket = presign(client).json  # issued, but the browser never posted the file

    response = client.post(f"/api/uploads/{ticket['uploadId']}/process")

    assert response.status_code == 404
    assert response.json["error"]
    assert items(provisioned["INVOICES_TABLE"]) == []


def put_incoming(bucket: str, upload_id: str, data: bytes) -> None:
    """An object as a POST could leave it where nothing enforces the policy (moto, the local stack)."""
    boto3.client("s3").put_object(Bucket=bucket, Key=f"incoming/{upload_id}", Body=data)


def test_oversized_object_is_413_removed_and_stores_nothing(app_config, provisioned, client_as) -> None:
    client = client_as("admin", create_app({**app_config, "MAX_S3_UPLOAD_BYTES": "100000"}))
    ticket = presign(client, size=50_000).json
    # GIVEN a file larger than the policy allows got there anyway (moto does not check the policy)
    assert post_to_s3(ticket, large_pdf(150_000)).status_code == 204

    response = client.post(f"/api/uploads/{ticket['uploadId']}/process")

    assert response.status_code == 413
    assert "limit is 100,000 bytes" in response.json["error"]
    assert objects(provisioned["UPLOADS_BUCKET"]) == []
    assert items(provisioned["INVOICES_TABLE"]) == []


@pytest.mark.parametrize(
    ("data", "status", "message"),
    [
        (b"PK\x03\x04" + b"\x00" * 5000, 415, "unsupported file type"),
        (b"%PDF-1.7\n" + b"\x00garbage" * 2000, 422, ""),
        (b"", 400, "empty"),
    ],
)
def test_bad_file_is_refused_removed_and_stores_nothing(
    client, provisioned, data: bytes, status: int, message: str
) -> None:
    upload_id = "0123456789abcdef0123456789abcdef"
    put_incoming(provisioned["UPLOADS_BUCKET"], upload_id, data)

    response = client.post(f"/api/uploads/{upload_id}/process")

    assert response.status_code == status
    assert message in response.json["error"]
    assert "Traceback" not in response.get_data(as_text=True)
    assert objects(provisioned["UPLOADS_BUCKET"]) == []
    assert items(provisioned["INVOICES_TABLE"]) == []


def test_corrupt_file_counts_as_a_processing_error(client, provisioned) -> None:
    upload_id = "0123456789abcdef0123456789abcdef"
    put_incoming(provisioned["UPLOADS_BUCKET"], upload_id, fixture_bytes("sample-invoice.pdf")[:4000])

    assert client.post(f"/api/uploads/{upload_id}/process").status_code == 422
    assert client.get("/api/metrics").json["errors"] == 1


# -- /process: failures of AWS ----------------------------------------------------------------


def test_invoice_store_failure_is_503_and_leaves_nothing_behind(client, provisioned) -> None:
    ticket = presign(client).json
    post_to_s3(ticket, large_pdf(BIG))
    # GIVEN the invoices table is gone (a real DynamoDB failure)
    boto3.client("dynamodb").delete_table(TableName=provisioned["INVOICES_TABLE"])

    response = client.post(f"/api/uploads/{ticket['uploadId']}/process")

    # THEN nothing was saved: neither the copied original nor the incoming object remain
    assert response.status_code == 503
    assert "nothing was saved" in response.json["error"]
    assert objects(provisioned["UPLOADS_BUCKET"]) == []


def test_copy_failure_is_503_and_writes_no_invoice(client, services, provisioned, monkeypatch) -> None:
    ticket = presign(client).json
    post_to_s3(ticket, large_pdf(BIG))
    s3 = services.aws.s3

    def copy_fails(**kwargs):
        raise ClientError({"Error": {"Code": "InternalError", "Message": "S3 is down"}}, "CopyObject")

    monkeypatch.setattr(s3, "copy_object", copy_fails)

    response = client.post(f"/api/uploads/{ticket['uploadId']}/process")

    assert response.status_code == 503
    assert items(provisioned["INVOICES_TABLE"]) == []
    assert objects(provisioned["UPLOADS_BUCKET"]) == []


def test_unreadable_bucket_is_503(client, provisioned) -> None:
    ticket = presign(client).json
    s3 = boto3.client("s3")
    s3.delete_bucket(Bucket=provisioned["UPLOADS_BUCKET"])  # NoSuchBucket: not "no such upload"

    response = client.post(f"/api/uploads/{ticket['uploadId']}/process")

    assert response.status_code == 503
    assert items(provisioned["INVOICES_TABLE"]) == []


def test_a_failed_cleanup_does_not_fail_the_upload(client, services, provisioned, monkeypatch) -> None:
    ticket = presign(client).json
    post_to_s3(ticket, large_pdf(BIG))

    def delete_fails(**kwargs):
        raise ClientError({"Error": {"Code": "AccessDenied", "Message": "no"}}, "DeleteObject")

    monkeypatch.setattr(services.aws.s3, "delete_object", delete_fails)

    response = client.post(f"/api/uploads/{ticket['uploadId']}/process")

    # THEN the invoice is stored; the leftover is the lifecycle rule's to remove
    assert response.status_code == 200
    assert objects(provisioned["UPLOADS_BUCKET"], "incoming/") == [f"incoming/{ticket['uploadId']}"]
    assert services.failures.snapshot() == {"cleanup": 1}


def test_inline_mode_broadcasts_after_processing(app_config, connections_server, client_as) -> None:
    app = create_app({**app_config, "BROADCAST_MODE": "inline"})
    get_services(app).connections.add("conn-A=", connected_at_ms=1, source_ip="127.0.0.1", user_agent="t")
    connections_server.live.add("conn-A=")

    _, response = upload_via_s3(client_as("admin", app), large_pdf(BIG))

    assert response.status_code == 200
    [message] = connections_server.messages("conn-A=")
    assert message["data"]["total"] == 1


# -- helpers --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["a.pdf", "Rechnung März.pdf", "請求書" * 85, "😀" * 255])
def test_encoded_file_names_fit_s3_metadata(name: str) -> None:
    from urllib.parse import unquote

    encoded = encode_filename(name)

    assert encoded.isascii()
    assert len(encoded) <= 1024  # all of an object's user metadata must fit in 2 KB
    assert name.startswith(unquote(encoded))

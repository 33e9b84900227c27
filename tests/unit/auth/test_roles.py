"""Who may call what: 401 without a token, 403 below the route's role, health public."""

from __future__ import annotations

import boto3
import pytest

from invoice_app import create_app
from tests.helpers.samples import fixture_bytes
from tests.helpers.uploads import post_file

UPLOAD_ID = "0" * 32

# (method, path, least role); answers past the check vary (400, 404…), never 401/403.
ROUTES = [
    ("GET", "/api/invoices", "viewer"),
    ("GET", "/api/invoices/inv_missing", "viewer"),
    ("GET", "/api/invoices/inv_missing/pages", "viewer"),
    ("GET", "/api/metrics", "viewer"),
    ("GET", "/api/me", "viewer"),
    ("POST", "/receive", "reviewer"),
    ("POST", "/api/invoices", "reviewer"),
    ("POST", "/api/uploads", "reviewer"),
    ("POST", f"/api/uploads/{UPLOAD_ID}/process", "reviewer"),
]
ORDER = ["viewer", "reviewer", "admin"]


@pytest.mark.parametrize(("method", "path", "least"), ROUTES)
def test_each_route_checks_the_token_then_the_role(client_as, method, path, least) -> None:
    anonymous = client_as(None).open(path, method=method)
    assert anonymous.status_code == 401
    assert "error" in anonymous.get_json()

    for role in ORDER:
        response = client_as(role).open(path, method=method)
        if ORDER.index(role) < ORDER.index(least):
            assert response.status_code == 403, (role, response.get_json())
            assert f"needs the {least} role" in response.get_json()["error"]
        else:
            assert response.status_code not in (401, 403), (role, response.get_json())


def test_health_is_public_and_reveals_no_data(anonymous) -> None:
    response = anonymous.get("/api/health")

    assert response.status_code == 200
    assert set(response.get_json()) == {
        "status", "checks", "failures", "broadcastMode", "ocrEngine", "authMode",
    }  # fmt: skip
    assert response.get_json()["authMode"] == "cognito"


def test_an_unknown_path_needs_a_token_too(anonymous, client) -> None:
    assert anonymous.get("/api/secret-admin-thing").status_code == 401
    assert client.get("/api/secret-admin-thing").status_code == 404


def test_a_refused_upload_reads_and_writes_nothing(client_as, provisioned) -> None:
    for role in (None, "viewer"):
        response = post_file(client_as(role), fixture_bytes("sample-invoice.pdf"), "sample-invoice.pdf")
        assert response.status_code in (401, 403)

    assert boto3.client("dynamodb").scan(TableName=provisioned["INVOICES_TABLE"])["Items"] == []
    assert "Contents" not in boto3.client("s3").list_objects_v2(Bucket=provisioned["UPLOADS_BUCKET"])


def test_every_invoice_records_who_uploaded_it(client_as, user_pool) -> None:
    reviewer = client_as("reviewer")
    me = reviewer.get("/api/me").get_json()

    uploaded = post_file(reviewer, fixture_bytes("sample-invoice.pdf"), "sample-invoice.pdf").get_json()

    expected = {"sub": me["sub"], "email": "reviewer@example.com"}
    assert uploaded["uploadedBy"] == expected
    viewer = client_as("viewer")
    assert viewer.get(f"/api/invoices/{uploaded['invoiceId']}").get_json()["uploadedBy"] == expected
    assert viewer.get("/api/invoices").get_json()["items"][0]["uploadedBy"] == expected


def test_auth_mode_none_is_an_explicit_open_door(app_config, caplog) -> None:
    app = create_app({**app_config, "AUTH_MODE": "none"})
    client = app.test_client()

    assert client.get("/api/me").get_json()["roles"] == ["admin"]
    assert client.get("/api/health").get_json()["authMode"] == "none"
    assert "AUTH_MODE=none" in caplog.text

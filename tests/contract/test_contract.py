"""The running app's answers checked against docs/contract/api.schema.json.

Everything goes through the app's public surfaces, as a client would: HTTP through the Flask test
client on moto, WebSocket and stream events through the real `lambda_handler`, whose replies reach
the loopback @connections server. No module inside `backend/invoice_app/` is imported here.

Each answer is validated twice: against the schema as published (open objects: keys may be added)
and against a strict reading of it in which every object admits only the keys the schema
documents, so the schema cannot fall behind what the app really sends.
"""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path
from typing import Any

import boto3
import pytest
import requests
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from tests.helpers.events import connect_event, load_event
from tests.helpers.samples import FIXTURES_DIR, ROOT, fixture_bytes

SCHEMA_PATH = ROOT / "docs" / "contract" / "api.schema.json"
SCHEMA: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
DEFS: dict[str, Any] = SCHEMA["$defs"]
CID = "L0SM9cOFvHcCIhw="  # the connection id of the recorded WebSocket events
TEXT_PDFS = sorted(p.name for p in FIXTURES_DIR.glob("*.pdf"))


# -- validation helpers -------------------------------------------------------------------------


def _walk(node: Any, in_all_of: bool = False):
    """Yield (subschema, reached_through_allOf) for every schema object in `node`."""
    if isinstance(node, dict):
        yield node, in_all_of
        for key, value in node.items():
            if key == "allOf":
                for item in value:
                    yield from _walk(item, True)
            elif key in ("properties", "$defs"):
                for item in value.values():
                    yield from _walk(item)
            elif key in ("items", "additionalProperties", "not"):
                yield from _walk(value)
            elif key in ("anyOf", "oneOf"):
                for item in value:
                    yield from _walk(item)


def _strict_defs() -> dict[str, Any]:
    """The $defs with every documented object closed to undocumented keys.

    `unevaluatedProperties: false` sees through `allOf` and `$ref`. A def that others extend with
    `allOf` (InvoiceSummary, ExtractedField) stays open itself; where it is used directly, the
    reference goes to a closed wrapper `<Name>__strict` instead.
    """
    defs = copy.deepcopy(DEFS)
    extended = {
        ref["$ref"].rsplit("/", 1)[-1]
        for schema, _ in _walk({"$defs": defs})
        for ref in schema.get("allOf", [])
        if "$ref" in ref
    }
    for schema, through_all_of in _walk({"$defs": defs}):
        ref = schema.get("$ref", "")
        if not through_all_of and ref.rsplit("/", 1)[-1] in extended:
            schema["$ref"] = f"{ref}__strict"
    for name, schema in defs.items():
        for sub, _ in _walk(schema):
            if "properties" in sub and "additionalProperties" not in sub and sub is not schema:
                sub["unevaluatedProperties"] = False
        if "properties" in schema and "additionalProperties" not in schema and name not in extended:
            schema["unevaluatedProperties"] = False
    for name in extended:
        defs[f"{name}__strict"] = {"allOf": [{"$ref": f"#/$defs/{name}"}], "unevaluatedProperties": False}
    return defs


STRICT_DEFS = _strict_defs()


def validator(name: str, *, strict: bool) -> Draft202012Validator:
    schema = {
        "$schema": SCHEMA["$schema"],
        "$defs": STRICT_DEFS if strict else DEFS,
        "$ref": f"#/$defs/{name}",
    }
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def assert_valid(instance: Any, name: str) -> None:
    """`instance` is a `name` of the contract, with no key the contract does not document."""
    for strict in (False, True):
        errors = sorted(validator(name, strict=strict).iter_errors(instance), key=lambda e: list(e.path))
        if errors:
            detail = "\n".join(f"  at {list(e.path)}: {e.message[:300]}" for e in errors[:10])
            kind = "documents no such key" if strict else "rejects it"
            pytest.fail(f"{name}: the schema {kind}:\n{detail}")


def assert_invalid(instance: Any, name: str) -> None:
    with pytest.raises(ValidationError):
        validator(name, strict=False).validate(instance)


# -- HTTP helpers -------------------------------------------------------------------------------


def upload(client, data: bytes, name: str = "invoice.pdf", route: str = "/receive"):
    return client.post(route, data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data")


def assert_error(response, status: int) -> None:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    assert_valid(response.json, "ErrorBody")


@pytest.fixture
def uploaded(client) -> list[dict]:
    """Two stored invoices (answers of the upload), oldest first."""
    bodies = []
    for name in ("sample-invoice.pdf", "Facture_UE_BASICWL.pdf"):
        response = upload(client, fixture_bytes(name), name)
        assert response.status_code == 200, response.json
        bodies.append(response.json)
    return bodies


# -- the schema itself --------------------------------------------------------------------------


def test_the_schema_is_valid_draft_2020_12() -> None:
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(SCHEMA)
    for name in DEFS:
        Draft202012Validator.check_schema({"$defs": STRICT_DEFS, "$ref": f"#/$defs/{name}"})


def test_every_reference_resolves_and_every_shape_is_described() -> None:
    refs = {s["$ref"] for s, _ in _walk(SCHEMA) if "$ref" in s}
    assert refs, "the schema uses $ref"
    for ref in refs:
        assert ref.startswith("#/$defs/") and ref.removeprefix("#/$defs/") in DEFS, ref
    undescribed = [name for name, schema in DEFS.items() if not schema.get("description")]
    assert undescribed == []


def test_field_name_enum_lists_exactly_the_invoice_fields() -> None:
    assert DEFS["FieldName"]["enum"] == list(DEFS["InvoiceFields"]["properties"])


def test_the_strict_reading_rejects_undocumented_keys_and_the_published_one_accepts_them() -> None:
    snapshot = {"total": 0, "throughput": 0, "avgLatency": 0, "avgAccuracy": 0, "timestamp": 1}
    validator("MetricsSnapshot", strict=True).validate(snapshot)
    extra = {**snapshot, "viewers": 3}
    validator("MetricsSnapshot", strict=False).validate(extra)
    with pytest.raises(ValidationError):
        validator("MetricsSnapshot", strict=True).validate(extra)
    field = {"value": "INV-1", "confidence": 0.9}
    page = {"items": [], "nextCursor": None}
    validator("InvoicePage", strict=True).validate(page)
    with pytest.raises(ValidationError):
        validator("TextField", strict=True).validate({**field, "origin": "user"})
    with pytest.raises(ValidationError):
        validator("InvoicePage", strict=True).validate({**page, "total": 0})


# -- HTTP answers -------------------------------------------------------------------------------


@pytest.mark.parametrize("route", ["/receive", "/api/invoices"])
@pytest.mark.parametrize("name", TEXT_PDFS)
def test_upload_answer_is_an_invoice(client, route: str, name: str) -> None:
    response = upload(client, fixture_bytes(name), name, route)

    assert response.status_code == 200, response.json
    body = response.json
    assert_valid(body, "Invoice")
    assert body["textSegments"], "a text PDF has segments"
    assert body["fields"], "the fixtures all have fields"


def test_ocr_upload_answer_is_an_invoice(client) -> None:
    response = upload(client, fixture_bytes("invoice.png"), "invoice.png")

    assert response.status_code == 200, response.json
    assert_valid(response.json, "Invoice")


def test_list_pages_are_invoice_pages(client, uploaded) -> None:
    first = client.get("/api/invoices?limit=1")
    assert first.status_code == 200
    assert_valid(first.json, "InvoicePage")
    assert isinstance(first.json["nextCursor"], str)

    rest = client.get(f"/api/invoices?limit=5&cursor={first.json['nextCursor']}")
    assert rest.status_code == 200
    assert_valid(rest.json, "InvoicePage")
    assert [i["invoiceId"] for i in first.json["items"] + rest.json["items"]] == [
        b["invoiceId"] for b in reversed(uploaded)
    ]

    filtered = client.get("/api/invoices?q=INV-3337")
    assert_valid(filtered.json, "InvoicePage")
    assert len(filtered.json["items"]) == 1
    assert_valid(client.get("/api/invoices?q=no-such-invoice").json, "InvoicePage")


def test_detail_is_the_stored_invoice_without_segments(client, uploaded) -> None:
    response = client.get(f"/api/invoices/{uploaded[0]['invoiceId']}")

    assert response.status_code == 200
    assert_valid(response.json, "InvoiceSummary")
    assert_valid(response.json, "Invoice")
    assert "textSegments" not in response.json


def test_a_correction_its_conflict_and_the_history_are_in_the_contract(client, uploaded) -> None:
    invoice_id = uploaded[0]["invoiceId"]
    body = {"fields": {"total": 12.5, "dueDate": None}, "status": "rejected", "reason": "duplicate"}
    assert_valid(body, "InvoicePatch")

    corrected = client.patch(f"/api/invoices/{invoice_id}", json=body, headers={"If-Match": "1"})
    stale = client.patch(f"/api/invoices/{invoice_id}", json=body, headers={"If-Match": "1"})
    history = client.get(f"/api/invoices/{invoice_id}/history")
    across = client.get("/api/history?field=total")

    assert corrected.status_code == 200, corrected.json
    assert_valid(corrected.json, "InvoiceSummary")
    assert stale.status_code == 409
    assert_valid(stale.json, "Conflict")
    for page in (history, across):
        assert page.status_code == 200
        assert page.json["items"]
        assert_valid(page.json, "HistoryPage")
    me = client.get("/api/me")
    assert_valid(me.json, "Me")
    exported = client.get("/api/export?format=json")
    assert exported.status_code == 200
    assert exported.json["items"]
    assert_valid(exported.json, "ExportDocument")


def test_page_images_are_in_the_contract(client, uploaded) -> None:
    response = client.get(f"/api/invoices/{uploaded[0]['invoiceId']}/pages")

    assert response.status_code == 200, response.json
    assert response.json["pages"]
    assert_valid(response.json, "PageImages")
    assert_error(client.get("/api/invoices/inv_00000000_0/pages"), 404)


def test_metrics_snapshot_before_and_after_uploads(client) -> None:
    empty = client.get("/api/metrics")
    assert empty.status_code == 200
    assert_valid(empty.json, "MetricsSnapshot")

    upload(client, fixture_bytes("sample-invoice.pdf"))
    upload(client, b"%PDF-1.7\nthis is not really a PDF\n")  # a processing failure: `errors`
    after = client.get("/api/metrics").json
    assert_valid(after, "MetricsSnapshot")
    assert after["total"] == 1 and after["errors"] == 1
    assert len(after["series"]) == 15


def test_health_ok_and_degraded(client, provisioned) -> None:
    ok = client.get("/api/health")
    assert ok.status_code == 200
    assert_valid(ok.json, "Health")
    assert ok.json["status"] == "ok"

    boto3.client("dynamodb").delete_table(TableName=provisioned["METRICS_TABLE"])
    assert upload(client, fixture_bytes("sample-invoice.pdf")).status_code == 200  # metrics absorbed
    degraded = client.get("/api/health")
    assert degraded.status_code == 503
    assert_valid(degraded.json, "Health")
    assert degraded.json["status"] == "degraded"
    assert degraded.json["failures"]


def test_presigned_upload_ticket_then_processing(client) -> None:
    data = fixture_bytes("sample-invoice.pdf")
    request_body = {"fileName": "sample-invoice.pdf", "size": len(data)}
    assert_valid(request_body, "UploadRequest")

    ticket = client.post("/api/uploads", json=request_body)
    assert ticket.status_code == 200, ticket.json
    assert_valid(ticket.json, "UploadTicket")

    posted = requests.post(
        ticket.json["url"],
        data=ticket.json["fields"],
        files={"file": ("sample-invoice.pdf", data, "application/pdf")},
        timeout=60,
    )
    assert posted.status_code == 204
    processed = client.post(f"/api/uploads/{ticket.json['uploadId']}/process")
    assert processed.status_code == 200, processed.json
    assert_valid(processed.json, "Invoice")


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status"),
    [
        ("post", "/receive", {"data": b"{}", "content_type": "application/json"}, 400),
        ("get", "/api/invoices?limit=0", {}, 400),
        ("get", "/api/invoices?cursor=not-a-cursor", {}, 400),
        ("post", "/api/uploads", {"json": {"fileName": "a.pdf"}}, 400),
        ("post", "/api/uploads", {"json": {"fileName": "a.pdf", "size": 10**12}}, 413),
        ("post", "/api/uploads/not-an-id/process", {}, 400),
        ("get", "/api/invoices/inv_00000000_0", {}, 404),
        ("get", "/api/no-such-route", {}, 404),
        ("delete", "/api/metrics", {}, 405),
    ],
)
def test_error_answers_are_error_bodies(client, method: str, path: str, kwargs: dict, status: int) -> None:
    assert_error(getattr(client, method)(path, **kwargs), status)


@pytest.mark.parametrize(
    ("data", "status"),
    [
        (b"", 400),
        (b"GIF89a not an invoice", 415),
        (b"%PDF-1.7\nthis is not really a PDF\n", 422),
    ],
)
def test_rejected_uploads_are_error_bodies(client, data: bytes, status: int) -> None:
    assert_error(upload(client, data), status)


def test_too_large_upload_is_an_error_body(app_config, client_as) -> None:
    from invoice_app import create_app  # the app factory: the one backend name this test relies on

    small = client_as("admin", create_app({**app_config, "MAX_UPLOAD_BYTES": "1000"}))
    assert_error(upload(small, fixture_bytes("sample-invoice.pdf")), 413)


def test_store_failure_is_an_error_body(client, provisioned) -> None:
    boto3.client("dynamodb").delete_table(TableName=provisioned["INVOICES_TABLE"])

    assert_error(client.get("/api/invoices"), 503)
    assert_error(upload(client, fixture_bytes("sample-invoice.pdf")), 503)


# -- WebSocket ----------------------------------------------------------------------------------


@pytest.fixture
def connected(handler, connections_server) -> str:
    assert handler(connect_event(), None) == {"statusCode": 200}
    connections_server.live.add(CID)
    return CID


@pytest.fixture
def one_invoice(client) -> None:
    """One processed invoice, so the snapshot's averages and series are not all zero."""
    assert upload(client, fixture_bytes("sample-invoice.pdf")).status_code == 200


def ws_reply(handler, connections_server, body: str) -> dict:
    event = load_event("ws_default_ping")
    event["body"] = body
    assert handler(event, None) == {"statusCode": 200}
    [message] = connections_server.messages(CID)
    return message


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        ('{"action": "getMetrics"}', "MetricsUpdateMessage"),
        ('{"action": "ping"}', "PongMessage"),
        ('{"action": "deleteEverything"}', "ErrorMessage"),
        ("{not json", "ErrorMessage"),
        ('"just a string"', "ErrorMessage"),
        ("", "ErrorMessage"),
    ],
)
def test_replies_to_client_messages_are_server_messages(
    handler, one_invoice, connections_server, connected, body: str, kind: str
) -> None:
    message = ws_reply(handler, connections_server, body)

    assert_valid(message, "ServerMessage")
    assert_valid(message, kind)


def test_stream_broadcast_is_a_metrics_update(handler, one_invoice, connections_server, connected) -> None:
    assert handler(load_event("dynamodb_stream_metric_inserts"), None) == {"batchItemFailures": []}

    [message] = connections_server.messages(CID)
    assert_valid(message, "ServerMessage")
    assert_valid(message, "MetricsUpdateMessage")
    assert message["data"]["total"] >= 1


@pytest.mark.parametrize("event_name", ["ws_default_get_metrics", "ws_default_ping"])
def test_recorded_client_frames_are_client_messages(event_name: str) -> None:
    assert_valid(json.loads(load_event(event_name)["body"]), "ClientMessage")


def test_unknown_actions_are_not_client_messages() -> None:
    assert_invalid(json.loads(load_event("ws_default_unknown_action")["body"]), "ClientMessage")
    assert_invalid({"type": "nope"}, "ServerMessage")


# -- config.json --------------------------------------------------------------------------------

STACK_OUTPUTS = {
    "HttpApiUrl": "https://h1.execute-api.eu-central-1.amazonaws.com/",
    "WebSocketUrl": "wss://w1.execute-api.eu-central-1.amazonaws.com/prod",
    "MaxUploadBytes": "4500000",
    "MaxS3UploadBytes": "20000000",
}


@pytest.mark.parametrize("with_s3_path", [True, False])
def test_deployed_config_json_is_a_config(tmp_path: Path, with_s3_path: bool) -> None:
    import frontend_config  # infra/frontend_config.py

    outputs = dict(STACK_OUTPUTS)
    if not with_s3_path:
        del outputs["MaxS3UploadBytes"]
    written = frontend_config.write_config(frontend_config.frontend_config(outputs), tmp_path / "config.json")

    config = json.loads(written.read_text(encoding="utf-8"))
    assert_valid(config, "ConfigJson")
    assert ("maxLargeUploadBytes" in config) is with_s3_path


def test_local_gateway_config_json_is_a_config() -> None:
    from devstack.gateway.static import StaticSite

    site = StaticSite(None, stage="ws", max_upload_bytes=4_500_000, max_large_upload_bytes=20_000_000)
    config = site.config_document("127.0.0.1:8000")

    assert_valid(config, "ConfigJson")
    assert config["wsUrl"] == "ws://127.0.0.1:8000/ws"

"""The Lambda entrypoint routes each recorded AWS event by its shape and never raises."""

from __future__ import annotations

import json

import pytest

from invoice_app.events.classify import EventKind, classify_event
from tests.helpers.events import load_event
from tests.helpers.samples import ROOT


@pytest.mark.parametrize(
    ("event_name", "kind"),
    [
        ("http_v2_get_metrics", EventKind.HTTP),
        ("function_url_list_invoices", EventKind.HTTP),
        ("rest_v1_get_metrics", EventKind.HTTP),
        ("alb_get_health", EventKind.HTTP),
        ("ws_connect", EventKind.WEBSOCKET),
        ("ws_disconnect", EventKind.WEBSOCKET),
        ("ws_default_ping", EventKind.WEBSOCKET),
        ("dynamodb_stream_metric_inserts", EventKind.STREAM),
        ("sqs_message", EventKind.QUEUE),
        ("sqs_broadcast_shards", EventKind.QUEUE),
        ("sqs_broadcast_malformed", EventKind.QUEUE),
        ("eventbridge_scheduled", EventKind.UNKNOWN),
    ],
)
def test_classifies_recorded_events(event_name: str, kind: EventKind) -> None:
    assert classify_event(load_event(event_name))[0] is kind


@pytest.mark.parametrize(
    "event_name",
    ["http_v2_get_metrics", "function_url_list_invoices", "rest_v1_get_metrics", "alb_get_health"],
)
def test_every_http_flavour_reaches_flask(handler, user_pool, event_name: str) -> None:
    response = handler(load_event(event_name, token=user_pool.id_token("viewer")), None)

    assert response["statusCode"] == 200
    assert isinstance(json.loads(response["body"]), dict)


def test_alb_answer_has_a_status_description(handler) -> None:
    response = handler(load_event("alb_get_health"), None)

    assert response["statusDescription"] == "200 OK"


def test_http_api_upload_with_base64_multipart_body(handler, user_pool) -> None:
    # GIVEN the HTTP API event of a signed-in reviewer's browser uploading sample-invoice.pdf
    event = load_event("http_v2_post_receive_pdf", token=user_pool.id_token("reviewer"))

    # WHEN the Lambda handles it
    response = handler(event, None)

    # THEN the invoice is processed and its fields come back
    body = json.loads(response["body"])
    assert response["statusCode"] == 200, body
    assert body["invoiceId"].startswith("inv_")
    assert body["fields"]["invoiceNumber"]["value"] == "INV-3337"
    assert body["fields"]["total"]["value"] == 93.5


def test_http_api_upload_of_wrong_type_is_415(handler, user_pool) -> None:
    response = handler(
        load_event("http_v2_post_receive_wrong_type", token=user_pool.id_token("reviewer")), None
    )

    assert response["statusCode"] == 415
    assert "unsupported file type" in json.loads(response["body"])["error"]


def test_http_api_large_upload_ticket_and_unknown_upload(handler, provisioned, user_pool) -> None:
    # GIVEN the HTTP API events of a browser asking to upload a 10 MB scan through S3
    token = user_pool.id_token("reviewer")
    ticket = handler(load_event("http_v2_post_create_upload", token=token), None)
    unknown = handler(load_event("http_v2_post_process_unknown_upload", token=token), None)

    # THEN it gets a presigned POST for the uploads bucket; an id never uploaded is a 404
    body = json.loads(ticket["body"])
    assert ticket["statusCode"] == 200, body
    assert body["fields"]["key"] == f"incoming/{body['uploadId']}"
    assert provisioned["UPLOADS_BUCKET"] in body["url"]
    assert unknown["statusCode"] == 404
    assert "error" in json.loads(unknown["body"])


def test_unknown_route_is_a_json_404(handler, user_pool) -> None:
    event = load_event("http_v2_get_metrics", token=user_pool.id_token("viewer"))
    event["rawPath"] = event["requestContext"]["http"]["path"] = "/nope"

    response = handler(event, None)

    assert response["statusCode"] == 404
    assert "error" in json.loads(response["body"])


@pytest.mark.parametrize(
    "event",
    [
        None,
        [],
        "GET /api/metrics",
        {},
        {"Records": []},
        {"Records": "nope"},
        {"Records": [{"eventSource": "aws:dynamodb"}, {"eventSource": "aws:sqs"}]},
        {"requestContext": {"routeKey": "$connect"}},  # no connectionId
        {"version": "2.0", "requestContext": {"http": {"method": "GET"}}},  # no rawPath
        {"source": "aws.events", "detail-type": "Scheduled Event"},
    ],
)
def test_unrecognised_events_get_a_400_and_never_raise(handler, event) -> None:
    response = handler(event, None)

    assert response["statusCode"] == 400
    assert json.loads(response["body"])["error"].startswith("unrecognised event")


def test_http_event_without_headers_is_still_served(handler) -> None:
    event = load_event("http_v2_get_metrics")
    del event["headers"]

    # Served, not crashed: without headers there is no token, so the answer is a JSON 401.
    response = handler(event, None)
    assert response["statusCode"] == 401
    assert "error" in json.loads(response["body"])


def test_health_is_public_through_the_entrypoint(handler) -> None:
    assert handler(load_event("alb_get_health"), None)["statusCode"] == 200


def test_importing_the_entrypoint_builds_nothing() -> None:
    """Cold start: no app, no boto3 client and no heavy library until the first event."""
    import subprocess
    import sys

    code = (
        "import sys, app\n"
        "assert app._app is None\n"
        "heavy = [m for m in ('pypdfium2', 'PIL', 'numpy', 'onnxruntime', 'cv2') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT / "backend", capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


def test_building_the_http_app_loads_no_websocket_or_processing_module() -> None:
    """Cold start of an HTTP request: the hub, the broadcaster, the live metrics and the reader load
    on the events that use them (bench/coldstart.py measures what this keeps off the path)."""
    import subprocess
    import sys

    code = (
        "import sys, app\n"
        "app.get_app()\n"
        "late = ('invoice_app.realtime', 'invoice_app.metrics.live', 'invoice_app.visualizations.live',\n"
        "        'invoice_app.documents.cache', 'invoice_app.processing.types')\n"
        "loaded = sorted(m for m in sys.modules if m.startswith(late))\n"
        "assert not loaded, loaded\n"
    )
    env = {"PATH": "/usr/bin:/bin", "COGNITO_USER_POOL_ID": "us-east-1_Cold1", "COGNITO_CLIENT_ID": "cold"}
    backend = ROOT / "backend"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=backend, capture_output=True, text=True, check=False, env=env
    )
    assert result.returncode == 0, result.stderr

"""One bounded JSON decoder wherever JSON enters: deep nesting is a 400 (or an error frame), never a 500."""

from __future__ import annotations

import json

import pytest

from invoice_app.core import safe_json
from invoice_app.core.errors import BadRequest
from tests.helpers.events import load_event

CID = "L0SM9cOFvHcCIhw="  # the connection id of the recorded WebSocket events
DEEP = "[" * 10_000 + "]" * 10_000  # the issue's document: 10,000 levels, 20 KB
# Under the WebSocket message bound (8 KB, ratelimit/websocket.py), so it reaches the decoder.
DEEP_FRAME = "[" * 3_000 + "]" * 3_000


def test_the_issue_document_is_what_json_loads_cannot_take() -> None:
    assert len(DEEP) == 20_000
    with pytest.raises(RecursionError):
        json.loads(DEEP)


@pytest.mark.parametrize(
    "document", [DEEP, DEEP.encode(), "[" * 10_000, '{"a":' * 10_000 + "1" + "}" * 10_000]
)
def test_deep_documents_are_refused_with_a_400(document) -> None:
    with pytest.raises(safe_json.InvalidJson, match="nests deeper than 32 levels") as info:
        safe_json.loads(document)
    assert isinstance(info.value, BadRequest) and info.value.status == 400


def test_brackets_inside_strings_do_not_count() -> None:
    text = json.dumps({"a": "[" * 1000, "b": '\\"{{{'})
    assert safe_json.loads(text) == json.loads(text)


def test_nesting_up_to_the_bound_is_accepted() -> None:
    assert safe_json.loads("[" * 32 + "]" * 32) is not None
    with pytest.raises(safe_json.InvalidJson):
        safe_json.loads("[" * 33 + "]" * 33)


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ("NaN", "not valid JSON"),
        ('{"a": Infinity}', "not valid JSON"),
        ("[-Infinity]", "not valid JSON"),
        ("1e400", "not valid JSON"),
        ("{", "not valid JSON"),
        (b"\xff\xfe", "not valid JSON"),
        ("\ud800", "not valid UTF-8"),
        ("x" * 70_000, "larger than 65,536 bytes"),
        (42, "must be JSON text"),
    ],
)
def test_what_is_not_strict_json_is_invalid(document, message: str) -> None:
    with pytest.raises(safe_json.InvalidJson, match=message):
        safe_json.loads(document)


def test_plain_documents_decode_as_json_loads_does() -> None:
    text = '{"fileName": "Rechnung März.pdf", "size": 123, "ratio": 0.25, "list": [1, null, true]}'
    assert safe_json.loads(text) == json.loads(text)


# -- where JSON enters --------------------------------------------------------------------------


def test_deep_websocket_message_gets_an_error_frame(handler, connections_server, provisioned) -> None:
    connections_server.live.add(CID)
    event = load_event("ws_default_ping")
    event["body"] = DEEP_FRAME

    assert handler(event, None) == {"statusCode": 200}

    [message] = connections_server.messages(CID)
    assert message["type"] == "error"
    assert "nests deeper" in message["error"]


def test_the_issues_deep_websocket_message_is_refused_by_its_size(
    handler, connections_server, provisioned
) -> None:
    connections_server.live.add(CID)
    event = load_event("ws_default_ping")
    event["body"] = DEEP

    assert handler(event, None) == {"statusCode": 200}

    [message] = connections_server.messages(CID)
    assert message["type"] == "error"
    assert "too large" in message["error"]


def test_deep_websocket_message_on_a_custom_route_is_an_empty_payload(
    handler, connections_server, provisioned
) -> None:
    connections_server.live.add(CID)
    event = load_event("ws_default_ping")
    event["requestContext"]["routeKey"] = "ping"
    event["body"] = DEEP_FRAME

    assert handler(event, None) == {"statusCode": 200}
    assert connections_server.messages(CID) == [{"type": "pong"}]


def test_deep_upload_request_is_a_400(client, provisioned) -> None:
    response = client.post("/api/uploads", data=DEEP, content_type="application/json")

    assert response.status_code == 400
    assert "nests deeper" in response.json["error"]


def test_upload_request_with_infinity_is_a_400(client, provisioned) -> None:
    response = client.post(
        "/api/uploads", data='{"fileName": "a.pdf", "size": Infinity}', content_type="application/json"
    )

    assert response.status_code == 400
    assert "not valid JSON" in response.json["error"]


def test_deep_upload_request_through_the_lambda_entrypoint_is_a_400(handler, user_pool) -> None:
    event = load_event("http_v2_post_create_upload", token=user_pool.id_token("reviewer"))
    event["body"] = DEEP
    event["isBase64Encoded"] = False

    response = handler(event, None)

    assert response["statusCode"] == 400
    assert "nests deeper" in json.loads(response["body"])["error"]

"""Shapes AWS never sends reach the entrypoint all the same: a 400 (or its event's own refusal), no raise."""

from __future__ import annotations

import base64
import json
import logging

import pytest

from tests.helpers.events import load_event

CID = "L0SM9cOFvHcCIhw="


def stream_batch(change) -> dict:
    return {"Records": [{"eventSource": "aws:dynamodb", "eventName": "INSERT", "dynamodb": change}]}


@pytest.mark.parametrize(
    "change",
    [
        "a string",
        ["a", "list"],
        42,
        None,
        True,
        {"Keys": "x"},
        {"Keys": {"invoiceId": "inv_x"}},
        {"NewImage": ["x"]},
        {"NewImage": {"kind": "rollup"}},
        {"Keys": {"invoiceId": {"S": 42}}},
    ],
)
def test_stream_record_whose_dynamodb_is_not_an_object(handler, connections_server, change) -> None:
    response = handler(stream_batch(change), None)

    assert isinstance(response["batchItemFailures"], list)


def test_stream_record_with_a_string_dynamodb_does_not_hit_the_last_line(handler, caplog) -> None:
    with caplog.at_level(logging.ERROR):
        assert handler(stream_batch("a string"), None) == {"batchItemFailures": []}
    assert "event failed" not in caplog.text


def test_failed_batch_reads_any_shape() -> None:
    from invoice_app.events.stream import failed_batch

    for event in (stream_batch("s"), stream_batch(["l"]), {"Records": "x"}, {"Records": [1]}, None, [], "x"):
        assert failed_batch(event) == {"batchItemFailures": []}
    assert failed_batch(stream_batch({"SequenceNumber": "7"})) == {
        "batchItemFailures": [{"itemIdentifier": "7"}]
    }


def test_the_last_line_of_defence_never_raises(handler, monkeypatch) -> None:
    import app as lambda_module
    from invoice_app.events import stream

    def broken(*_args):
        raise RuntimeError("boom")

    monkeypatch.setattr(stream, "handle_stream_batch", broken)
    monkeypatch.setattr(stream, "failed_batch", broken)
    assert handler(load_event("dynamodb_stream_metric_inserts"), None) == {"batchItemFailures": []}
    monkeypatch.setattr(lambda_module, "get_app", broken)
    for name in ("http_v2_get_metrics", "ws_default_ping", "ws_authorizer_connect"):
        response = handler(load_event(name), None)
        assert "Traceback" not in json.dumps(response)


# -- HTTP ---------------------------------------------------------------------------------------


def signed(user_pool, name: str = "http_v2_get_metrics") -> dict:
    return load_event(name, token=user_pool.id_token("reviewer"))


@pytest.mark.parametrize(
    ("event_name", "change", "message"),
    [
        ("http_v2_post_create_upload", {"body": '["a.pdf", 5]', "isBase64Encoded": False}, "JSON object"),
        ("http_v2_post_create_upload", {"body": "not base64!!", "isBase64Encoded": True}, "base64"),
        ("rest_v1_get_metrics", {"body": "@@@", "isBase64Encoded": True}, "base64"),
        ("rest_v1_get_metrics", {"httpMethod": None}, "httpMethod"),
        ("rest_v1_get_metrics", {"httpMethod": 42}, "httpMethod"),
        ("rest_v1_get_metrics", {"path": None}, "path"),
        ("rest_v1_get_metrics", {"multiValueHeaders": ["x"]}, "multiValueHeaders"),
        ("rest_v1_get_metrics", {"queryStringParameters": ["limit", "1"]}, "queryStringParameters"),
        ("rest_v1_get_metrics", {"requestContext": "x"}, "requestContext"),
        ("alb_get_health", {"queryStringParameters": {"a": 1}}, "queryStringParameters"),
        ("http_v2_get_metrics", {"headers": ["authorization", "x"]}, "headers"),
        ("http_v2_get_metrics", {"headers": {"x-a": 1}}, "headers"),
        ("http_v2_get_metrics", {"headers": {"x-a": "a\r\nb"}}, "headers"),
        ("http_v2_get_metrics", {"body": 42}, "body"),
        ("http_v2_get_metrics", {"body": "\ud800"}, "not JSON text"),
        ("http_v2_get_metrics", {"cookies": "a=b"}, "cookies"),
        ("http_v2_get_metrics", {"rawPath": None}, "rawPath"),
        ("http_v2_get_metrics", {"isBase64Encoded": "yes"}, "isBase64Encoded"),
        ("function_url_list_invoices", {"rawQueryString": 5}, "rawQueryString"),
    ],
)
def test_http_shapes_aws_never_sends_are_400(handler, user_pool, event_name, change, message) -> None:
    event = {**signed(user_pool, event_name), **change}

    response = handler(event, None)

    assert response["statusCode"] in (400, 401), response
    assert message in json.loads(response["body"])["error"]


def test_http_v2_null_method_is_400(handler, user_pool) -> None:
    event = signed(user_pool)
    event["requestContext"]["http"]["method"] = None

    response = handler(event, None)

    assert response["statusCode"] == 400
    assert "method" in json.loads(response["body"])["error"]


def test_http_v2_null_authorizer_still_reaches_flask(handler, user_pool) -> None:
    event = signed(user_pool)
    event["requestContext"]["authorizer"] = None

    assert handler(event, None)["statusCode"] == 200


def test_valid_base64_body_still_reaches_flask(handler, user_pool) -> None:
    event = signed(user_pool, "http_v2_post_create_upload")
    event["body"] = base64.b64encode(b'{"fileName": "a.pdf", "size": 10}').decode()
    event["isBase64Encoded"] = True

    response = handler(event, None)
    assert response["statusCode"] == 200, response


# -- WebSocket and the authorizer ---------------------------------------------------------------


@pytest.mark.parametrize("body", [42, ["action"], {"action": "ping"}, True, 1.5])
def test_websocket_body_that_is_not_a_string_gets_an_error_frame(
    handler, connections_server, provisioned, body
) -> None:
    connections_server.live.add(CID)
    event = load_event("ws_default_ping")
    event["body"] = body

    assert handler(event, None) == {"statusCode": 200}
    [message] = connections_server.messages(CID)
    assert message["type"] == "error" and "JSON text" in message["error"]


@pytest.mark.parametrize(
    "context_change",
    [
        {"connectionId": 42},
        {"connectionId": ["x"]},
        {"routeKey": 7},
        {"connectionId": "x" * 1000},
        {"connectionId": "ab\ud800="},
    ],
)
def test_websocket_event_with_ids_that_are_not_strings_is_400(handler, context_change) -> None:
    event = load_event("ws_default_ping")
    event["requestContext"].update(context_change)

    assert handler(event, None)["statusCode"] == 400


@pytest.mark.parametrize(
    "change",
    [
        {"headers": ["x"]},
        {"requestContext": {"identity": "x"}},
        {"requestContext": {"connectedAt": "soon"}},
        {"requestContext": {"connectedAt": float("inf")}},
        {"requestContext": {"authorizer": {"sub": "u", "exp": float("inf")}}},
        {"requestContext": {"authorizer": {"sub": "u", "exp": 10**45}}},
        {"requestContext": {"authorizer": "x"}},
    ],
)
def test_connect_with_odd_parts_answers_without_raising(handler, provisioned, change) -> None:
    from tests.helpers.events import connect_event

    event = connect_event()
    for key, value in change.items():
        if key == "requestContext":
            event["requestContext"].update(value)
        else:
            event[key] = value

    assert handler(event, None)["statusCode"] in (200, 400, 401)


@pytest.mark.parametrize("query", [["token", "x"], "token=x", 42, {"token": ["x"]}, {"token": None}])
def test_authorizer_with_a_query_that_is_not_an_object_of_strings_denies(handler, query) -> None:
    event = load_event("ws_authorizer_connect")
    event["queryStringParameters"] = query

    policy = handler(event, None)

    assert policy["policyDocument"]["Statement"][0]["Effect"] == "Deny"

"""Structured logs and metrics that survive many instances, and no secret in any line.

GIVEN the real entrypoint WHEN it handles a WebSocket message or an HTTP request THEN every line it
logs is one JSON object carrying the request id, the connection id or the invoice id; failures
and broadcasts are Embedded Metric Format lines on stdout; a line that quotes an Authorization
header, a `?token=` URL or a password shows none of them, in either format.
"""

from __future__ import annotations

import io
import json
import logging
from types import SimpleNamespace

import pytest

from invoice_app import create_app
from invoice_app.core import logging as app_logging
from invoice_app.core.failures import FailureCounter, record_broadcast
from invoice_app.core.logging import JsonFormatter, TextFormatter, choose_format, log_context
from invoice_app.core.settings import ConfigError
from tests.helpers.events import connect_event, load_event

JWT = "eyJhbGciOiJSUzI1NiIsImtpZCI6ImR1bW15In0.eyJzdWIiOiJ1c2VyLTEiLCJleHAiOjE3MDAwMDAwMDB9.c2lnbmF0dXJl"
SECRETS = [JWT, "hunter2-Secret!", "s3cr3t-t0ken-value", "AKIAEXAMPLEKEY/abc"]


@pytest.fixture
def captured():
    """A handler on the root logger in our JSON format; yields a function returning its lines."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    old_level = root.level
    root.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]
    root.removeHandler(handler)
    root.setLevel(old_level)


def log_secrets(logger: logging.Logger) -> None:
    logger.warning("request headers: %s", {"Authorization": f"Bearer {JWT}", "Cookie": "session=abc"})
    logger.warning("Authorization: Bearer %s", SECRETS[2])
    logger.warning("upgrade GET /ws?token=%s&x=1", SECRETS[2])
    logger.warning("sign-in body %s", json.dumps({"username": "ann@example.com", "password": SECRETS[1]}))
    logger.warning("form: username=ann&password=%s", SECRETS[1])
    logger.warning("config %r", {"secret": SECRETS[3], "api_key": "k-123456"})
    try:
        raise ValueError(f"token {JWT} refused")
    except ValueError:
        logger.exception("verifying failed")


@pytest.mark.parametrize("formatter", [JsonFormatter(), TextFormatter()], ids=["json", "text"])
def test_no_secret_reaches_a_log_line_in_either_format(formatter) -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    logger = logging.getLogger("invoice_app.test_redaction")
    logger.addHandler(handler)
    try:
        log_secrets(logger)
    finally:
        logger.removeHandler(handler)
    output = stream.getvalue()
    for secret in [*SECRETS, "k-123456", "session=abc"]:
        assert secret not in output
    assert output.count("<redacted>") >= 8
    assert "ann@example.com" in output  # what is not a secret stays readable


def test_a_request_with_a_token_logs_no_part_of_it(handler, captured, user_pool) -> None:
    token = user_pool.id_token("viewer")
    event = load_event("http_v2_get_unknown_invoice", token=token)
    event["requestContext"]["http"]["method"] = "PATCH"
    event["rawQueryString"] = f"token={token}"

    answer = handler(event, SimpleNamespace(aws_request_id="req-patch-1"))

    assert answer["statusCode"] == 403
    lines = captured()
    assert lines and all(token not in json.dumps(line) for line in lines)
    for part in token.split("."):
        assert all(part not in json.dumps(line) for line in lines)


def test_every_line_of_an_http_request_names_the_request_route_and_invoice(
    handler, captured, user_pool
) -> None:
    event = load_event("http_v2_get_unknown_invoice", token=user_pool.id_token("viewer"))
    event["requestContext"]["http"]["method"] = "PATCH"  # a viewer may not: the guard logs it

    handler(event, SimpleNamespace(aws_request_id="req-patch-2"))

    mine = [line for line in captured() if line.get("requestId") == "req-patch-2"]
    refused = [line for line in mine if "may not PATCH" in line["message"]]
    assert refused, captured()
    assert refused[0]["invoiceId"] == "inv_00000000_1700000000"
    assert refused[0]["route"] == "PATCH /api/invoices/<invoice_id>"
    assert {"timestamp", "level", "logger", "message"} <= set(refused[0])


def test_every_line_of_a_websocket_event_names_the_connection(handler, captured, connections_server) -> None:
    handler(connect_event(), SimpleNamespace(aws_request_id="req-ws-1"))

    lines = [line for line in captured() if line.get("requestId") == "req-ws-1"]
    assert lines and all(line["connectionId"] == "L0SM9cOFvHcCIhw=" for line in lines)
    assert any("connected" in line["message"] for line in lines)


def test_the_context_ends_with_the_invocation(handler, captured, connections_server) -> None:
    handler(connect_event(), SimpleNamespace(aws_request_id="req-ws-2"))
    logging.getLogger("invoice_app.after").warning("between invocations")

    [after] = [line for line in captured() if line["message"] == "between invocations"]
    assert "requestId" not in after and "connectionId" not in after


def test_failures_are_embedded_metric_format_lines(capsys) -> None:
    with log_context(requestId="req-emf"):
        FailureCounter().add("broadcast")
        record_broadcast(sent=3, failed=1, gone=2, retries=4, message_type="metrics-update")

    failure, broadcast = (json.loads(line) for line in capsys.readouterr().out.splitlines())
    [directive] = failure["_aws"]["CloudWatchMetrics"]
    assert directive["Namespace"] == "InvoiceApp" and directive["Dimensions"] == [["Kind"]]
    assert directive["Metrics"] == [{"Name": "AbsorbedFailures", "Unit": "Count"}]
    assert failure["Kind"] == "broadcast" and failure["AbsorbedFailures"] == 1
    assert failure["requestId"] == "req-emf" and isinstance(failure["_aws"]["Timestamp"], int)
    names = [m["Name"] for m in broadcast["_aws"]["CloudWatchMetrics"][0]["Metrics"]]
    assert names == ["BroadcastPosts", "BroadcastFailures", "BroadcastGone", "BroadcastRetries"]
    assert (broadcast["BroadcastPosts"], broadcast["BroadcastFailures"]) == (3, 1)
    assert broadcast["MessageType"] == "metrics-update"


def test_a_broadcast_through_the_hub_emits_its_outcome(services, connections_server, capsys) -> None:
    services.connections.add("live=", connected_at_ms=1, source_ip="", user_agent="")
    services.connections.add("gone=", connected_at_ms=1, source_ip="", user_agent="")
    connections_server.live.add("live=")

    services.realtime.broadcast({"type": "metrics-update", "data": {}})

    [line] = [json.loads(x) for x in capsys.readouterr().out.splitlines() if "BroadcastPosts" in x]
    assert (line["BroadcastPosts"], line["BroadcastGone"], line["BroadcastFailures"]) == (1, 1, 0)


def test_text_format_is_compact_and_keeps_the_ids() -> None:
    record = logging.LogRecord(
        "invoice_app.uploads.pipeline", logging.INFO, __file__, 1, "stored %s", ("x",), None
    )
    record.requestId, record.invoiceId = "1a2b3c4d5e6f", "inv_3c9d_17"
    line = TextFormatter().format(record)
    assert line.endswith("INFO uploads.pipeline [req=1a2b3c4d inv=inv_3c9d] stored x")


def test_the_format_follows_log_format_and_the_terminal() -> None:
    tty, pipe = SimpleNamespace(isatty=lambda: True), SimpleNamespace(isatty=lambda: False)
    assert choose_format({"LOG_FORMAT": "text"}, pipe) == "text"
    assert choose_format({"LOG_FORMAT": "JSON"}, tty) == "json"
    assert choose_format({}, tty) == "text" and choose_format({}, pipe) == "json"
    assert choose_format({"AWS_LAMBDA_FUNCTION_NAME": "f"}, tty) == "json"


def test_an_unknown_log_format_is_a_configuration_error(app_config) -> None:
    with pytest.raises(ConfigError, match="LOG_FORMAT"):
        create_app({**app_config, "LOG_FORMAT": "xml"})


def test_a_closed_stdout_never_fails_the_caller() -> None:
    closed = io.StringIO()
    closed.close()
    app_logging.emit_metric({"AbsorbedFailures": 1}, {"Kind": "x"}, stream=closed)

"""The local API Gateway with a stand-in function: event shapes, route selection, @connections rules."""

from __future__ import annotations

import asyncio
import base64
import json
import threading
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
import requests

from devstack import events
from devstack.gateway import Gateway
from tests.helpers.gateway_server import serving
from tests.helpers.waiting import wait_until
from tests.helpers.ws_client import WsClient


class StubFunction:
    """Records events; holds $connect until released; answers HTTP events with a fixed response."""

    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = []
        self.release_connect = threading.Event()
        self.release_connect.set()
        self.http_answer: dict[str, Any] = {"statusCode": 200, "body": "{}"}

    async def invoke(self, event: dict[str, Any]) -> Any:
        self.events.append(event)
        if event.get("requestContext", {}).get("routeKey") == "$connect":
            while not self.release_connect.is_set():
                await asyncio.sleep(0.01)
        if "version" in event:
            return self.http_answer
        return {"statusCode": 200}

    def routes(self) -> list[str]:
        return [e["requestContext"]["routeKey"] for e in self.events if "connectionId" in e["requestContext"]]


@pytest.fixture
def gateway() -> Iterator[tuple[StubFunction, str]]:
    function = StubFunction()
    gw = Gateway(function, stage="ws", route_keys=["$connect", "$default", "getMetrics"])  # type: ignore[arg-type]
    with serving(gw.app) as host:
        yield function, host


def test_post_during_connect_is_410_then_delivered_once_open(gateway) -> None:
    function, host = gateway
    function.release_connect.clear()
    client = WsClient(f"ws://{host}/ws")
    opener = threading.Thread(target=client.connect)
    opener.start()
    wait_until(lambda: function.events)
    cid = function.events[0]["requestContext"]["connectionId"]
    url = f"http://{host}/ws/@connections/{quote(cid, safe='')}"

    assert requests.post(url, data=b'{"type":"early"}', timeout=5).status_code == 410

    function.release_connect.set()
    opener.join(5)
    assert requests.post(url, data=b'{"type":"hello"}', timeout=5).status_code == 200
    assert client.wait_for("hello") == {"type": "hello"}
    client.close()


def test_connect_event_carries_headers_query_and_identity(gateway) -> None:
    function, host = gateway
    with WsClient(f"ws://{host}/ws?token=abc&lang=de"):
        wait_until(lambda: function.events)
    connect = function.events[0]
    ctx = connect["requestContext"]

    assert ctx["eventType"] == "CONNECT"
    assert ctx["routeKey"] == "$connect"
    assert ctx["stage"] == "ws"
    assert ctx["identity"]["sourceIp"] == "127.0.0.1"
    assert connect["queryStringParameters"] == {"token": "abc", "lang": "de"}
    assert connect["headers"]["Host"] == host
    assert len(ctx["connectionId"]) == 16
    assert ctx["connectionId"].endswith("=")


def test_refused_connect_refuses_the_handshake(gateway) -> None:
    function, host = gateway

    async def refuse(event: dict[str, Any]) -> Any:
        function.events.append(event)
        return {"statusCode": 403}

    function.invoke = refuse  # type: ignore[method-assign]

    with pytest.raises(Exception, match="403"):
        WsClient(f"ws://{host}/ws").connect()
    assert "$disconnect" not in function.routes()


def test_messages_route_by_action_and_disconnect_reports_the_code(gateway) -> None:
    function, host = gateway
    with WsClient(f"ws://{host}/ws") as ws:
        ws.send_json({"action": "getMetrics"})
        ws.send_json({"action": "ping"})  # not a configured route → $default
        ws.send(b"\x00\x01binary")
        wait_until(lambda: len(function.events) >= 4)
    wait_until(lambda: "$disconnect" in function.routes())

    messages = [e for e in function.events if e["requestContext"]["eventType"] == "MESSAGE"]
    assert sorted(e["requestContext"]["routeKey"] for e in messages) == ["$default", "$default", "getMetrics"]
    binary = next(e for e in messages if e["isBase64Encoded"])
    assert base64.b64decode(binary["body"]) == b"\x00\x01binary"
    disconnect = function.events[-1]["requestContext"]
    assert disconnect["disconnectStatusCode"] == 1000


def test_http_events_and_answers_are_mapped_like_http_api(gateway) -> None:
    function, host = gateway
    function.http_answer = {
        "statusCode": 201,
        "headers": {"content-type": "application/octet-stream", "x-one": "1"},
        "cookies": ["a=1; Path=/", "b=2; Path=/"],
        "body": base64.b64encode(b"\x89PNG...").decode(),
        "isBase64Encoded": True,
    }

    response = requests.post(
        f"http://{host}/api/things?x=1&x=2&y=",
        data=b"\x00\xffraw",
        headers={"Content-Type": "application/octet-stream", "Cookie": "s=1; t=2"},
        timeout=5,
    )

    assert response.status_code == 201
    assert response.content == b"\x89PNG..."
    assert response.headers["x-one"] == "1"
    assert response.raw.headers.getlist("set-cookie") == ["a=1; Path=/", "b=2; Path=/"]
    event = function.events[-1]
    assert event["version"] == "2.0"
    assert event["rawPath"] == "/api/things"
    assert event["rawQueryString"] == "x=1&x=2&y="
    assert event["queryStringParameters"] == {"x": "1,2", "y": ""}
    assert event["cookies"] == ["s=1", "t=2"]
    assert event["requestContext"]["http"]["method"] == "POST"
    assert event["isBase64Encoded"] is True
    assert base64.b64decode(event["body"]) == b"\x00\xffraw"


def test_json_bodies_arrive_as_text() -> None:
    event = events.http_api_event(
        method="POST",
        path="/x",
        query="",
        headers=[("Content-Type", "application/json")],
        body=b'{"a": 1}',
        source_ip="1.2.3.4",
        host="h",
    )

    assert event["isBase64Encoded"] is False
    assert json.loads(event["body"]) == {"a": 1}


def test_static_files_resolve_like_a_static_export(tmp_path) -> None:
    (tmp_path / "invoices").mkdir()
    (tmp_path / "index.html").write_text("home")
    (tmp_path / "invoice.html").write_text("detail")
    (tmp_path / "invoices" / "index.html").write_text("list")
    gw = Gateway(StubFunction(), static_dir=tmp_path)  # type: ignore[arg-type]

    assert gw._static_file("/").read_text() == "home"
    assert gw._static_file("/invoice").read_text() == "detail"
    assert gw._static_file("/invoices/").read_text() == "list"
    assert gw._static_file("/../../etc/passwd") is None
    assert gw._static_file("/api/metrics") is None
    assert gw._static_file("/nope") is None

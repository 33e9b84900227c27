"""The `$connect` REQUEST authorizer of the local gateway, with a stand-in function.

GIVEN a gateway whose $connect has the template's authorizer WHEN clients upgrade with no token,
a token the function denies, one it allows, or one that makes it fail THEN the upgrade is answered
401 / 403 / 101 / 500 as API Gateway does, and the allowed context reaches every later event.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import uvicorn
from websockets.exceptions import InvalidStatus

from devstack import events, redact
from devstack.gateway import Gateway
from devstack.gateway.authorizer import policy_decision
from devstack.lambda_runtime import InvocationFailed
from devstack.template import connect_authorizer, load_template
from tests.helpers.events import load_event
from tests.helpers.waiting import wait_until
from tests.helpers.ws_client import WsClient

USER = {
    "sub": "u-1",
    "email": "vera@example.com",
    "name": "Vera Viewer",
    "roles": "viewer",
    "exp": 1900000000,
}


def policy(effect: str, resource: str) -> dict[str, Any]:
    return {
        "Version": "2012-10-17",
        "Statement": [{"Action": "execute-api:Invoke", "Effect": effect, "Resource": resource}],
    }


class AuthorizingFunction:
    """Answers the authorizer event by its token: `good` Allow, `bad` Deny, `boom` fails."""

    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = []

    async def invoke(self, event: dict[str, Any]) -> Any:
        self.events.append(event)
        if event.get("type") == "REQUEST":
            token = event["queryStringParameters"].get("token")
            if token == "boom":
                raise InvocationFailed("the handler raised")
            effect = "Allow" if token == "good" else "Deny"
            return {
                "principalId": USER["sub"],
                "policyDocument": policy(effect, event["methodArn"]),
                "context": USER,
            }
        return {"statusCode": 200}

    def authorizer_events(self) -> list[dict[str, Any]]:
        return [e for e in self.events if e.get("type") == "REQUEST"]

    def route_events(self) -> list[dict[str, Any]]:
        return [e for e in self.events if "type" not in e]


@pytest.fixture
def gateway() -> Iterator[tuple[AuthorizingFunction, str]]:
    function = AuthorizingFunction()
    gw = Gateway(
        function,  # type: ignore[arg-type]
        stage="ws",
        route_keys=["$connect", "$default"],
        authorizer=connect_authorizer(load_template()),
    )
    sock = socket.create_server(("127.0.0.1", 0))
    server = uvicorn.Server(
        uvicorn.Config(gw.app, ws="websockets-sansio", lifespan="off", log_level="info", access_log=True)
    )
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    yield function, f"127.0.0.1:{sock.getsockname()[1]}"
    server.should_exit = True
    thread.join(5)


def refused_status(url: str) -> int:
    with pytest.raises(InvalidStatus) as refused:
        WsClient(url).connect()
    return refused.value.response.status_code


def test_the_template_gives_connect_a_request_authorizer_on_the_token() -> None:
    spec = connect_authorizer(load_template())
    assert spec is not None
    assert spec.authorizer_type == "REQUEST"
    assert spec.identity_sources == ("route.request.querystring.token",)
    assert spec.function_id == "InvoiceFunction"


def test_no_token_is_401_without_invoking_anything(gateway) -> None:
    function, host = gateway

    assert refused_status(f"ws://{host}/ws") == 401
    assert refused_status(f"ws://{host}/ws?token=") == 401  # present but empty: missing too
    assert function.events == []


def test_a_denied_token_is_403_and_connect_is_never_invoked(gateway) -> None:
    function, host = gateway

    assert refused_status(f"ws://{host}/ws?token=bad") == 403
    assert len(function.authorizer_events()) == 1
    assert function.route_events() == []


def test_a_failing_authorizer_is_500(gateway) -> None:
    function, host = gateway

    assert refused_status(f"ws://{host}/ws?token=boom") == 500
    assert function.route_events() == []


def test_the_allowed_context_reaches_connect_messages_and_disconnect(gateway) -> None:
    function, host = gateway
    with WsClient(f"ws://{host}/ws?token=good&lang=de") as ws:
        ws.send_json({"action": "ping"})
        wait_until(lambda: len(function.route_events()) >= 2)
    wait_until(lambda: function.route_events()[-1]["requestContext"]["routeKey"] == "$disconnect")

    (auth_event,) = function.authorizer_events()
    assert auth_event["methodArn"] == "arn:aws:execute-api:us-east-1:000000000000:local/ws/$connect"
    assert auth_event["queryStringParameters"] == {"token": "good", "lang": "de"}
    assert auth_event["multiValueQueryStringParameters"] == {"token": ["good"], "lang": ["de"]}
    routes = [e["requestContext"]["routeKey"] for e in function.route_events()]
    assert routes == ["$connect", "$default", "$disconnect"]
    for event in function.route_events():
        authorizer = event["requestContext"]["authorizer"]
        assert {k: authorizer[k] for k in USER} == USER
        assert authorizer["principalId"] == "u-1"
        assert isinstance(authorizer["integrationLatency"], int)
    # the authorizer saw the connection id that $connect then gets
    connect = function.route_events()[0]
    assert connect["requestContext"]["connectionId"] == auth_event["requestContext"]["connectionId"]


def test_the_authorizer_event_has_the_recorded_shape() -> None:
    recorded = load_event("ws_authorizer_connect")
    built = events.websocket_authorizer_event(
        "L0SM9cOFvHcCIhw=",
        stage="prod",
        domain="h",
        connected_at_ms=1,
        source_ip="203.0.113.24",
        user_agent="ua",
        headers={"Host": "h"},
        query=[("token", "<id-token>")],
    )

    assert set(built) == set(recorded)
    assert set(built["requestContext"]) == set(recorded["requestContext"])
    assert "authorizer" not in built["requestContext"]
    assert built["type"] == "REQUEST"
    assert built["methodArn"].endswith("/prod/$connect")
    assert built["queryStringParameters"] == recorded["queryStringParameters"]
    assert built["multiValueQueryStringParameters"] == recorded["multiValueQueryStringParameters"]
    assert built["stageVariables"] == {}


ARN = "arn:aws:execute-api:us-east-1:000000000000:local/ws/$connect"


@pytest.mark.parametrize(
    ("answer", "status"),
    [
        ({"principalId": "u", "policyDocument": policy("Allow", ARN)}, 200),
        ({"principalId": "u", "policyDocument": policy("Allow", "arn:aws:execute-api:*:*:local/*")}, 200),
        (
            {
                "principalId": "u",
                "policyDocument": policy("Allow", "arn:aws:execute-api:us-east-1:0:other/ws/$connect"),
            },
            403,
        ),
        ({"principalId": "u", "policyDocument": policy("Deny", ARN)}, 403),
        ({"principalId": "u", "policyDocument": {"Version": "2012-10-17", "Statement": []}}, 403),
        (
            {
                "principalId": "u",
                "policyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [policy("Allow", ARN)["Statement"][0], policy("Deny", "*")["Statement"][0]],
                },
            },
            403,
        ),
        ({"principalId": "u", "policyDocument": policy("Allow", ARN), "context": {"roles": ["viewer"]}}, 500),
        ({"policyDocument": policy("Allow", ARN)}, 500),
        ({"statusCode": 400, "body": "{}"}, 500),
        (None, 500),
    ],
)
def test_policy_decisions_follow_api_gateway(answer: Any, status: int) -> None:
    assert policy_decision(answer, ARN).status == status


def test_tokens_are_redacted_from_every_log_line() -> None:
    jwt = "eyJraWQiOiJkdW1teSJ9.eyJzdWIiOiJ1LTEifQ.c2lnbmF0dXJl"
    assert jwt not in redact.redact(f'127.0.0.1:1 - "WebSocket /ws?token={jwt}" [accepted]')
    assert "s3cr3t" not in redact.redact("GET /ws?lang=de&token=s3cr3t HTTP/1.1")
    assert "lang=de" in redact.redact("GET /ws?lang=de&token=s3cr3t HTTP/1.1")
    assert "abc.def" not in redact.redact("Authorization: Bearer abc.def")
    assert jwt not in redact.redact(f"failed on {{'token': '{jwt}'}}")


def test_the_gateways_log_lines_carry_no_token(gateway, capsys) -> None:
    """uvicorn logs a WebSocket's path with its query string; the installed filter rewrites it."""
    _function, host = gateway
    secret = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJsZWFrIn0.bGVha2VkLXNpZ25hdHVyZQ"
    redact.install()
    stream_handler = logging.StreamHandler()
    logging.getLogger("uvicorn.error").addHandler(stream_handler)
    redact.install()
    try:
        with WsClient(f"ws://{host}/ws?token=good&x={secret}"):
            pass
        refused_status(f"ws://{host}/ws?token={secret}")
    finally:
        logging.getLogger("uvicorn.error").removeHandler(stream_handler)
    logged = capsys.readouterr().err
    assert "WebSocket /ws?" in logged  # GIVEN uvicorn did log the upgrades
    assert "token=<redacted>" in logged
    assert secret not in logged


def test_config_json_carries_the_auth_block() -> None:
    auth = {
        "mode": "cognito",
        "region": "us-east-1",
        "userPoolId": "p",
        "clientId": "c",
        "endpoint": "http://x/",
    }
    with_auth = Gateway(AuthorizingFunction(), auth_config=auth)  # type: ignore[arg-type]
    without = Gateway(AuthorizingFunction())  # type: ignore[arg-type]

    assert with_auth.static.config_document("h:1")["auth"] == auth
    assert without.static.config_document("h:1")["auth"] == {"mode": "none"}

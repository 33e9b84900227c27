"""The WebSocket side of sign-in: the $connect authorizer, the stored viewer, expired tokens."""

from __future__ import annotations

import time

import boto3
import pytest

from invoice_app.events.classify import EventKind, classify_event
from tests.helpers.events import connect_event, load_event

CID = "L0SM9cOFvHcCIhw="  # the connection id of the recorded events


def authorizer_event(token: str | None) -> dict:
    event = load_event("ws_authorizer_connect")
    if token is None:
        event["queryStringParameters"] = {}
    else:
        event["queryStringParameters"] = {"token": token}
    return event


def statement(answer: dict) -> dict:
    [only] = answer["policyDocument"]["Statement"]
    return only


def test_the_authorizer_event_is_its_own_kind() -> None:
    # It carries routeKey and connectionId like a $connect, so the order of the checks matters.
    assert classify_event(load_event("ws_authorizer_connect"))[0] is EventKind.AUTHORIZER


def test_a_valid_token_is_allowed_with_the_callers_claims(handler, user_pool) -> None:
    event = authorizer_event(user_pool.id_token("reviewer"))

    answer = handler(event, None)

    assert statement(answer) == {
        "Action": "execute-api:Invoke",
        "Effect": "Allow",
        "Resource": event["methodArn"],
    }
    context = answer["context"]
    assert context["email"] == "reviewer@example.com"
    assert context["roles"] == "reviewer"
    assert answer["principalId"] == context["sub"]
    assert context["exp"] > time.time()
    # API Gateway accepts only strings, numbers and booleans as context values.
    assert all(isinstance(v, str | int | float | bool) for v in context.values())


@pytest.mark.parametrize("token", [None, "", "not-a-jwt"])
def test_no_or_a_bad_token_is_denied(handler, token) -> None:
    answer = handler(authorizer_event(token), None)

    assert statement(answer)["Effect"] == "Deny"
    assert answer["principalId"] == "anonymous"


def test_an_expired_or_foreign_token_is_denied(handler, user_pool) -> None:
    now = int(time.time())
    for token in (user_pool.mint(exp=now - 600, iat=now - 4200), user_pool.mint(aud="another-app")):
        assert statement(handler(authorizer_event(token), None))["Effect"] == "Deny"


def test_connect_stores_who_connected_and_until_when(handler, provisioned) -> None:
    event = connect_event()

    assert handler(event, None) == {"statusCode": 200}

    item = boto3.client("dynamodb").get_item(
        TableName=provisioned["CONNECTIONS_TABLE"], Key={"connectionId": {"S": CID}}
    )["Item"]
    auth = event["requestContext"]["authorizer"]
    assert item["userId"]["S"] == auth["sub"]
    assert item["email"]["S"] == auth["email"]
    assert item["roles"]["L"] == [{"S": "reviewer"}]
    assert int(item["tokenExp"]["N"]) == auth["exp"]


def test_connect_without_the_authorizers_context_is_refused(handler, provisioned) -> None:
    event = connect_event()
    del event["requestContext"]["authorizer"]

    assert handler(event, None)["statusCode"] == 401
    assert "Item" not in boto3.client("dynamodb").get_item(
        TableName=provisioned["CONNECTIONS_TABLE"], Key={"connectionId": {"S": CID}}
    )


def test_an_expired_viewer_is_closed_instead_of_sent_to(services, connections_server) -> None:
    registry = services.connections
    expired = int(time.time()) - 1
    from invoice_app.realtime.registry import Viewer

    for cid, exp in (("fresh=", int(time.time()) + 3600), ("stale=", expired), ("no-auth=", None)):
        viewer = Viewer(user_id=cid, email="", name="", roles=("viewer",), token_expires_at=exp)
        registry.add(cid, connected_at_ms=1, source_ip="", user_agent="", viewer=viewer)
        connections_server.live.add(cid)

    result = services.broadcaster.broadcast(connections_server.endpoint, {"type": "pong"})

    assert (result.sent, result.expired, result.gone, result.failed) == (2, 1, 0, 0)
    assert connections_server.messages("stale=") == []
    assert "stale=" not in connections_server.live  # closed through DELETE @connections/{id}
    assert {cid for page in registry.iter_pages() for cid in page} == {"fresh=", "no-auth="}


def test_auth_mode_none_connects_without_an_authorizer(app_config, monkeypatch, provisioned) -> None:
    import app as lambda_module

    for var, value in {**app_config, "AUTH_MODE": "none"}.items():
        monkeypatch.setenv(var, value)
    monkeypatch.setattr(lambda_module, "_app", None)
    event = connect_event()
    del event["requestContext"]["authorizer"]

    assert lambda_module.lambda_handler(event, None) == {"statusCode": 200}
    assert statement(lambda_module.lambda_handler(authorizer_event(None), None))["Effect"] == "Allow"

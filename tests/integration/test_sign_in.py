"""Sign-in on the local stack, over real sockets: the seeded users against the embedded Cognito,
the `$connect` authorizer, bearer tokens on HTTP, and no token in any log line."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Iterator

import pytest
import requests
from botocore.exceptions import ClientError
from websockets.exceptions import InvalidStatus

from tests.helpers.auth import ROLES, bearer, cognito_client, sign_in, signed_in
from tests.helpers.cognito import mint
from tests.helpers.stack_process import StackProcess
from tests.helpers.uploads import upload_to_stack
from tests.helpers.ws_client import WsClient

from .conftest import USER_PASSWORD

pytestmark = pytest.mark.integration


def claims(token: str) -> dict:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def refused_status(url: str) -> int:
    with pytest.raises(InvalidStatus) as refused:
        WsClient(url).connect()
    return refused.value.response.status_code


def test_the_start_up_block_names_one_user_per_role(stack) -> None:
    assert set(stack.users) == set(ROLES)
    assert {u.email for u in stack.users.values()} == {f"{r}@example.com" for r in ROLES}
    assert all(u.password == USER_PASSWORD for u in stack.users.values())  # --user-password
    assert stack.cognito_pool_id.startswith("us-east-1_")


@pytest.mark.parametrize("role", ROLES)
def test_the_seeded_users_sign_in_with_their_password(stack, role: str) -> None:
    result = sign_in(stack, role)

    id_claims = claims(result["IdToken"])
    assert id_claims["token_use"] == "id"
    assert id_claims["email"] == f"{role}@example.com"
    assert id_claims["cognito:groups"] == [role]
    assert id_claims["aud"] == stack.cognito_client_id
    assert id_claims["iss"] == f"https://cognito-idp.us-east-1.amazonaws.com/{stack.cognito_pool_id}"
    assert claims(result["AccessToken"])["client_id"] == stack.cognito_client_id


def test_a_wrong_password_is_refused(stack) -> None:
    with pytest.raises(ClientError) as refused:
        cognito_client(stack).initiate_auth(
            ClientId=stack.cognito_client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": "viewer@example.com", "PASSWORD": "Wrong-Password-1"},
        )
    assert refused.value.response["Error"]["Code"] == "NotAuthorizedException"


def test_the_harsh_stacks_random_passwords_are_read_from_its_output(harsh_stack) -> None:
    assert harsh_stack.users["admin"].password != USER_PASSWORD
    assert claims(signed_in(harsh_stack, "admin"))["cognito:groups"] == ["admin"]


def test_config_json_tells_the_page_where_to_sign_in(stack) -> None:
    auth = requests.get(f"{stack.url}/config.json", timeout=10).json()["auth"]

    assert auth == {
        "mode": "cognito",
        "region": "us-east-1",
        "userPoolId": stack.cognito_pool_id,
        "clientId": stack.cognito_client_id,
        "endpoint": f"{stack.aws_endpoint}/",
    }


def test_the_browser_can_post_cognitos_json_api_from_the_gateways_origin(stack) -> None:
    """What the page does: a cross-origin, unsigned POST with X-Amz-Target, preflighted first."""
    endpoint = requests.get(f"{stack.url}/config.json", timeout=10).json()["auth"]["endpoint"]
    origin = stack.url

    preflight = requests.options(
        endpoint,
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type,x-amz-target,x-amz-user-agent",
        },
        timeout=10,
    )
    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == origin
    assert "x-amz-target" in preflight.headers["Access-Control-Allow-Headers"].lower()

    user = stack.users["viewer"]
    answer = requests.post(
        endpoint,
        headers={
            "Origin": origin,
            "Content-Type": "application/x-amz-json-1.1",
            "X-Amz-Target": "AWSCognitoIdentityProviderService.InitiateAuth",
        },
        data=json.dumps(
            {
                "ClientId": stack.cognito_client_id,
                "AuthFlow": "USER_PASSWORD_AUTH",
                "AuthParameters": {"USERNAME": user.email, "PASSWORD": user.password},
            }
        ),
        timeout=10,
    )
    assert answer.status_code == 200, answer.text
    assert answer.headers["Access-Control-Allow-Origin"] == origin
    assert claims(answer.json()["AuthenticationResult"]["IdToken"])["email"] == user.email


def test_a_websocket_without_a_token_is_401(stack) -> None:
    assert refused_status(stack.ws_url) == 401


def test_a_websocket_with_a_bad_token_is_403(stack) -> None:
    forged = signed_in(stack, "viewer")[:-4] + "AAAA"  # the signature no longer matches

    assert refused_status(f"{stack.ws_url}?token=not-a-jwt") == 403
    assert refused_status(f"{stack.ws_url}?token={forged}") == 403


def test_a_viewer_connects_and_receives_metrics_after_an_upload(stack) -> None:
    with WsClient(stack.ws_url, token=signed_in(stack, "viewer")) as ws:
        ws.send_json({"action": "getMetrics"})
        before = ws.wait_for("metrics-update")["data"]["total"]

        upload_to_stack(stack.url, token=signed_in(stack, "reviewer"))

        ws.wait_for("metrics-update", where=lambda m: m["data"]["total"] >= before + 1)


def test_a_connection_whose_token_expired_is_closed_and_gets_nothing_more(stack) -> None:
    # API Gateway checks the token only at $connect; the broadcaster must stop at its expiry.
    expires = int(time.time()) + 2
    groups = {"cognito:groups": ["viewer"]}
    short = mint(stack.cognito_pool_id, stack.cognito_client_id, exp=expires, **groups)
    with WsClient(stack.ws_url, token=short) as ws:
        ws.send_json({"action": "getMetrics"})
        ws.wait_for("metrics-update")
        time.sleep(max(0.0, expires + 0.5 - time.time()))  # a token's expiry is a time, not an event

        upload_to_stack(stack.url, token=signed_in(stack, "reviewer"))

        ws.wait_closed(timeout=15)
        updates = [f for f in ws.frames if isinstance(f, dict) and f.get("type") == "metrics-update"]
        assert len(updates) == 1  # the answer to getMetrics, nothing after the expiry


def test_http_routes_want_a_bearer_token_of_a_high_enough_role(stack) -> None:
    assert requests.get(f"{stack.url}/api/health", timeout=10).status_code == 200  # public

    anonymous = requests.get(f"{stack.url}/api/invoices", timeout=10)
    assert anonymous.status_code == 401
    assert anonymous.headers["WWW-Authenticate"].startswith("Bearer")
    assert "error" in anonymous.json()

    assert (
        requests.get(f"{stack.url}/api/invoices", headers=viewer_header(stack), timeout=10).status_code == 200
    )
    viewer_upload = requests.post(
        f"{stack.url}/api/invoices",
        files={"file": ("a.pdf", b"%PDF-1.7\n")},
        headers=viewer_header(stack),
        timeout=10,
    )
    assert viewer_upload.status_code == 403

    me = requests.get(f"{stack.url}/api/me", headers=bearer(signed_in(stack, "reviewer")), timeout=10)
    assert me.status_code == 200
    assert me.json()["email"] == "reviewer@example.com"
    assert "reviewer" in me.json()["roles"]


def viewer_header(stack) -> dict[str, str]:
    return bearer(signed_in(stack, "viewer"))


@pytest.fixture(scope="module")
def chatty_stack() -> Iterator[StackProcess]:
    """A stack logging at DEBUG: uvicorn then logs every upgrade with its path and query."""
    with StackProcess("--log-level", "DEBUG", "--user-password", USER_PASSWORD) as running:
        yield running


def test_no_token_reaches_a_log_line(chatty_stack) -> None:
    # GIVEN a signed-in viewer that connects, a reviewer that uploads, and a refused token
    token = signed_in(chatty_stack, "viewer")
    with WsClient(chatty_stack.ws_url, token=token) as ws:
        ws.send_json({"action": "ping"})
        ws.wait_for("pong")
    upload_to_stack(chatty_stack.url, token=signed_in(chatty_stack, "reviewer"))
    refused_status(f"{chatty_stack.ws_url}?token={token[:-4]}AAAA")

    # THEN the stack's output (gateway, uvicorn, the function) logged the upgrade, not the token
    logged = "\n".join(chatty_stack.log)
    assert "WebSocket /ws?" in logged
    assert token not in logged
    assert token.split(".")[2] not in logged  # not even its signature
    assert signed_in(chatty_stack, "reviewer") not in logged

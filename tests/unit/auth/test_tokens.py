"""Token verification through the HTTP API: real moto tokens accepted, every forgery refused."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time

import pytest
from cryptography.hazmat.primitives import serialization

from tests.helpers.cognito import moto_private_key, other_key


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def hand_signed(header: dict, claims: dict, sign) -> str:
    head = b64(json.dumps(header).encode()) + "." + b64(json.dumps(claims).encode())
    return head + "." + sign(head.encode())


def me(anonymous, token: str | None = None, **headers: str):
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return anonymous.get("/api/me", headers=headers)


def assert_401(response, words: str = "") -> None:
    assert response.status_code == 401, response.get_json()
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert words in response.get_json()["error"]


@pytest.mark.parametrize("role", ["viewer", "reviewer", "admin"])
def test_a_token_from_cognito_names_the_user_and_role(anonymous, user_pool, role) -> None:
    response = me(anonymous, user_pool.id_token(role))

    assert response.status_code == 200
    body = response.get_json()
    assert body["email"] == f"{role}@example.com"
    assert body["roles"] == [role]
    assert body["sub"] and body["name"]


def test_an_access_token_is_accepted_too(anonymous, user_pool) -> None:
    response = me(anonymous, user_pool.tokens("reviewer")["AccessToken"])

    assert response.status_code == 200
    assert response.get_json()["roles"] == ["reviewer"]


def test_a_user_in_no_group_is_a_viewer(anonymous, user_pool) -> None:
    user_pool.add_user("nobody@example.com", groups=[])
    token = user_pool.sign_in("nobody@example.com")["IdToken"]

    assert me(anonymous, token).get_json()["roles"] == ["viewer"]


def test_missing_or_malformed_headers_are_401(anonymous) -> None:
    assert_401(anonymous.get("/api/me"), "sign in")
    assert_401(me(anonymous, Authorization="Basic dXNlcjpwYXNz"), "sign in")
    assert_401(me(anonymous, Authorization="Bearer"), "sign in")
    assert_401(me(anonymous, "not-a-jwt"), "malformed")
    assert_401(me(anonymous, "a.b.c"), "malformed")


def test_a_10_kb_header_is_a_401_not_a_500(anonymous) -> None:
    assert_401(me(anonymous, "x" * 10_000), "too long")


def test_expired_beyond_the_leeway_says_so(anonymous, user_pool) -> None:
    now = int(time.time())
    assert_401(me(anonymous, user_pool.mint(exp=now - 120, iat=now - 3720)), "expired")


def test_small_clock_skew_is_tolerated(anonymous, user_pool) -> None:
    now = int(time.time())
    assert me(anonymous, user_pool.mint(exp=now - 5, iat=now - 3600)).status_code == 200
    assert me(anonymous, user_pool.mint(iat=now + 10)).status_code == 200


def test_not_yet_valid_is_refused(anonymous, user_pool) -> None:
    assert_401(me(anonymous, user_pool.mint(nbf=int(time.time()) + 600)), "not valid yet")


def test_wrong_audience_issuer_and_use_are_refused(anonymous, user_pool) -> None:
    assert_401(me(anonymous, user_pool.mint(aud="another-app")), "another app")
    assert_401(me(anonymous, user_pool.mint(token_use="access", aud=None, client_id="x")), "another app")
    assert_401(me(anonymous, user_pool.mint(iss=user_pool.issuer + "x")), "another user pool")
    assert_401(me(anonymous, user_pool.mint(token_use="refresh")), "neither")
    assert_401(me(anonymous, user_pool.mint(sub=None)), "not valid")


def test_a_bad_signature_is_refused(anonymous, user_pool) -> None:
    token = user_pool.mint()
    forged = token[:-6] + ("AAAAAA" if not token.endswith("AAAAAA") else "BBBBBB")

    assert_401(me(anonymous, forged), "not valid")
    assert_401(me(anonymous, user_pool.mint(key=other_key())), "not valid")


def test_an_unknown_key_id_is_refused(anonymous, user_pool) -> None:
    assert_401(me(anonymous, user_pool.mint(headers={"kid": "rotated-away"})), "not signed by")


def test_alg_none_is_refused(anonymous, user_pool) -> None:
    claims = {"iss": user_pool.issuer, "sub": "x", "aud": user_pool.client_id, "token_use": "id"}
    claims |= {"iat": int(time.time()), "exp": int(time.time()) + 600, "cognito:groups": ["admin"]}
    unsigned = hand_signed({"alg": "none", "kid": "dummy"}, claims, lambda _: "")

    assert_401(me(anonymous, unsigned), "RS256")


def test_hs256_signed_with_the_public_key_is_refused(anonymous, user_pool) -> None:
    # The classic algorithm-confusion forgery: the public key used as an HMAC secret.
    public_pem = (
        moto_private_key()
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    claims = {"iss": user_pool.issuer, "sub": "x", "aud": user_pool.client_id, "token_use": "id"}
    claims |= {"iat": int(time.time()), "exp": int(time.time()) + 600, "cognito:groups": ["admin"]}
    forged = hand_signed(
        {"alg": "HS256", "kid": "dummy"},
        claims,
        lambda data: b64(hmac.new(public_pem, data, hashlib.sha256).digest()),
    )

    assert_401(me(anonymous, forged), "RS256")


def test_a_token_in_a_cookie_the_query_or_the_body_is_ignored(anonymous, user_pool) -> None:
    token = user_pool.id_token("admin")
    anonymous.set_cookie("Authorization", f"Bearer {token}")
    anonymous.set_cookie("token", token)

    assert_401(anonymous.get(f"/api/me?token={token}&access_token={token}"))
    assert_401(anonymous.post("/api/uploads", json={"token": token, "fileName": "a.pdf", "size": 10}))


def test_keys_are_fetched_once_and_reused(app_config, jwks_server, user_pool, client_as) -> None:
    from invoice_app import create_app

    client = client_as("viewer", create_app(app_config))
    before = jwks_server.fetches

    for _ in range(3):
        assert client.get("/api/me").status_code == 200

    assert jwks_server.fetches - before == 1


def test_unreachable_keys_fail_closed(app_config, user_pool, client_as) -> None:
    from invoice_app import create_app

    app = create_app({**app_config, "COGNITO_JWKS_URL": "http://127.0.0.1:9/jwks.json"})
    response = client_as("admin", app).get("/api/invoices")

    assert response.status_code == 503
    assert "cannot be checked" in response.get_json()["error"]

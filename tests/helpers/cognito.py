"""Real Cognito tokens for tests: a user pool in moto, and moto's own signing key.

moto's Cognito signs its tokens (RS256, `kid` "dummy") with the key pair it ships in
`moto/cognitoidp/resources/`; `JwksServer` serves the public half over real HTTP, as Cognito
serves `/.well-known/jwks.json`, so the app fetches and verifies exactly as it does on AWS.
`mint()` signs hand-made tokens with the private half (the rejection cases: expired, wrong
audience, …) and `mint(..., key=other_key())` with a key the pool never published.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import boto3
import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm
from moto.utilities.utils import load_resource

from tests.helpers.connections_server import POLL_S

ROLES = ("viewer", "reviewer", "admin")
PASSWORD = "Test-passw0rd!"


def moto_public_jwks() -> dict[str, Any]:
    return load_resource("cognitoidp/resources/jwks-public.json")


def moto_private_key() -> Any:
    return RSAAlgorithm.from_jwk(load_resource("cognitoidp/resources/jwks-private.json"))


def other_key() -> Any:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class JwksServer:
    """Serves a JWKS document on loopback (default: moto's public keys); counts the fetches."""

    def __init__(self, document: dict[str, Any] | None = None) -> None:
        self.document = document or moto_public_jwks()
        self.fetches = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                outer.fetches += 1
                body = json.dumps(outer.document).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/.well-known/jwks.json"
        self._thread = threading.Thread(target=self._server.serve_forever, args=(POLL_S,), daemon=True)

    def __enter__(self) -> JwksServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


@dataclass
class UserPool:
    """A pool with the app's three groups and one user per role, in the active moto mock."""

    pool_id: str
    client_id: str
    users: dict[str, str] = field(default_factory=dict)  # role → e-mail
    _tokens: dict[str, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def create(cls, name: str = "invoice-users") -> UserPool:
        idp = boto3.client("cognito-idp")
        pool_id = idp.create_user_pool(PoolName=name, UsernameAttributes=["email"])["UserPool"]["Id"]
        client_id = idp.create_user_pool_client(
            UserPoolId=pool_id,
            ClientName="web",
            ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        )["UserPoolClient"]["ClientId"]
        pool = cls(pool_id, client_id)
        for role in ROLES:
            idp.create_group(UserPoolId=pool_id, GroupName=role)
        for role in ROLES:
            pool.add_user(f"{role}@example.com", groups=[role], name=f"{role.title()} Person")
            pool.users[role] = f"{role}@example.com"
        return pool

    def add_user(self, email: str, groups: list[str], name: str = "") -> None:
        idp = boto3.client("cognito-idp")
        attributes = [{"Name": "email", "Value": email}]
        if name:
            attributes.append({"Name": "name", "Value": name})
        idp.admin_create_user(UserPoolId=self.pool_id, Username=email, UserAttributes=attributes)
        idp.admin_set_user_password(
            UserPoolId=self.pool_id, Username=email, Password=PASSWORD, Permanent=True
        )
        for group in groups:
            idp.admin_add_user_to_group(UserPoolId=self.pool_id, Username=email, GroupName=group)

    def sign_in(self, email: str) -> dict[str, str]:
        """USER_PASSWORD_AUTH, as the browser does: {IdToken, AccessToken, RefreshToken, …}."""
        result = boto3.client("cognito-idp").initiate_auth(
            ClientId=self.client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": email, "PASSWORD": PASSWORD},
        )
        return result["AuthenticationResult"]

    def tokens(self, role: str) -> dict[str, str]:
        if role not in self._tokens:
            self._tokens[role] = self.sign_in(self.users[role])
        return self._tokens[role]

    def id_token(self, role: str) -> str:
        return self.tokens(role)["IdToken"]

    def env(self, jwks_url: str) -> dict[str, str]:
        return {
            "AUTH_MODE": "cognito",
            "COGNITO_USER_POOL_ID": self.pool_id,
            "COGNITO_CLIENT_ID": self.client_id,
            "COGNITO_JWKS_URL": jwks_url,
        }

    @property
    def issuer(self) -> str:
        return f"https://cognito-idp.{self.pool_id.split('_')[0]}.amazonaws.com/{self.pool_id}"

    def mint(self, key: Any = None, headers: dict[str, Any] | None = None, **claims: Any) -> str:
        """A hand-made id token for this pool (moto's signing key unless `key` says otherwise)."""
        return mint(self.pool_id, self.client_id, key=key, headers=headers, **claims)


def mint(
    pool_id: str, client_id: str, /, key: Any = None, headers: dict[str, Any] | None = None, **claims: Any
) -> str:
    """An id token for `pool_id`/`client_id` signed like moto's (claims None are left out)."""
    now = int(time.time())
    payload = {
        "iss": f"https://cognito-idp.{pool_id.split('_')[0]}.amazonaws.com/{pool_id}",
        "sub": str(uuid.uuid4()),
        "aud": client_id,
        "token_use": "id",
        "iat": now,
        "exp": now + 3600,
        "email": "someone@example.com",
        "cognito:groups": ["reviewer"],
    }
    payload.update(claims)
    payload = {k: v for k, v in payload.items() if v is not None}
    return jwt.encode(
        payload,
        moto_private_key() if key is None else key,
        algorithm="RS256",
        headers={"kid": "dummy", **(headers or {})},
    )

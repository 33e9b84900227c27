"""Verifying Cognito tokens: RS256 signature with the pool's JWKS, issuer, expiry, audience.

The function never trusts claims it did not verify itself (an API Gateway JWT authorizer may sit
in front, as an extra layer only). Keys are fetched once per execution environment and fetched
again when a token names a key id the cache does not know (Cognito rotates keys), at most once
every `REFETCH_INTERVAL_S`, so a flood of made-up key ids cannot turn into a flood of fetches.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import urllib.request
from collections.abc import Callable
from typing import Any

import jwt
from jwt.algorithms import RSAAlgorithm

from .errors import KeysUnavailable, Unauthorized
from .identity import Identity
from .roles import roles_from_groups

log = logging.getLogger(__name__)

ALGORITHM = "RS256"  # Cognito signs with RS256 only; the algorithm is pinned, never taken from a token
LEEWAY_S = 30  # clock skew tolerated on exp / nbf / iat
MAX_TOKEN_CHARS = 8192  # Cognito tokens are 1–2 KB (more with many groups); anything far larger is not one
REFETCH_INTERVAL_S = 60.0
FETCH_TIMEOUT_S = 3.0


def issuer_for(user_pool_id: str) -> str:
    """`https://cognito-idp.<region>.amazonaws.com/<pool id>` (pool ids are `<region>_<id>`)."""
    region = user_pool_id.split("_", 1)[0]
    return f"https://cognito-idp.{region}.amazonaws.com/{user_pool_id}"


def fetch_json(url: str) -> dict[str, Any]:
    with urllib.request.urlopen(url, timeout=FETCH_TIMEOUT_S) as response:
        return json.loads(response.read(1_000_000))


class Jwks:
    """The pool's public keys by `kid`, fetched lazily and refreshed on an unknown `kid`."""

    def __init__(self, url: str, fetch: Callable[[str], dict[str, Any]] = fetch_json) -> None:
        self.url = url
        self._fetch = fetch
        self._keys: dict[str, Any] = {}
        self._fetched_at: float | None = None
        self._lock = threading.Lock()

    def key(self, kid: str) -> Any:
        key = self._keys.get(kid)
        if key is not None:
            return key
        with self._lock:
            if kid not in self._keys and self._may_refetch():
                self._refresh()
        key = self._keys.get(kid)
        if key is None:
            raise Unauthorized("the token was not signed by this app's user pool")
        return key

    def _may_refetch(self) -> bool:
        return self._fetched_at is None or time.monotonic() - self._fetched_at >= REFETCH_INTERVAL_S

    def _refresh(self) -> None:
        try:
            document = self._fetch(self.url)
            keys = {
                k["kid"]: RSAAlgorithm.from_jwk(k)
                for k in document.get("keys", [])
                if isinstance(k, dict) and k.get("kty") == "RSA" and isinstance(k.get("kid"), str)
            }
        except Exception as exc:
            log.error("fetching the JWKS from %s failed: %s", self.url, exc)
            raise KeysUnavailable("sign-in cannot be checked right now; try again") from exc
        self._keys = keys
        self._fetched_at = time.monotonic()
        log.info("loaded %d signing keys from %s", len(keys), self.url)


class TokenVerifier:
    def __init__(self, user_pool_id: str, client_ids: tuple[str, ...], jwks: Jwks) -> None:
        self.issuer = issuer_for(user_pool_id)
        self._client_ids = frozenset(client_ids)
        self._jwks = jwks

    def verify(self, token: str) -> Identity:
        """The identity a token proves; Unauthorized (with a message that says why) otherwise."""
        if not token or len(token) > MAX_TOKEN_CHARS:
            raise Unauthorized("the token is missing or too long")
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise Unauthorized("the token is malformed") from exc
        if header.get("alg") != ALGORITHM:
            raise Unauthorized(f"the token must be signed with {ALGORITHM}")
        kid = header.get("kid")
        if not isinstance(kid, str):
            raise Unauthorized("the token names no signing key")
        key = self._jwks.key(kid)
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=[ALGORITHM],
                issuer=self.issuer,
                leeway=LEEWAY_S,
                options={"require": ["exp", "iat", "iss", "sub", "token_use"], "verify_aud": False},
            )
        except jwt.ExpiredSignatureError as exc:
            raise Unauthorized("the token has expired; sign in again") from exc
        except jwt.ImmatureSignatureError as exc:
            raise Unauthorized("the token is not valid yet (check the clock)") from exc
        except jwt.InvalidIssuerError as exc:
            raise Unauthorized("the token was issued by another user pool") from exc
        except jwt.PyJWTError as exc:
            raise Unauthorized("the token is not valid") from exc
        return self._identity(claims)

    def _identity(self, claims: dict[str, Any]) -> Identity:
        use = claims.get("token_use")
        if use == "id":
            audience = claims.get("aud")
            audiences = audience if isinstance(audience, list) else [audience]
            if not self._client_ids.intersection(a for a in audiences if isinstance(a, str)):
                raise Unauthorized("the token was issued to another app")
        elif use == "access":
            if claims.get("client_id") not in self._client_ids:
                raise Unauthorized("the token was issued to another app")
        else:
            raise Unauthorized("the token is neither an id nor an access token")
        sub = claims.get("sub")
        if not isinstance(sub, str) or not sub:
            raise Unauthorized("the token names no user")
        email = claims.get("email") if isinstance(claims.get("email"), str) else ""
        name = next(
            (
                v
                for v in (claims.get("name"), email, claims.get("cognito:username"), claims.get("username"))
                if isinstance(v, str) and v
            ),
            sub,
        )
        groups = claims.get("cognito:groups")
        return Identity(
            sub=sub,
            email=email,
            name=name,
            roles=roles_from_groups(groups if isinstance(groups, list) else []),
            expires_at=int(claims["exp"]),
        )

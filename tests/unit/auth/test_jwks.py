"""The JWKS cache: fetched lazily, refreshed on an unknown key id, but never in a flood."""

from __future__ import annotations

import pytest

from invoice_app.auth import tokens
from invoice_app.auth.errors import KeysUnavailable, Unauthorized
from tests.helpers.cognito import moto_public_jwks


class CountingFetch:
    def __init__(self, *documents: dict) -> None:
        self.documents = list(documents)
        self.calls = 0

    def __call__(self, url: str) -> dict:
        self.calls += 1
        return self.documents[min(self.calls, len(self.documents)) - 1]


def test_nothing_is_fetched_until_a_key_is_needed() -> None:
    fetch = CountingFetch(moto_public_jwks())
    jwks = tokens.Jwks("https://example/jwks.json", fetch)

    assert fetch.calls == 0
    jwks.key("dummy")
    jwks.key("dummy")
    assert fetch.calls == 1


def test_an_unknown_kid_refetches_once_keys_may_have_rotated(monkeypatch: pytest.MonkeyPatch) -> None:
    rotated = {"keys": [{**moto_public_jwks()["keys"][0], "kid": "new"}]}
    fetch = CountingFetch(moto_public_jwks(), rotated)
    jwks = tokens.Jwks("https://example/jwks.json", fetch)
    jwks.key("dummy")

    # Within the refetch interval a made-up kid costs no fetch…
    with pytest.raises(Unauthorized):
        jwks.key("new")
    assert fetch.calls == 1

    # …after it, an unknown kid reloads the keys (Cognito rotated them).
    monkeypatch.setattr(tokens, "REFETCH_INTERVAL_S", 0.0)
    assert jwks.key("new") is not None
    assert fetch.calls == 2


def test_a_failed_fetch_is_keys_unavailable() -> None:
    def broken(url: str) -> dict:
        raise OSError("connection refused")

    with pytest.raises(KeysUnavailable):
        tokens.Jwks("https://example/jwks.json", broken).key("dummy")


def test_the_issuer_is_the_pools_own() -> None:
    assert tokens.issuer_for("eu-west-1_Ab12") == "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Ab12"

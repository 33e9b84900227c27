"""What the test process may read once instead of once per test: files that never change.

Every test starts moto anew, and moto starts boto3 with a fresh default session; the app builds
a session of its own too. Each new botocore session parses the service models (JSON, tens of
milliseconds per service) again, and each new moto user pool parses the same RSA key. The parsed
results are the same every time, so the test process shares them: one botocore data loader for
every session, one imported key per key file. What the tests exercise (sessions, clients, the
pool, its tokens) is still built per test.
"""

from __future__ import annotations

import functools
import json
from typing import Any

import botocore.loaders
import botocore.session

_installed = False


def install() -> None:
    """Share the parsed files across the process (idempotent)."""
    global _installed
    if _installed:
        return
    _installed = True
    _share_botocore_loader()
    _share_moto_signing_key()


def _share_botocore_loader() -> None:
    # botocore.session imported `create_loader` by name; a loader's caches are per instance.
    create = botocore.session.create_loader
    botocore.session.create_loader = functools.lru_cache(maxsize=8)(create)


def _share_moto_signing_key() -> None:
    from moto.cognitoidp import models

    rsa_key = models.jwk.RSAKey
    stock = rsa_key.import_key
    cache: dict[str, Any] = {}

    def import_key(value: Any, *args: Any, **kwargs: Any) -> Any:
        if args or kwargs or not isinstance(value, dict):
            return stock(value, *args, **kwargs)
        key = json.dumps(value, sort_keys=True)
        if key not in cache:
            cache[key] = stock(value)
        return cache[key]

    rsa_key.import_key = import_key

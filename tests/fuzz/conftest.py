"""Hypothesis profiles of the fuzz suite.

- `ci` (the default): a few examples per property, so the whole folder runs in `make test`
  within about a minute;
- `fuzz` (`make fuzz`, or `HYPOTHESIS_PROFILE=fuzz`): many more examples, no deadline; the
  Makefile bounds it in time.

The tests share one app per module (`stack`, module-scoped: moto, the tables and bucket, the user
pool, the @connections server), so no function-scoped fixture meets `@given` and no health check
needs suppressing but `too_slow` (every example is a whole Lambda invocation).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import boto3
import pytest
from hypothesis import HealthCheck, settings
from moto import mock_aws

from devstack.moto_atomic import make_dynamodb_writes_atomic
from devstack.template import provision
from invoice_app import create_app, get_services
from tests.helpers.cognito import JwksServer, UserPool
from tests.helpers.connections_server import ConnectionsServer
from tests.helpers.names import unique_names

settings.register_profile(
    "ci",
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "50")),
    deadline=None,  # the first upload loads the processing stack: seconds, not a regression
    derandomize=False,
    suppress_health_check=[HealthCheck.too_slow],  # each example is a whole Lambda invocation
    print_blob=True,
)
settings.register_profile(
    "fuzz",
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "2000")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@dataclass(repr=False)  # a falsifying example prints `stack=<fuzz stack>`, not every token
class Stack:
    """One app for a whole fuzz module: moto, tables and bucket, a user pool, @connections."""

    handler: Callable[[Any, Any], Any]
    app: Any
    services: Any
    user_pool: UserPool
    connections: ConnectionsServer
    names: dict[str, str]
    tokens: dict[str, str | None]  # role (or "none", "garbage", "empty") → what goes after Bearer

    def __repr__(self) -> str:
        return "<fuzz stack>"


@pytest.fixture(scope="module")
def stack(jwks_server: JwksServer) -> Iterator[Stack]:
    """Module-scoped, so the `@given` tests can use it (hypothesis rightly warns about function-scoped
    fixtures, which are not reset between examples); the app is built here once, eagerly, so the
    per-test environment fixtures cannot change it."""
    import app as lambda_module

    names = unique_names()
    with pytest.MonkeyPatch.context() as mp, ConnectionsServer() as connections:
        for var in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_SESSION_TOKEN"):
            mp.delenv(var, raising=False)
        for var, value in {
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_REGION": "us-east-1",
        }.items():
            mp.setenv(var, value)
        make_dynamodb_writes_atomic()
        with mock_aws():
            provision(boto3.client("dynamodb"), boto3.client("s3"), names)
            user_pool = UserPool.create()
            config = {
                **names,
                **user_pool.env(jwks_server.url),
                "WS_ENDPOINT": connections.ws_endpoint,
                "BROADCAST_MODE": "stream",
                "UPLOAD_RATE_PER_MINUTE": "100000",  # thousands of generated uploads, one user
                # every generated message comes from one connection: let them reach the routes
                "WS_MESSAGES_PER_SECOND": "100000",
                "WS_MESSAGE_BURST": "100000",
            }
            app = create_app(config)
            mp.setattr(lambda_module, "_app", app)
            tokens: dict[str, str | None] = {
                r: user_pool.id_token(r) for r in ("viewer", "reviewer", "admin")
            }
            tokens.update(none=None, garbage="not.a.token", empty="")
            yield Stack(
                lambda_module.lambda_handler, app, get_services(app), user_pool, connections, names, tokens
            )

"""Shared fixtures: moto-backed AWS, tables from the SAM template, the app and its test client.

Plain helpers (sample files, recorded events, waiting) live in tests/helpers/, never here.
"""

from __future__ import annotations

from collections.abc import Iterator

import boto3
import pytest
from moto import mock_aws

from devstack.moto_atomic import make_dynamodb_writes_atomic
from devstack.template import provision
from invoice_app import create_app, get_services
from invoice_app.services import Services
from tests.helpers.cognito import JwksServer, UserPool
from tests.helpers.connections_server import ConnectionsServer
from tests.helpers.names import unique_names
from tests.helpers.warm import install as share_parsed_files

share_parsed_files()


@pytest.fixture(autouse=True)
def aws_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fake credentials, a fixed region and no endpoint override: nothing can reach real AWS."""
    for var in (
        "AWS_PROFILE",
        "AWS_ENDPOINT_URL",
        "AWS_SESSION_TOKEN",
        "WS_ENDPOINT",
        "BROADCAST_MODE",
        "AUTH_MODE",
        "COGNITO_USER_POOL_ID",
        "COGNITO_CLIENT_ID",
        "COGNITO_JWKS_URL",
    ):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_REGION", "us-east-1")


@pytest.fixture
def aws() -> Iterator[None]:
    make_dynamodb_writes_atomic()  # moto's UpdateItem is not atomic; DynamoDB's is
    with mock_aws():
        yield


@pytest.fixture
def resource_names() -> dict[str, str]:
    """Unique names per test, so no test sees another's data."""
    return unique_names()


@pytest.fixture
def provisioned(aws: None, resource_names: dict[str, str]) -> dict[str, str]:
    """Tables and bucket created from the SAM template's own definitions."""
    provision(boto3.client("dynamodb"), boto3.client("s3"), resource_names)
    return resource_names


@pytest.fixture
def connections_server() -> Iterator[ConnectionsServer]:
    with ConnectionsServer() as server:
        yield server


@pytest.fixture(scope="session")
def jwks_server() -> Iterator[JwksServer]:
    """moto's public signing keys over real HTTP, where the app fetches them (COGNITO_JWKS_URL)."""
    with JwksServer() as server:
        yield server


@pytest.fixture
def user_pool(aws: None) -> UserPool:
    """A Cognito pool in moto with one user per role; `user_pool.id_token("viewer")` signs in."""
    return UserPool.create()


@pytest.fixture
def app_config(
    provisioned: dict[str, str],
    connections_server: ConnectionsServer,
    user_pool: UserPool,
    jwks_server: JwksServer,
) -> dict[str, str]:
    return {
        **provisioned,
        **user_pool.env(jwks_server.url),
        "WS_ENDPOINT": connections_server.ws_endpoint,
        "BROADCAST_MODE": "stream",
        # Tests upload hundreds of files as one user; tests/unit/hardening/ sets its own budget.
        "UPLOAD_RATE_PER_MINUTE": "100000",
    }


@pytest.fixture
def app(app_config: dict[str, str]):
    return create_app(app_config)


@pytest.fixture
def client_as(app, user_pool: UserPool):
    """`client_as("viewer")`: a test client that sends that user's id token on every request;
    `client_as("admin", other_app)` does the same for an app a test built itself."""

    def make(role: str | None, of_app=None):
        client = (of_app or app).test_client()
        if role is not None:
            client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {user_pool.id_token(role)}"
        return client

    return make


@pytest.fixture
def client(client_as):
    """Signed in as an admin: the tests of what the app does, not of who may do it."""
    return client_as("admin")


@pytest.fixture
def anonymous(client_as):
    """A test client that sends no token."""
    return client_as(None)


@pytest.fixture
def services(app) -> Services:
    return get_services(app)


@pytest.fixture
def handler(app_config: dict[str, str], monkeypatch: pytest.MonkeyPatch):
    """The real Lambda entrypoint, configured through the environment like on AWS."""
    import app as lambda_module

    for var, value in app_config.items():
        monkeypatch.setenv(var, value)
    monkeypatch.setattr(lambda_module, "_app", None)
    return lambda_module.lambda_handler

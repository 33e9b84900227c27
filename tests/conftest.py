"""Shared fixtures: moto-backed AWS, tables from the SAM template, the app and its test client.

Plain helpers (sample files, recorded events, waiting) live in tests/helpers/, never here.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import boto3
import pytest
from moto import mock_aws

from devstack.moto_atomic import make_dynamodb_writes_atomic
from devstack.template import provision
from invoice_app import create_app, get_services
from invoice_app.services import Services
from tests.helpers.connections_server import ConnectionsServer


@pytest.fixture(autouse=True)
def aws_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fake credentials, a fixed region and no endpoint override: nothing can reach real AWS."""
    for var in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_SESSION_TOKEN", "WS_ENDPOINT", "BROADCAST_MODE"):
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
    suffix = uuid.uuid4().hex[:8]
    return {
        "INVOICES_TABLE": f"Invoices-{suffix}",
        "METRICS_TABLE": f"InvoiceMetrics-{suffix}",
        "CONNECTIONS_TABLE": f"WSConnections-{suffix}",
        "UPLOADS_BUCKET": f"invoice-uploads-{suffix}",
    }


@pytest.fixture
def provisioned(aws: None, resource_names: dict[str, str]) -> dict[str, str]:
    """Tables and bucket created from the SAM template's own definitions."""
    provision(boto3.client("dynamodb"), boto3.client("s3"), resource_names)
    return resource_names


@pytest.fixture
def connections_server() -> Iterator[ConnectionsServer]:
    with ConnectionsServer() as server:
        yield server


@pytest.fixture
def app_config(provisioned: dict[str, str], connections_server: ConnectionsServer) -> dict[str, str]:
    return {**provisioned, "WS_ENDPOINT": connections_server.ws_endpoint, "BROADCAST_MODE": "stream"}


@pytest.fixture
def app(app_config: dict[str, str]):
    return create_app(app_config)


@pytest.fixture
def client(app):
    return app.test_client()


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

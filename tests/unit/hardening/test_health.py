"""/api/health says what is down, at once: one attempt per dependency, short timeouts.

GIVEN DynamoDB and S3 that do not answer (nothing listens where the app sends its calls) WHEN
/api/health is asked THEN it answers 503 `degraded` with every table and the bucket
`unreachable`, after one attempt each (not botocore's five with backoff).
"""

from __future__ import annotations

import socket

from invoice_app import create_app, get_services


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again on exit: connections are refused


def test_health_names_every_dependency_that_is_down(app_config, client_as) -> None:
    dead = create_app({**app_config, "AWS_ENDPOINT_URL": f"http://127.0.0.1:{closed_port()}"})

    answer = client_as(None, dead).get("/api/health")

    assert answer.status_code == 503
    assert answer.json["status"] == "degraded"
    assert set(answer.json["checks"].values()) == {"unreachable"}
    assert set(answer.json["checks"]) == {
        "invoicesTable",
        "historyTable",
        "metricsTable",
        "connectionsTable",
        "uploadsBucket",
    }


def test_the_health_clients_try_once_with_short_timeouts(app) -> None:
    aws = get_services(app).aws
    for service in ("dynamodb", "s3"):
        config = aws.quick(service).meta.config
        assert config.retries["total_max_attempts"] == 1  # the first attempt included
        assert config.connect_timeout <= 1 and config.read_timeout <= 2
    # the stores' own clients keep the standard retries
    assert aws.dynamodb.meta.config.retries["total_max_attempts"] > 1


def test_a_healthy_stack_is_ok(client_as) -> None:
    answer = client_as(None).get("/api/health")
    assert answer.status_code == 200 and set(answer.json["checks"].values()) == {"ok"}

"""The Lambda artifact, built like `sam build`, answers real events in a fresh interpreter.

GIVEN backend/requirements.txt installed for the template's runtime and architecture plus the
backend code (build_artifact.py, cached under .build/), and AWS served by a moto server,
WHEN a new `python -I -S` process with only that directory and the stdlib on sys.path imports
`app` and invokes `lambda_handler` with recorded HTTP, WebSocket and stream events,
THEN every answer is the real one, and no module came from anywhere but the artifact or the
stdlib. This is where a "No module named …" shows up before a deployment does.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

import build_artifact
from devstack.auth import provision_cognito
from devstack.template import provision
from tests.helpers.connections_server import ConnectionsServer
from tests.helpers.events import connect_event, load_event
from tests.helpers.moto_server import moto_server
from tests.helpers.names import unique_names

DRIVER = Path(__file__).with_name("lambda_driver.py")
REGION = "us-east-1"
PASSWORD = "Packaged-test-1"
# "Well under" Lambda's 250 MB: room for the OCR adapters and a layer or two.
UNZIPPED_BUDGET = 150 * 1024 * 1024


@pytest.fixture(scope="module")
def target() -> build_artifact.Target:
    return build_artifact.load_target()


@pytest.fixture(scope="module")
def artifact(tmp_path_factory: pytest.TempPathFactory, target: build_artifact.Target) -> Path:
    return build_artifact.build(tmp_path_factory.mktemp("lambda") / "artifact", target=target)


@pytest.fixture(scope="module")
def moto_endpoint() -> Iterator[str]:
    with moto_server() as endpoint:
        yield endpoint


def runtime_python(target: build_artifact.Target) -> str:
    """The interpreter of the function's runtime (python3.12): compiled wheels (cryptography's cffi
    backend) load only there. The machine image has it under pyenv; without it, this interpreter."""
    version = target.python_version
    found = sorted(Path.home().glob(f".pyenv/versions/{version}*/bin/python{version}"))
    candidates = [str(p) for p in found] + [shutil.which(f"python{version}") or ""]
    for python in candidates:
        if (
            python
            and subprocess.run([python, "-c", "pass"], capture_output=True, check=False).returncode == 0
        ):
            return python
    return sys.executable


def invoke(
    artifact: Path, env: dict[str, str], invocations: list[dict[str, Any]], python: str = sys.executable
) -> dict[str, Any]:
    proc = subprocess.run(
        [python, "-I", "-S", str(DRIVER), str(artifact)],
        input=json.dumps(invocations),
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    *emitted, last = proc.stdout.strip().splitlines()
    report = json.loads(last)  # the driver's report; before it, what the function wrote to stdout
    report["stdout"] = [line for line in emitted if line.strip()]
    return report


def body(response: dict[str, Any]) -> Any:
    assert not response.get("isBase64Encoded"), response
    return json.loads(response["body"])


def test_build_target_comes_from_the_template(target: build_artifact.Target) -> None:
    from devstack.template import load_template

    fn = load_template()["Resources"][build_artifact.FUNCTION_ID]["Properties"]
    assert f"python{target.python_version}" == fn["Runtime"]
    machine = {"x86_64": "x86_64", "arm64": "aarch64"}[fn["Architectures"][0]]
    assert all(p.endswith(machine) for p in target.platforms)


def test_artifact_is_built_for_the_lambda_runtime(artifact: Path, target: build_artifact.Target) -> None:
    assert (artifact / "app.py").is_file()
    assert (artifact / "invoice_app" / "__init__.py").is_file()
    assert not list(artifact.rglob("__pycache__"))
    # Compiled modules for another CPython would mean pip resolved for this machine, not Lambda.
    assert build_artifact.foreign_extensions(artifact, target) == []
    size = build_artifact.tree_size(artifact)
    assert size < UNZIPPED_BUDGET, f"artifact is {size / 2**20:.1f} MiB unzipped"


def test_foreign_extension_check_can_fail(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "_speedups.cpython-311-x86_64-linux-gnu.so").write_bytes(b"")
    (tmp_path / "pkg" / "_ok.cpython-312-x86_64-linux-gnu.so").write_bytes(b"")
    (tmp_path / "pkg" / "_stable.abi3.so").write_bytes(b"")
    found = build_artifact.foreign_extensions(tmp_path, build_artifact.Target("3.12", ("x",)))
    assert found == ["pkg/_speedups.cpython-311-x86_64-linux-gnu.so"]


def test_dependency_install_is_cached(target: build_artifact.Target, artifact: Path) -> None:
    """A second build reuses the install keyed by the requirements (no pip run, same directory)."""
    requirements = build_artifact.BACKEND_DIR / "requirements.txt"
    first = build_artifact.install_dependencies(requirements, target)
    again = build_artifact.install_dependencies(requirements, target, python="/nonexistent/python")
    assert again == first
    assert first.name == f"deps-{target.key(requirements.read_bytes())}"
    assert target.key(b"flask==1\n") != target.key(requirements.read_bytes())


def test_artifact_answers_recorded_events_in_a_fresh_interpreter(
    artifact: Path, target: build_artifact.Target, moto_endpoint: str, tmp_path: Path
) -> None:
    # GIVEN tables and bucket created from the template on a moto server, and a stand-in for
    # API Gateway's @connections API that knows the recorded WebSocket connection
    names = unique_names()
    aws = {"endpoint_url": moto_endpoint, "region_name": REGION}
    dynamodb = boto3.client("dynamodb", **aws)
    provision(dynamodb, boto3.client("s3", **aws), names)
    # …and the template's user pool, whose reviewer signs the HTTP events in
    cognito = provision_cognito(boto3.client("cognito-idp", **aws), moto_endpoint, password=PASSWORD)
    reviewer = cognito.users["reviewer"]
    token = boto3.client("cognito-idp", **aws).initiate_auth(
        ClientId=cognito.client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": reviewer.email, "PASSWORD": PASSWORD},
    )["AuthenticationResult"]["IdToken"]
    connection_id = load_event("ws_connect")["requestContext"]["connectionId"]

    with ConnectionsServer(stage="prod") as gateway:
        gateway.live.add(connection_id)
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(tmp_path),  # no ~/.aws of the developer
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_REGION": REGION,
            "AWS_DEFAULT_REGION": REGION,
            "AWS_ENDPOINT_URL": moto_endpoint,
            "WS_ENDPOINT": gateway.ws_endpoint,
            "BROADCAST_MODE": "stream",
            "OCR_ENGINE": "auto",  # the text layer of the recorded PDF; Textract is not mocked
            "LOG_LEVEL": "INFO",
            "AUTH_MODE": "cognito",
            "COGNITO_USER_POOL_ID": cognito.pool_id,
            "COGNITO_CLIENT_ID": cognito.client_id,
            "COGNITO_JWKS_URL": cognito.jwks_url,  # the artifact fetches the keys over HTTP
            **names,
        }
        sequence = [
            "http_v2_get_health",
            "http_v2_post_receive_pdf",
            "http_v2_post_receive_wrong_type",
            "http_v2_list_invoices",
            "http_v2_get_unknown_invoice",
            "http_v2_post_create_upload",
            "http_v2_post_process_unknown_upload",
            "http_v2_get_metrics",
            "rest_v1_get_metrics",
            "ws_connect",
            "ws_default_get_metrics",
            "ws_default_ping",
            "dynamodb_stream_metric_inserts",
            "ws_disconnect",
        ]
        # WHEN one fresh interpreter handles them in order, like a warm execution environment
        http = {n: token for n in sequence if n.startswith(("http_", "rest_"))}
        events = [
            {"name": n, "event": connect_event() if n == "ws_connect" else load_event(n, token=http.get(n))}
            for n in sequence
        ]
        report = invoke(artifact, env, events, runtime_python(target))
        messages = gateway.messages(connection_id)

    # THEN it imported the artifact's code and nothing from this virtualenv
    assert report["appFile"] == str((artifact / "app.py").resolve())
    assert report["modules"]["elsewhere"] == []
    # what the function printed is CloudWatch Embedded Metric Format, nothing else (logs go to stderr)
    assert report["stdout"]
    assert all("CloudWatchMetrics" in json.loads(line)["_aws"] for line in report["stdout"])
    from_artifact = set(report["modules"]["artifact"])
    assert {
        "flask",
        "serverless_wsgi",
        "boto3",
        "botocore",
        "pypdfium2",
        "jwt",
        "cryptography",
    } <= from_artifact
    assert not any("site-packages" in p for p in report["sysPath"])

    answers = {r["name"]: r["response"] for r in report["results"]}
    health = answers["http_v2_get_health"]
    assert health["statusCode"] == 200, health
    assert body(health)["status"] == "ok"

    upload = answers["http_v2_post_receive_pdf"]
    assert upload["statusCode"] == 200, upload
    invoice = body(upload)
    assert invoice["invoiceId"].startswith("inv_")
    assert invoice["detectedText"].strip()
    assert invoice["fields"]  # the text layer yields at least some fields

    wrong = answers["http_v2_post_receive_wrong_type"]
    assert wrong["statusCode"] == 415
    assert "error" in body(wrong)

    listing = body(answers["http_v2_list_invoices"])
    assert answers["http_v2_list_invoices"]["statusCode"] == 200
    assert invoice["invoiceId"] in json.dumps(listing)

    assert answers["http_v2_get_unknown_invoice"]["statusCode"] == 404
    ticket = answers["http_v2_post_create_upload"]
    assert ticket["statusCode"] == 200, ticket
    assert body(ticket)["fields"]["x-amz-algorithm"] == "AWS4-HMAC-SHA256"  # signed in the artifact
    assert answers["http_v2_post_process_unknown_upload"]["statusCode"] == 404
    for name in ("http_v2_get_metrics", "rest_v1_get_metrics"):
        assert answers[name]["statusCode"] == 200, answers[name]
        assert body(answers[name])["total"] >= 1  # the upload above, inside the 60 s window

    assert answers["ws_connect"]["statusCode"] == 200
    assert answers["ws_default_get_metrics"]["statusCode"] == 200
    assert answers["dynamodb_stream_metric_inserts"] == {"batchItemFailures": []}
    assert answers["ws_disconnect"]["statusCode"] == 200

    # …and what reached the client through @connections: getMetrics, pong, the stream broadcast
    kinds = [m["type"] for m in messages]
    assert kinds == ["metrics-update", "pong", "metrics-update"], messages
    assert messages[0]["data"]["total"] >= 1
    table = dynamodb.scan(TableName=names["CONNECTIONS_TABLE"])
    assert table["Items"] == []  # $disconnect removed the record that $connect wrote

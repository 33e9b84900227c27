"""The lean @connections sender against the loopback stand-in: signing, retries, 410, failures."""

from __future__ import annotations

import re
import sys
from urllib.parse import quote

import pytest

from invoice_app.core.aws import AwsClients
from invoice_app.realtime import sender as sender_module
from invoice_app.realtime.sender import region_of
from invoice_app.realtime.transport import ConnectionGone, ManagementApi, RetryPolicy, SendFailed

FAST = RetryPolicy(attempts=4, base_ms=1, cap_ms=5)


@pytest.fixture
def api() -> ManagementApi:
    return ManagementApi(AwsClients("us-east-1"), pool_size=4, retry=FAST)


def test_post_is_signed_with_sigv4_for_execute_api(api, connections_server) -> None:
    connections_server.live.add("a=")

    assert api.post(connections_server.endpoint, "a=", b'{"type":"pong"}') == 0

    [headers] = connections_server.headers
    auth = headers["Authorization"]
    assert re.fullmatch(
        r"AWS4-HMAC-SHA256 Credential=testing/\d{8}/us-east-1/execute-api/aws4_request, "
        r"SignedHeaders=host;x-amz-date, Signature=[0-9a-f]{64}",
        auth,
    ), auth
    assert re.fullmatch(r"\d{8}T\d{6}Z", headers["X-Amz-Date"])
    assert connections_server.messages("a=") == [{"type": "pong"}]


def test_session_token_is_sent_and_signed(api, connections_server, monkeypatch) -> None:
    monkeypatch.setenv("AWS_SESSION_TOKEN", "tok")  # as on Lambda: the role's temporary credentials
    connections_server.live.add("a=")

    api.post(connections_server.endpoint, "a=", b"{}")

    [headers] = connections_server.headers
    assert headers["X-Amz-Security-Token"] == "tok"
    assert "SignedHeaders=host;x-amz-date;x-amz-security-token," in headers["Authorization"]


def test_signature_is_botocores_own(api, connections_server) -> None:
    """The same request signed by a plain SigV4Auth (no cached key, no cached hash) matches."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import ReadOnlyCredentials

    connections_server.live.add("a=")
    body = b'{"type":"pong"}'
    api.post(connections_server.endpoint, "a=", body)
    [headers] = connections_server.headers

    request = AWSRequest("POST", f"{connections_server.endpoint}/@connections/a%3D", data=body)
    request.headers["X-Amz-Date"] = headers["X-Amz-Date"]
    signer = SigV4Auth(ReadOnlyCredentials("testing", "testing", None), "execute-api", "us-east-1")
    request.context["timestamp"] = headers["X-Amz-Date"]
    canonical = signer.canonical_request(request)
    expected = signer.signature(signer.string_to_sign(request, canonical), request)
    assert headers["Authorization"].endswith(f"Signature={expected}")


def test_connection_ids_are_quoted_in_the_path_as_boto3_does(api, connections_server) -> None:
    cid = "a+b/c=="
    connections_server.live.add(cid)

    api.post(connections_server.endpoint, cid, b"{}")

    assert connections_server.paths == [f"/test/@connections/{quote(cid, safe='')}"]
    assert connections_server.paths == ["/test/@connections/a%2Bb%2Fc%3D%3D"]
    assert connections_server.messages(cid) == [{}]


def test_throttling_is_retried_then_succeeds(api, connections_server) -> None:
    connections_server.live.add("a=")
    connections_server.throttle_remaining = 2

    assert api.post(connections_server.endpoint, "a=", b"{}") == 2

    assert connections_server.requests == 3
    assert connections_server.messages("a=") == [{}]
    # Each attempt is signed afresh (its own X-Amz-Date and signature).
    assert all("Authorization" in h for h in connections_server.headers)


def test_retries_exhausted_is_send_failed(api, connections_server) -> None:
    connections_server.live.add("a=")
    connections_server.throttle_remaining = 10

    with pytest.raises(SendFailed, match="LimitExceededException after 4 attempts") as caught:
        api.post(connections_server.endpoint, "a=", b"{}")

    assert connections_server.requests == FAST.attempts
    assert caught.value.retries == FAST.attempts - 1
    assert connections_server.messages("a=") == []


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_server_errors_are_retried(api, connections_server, status: int) -> None:
    connections_server.live.add("a=")
    connections_server.fail_status = status
    connections_server.fail_remaining = 1

    assert api.post(connections_server.endpoint, "a=", b"{}") == 1

    assert connections_server.requests == 2
    assert connections_server.messages("a=") == [{}]


def test_gone_is_connection_gone_without_retries(api, connections_server) -> None:
    with pytest.raises(ConnectionGone) as caught:
        api.post(connections_server.endpoint, "nobody=", b"{}")

    assert caught.value.connection_id == "nobody="
    assert connections_server.requests == 1


def test_client_errors_are_not_retried(api, connections_server) -> None:
    with pytest.raises(SendFailed, match="NotFoundException"):
        api.post(connections_server.endpoint.rsplit("/", 1)[0] + "/other-stage", "a=", b"{}")
    assert connections_server.requests == 1


def test_unreachable_endpoint_is_send_failed_after_retries(api) -> None:
    with pytest.raises(SendFailed, match="after 4 attempts"):
        api.post("http://127.0.0.1:9/none", "a=", b"{}")


def test_close_deletes_and_a_gone_connection_counts_as_closed(api, connections_server) -> None:
    connections_server.live.add("a=")

    api.close(connections_server.endpoint, "a=")
    api.close(connections_server.endpoint, "a=")  # now unknown: 410, no error

    assert "a=" not in connections_server.live


def test_keep_alive_reuses_one_connection(api, connections_server) -> None:
    connections_server.live.add("a=")
    for _ in range(5):
        api.post(connections_server.endpoint, "a=", b"{}")

    [origin] = api._connection_pools()._origins.values()
    assert origin.opened == 1 and connections_server.requests == 5


def test_a_connection_the_server_closed_is_replaced(api, connections_server) -> None:
    connections_server.live.add("a=")
    api.post(connections_server.endpoint, "a=", b"{}")
    [origin] = api._connection_pools()._origins.values()
    [idle] = origin._idle
    idle.sock.shutdown(2)  # as if the server had closed it while idle

    assert api.post(connections_server.endpoint, "a=", b"{}") == 0

    assert origin.opened == 2 and connections_server.messages("a=") == [{}, {}]


def test_no_credentials_is_send_failed(connections_server, monkeypatch) -> None:
    class NoCredentials(AwsClients):
        def credentials(self):
            return None

    api = ManagementApi(NoCredentials("us-east-1"), retry=FAST)
    with pytest.raises(SendFailed, match="no AWS credentials"):
        api.post(connections_server.endpoint, "a=", b"{}")


def test_backoff_is_exponential_with_full_jitter_and_capped() -> None:
    import random

    policy = RetryPolicy(attempts=8, base_ms=10, cap_ms=100)
    rng = random.Random(7)
    for retry, ceiling_ms in [(1, 10), (2, 20), (3, 40), (4, 80), (5, 100), (7, 100)]:
        draws = [policy.delay_s(retry, rng) * 1000 for _ in range(200)]
        assert min(draws) >= 0 and max(draws) <= ceiling_ms
        assert max(draws) > 0.8 * ceiling_ms and min(draws) < 0.2 * ceiling_ms  # the whole range


def test_signing_key_is_derived_once_per_day_and_secret(api, connections_server, monkeypatch) -> None:
    connections_server.live.add("a=")
    sender_module._key_cache.clear()
    derived = []
    original = sender_module._CachedKeySigV4._sign

    def counting(self, key, msg, hex=False):
        if msg == "aws4_request":
            derived.append(msg)
        return original(self, key, msg, hex)

    monkeypatch.setattr(sender_module._CachedKeySigV4, "_sign", counting)
    batch = api.batch(connections_server.endpoint)
    for _ in range(5):
        batch.post("a=", b"{}")

    assert len(derived) == 1


def test_region_comes_from_the_execute_api_host() -> None:
    assert region_of("https://abc123.execute-api.eu-central-1.amazonaws.com/prod", "us-east-1") == (
        "eu-central-1"
    )
    assert region_of("https://ws.example.com/prod", "us-east-1") == "us-east-1"
    assert region_of("http://127.0.0.1:3001/ws", "eu-west-1") == "eu-west-1"


def test_the_sender_is_not_imported_until_the_first_post() -> None:
    import os
    import subprocess
    from pathlib import Path

    backend = Path(__file__).resolve().parents[2] / "backend"
    code = "import sys, app; app.get_app(); print('invoice_app.realtime.sender' in sys.modules)"
    env = {**os.environ, "AUTH_MODE": "none"}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=backend, env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"

"""Per-user upload rate: N uploads a minute per user over the three upload routes, on any instance.

GIVEN UPLOAD_RATE_PER_MINUTE=N WHEN a user sends upload N+1 within the minute (through any route,
any app instance) THEN it is 429 `{"error"}` with `Retry-After`, and nothing is read or stored;
another user is unaffected; a counter store that fails answers 503 (closed, not open).
"""

from __future__ import annotations

import threading
import time

import boto3
import pytest

from invoice_app import create_app, get_services
from invoice_app.ratelimit.store import FixedWindowLimiter
from tests.helpers.samples import fixture_bytes
from tests.helpers.uploads import post_file

PDF = fixture_bytes("sample-invoice.pdf")


def invoice_count(provisioned: dict[str, str]) -> int:
    return len(boto3.client("dynamodb").scan(TableName=provisioned["INVOICES_TABLE"])["Items"])


# The limiters' clock stands mid-minute: a test's few uploads must not straddle a window boundary
# (the wall clock's would, now and then, and the third upload would land in a fresh window).
MID_MINUTE = (time.time() // 60) * 60 + 30


def limited(config: dict[str, str], per_minute: str):
    """The app with an upload budget of `per_minute`, its limiter on the standing clock."""
    app = create_app({**config, "UPLOAD_RATE_PER_MINUTE": per_minute})
    get_services(app).rate_limiter("upload").clock = lambda: MID_MINUTE
    return app


@pytest.fixture
def limited_app(app_config: dict[str, str]):
    return limited(app_config, "2")


def test_the_upload_over_the_budget_is_429_with_retry_after_and_stores_nothing(
    limited_app, client_as, provisioned
) -> None:
    reviewer = client_as("reviewer", limited_app)
    assert post_file(reviewer, PDF, "a.pdf").status_code == 200
    assert post_file(reviewer, PDF, "b.pdf", route="/api/invoices").status_code == 200

    refused = post_file(reviewer, PDF, "c.pdf")

    assert refused.status_code == 429
    assert "at most 2 per 60 s" in refused.json["error"]
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert invoice_count(provisioned) == 2


def test_all_three_upload_routes_share_one_budget(limited_app, client_as) -> None:
    reviewer = client_as("reviewer", limited_app)
    created = reviewer.post("/api/uploads", json={"fileName": "big.pdf", "size": 6_000_000})
    assert created.status_code == 200, created.json
    # the second step of the same upload is an upload call too: it counts (and here it is allowed)
    second = reviewer.post(f"/api/uploads/{created.json['uploadId']}/process")
    assert second.status_code == 404  # nothing was sent to S3; counted all the same

    third = reviewer.post("/api/uploads", json={"fileName": "big.pdf", "size": 6_000_000})
    direct = post_file(reviewer, PDF, "a.pdf")

    assert third.status_code == 429 and direct.status_code == 429
    assert "Retry-After" in third.headers


def test_each_user_has_a_budget_of_their_own(limited_app, client_as) -> None:
    reviewer, admin = client_as("reviewer", limited_app), client_as("admin", limited_app)
    for _ in range(2):
        assert post_file(reviewer, PDF).status_code == 200
    assert post_file(reviewer, PDF).status_code == 429
    assert post_file(admin, PDF).status_code == 200


def test_the_budget_holds_across_instances(app_config, client_as) -> None:
    """Two app instances (two Lambda environments) count in the same table."""
    one = limited(app_config, "3")
    two = limited(app_config, "3")
    clients = [client_as("reviewer", one), client_as("reviewer", two)]
    answers = [post_file(clients[i % 2], PDF).status_code for i in range(5)]
    assert answers == [200, 200, 200, 429, 429]


def test_idempotent_replays_count_too_because_the_counter_runs_first(limited_app, client_as) -> None:
    reviewer = client_as("reviewer", limited_app)
    key = {"Idempotency-Key": "k1"}
    assert post_file(reviewer, PDF, headers=key).status_code == 200
    assert post_file(reviewer, PDF, headers=key).status_code == 200  # the replay
    assert post_file(reviewer, PDF, headers=key).status_code == 429


def test_other_routes_are_not_limited(limited_app, client_as) -> None:
    reviewer = client_as("reviewer", limited_app)
    for _ in range(3):
        post_file(reviewer, PDF)
    assert reviewer.get("/api/invoices").status_code == 200


def test_a_failing_counter_store_fails_closed_with_503(app_config, client_as, provisioned) -> None:
    broken = create_app({**app_config, "IDEMPOTENCY_TABLE": "no-such-table"})
    answer = post_file(client_as("reviewer", broken), PDF)
    assert answer.status_code == 503
    assert "rate limiter" in answer.json["error"]
    assert invoice_count(provisioned) == 0


def test_concurrent_hits_never_pass_the_limit(provisioned) -> None:
    limiter = FixedWindowLimiter(
        boto3.client("dynamodb"), provisioned["IDEMPOTENCY_TABLE"], scope="upload", limit=5
    )
    results: list[bool] = []
    lock = threading.Lock()

    def hit() -> None:
        decision = limiter.hit("user-1")
        with lock:
            results.append(decision.allowed)

    threads = [threading.Thread(target=hit) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count(True) == 5 and len(results) == 20


def test_a_new_window_starts_a_new_count_and_retry_after_points_at_it(provisioned) -> None:
    now = [1_000_000.0 * 60 + 45.2]  # 45.2 s into a minute
    limiter = FixedWindowLimiter(
        boto3.client("dynamodb"),
        provisioned["IDEMPOTENCY_TABLE"],
        scope="upload",
        limit=1,
        clock=lambda: now[0],
    )
    assert limiter.hit("u").allowed
    refused = limiter.hit("u")
    assert not refused.allowed and refused.retry_after == 15
    now[0] += 15
    assert limiter.hit("u").allowed
    item = boto3.client("dynamodb").get_item(
        TableName=provisioned["IDEMPOTENCY_TABLE"], Key={"pk": {"S": limiter.key("u", 60_000_060)}}
    )["Item"]
    assert item["n"] == {"N": "1"} and int(item["expires"]["N"]) == 60_000_060 + 60 + 60


def test_callers_cannot_spell_each_others_keys() -> None:
    limiter = FixedWindowLimiter(None, "t", scope="upload", limit=1)
    assert limiter.key("a#1", 60) != limiter.key("a", 160)
    assert limiter.key("a#1", 60).startswith("rate#")  # idempotency keys start with a digit

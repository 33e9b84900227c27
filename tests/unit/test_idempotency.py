"""Idempotency-Key: a retried upload or correction gets the first answer, never a second invoice.

GIVEN a caller that sends `Idempotency-Key` WHEN the same request comes again (a retry after a
timeout) THEN it gets the first answer with `Idempotent-Replayed: true` and nothing new is stored;
a different request under the same key is 422, one still running 409, a 5xx frees the key.
"""

from __future__ import annotations

import threading
import time

import boto3
import pytest

from devstack.template import create_table, load_template, table_specs
from invoice_app.idempotency.http import REPLAYED_HEADER, record_key
from tests.helpers.samples import fixture_bytes
from tests.helpers.uploads import post_file

PDF = fixture_bytes("sample-invoice.pdf")
OTHER = fixture_bytes("Facture_UE_BASICWL.pdf")


def items(table: str) -> list[dict]:
    return boto3.client("dynamodb").scan(TableName=table)["Items"]


def objects(bucket: str, prefix: str = "") -> list[str]:
    listing = boto3.client("s3").list_objects_v2(Bucket=bucket, Prefix=prefix)
    return [o["Key"] for o in listing.get("Contents", [])]


def upload(
    client, key: str | None, data: bytes = PDF, name: str = "sample-invoice.pdf", route: str = "/receive"
):
    return post_file(client, data, name, route, headers={"Idempotency-Key": key} if key is not None else {})


def stored(provisioned: dict[str, str]) -> tuple[int, int]:
    """(invoice items, original files in the bucket)."""
    return (
        len(items(provisioned["INVOICES_TABLE"])),
        len(objects(provisioned["UPLOADS_BUCKET"], "invoices/")),
    )


# -- uploads ----------------------------------------------------------------------------------


@pytest.mark.parametrize("route", ["/receive", "/api/invoices"])
def test_a_retry_with_the_same_key_gets_the_first_answer_and_stores_nothing_new(
    client, provisioned, route: str
) -> None:
    first = upload(client, "retry-1", route=route)
    again = upload(client, "retry-1", route=route)  # a new multipart boundary, the same file

    assert first.status_code == 200, first.json
    assert REPLAYED_HEADER not in first.headers
    assert again.status_code == 200
    assert again.headers[REPLAYED_HEADER] == "true"
    assert again.json == first.json
    assert again.content_type == first.content_type
    assert stored(provisioned) == (1, 1)
    assert client.get("/api/metrics").json["total"] == 1


def test_the_same_key_with_a_different_file_is_422_and_stores_nothing(client, provisioned) -> None:
    assert upload(client, "k").status_code == 200

    other = upload(client, "k", OTHER, "Facture_UE_BASICWL.pdf")
    renamed = upload(client, "k", PDF, "renamed.pdf")
    elsewhere = upload(client, "k", route="/api/invoices")

    for response in (other, renamed, elsewhere):
        assert response.status_code == 422
        assert "used for a different request" in response.json["error"]
    assert stored(provisioned) == (1, 1)


def test_without_a_key_every_upload_is_new_and_no_key_is_kept(client, provisioned) -> None:
    assert upload(client, None).status_code == 200
    second = upload(client, None)

    assert second.status_code == 200 and REPLAYED_HEADER not in second.headers
    assert stored(provisioned) == (2, 2)
    # (the table also holds the upload rate limiter's `rate#` counters: not idempotency keys)
    assert [i for i in items(provisioned["IDEMPOTENCY_TABLE"]) if not i["pk"]["S"].startswith("rate#")] == []


def test_keys_are_per_user(client_as, provisioned) -> None:
    mine = upload(client_as("reviewer"), "shared-key")
    theirs = upload(client_as("admin"), "shared-key", OTHER, "Facture_UE_BASICWL.pdf")

    assert mine.status_code == 200 and theirs.status_code == 200
    assert REPLAYED_HEADER not in theirs.headers
    assert mine.json["invoiceId"] != theirs.json["invoiceId"]
    assert stored(provisioned) == (2, 2)


@pytest.mark.parametrize("key", ["", "x" * 256, "clé", "tab\there", "new\x7fline"])
def test_a_bad_key_is_400_and_nothing_is_done(client, provisioned, key: str) -> None:
    response = upload(client, key)

    assert response.status_code == 400
    assert "Idempotency-Key" in response.json["error"]
    assert stored(provisioned) == (0, 0)


@pytest.mark.parametrize("key", ["a", "x" * 255, "2f1c9e0a-6d1b-4c1e-9d7e-1f0a2b3c4d5e", "with space ~!"])
def test_keys_of_1_to_255_printable_characters_are_accepted(client, key: str) -> None:
    assert upload(client, key).status_code == 200


def test_concurrent_duplicates_are_processed_once(client_as, provisioned, monkeypatch) -> None:
    import invoice_app.uploads.routes as routes

    slow = routes.ingest

    def slow_ingest(*args, **kwargs):
        time.sleep(0.5)  # the first is still running when the others arrive
        return slow(*args, **kwargs)

    monkeypatch.setattr(routes, "ingest", slow_ingest)
    clients = [client_as("reviewer") for _ in range(4)]
    start = threading.Barrier(len(clients))
    answers: list = [None] * len(clients)

    def send(i: int) -> None:
        start.wait()
        answers[i] = upload(clients[i], "double-click")

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(clients))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)

    processed = [a for a in answers if a.status_code == 200 and REPLAYED_HEADER not in a.headers]
    assert len(processed) == 1
    for other in answers:
        if other is processed[0]:
            continue
        if other.status_code == 409:
            assert "still being processed" in other.json["error"]
            assert int(other.headers["Retry-After"]) > 0
        else:
            assert (other.status_code, other.headers.get(REPLAYED_HEADER)) == (200, "true")
            assert other.json == processed[0].json
    assert stored(provisioned) == (1, 1)
    # once the first is done, a retry gets its answer
    retry = upload(clients[0], "double-click")
    assert retry.headers[REPLAYED_HEADER] == "true" and retry.json == processed[0].json


def test_a_5xx_frees_the_key_so_the_retry_can_succeed(client, provisioned) -> None:
    table = provisioned["INVOICES_TABLE"]
    dynamodb = boto3.client("dynamodb")
    dynamodb.delete_table(TableName=table)

    failed = upload(client, "after-outage")

    assert failed.status_code == 503
    # (the table also holds the upload rate limiter's `rate#` counters: not idempotency keys)
    assert [i for i in items(provisioned["IDEMPOTENCY_TABLE"]) if not i["pk"]["S"].startswith("rate#")] == []
    # WHEN the table is back THEN the same key runs for real (not a replay of the 503)
    create_table(dynamodb, table_specs(load_template())["InvoicesTable"], table)
    retried = upload(client, "after-outage")
    assert retried.status_code == 200, retried.json
    assert REPLAYED_HEADER not in retried.headers
    assert stored(provisioned) == (1, 1)


def test_a_deterministic_client_error_is_replayed_too(client, provisioned) -> None:
    first = upload(client, "bad-file", b"not a document at all", "notes.txt")
    again = upload(client, "bad-file", b"not a document at all", "notes.txt")

    assert first.status_code == 415
    assert (again.status_code, again.headers[REPLAYED_HEADER]) == (415, "true")
    assert again.json == first.json


def test_an_expired_key_is_claimed_afresh(client, provisioned, services) -> None:
    me = client.get("/api/me").json["sub"]
    boto3.client("dynamodb").put_item(
        TableName=provisioned["IDEMPOTENCY_TABLE"],
        Item={
            "pk": {"S": record_key(me, "old")},
            "status": {"S": "done"},
            "requestHash": {"S": "something else"},
            "owner": {"S": "gone"},
            "expires": {"N": str(int(time.time()) - 1)},  # past its TTL, not yet deleted by DynamoDB
        },
    )

    response = upload(client, "old")

    assert response.status_code == 200 and REPLAYED_HEADER not in response.headers


def test_an_abandoned_in_progress_key_is_claimed_after_its_lock(client, provisioned) -> None:
    """A function that died mid-request (timeout) does not block the key for a day."""
    me = client.get("/api/me").json["sub"]
    now = int(time.time())
    boto3.client("dynamodb").put_item(
        TableName=provisioned["IDEMPOTENCY_TABLE"],
        Item={
            "pk": {"S": record_key(me, "stuck")},
            "status": {"S": "in-progress"},
            "requestHash": {"S": "whatever"},
            "owner": {"S": "dead"},
            "expires": {"N": str(now + 86_000)},
            "lockedUntil": {"N": str(now - 1)},
        },
    )

    assert upload(client, "stuck").status_code == 200


def test_an_answer_too_large_to_keep_is_409_on_retry(client, provisioned, services) -> None:
    services.idempotency.max_response_bytes = 100

    first = upload(client, "big")
    again = upload(client, "big")

    assert first.status_code == 200
    assert again.status_code == 409
    assert "too large to keep" in again.json["error"]
    assert stored(provisioned) == (1, 1)


# -- the S3 path ------------------------------------------------------------------------------


def test_process_with_a_key_replays_and_the_upload_id_stays_single_use(client, provisioned) -> None:
    import requests

    ticket = client.post("/api/uploads", json={"fileName": "scan.pdf", "size": len(PDF)}).json
    posted = requests.post(
        ticket["url"], data=ticket["fields"], files={"file": ("scan.pdf", PDF, "application/pdf")}, timeout=60
    )
    assert posted.status_code == 204
    route = f"/api/uploads/{ticket['uploadId']}/process"

    first = client.post(route, headers={"Idempotency-Key": "s3-1"})
    again = client.post(route, headers={"Idempotency-Key": "s3-1"})
    without = client.post(route)

    assert first.status_code == 200, first.json
    assert (again.status_code, again.headers[REPLAYED_HEADER]) == (200, "true")
    assert again.json == first.json
    assert without.status_code == 404 and "already processed" in without.json["error"]
    assert stored(provisioned) == (1, 1)


# -- corrections ------------------------------------------------------------------------------


def test_a_retried_correction_gets_the_first_200_although_the_version_moved_on(
    client_as, provisioned
) -> None:
    reviewer = client_as("reviewer")
    invoice = upload(reviewer, None).json
    route = f"/api/invoices/{invoice['invoiceId']}"
    headers = {"If-Match": "1", "Idempotency-Key": "fix-total"}

    first = reviewer.patch(route, json={"fields": {"total": 99.5}}, headers=headers)
    again = reviewer.patch(route, json={"fields": {"total": 99.5}}, headers=headers)
    without = reviewer.patch(route, json={"fields": {"total": 99.5}}, headers={"If-Match": "1"})
    other = reviewer.patch(route, json={"fields": {"total": 12.0}}, headers=headers)

    assert first.status_code == 200 and first.json["version"] == 2
    assert (again.status_code, again.headers[REPLAYED_HEADER]) == (200, "true")
    assert again.json == first.json
    assert without.status_code == 409  # no key: the stale version is refused as before
    assert other.status_code == 422
    assert reviewer.get(route).json["version"] == 2
    assert len(items(provisioned["HISTORY_TABLE"])) == 1


def test_a_conflict_is_not_kept(client_as) -> None:
    """409 depends on the invoice's state, not on the request: the retry is evaluated again."""
    reviewer = client_as("reviewer")
    invoice = upload(reviewer, None).json
    route = f"/api/invoices/{invoice['invoiceId']}"
    assert (
        reviewer.patch(route, json={"fields": {"total": 1.0}}, headers={"If-Match": "1"}).status_code == 200
    )

    headers = {"If-Match": "1", "Idempotency-Key": "late"}
    stale = reviewer.patch(route, json={"fields": {"total": 2.0}}, headers=headers)
    again = reviewer.patch(route, json={"fields": {"total": 2.0}}, headers=headers)

    assert stale.status_code == 409 and again.status_code == 409
    assert REPLAYED_HEADER not in again.headers

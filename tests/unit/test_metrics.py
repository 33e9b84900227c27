"""Rollup metrics: the 60-second snapshot, percentiles, the per-minute series, concurrency."""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor

import boto3
import pytest
from hypothesis import given
from hypothesis import strategies as st

from invoice_app.metrics.histogram import LATENCY_BOUNDS_MS, latency_bucket, percentile
from invoice_app.metrics.rollups import MINUTE, rollup_id
from invoice_app.metrics.store import MetricsStore
from tests.helpers.samples import fixture_bytes

NOW = 1_795_343_467_500  # a fixed "now" in ms


@pytest.fixture
def store(provisioned) -> MetricsStore:
    return MetricsStore(boto3.client("dynamodb"), provisioned["METRICS_TABLE"], clock=lambda: NOW / 1000)


def test_empty_snapshot_has_every_key(store) -> None:
    snap = store.snapshot()

    assert snap["total"] == 0
    assert snap["throughput"] == 0
    assert snap["avgLatency"] == 0 and snap["avgAccuracy"] == 0
    assert snap["p50Latency"] == 0 and snap["p95Latency"] == 0
    assert snap["errors"] == 0
    assert snap["timestamp"] == NOW
    assert len(snap["series"]) == 15
    assert all(point["count"] == 0 for point in snap["series"])


def test_window_holds_exactly_the_last_60_seconds(store) -> None:
    store.record_invoice("inv_a", 100.0, 90.0, NOW)  # now
    store.record_invoice("inv_b", 300.0, 70.0, NOW - 59_000)  # 59 s ago: inside
    store.record_invoice("inv_c", 999.0, 10.0, NOW - 61_000)  # 61 s ago: outside
    store.record_failure(NOW - 5_000)

    snap = store.snapshot()

    assert snap["total"] == 2
    assert snap["throughput"] == round(2 / 60, 3)
    assert snap["avgLatency"] == 200.0
    assert snap["avgAccuracy"] == 80.0
    assert snap["errors"] == 1
    assert sum(point["count"] for point in snap["series"]) == 3  # the 15-minute series sees all three


def test_series_is_per_minute_oldest_first(store) -> None:
    store.record_invoice("inv_old", 50.0, 50.0, NOW - 14 * 60_000)
    store.record_invoice("inv_new", 150.0, 100.0, NOW)
    store.record_invoice("inv_gone", 150.0, 100.0, NOW - 16 * 60_000)

    series = store.snapshot()["series"]

    assert [p["t"] for p in series] == sorted(p["t"] for p in series)
    assert series[0]["count"] == 1 and series[0]["avgLatency"] == 50.0
    assert series[-1]["count"] == 1 and series[-1]["avgAccuracy"] == 100.0
    assert series[-1]["t"] == NOW // 60_000 * 60_000


def test_percentiles_follow_the_latency_distribution(store) -> None:
    for i in range(95):
        store.record_invoice(f"inv_fast_{i}", 40.0, 90.0, NOW)
    for i in range(5):
        store.record_invoice(f"inv_slow_{i}", 4000.0, 90.0, NOW)

    snap = store.snapshot()

    assert 30 <= snap["p50Latency"] <= 50
    assert 30 <= snap["p95Latency"] <= 50  # the 95th sample is still a fast one
    for i in range(5):
        store.record_invoice(f"inv_slow2_{i}", 4000.0, 90.0, NOW)
    assert 3000 <= store.snapshot()["p95Latency"] <= 5000


@given(st.lists(st.floats(min_value=0.1, max_value=59_000), min_size=1, max_size=200))
def test_percentile_stays_within_the_bucket_of_the_true_value(latencies: list[float]) -> None:
    histogram = [0] * (len(LATENCY_BOUNDS_MS) + 1)
    for value in latencies:
        histogram[latency_bucket(value)] += 1
    true_p95 = sorted(latencies)[max(0, int(0.95 * len(latencies) + 0.999999) - 1)]

    estimate = percentile(histogram, 0.95)

    bucket = latency_bucket(true_p95)
    lower = LATENCY_BOUNDS_MS[bucket - 1] if bucket else 0
    upper = LATENCY_BOUNDS_MS[bucket] if bucket < len(LATENCY_BOUNDS_MS) else 120_000
    assert lower <= estimate <= upper


def test_snapshot_reads_one_batch_whatever_the_history(store, provisioned) -> None:
    """Cost is O(window): old metric items are never read."""
    for i in range(50):
        store.record_invoice(f"inv_hist_{i}", 10.0, 50.0, NOW - 3_600_000 - i * 1000)
    calls: list[str] = []
    client = boto3.client("dynamodb")
    client.meta.events.register("before-call.dynamodb.*", lambda model, **_: calls.append(model.name))
    counted = MetricsStore(client, provisioned["METRICS_TABLE"], clock=lambda: NOW / 1000)

    counted.snapshot()

    assert calls == ["DescribeTable", "BatchGetItem"]  # the key schema is learnt once
    counted.snapshot()
    assert calls.count("BatchGetItem") == 2 and "Scan" not in calls and "Query" not in calls


def test_works_on_a_table_keyed_by_invoice_id_only(aws) -> None:
    client = boto3.client("dynamodb")
    client.create_table(
        TableName="metrics-hash-only",
        AttributeDefinitions=[{"AttributeName": "invoiceId", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "invoiceId", "KeyType": "HASH"}],
        BillingMode="PAY_PER_REQUEST",
    )
    store = MetricsStore(client, "metrics-hash-only", clock=lambda: NOW / 1000)

    store.record_invoice("inv_a", 10.0, 90.0, NOW)

    assert store.snapshot()["total"] == 1


def test_concurrent_uploads_lose_no_counts(client) -> None:
    """8 threads × 25 uploads through the HTTP route → exactly 200 in the snapshot."""
    pdf = fixture_bytes("sample-invoice.pdf")

    def upload_many(_: int) -> list[int]:
        return [
            client.post("/receive", data={"file": (io.BytesIO(pdf), "s.pdf")}).status_code for _ in range(25)
        ]

    with ThreadPoolExecutor(8) as pool:
        statuses = [s for batch in pool.map(upload_many, range(8)) for s in batch]

    assert statuses == [200] * 200
    snap = client.get("/api/metrics").json
    assert snap["total"] == 200
    assert sum(point["count"] for point in snap["series"]) == 200
    assert len(client.get("/api/invoices", query_string={"limit": 100}).json["items"]) == 100


def test_a_failed_count_writes_no_metric_item(provisioned, monkeypatch) -> None:
    """The metric item is what the stream turns into a broadcast: it is written only after every
    count it will be read with, and not at all when one of them failed."""
    from botocore.exceptions import ClientError

    from invoice_app.core.errors import StorageUnavailable

    client = boto3.client("dynamodb")
    store = MetricsStore(client, provisioned["METRICS_TABLE"], clock=lambda: NOW / 1000)
    real_update = client.update_item

    def update_item(**kwargs):
        if kwargs["Key"]["invoiceId"]["S"].startswith(rollup_id(MINUTE, 0).removesuffix("0")):
            raise ClientError({"Error": {"Code": "InternalServerError", "Message": "down"}}, "UpdateItem")
        return real_update(**kwargs)

    monkeypatch.setattr(client, "update_item", update_item)
    with pytest.raises(StorageUnavailable):
        store.record_invoice("inv_a", 100.0, 90.0, NOW)

    ids = {i["invoiceId"]["S"] for i in client.scan(TableName=provisioned["METRICS_TABLE"])["Items"]}
    assert "inv_a" not in ids


def _counting_reads(client, monkeypatch) -> list[int]:
    """The number of keys of each BatchGetItem `client` makes from now on."""
    reads: list[int] = []
    real = client.batch_get_item

    def batch_get_item(**kwargs):
        reads.append(sum(len(table["Keys"]) for table in kwargs["RequestItems"].values()))
        return real(**kwargs)

    monkeypatch.setattr(client, "batch_get_item", batch_get_item)
    return reads


def test_buckets_that_can_no_longer_change_are_read_once(provisioned, monkeypatch) -> None:
    from invoice_app.metrics.store import FINAL_AFTER_MS

    client = boto3.client("dynamodb")
    now = [NOW]
    store = MetricsStore(client, provisioned["METRICS_TABLE"], clock=lambda: now[0] / 1000)
    store.record_invoice("inv_old", 100.0, 90.0, NOW - 50_000)  # final: ended > 35 s ago
    store.record_invoice("inv_new", 300.0, 70.0, NOW - 5_000)  # recent: may still be written to
    reads = _counting_reads(client, monkeypatch)

    first = store.snapshot()
    # A late write into a recent bucket (an invocation still running) is seen by the next snapshot.
    store.record_invoice("inv_late", 500.0, 50.0, NOW - 5_000)
    second = store.snapshot()

    assert (first["total"], second["total"]) == (2, 3)
    assert reads[0] == 100  # 60 seconds, 15 minutes, 24 hours and the backlog
    # Then only what ended less than FINAL_AFTER_MS ago (and the backlog counter).
    recent_seconds = FINAL_AFTER_MS // 1000
    assert recent_seconds + 1 <= reads[1] <= recent_seconds + 6

    now[0] = NOW + 30_000  # the window moves on: the old invoice leaves it, nothing stale stays
    assert store.snapshot()["total"] == 2
    assert store.snapshot(NOW)["total"] == 3  # its buckets are read again once back in the window


def test_a_partial_read_is_not_kept(provisioned, monkeypatch) -> None:
    """A key DynamoDB left unprocessed is not known to be empty: nothing of that read is kept."""
    client = boto3.client("dynamodb")
    store = MetricsStore(client, provisioned["METRICS_TABLE"], clock=lambda: NOW / 1000)
    store.record_invoice("inv_old", 100.0, 90.0, NOW - 50_000)
    real = client.batch_get_item

    def throttled(**kwargs):
        table, request = next(iter(kwargs["RequestItems"].items()))
        return {"Responses": {table: []}, "UnprocessedKeys": {table: request}}

    monkeypatch.setattr(client, "batch_get_item", throttled)
    monkeypatch.setattr("invoice_app.metrics.store.time.sleep", lambda _s: None)
    assert store.snapshot()["total"] == 0  # nothing could be read: zero, and logged
    monkeypatch.setattr(client, "batch_get_item", real)

    assert store.snapshot()["total"] == 1

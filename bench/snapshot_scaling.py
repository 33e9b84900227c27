"""Snapshot cost with 100 vs 100,000 stored invoices: rollup BatchGetItem vs the original scan.

Both stores hold the same 50 invoices in the last 60 s; the rest is history of the last 24 h.
The rollup snapshot reads 100 keys whatever the history (60 seconds, 15 minutes, 24 hours, the
backlog); the scan-with-filter snapshot (what the original code did) reads every stored item. Runs
on moto in-process (no AWS account needed). Then, on the large table, a warm environment's
snapshot (the buckets that can no longer change kept from its last read, `FinalBuckets`) against
one that reads every bucket, side by side: keys read and time.

    python bench/snapshot_scaling.py [--large 100000] [--repeat 7]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "backend"), str(ROOT / "infra")]
os.environ.update(AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench", AWS_DEFAULT_REGION="us-east-1")
os.environ.pop("AWS_ENDPOINT_URL", None)

import boto3  # noqa: E402
from moto import mock_aws  # noqa: E402

from devstack.template import provision  # noqa: E402
from invoice_app.core.dynamo import to_item  # noqa: E402
from invoice_app.metrics.histogram import latency_bucket  # noqa: E402
from invoice_app.metrics.store import MetricsStore  # noqa: E402

IN_WINDOW = 50


def populate(client, table: str, count: int, now_ms: int) -> None:
    """`count` metric items (IN_WINDOW of them in the last minute) plus their rollup items."""
    rng = random.Random(count)
    rollups: dict[tuple[str, int], dict[str, float]] = defaultdict(lambda: defaultdict(float))
    puts = []
    for i in range(count):
        age_ms = rng.randint(0, 59_000) if i < IN_WINDOW else rng.randint(61_000, 86_400_000)
        ts = now_ms - age_ms
        latency, accuracy = rng.uniform(5, 400), rng.uniform(50, 100)
        puts.append(
            {
                "invoiceId": f"inv_{i:08x}_{ts // 1000}",
                "timestamp": ts,
                "latency": latency,
                "accuracy": accuracy,
            }
        )
        for kind, start in (("s", ts // 1000 * 1000), ("m", ts // 60_000 * 60_000)):
            bucket = rollups[(kind, start)]
            bucket["count"] += 1
            bucket["latencySum"] += latency
            bucket["accuracySum"] += accuracy
            bucket[f"h{latency_bucket(latency)}"] += 1
    for (kind, start), sums in rollups.items():
        puts.append({"invoiceId": f"rollup#{kind}#{start}", "timestamp": start, "kind": "rollup", **sums})
    for offset in range(0, len(puts), 25):
        batch = [{"PutRequest": {"Item": to_item(item)}} for item in puts[offset : offset + 25]]
        client.batch_write_item(RequestItems={table: batch})


def scan_snapshot(client, table: str, now_ms: int) -> dict[str, float]:
    """The original approach: scan the whole table with a filter on the last 60 s."""
    latencies, accuracies = [], []
    paginator = client.get_paginator("scan")
    for page in paginator.paginate(
        TableName=table,
        FilterExpression="#ts > :since AND attribute_exists(latency)",
        ExpressionAttributeNames={"#ts": "timestamp"},
        ExpressionAttributeValues={":since": {"N": str(now_ms - 60_000)}},
    ):
        for item in page["Items"]:
            latencies.append(float(item["latency"]["N"]))
            accuracies.append(float(item["accuracy"]["N"]))
    n = len(latencies)
    return {
        "total": n,
        "avgLatency": sum(latencies) / n if n else 0,
        "avgAccuracy": sum(accuracies) / n if n else 0,
    }


def timed(fn, repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000


def keys_read(client, snapshot) -> int:
    """Keys one `snapshot()` asks BatchGetItem for."""
    counted: list[int] = []

    def count(params, **_kwargs) -> None:
        counted.append(sum(len(t["Keys"]) for t in params["RequestItems"].values()))

    client.meta.events.register("provide-client-params.dynamodb.BatchGetItem", count)
    try:
        snapshot()
    finally:
        client.meta.events.unregister("provide-client-params.dynamodb.BatchGetItem", count)
    return sum(counted)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--small", type=int, default=100)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    now_ms = int(time.time() * 1000)
    results = {}
    warm_cold: tuple[float, float, int, int] = (0.0, 0.0, 0, 0)
    with mock_aws():
        ddb = boto3.client("dynamodb")
        for size in (args.small, args.large):
            table = f"InvoiceMetrics-{size}"
            provision(ddb, boto3.client("s3"), {"METRICS_TABLE": table})
            started = time.perf_counter()
            populate(ddb, table, size, now_ms)
            print(f"populated {size:,} invoices in {time.perf_counter() - started:.1f} s", flush=True)
            store = MetricsStore(ddb, table, clock=lambda: now_ms / 1000, keep_final_buckets=False)
            ours = store.snapshot()
            scanned = scan_snapshot(ddb, table, now_ms)
            assert ours["total"] == scanned["total"] == IN_WINDOW, (ours["total"], scanned["total"])
            results[size] = (
                timed(store.snapshot, args.repeat),
                timed(lambda t=table: scan_snapshot(ddb, t, now_ms), max(3, args.repeat // 2)),
            )
        # The large table again: a warm environment's store beside the one that reads every bucket.
        warm_store = MetricsStore(ddb, table, clock=lambda: now_ms / 1000)
        assert warm_store.snapshot() == store.snapshot()
        warm_cold = (
            timed(warm_store.snapshot, args.repeat * 3),
            timed(store.snapshot, args.repeat * 3),
            keys_read(ddb, warm_store.snapshot),
            keys_read(ddb, store.snapshot),
        )

    (ours_s, scan_s), (ours_l, scan_l) = results[args.small], results[args.large]
    print()
    print(f"{'stored invoices':>16} | {'rollup snapshot':>16} | {'scan snapshot':>14}")
    for size, (ours, scan) in results.items():
        print(f"{size:>16,} | {ours:>13.1f} ms | {scan:>11.1f} ms")
    print(f"{'ratio':>16} | {ours_l / ours_s:>15.2f}× | {scan_l / scan_s:>13.1f}×")
    print(
        f"\nrollup snapshot {args.small:,}→{args.large:,}: {ours_l / ours_s:.2f}× (goal ≤ 1.5×); "
        f"scan: {scan_l / scan_s:.0f}×; at {args.large:,} the rollup read is {scan_l / ours_l:.0f}× faster"
    )
    warm, cold_ms, warm_keys, cold_keys = warm_cold
    print(
        f"warm environment (final buckets kept): {warm_keys} keys, {warm:.1f} ms; every bucket read: "
        f"{cold_keys} keys, {cold_ms:.1f} ms ({warm / cold_ms:.2f}×)"
    )


if __name__ == "__main__":
    main()

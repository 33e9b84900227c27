"""One broadcast to N connections: one process posting to everyone vs the sharded fan-out on SQS
(moto) consumed by k worker processes, each playing one concurrent Lambda invocation through the
real entrypoint (`app.lambda_handler` → `events/sqs.py`, the shard ledger included), all in the
same run against the same loopback @connections stand-in (5 ms per post, its own process).

Printed side by side: time to reach everyone and posts/s, for one process and for k = 1, 2, 4
consumers (what one consumer sustains is the per-invocation rate the model below uses). Then a
model, from those figures and AWS's documented limits, of the time for one update to reach 10,000,
100,000 and 1,000,000 connections with MaximumConcurrency c, and where API Gateway's account limit
(~10,000 requests/s, shared by every post) binds — and the interval the adaptive pacing
(BROADCAST_MAX_RATE) keeps between broadcasts.

This machine has 2 cores: k consumer processes, the stand-in, moto and the producer share them,
so k > 2 cannot scale here the way k Lambda invocations (one vCPU share each) do on AWS; the
printed load average says how busy the machine was.

    python bench/fanout_sharded.py [--connections 10000] [--shard-size 2000] [--workers 1,2,4]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "backend"), str(ROOT / "infra"), str(ROOT)]
os.environ.update(AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench", AWS_DEFAULT_REGION="us-east-1")
os.environ.pop("AWS_ENDPOINT_URL", None)

import boto3  # noqa: E402

from devstack.moto_process import EmbeddedAws  # noqa: E402
from devstack.template import provision  # noqa: E402
from invoice_app.core.aws import AwsClients  # noqa: E402
from invoice_app.core.limits import ACCOUNT_REQUESTS_PER_SECOND  # noqa: E402
from invoice_app.realtime.broadcaster import Broadcaster  # noqa: E402
from invoice_app.realtime.registry import ConnectionRegistry  # noqa: E402
from invoice_app.realtime.shards import ShardQueue  # noqa: E402
from tests.helpers.connections_server import serve_in_subprocess  # noqa: E402

MESSAGE = {
    "type": "metrics-update",
    "data": {"total": 42, "throughput": 0.7, "avgLatency": 31.5, "avgAccuracy": 91.2, "timestamp": 1},
}
TABLES = {"CONNECTIONS_TABLE": "WSConnections", "IDEMPOTENCY_TABLE": "IdempotencyKeys"}
# Lambda's documented figures the model uses: a Python cold start of a few hundred ms (this app's
# own: bench/coldstart.py, ~0.25 s of imports plus the runtime's init), and the SQS event source
# scaling up by about 60 concurrent invocations per minute when it starts from nothing.
COLD_START_S = 0.5
ESM_SCALE_UP_PER_MIN = 60
# The producer on AWS: a DynamoDB scan page (1 MB, ~8,000 connection records) in ~50 ms and a
# SendMessageBatch of 10 shards in ~30 ms: ~100,000 connections/s enqueued. Locally moto serves
# both over loopback HTTP in a busy process and is the slower floor printed beside it.
AWS_ENQUEUE_PER_S = 100_000


def register(ddb: Any, n: int) -> None:
    rows = [
        {"PutRequest": {"Item": {"connectionId": {"S": f"Conn{i:07d}Abc="}, "connectedAt": {"N": "1"}}}}
        for i in range(n)
    ]
    for i in range(0, n, 25):
        ddb.batch_write_item(RequestItems={TABLES["CONNECTIONS_TABLE"]: rows[i : i + 25]})


def consumer(env: dict[str, str], queue_url: str, produced: Any, results: Any) -> None:
    """One 'Lambda invocation' after another: receive one shard, run the handler, delete it."""
    os.environ.update(env)
    import app as lambda_module

    lambda_module.get_app()  # the environment's init (cold start) before the clock starts
    sqs = boto3.client("sqs", endpoint_url=env["AWS_ENDPOINT_URL"])
    handled = empty = posts = 0
    last_done = busy = 0.0
    while not (produced.is_set() and empty >= 10):
        answer = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=1, WaitTimeSeconds=0)
        messages = answer.get("Messages") or []
        if not messages:
            empty += produced.is_set()  # idle polls count once everything was enqueued
            time.sleep(0.02)
            continue
        empty = 0
        m = messages[0]
        event = {
            "Records": [
                {
                    "messageId": m["MessageId"],
                    "receiptHandle": m["ReceiptHandle"],
                    "body": m["Body"],
                    "eventSource": "aws:sqs",
                }
            ]
        }
        began = time.perf_counter()
        reply = lambda_module.lambda_handler(event, None)
        busy += time.perf_counter() - began
        if not isinstance(reply, dict) or "batchItemFailures" not in reply:
            raise RuntimeError(f"the handler answered {reply}")
        if not reply["batchItemFailures"]:
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=m["ReceiptHandle"])
            handled += 1
            posts += len(json.loads(m["Body"])["targets"])
            last_done = time.perf_counter()  # CLOCK_MONOTONIC: comparable across processes
    results.put((handled, last_done, posts, busy))


def sharded_run(aws: str, endpoint: str, registry: ConnectionRegistry, shard_size: int, k: int, n: int):
    """(seconds to enqueue, seconds until every shard is done, shards)."""
    sqs = boto3.client("sqs", endpoint_url=aws)
    url = sqs.create_queue(
        QueueName=f"bench-{k}-{time.monotonic_ns()}", Attributes={"VisibilityTimeout": "180"}
    )["QueueUrl"]
    env = {
        **TABLES,
        "AWS_ENDPOINT_URL": aws,
        "WS_ENDPOINT": endpoint.replace("http://", "ws://", 1),
        "AUTH_MODE": "none",
        "BROADCAST_QUEUE_URL": url,
        "LOG_LEVEL": "WARNING",
    }
    ctx = multiprocessing.get_context("spawn")  # fresh interpreters, like Lambda environments
    results = ctx.Queue()
    produced = ctx.Event()
    workers = [ctx.Process(target=consumer, args=(env, url, produced, results)) for _ in range(k)]
    for w in workers:
        w.start()
    time.sleep(4.0)  # let them import (the cold start is not what this measures; the model adds it)
    producer = Broadcaster(registry, AwsClients("us-east-1", aws), workers=32)
    producer.use_shards(ShardQueue(sqs, url), shard_size)
    start = time.perf_counter()
    result = producer.broadcast(endpoint, MESSAGE)
    enqueued = time.perf_counter() - start
    produced.set()
    assert result.queued == n and result.failed == 0, result
    done = [results.get(timeout=600) for _ in workers]
    for w in workers:
        w.join()
    handled = sum(d[0] for d in done)
    assert handled == result.shards and sum(d[2] for d in done) == n, (done, result)
    finished = max(d[1] for d in done) - start
    # What one invocation sustains while it posts (its handler time, ledger writes included).
    per_invocation = sum(d[2] for d in done) / sum(d[3] for d in done)
    return enqueued, finished, result.shards, per_invocation


def model(per_worker: float, enqueue_rate: float, max_rate: int) -> list[str]:
    lines = [
        f"  model: one invocation posts {per_worker:,.0f}/s (measured while posting, k=1); the producer "
        f"enqueues {enqueue_rate:,.0f} connections/s (scan + SendMessageBatch, measured); account limit "
        f"{ACCOUNT_REQUESTS_PER_SECOND:,}/s; cold start {COLD_START_S} s",
        f"  {'connections':>12} {'c':>5} {'posts/s':>9} {'binds':>13} {'reach all':>10} "
        f"{'(local enq.)':>12} {'interval':>9}",
    ]
    for n in (10_000, 100_000, 1_000_000):
        for c in (4, 5, 10, 100):
            rate = min(c * per_worker, ACCOUNT_REQUESTS_PER_SECOND)
            binds = "account" if c * per_worker >= ACCOUNT_REQUESTS_PER_SECOND else "workers"
            # Posting starts with the first shard; the enqueue overlaps it and is a floor too.
            if c > ESM_SCALE_UP_PER_MIN:  # the mapping needs minutes to reach c from nothing
                binds += "+scale-up"
            interval = max(1.0, n / max_rate)
            local = COLD_START_S + max(n / rate, n / enqueue_rate)
            reach = COLD_START_S + max(n / rate, n / AWS_ENQUEUE_PER_S)
            lines.append(
                f"  {n:>12,} {c:>5} {rate:>9,.0f} {binds:>13} {reach:>9.1f}s {local:>11.1f}s"
                f" {interval:>7.0f} s"
            )
    lines.append(
        f"  (reach all: enqueue at ~{AWS_ENQUEUE_PER_S:,}/s on AWS, or at the rate measured here; "
        f"interval: the adaptive spacing at BROADCAST_MAX_RATE={max_rate:,}, connections / rate, "
        "1 s at least)"
    )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--connections", type=int, default=10_000)
    parser.add_argument("--shard-size", type=int, default=2000)
    parser.add_argument("--delay-ms", type=float, default=5.0)
    parser.add_argument("--workers", default="1,2,4", help="consumer process counts to run")
    parser.add_argument("--max-rate", type=int, default=5000)
    args = parser.parse_args()
    n = args.connections
    ks = [int(k) for k in args.workers.split(",")]

    endpoint, server = serve_in_subprocess("bench", args.delay_ms / 1000)
    with EmbeddedAws() as aws:
        ddb = boto3.client("dynamodb", endpoint_url=aws.endpoint)
        provision(ddb, boto3.client("s3", endpoint_url=aws.endpoint), TABLES)
        register(ddb, n)
        registry = ConnectionRegistry(ddb, TABLES["CONNECTIONS_TABLE"])

        one = Broadcaster(registry, AwsClients("us-east-1"), workers=32)
        one.broadcast(endpoint, MESSAGE)  # warm-up: pools and threads
        start = time.perf_counter()
        result = one.broadcast(endpoint, MESSAGE)
        single = time.perf_counter() - start
        assert result.sent == n, result

        runs = {k: sharded_run(aws.endpoint, endpoint, registry, args.shard_size, k, n) for k in ks}
    server.terminate()

    print(
        f"{n:,} connections, shards of {args.shard_size:,}, {args.delay_ms:g} ms per post at the server; "
        f"load average {os.getloadavg()[0]:.2f} (2 cores, shared)"
    )
    print(f"  {'fan-out':<34} {'reach all':>10} {'posts/s':>9} {'vs one':>7}")
    print(f"  {'one process, 32 threads':<34} {single:9.2f}s {n / single:9,.0f} {1.0:6.2f}×")
    for k, (enqueued, finished, shards, per_invocation) in runs.items():
        label = f"SQS, {shards} shards, {k} consumer{'s' if k > 1 else ''}"
        print(
            f"  {label:<34} {finished:9.2f}s {n / finished:9,.0f} {single / finished:6.2f}×"
            f"   (enqueue {enqueued:.2f}s; {per_invocation:,.0f}/s per consumer while posting)"
        )
    k1_enqueue, _, _, per_worker = runs[ks[0]]
    for line in model(per_worker, n / k1_enqueue, args.max_rate):
        print(line)
    print(
        json.dumps(
            {"single_s": round(single, 3), "runs": {k: [round(x, 3) for x in v] for k, v in runs.items()}}
        )
    )


if __name__ == "__main__":
    main()

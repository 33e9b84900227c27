"""Fan-out of one metrics-update to 1,000 connections: bounded-parallel vs a sequential loop.

The @connections API is a loopback server in its own process that adds ~5 ms per post (API
Gateway's own latency is of that order; running it apart keeps its CPU out of the broadcaster's
GIL, as the real service is); the connections table lives in a moto server, also in its own
process (in-process `mock_aws` would put moto's request matching on every post). Both runs use
the same Broadcaster code path, once with its thread pool and once with a single worker.

    python bench/broadcast.py [--connections 1000] [--delay-ms 5] [--workers 32]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "backend"), str(ROOT / "infra"), str(ROOT)]
os.environ.update(AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench", AWS_DEFAULT_REGION="us-east-1")
os.environ.pop("AWS_ENDPOINT_URL", None)

import boto3  # noqa: E402

from devstack.moto_process import EmbeddedAws  # noqa: E402
from devstack.template import provision  # noqa: E402
from invoice_app.core.aws import AwsClients  # noqa: E402
from invoice_app.realtime.broadcaster import Broadcaster  # noqa: E402
from invoice_app.realtime.registry import ConnectionRegistry  # noqa: E402
from tests.helpers.connections_server import serve_in_subprocess  # noqa: E402

MESSAGE = {
    "type": "metrics-update",
    "data": {"total": 42, "throughput": 0.7, "avgLatency": 31.5, "avgAccuracy": 91.2},
}


def run(broadcaster: Broadcaster, endpoint: str, expected: int) -> tuple[float, int]:
    start = time.perf_counter()
    result = broadcaster.broadcast(endpoint, MESSAGE)
    elapsed = time.perf_counter() - start
    assert result.sent == expected and result.failed == 0, result
    return elapsed, result.sent


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--connections", type=int, default=1000)
    parser.add_argument("--delay-ms", type=float, default=5.0)
    parser.add_argument("--workers", type=int, default=32)
    args = parser.parse_args()

    endpoint, server = serve_in_subprocess("bench", args.delay_ms / 1000)
    with EmbeddedAws() as aws:
        ddb = boto3.client("dynamodb", endpoint_url=aws.endpoint)
        provision(ddb, boto3.client("s3", endpoint_url=aws.endpoint), {"CONNECTIONS_TABLE": "WSConnections"})
        registry = ConnectionRegistry(ddb, "WSConnections")
        for i in range(args.connections):
            cid = f"Conn{i:06d}Abc="
            registry.add(cid, connected_at_ms=1, source_ip="127.0.0.1", user_agent="bench")

        parallel = Broadcaster(
            registry, AwsClients("us-east-1", pool_size=args.workers), workers=args.workers
        )
        sequential = Broadcaster(registry, AwsClients("us-east-1", pool_size=1), workers=1)
        n = args.connections
        run(parallel, endpoint, n)  # warm-up: clients, connection pools, threads
        run(sequential, endpoint, n)
        t_par, sent = run(parallel, endpoint, n)
        t_seq, _ = run(sequential, endpoint, n)
    server.terminate()

    print(f"{args.connections:,} connections, {args.delay_ms:g} ms per post at the server")
    print(f"  sequential loop       : {t_seq:6.2f} s  ({sent / t_seq:8.0f} posts/s)")
    print(f"  bounded parallel ({args.workers:>2}) : {t_par:6.2f} s  ({sent / t_par:8.0f} posts/s)")
    print(f"  speed-up              : {t_seq / t_par:6.1f}×  (goal ≥ 10×)")


if __name__ == "__main__":
    main()

"""Fan-out of one metrics-update to 1,000 connections: the lean sender vs a sequential loop, and
the botocore sender it replaced, all in the same run against the same server.

The @connections API is a loopback server in its own process that adds ~5 ms per post (API
Gateway's own latency is of that order; running it apart keeps its CPU out of the broadcaster's
GIL, as the real service is); the connections table lives in a moto server, also in its own
process (in-process `mock_aws` would put moto's request matching on every post). Every run uses
the same Broadcaster code path; only the sender (`ManagementApi`) and the worker count differ.
CPU per post is this process's CPU time (user + system) over the posts, the table scan included.

    python bench/broadcast.py [--connections 1000] [--delay-ms 5] [--workers 32] [--repeats 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "backend"), str(ROOT / "infra"), str(ROOT)]
os.environ.update(AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench", AWS_DEFAULT_REGION="us-east-1")
os.environ.pop("AWS_ENDPOINT_URL", None)

import boto3  # noqa: E402
from botocore.config import Config  # noqa: E402
from botocore.exceptions import BotoCoreError, ClientError  # noqa: E402

from devstack.moto_process import EmbeddedAws  # noqa: E402
from devstack.template import provision  # noqa: E402
from invoice_app.core.aws import AwsClients  # noqa: E402
from invoice_app.realtime.broadcaster import Broadcaster  # noqa: E402
from invoice_app.realtime.registry import ConnectionRegistry  # noqa: E402
from invoice_app.realtime.transport import ConnectionGone, ManagementApi, SendFailed  # noqa: E402
from tests.helpers.connections_server import serve_in_subprocess  # noqa: E402

MESSAGE = {
    "type": "metrics-update",
    "data": {"total": 42, "throughput": 0.7, "avgLatency": 31.5, "avgAccuracy": 91.2},
}


class BotocoreApi(ManagementApi):
    """The sender this app used before: boto3's `post_to_connection`, tuned as it was
    (standard retries, no parameter validation, a fixed user agent)."""

    def __init__(self, pool_size: int) -> None:
        super().__init__(AwsClients("us-east-1"), pool_size=pool_size)
        self._config = Config(
            retries={"mode": "standard", "max_attempts": 5},
            max_pool_connections=pool_size,
            connect_timeout=3,
            read_timeout=5,
            parameter_validation=False,
            user_agent=f"invoice-app-broadcaster Boto3/{boto3.__version__}",
        )
        self._client = None

    def batch(self, endpoint: str) -> BotocoreApi:
        if self._client is None:
            self._client = boto3.Session().client(
                "apigatewaymanagementapi", endpoint_url=endpoint, config=self._config
            )
        return self

    def post(self, connection_id: str, data: bytes) -> int:  # type: ignore[override]
        try:
            self._client.post_to_connection(ConnectionId=connection_id, Data=data)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") == "GoneException":
                raise ConnectionGone(connection_id) from exc
            raise SendFailed(str(exc)) from exc
        except BotoCoreError as exc:
            raise SendFailed(str(exc)) from exc
        return 0


def run(broadcaster: Broadcaster, endpoint: str, expected: int) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process) of one broadcast."""
    cpu, start = time.process_time(), time.perf_counter()
    result = broadcaster.broadcast(endpoint, MESSAGE)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    assert result.sent == expected and result.failed == 0, result
    return elapsed, cpu


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--connections", type=int, default=1000)
    parser.add_argument("--delay-ms", type=float, default=5.0)
    parser.add_argument("--workers", type=int, default=32)
    parser.add_argument("--repeats", type=int, default=3, help="parallel runs (median); sequential once")
    args = parser.parse_args()

    endpoint, server = serve_in_subprocess("bench", args.delay_ms / 1000)
    n, w = args.connections, args.workers
    with EmbeddedAws() as aws:
        ddb = boto3.client("dynamodb", endpoint_url=aws.endpoint)
        provision(ddb, boto3.client("s3", endpoint_url=aws.endpoint), {"CONNECTIONS_TABLE": "WSConnections"})
        registry = ConnectionRegistry(ddb, "WSConnections")
        for i in range(n):
            registry.add(f"Conn{i:06d}Abc=", connected_at_ms=1, source_ip="127.0.0.1", user_agent="bench")
        clients = AwsClients("us-east-1")
        scan = time.perf_counter()
        sum(len(p) for p in registry.iter_pages())
        scan = time.perf_counter() - scan

        senders = {
            "sequential loop, lean": Broadcaster(registry, clients, workers=1),
            "sequential loop, botocore": Broadcaster(registry, clients, workers=1, api=BotocoreApi(1)),
            f"botocore, {w} workers": Broadcaster(registry, clients, workers=w, api=BotocoreApi(w)),
            f"lean, {w} workers": Broadcaster(registry, clients, workers=w),
        }
        for broadcaster in senders.values():
            run(broadcaster, endpoint, n)  # warm-up: connection pools, threads, service models
        figures = {}
        for name, broadcaster in senders.items():
            repeats = 1 if name.startswith("sequential") else args.repeats
            runs = sorted(run(broadcaster, endpoint, n) for _ in range(repeats))
            figures[name] = runs[len(runs) // 2]
    server.terminate()

    load = os.getloadavg()[0]
    print(f"{n:,} connections, {args.delay_ms:g} ms per post at the server; load average {load:.2f}")
    print(f"(the connections scan alone: {scan * 1000:.0f} ms; it is part of every figure below)")
    print(f"  {'sender':<28} {'time':>8} {'posts/s':>9} {'CPU/post':>9}")
    for name, (elapsed, cpu) in figures.items():
        print(f"  {name:<28} {elapsed:7.2f}s {n / elapsed:9.0f} {cpu / n * 1000:7.2f}ms")
    lean, seq = figures[f"lean, {w} workers"][0], figures["sequential loop, lean"][0]
    boto = figures[f"botocore, {w} workers"][0]
    print(f"  speed-up over the sequential loop: {seq / lean:5.1f}×  (goal ≥ 10×, ≥ 1,500 posts/s)")
    print(f"  lean vs botocore, {w} workers each: {boto / lean:5.1f}×")
    print(f"  (median of {args.repeats} parallel runs; {statistics.mean([seq]):.2f}s sequential)")


if __name__ == "__main__":
    main()

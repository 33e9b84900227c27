"""A topic message to 10 subscribers costs the same among 5,000 connections as among 50.

Each scenario fills the connections table (50 or 5,000 connections), subscribes 10 of them to
`invoice:bench`, and times `Presence.publish` (one Query of the topic's partition, one post per
subscriber through the shared broadcaster) — median of `--repeats` runs, the two sizes
interleaved. For contrast it also times what a scan-based filter would pay: reading every
connection record. The @connections API is the loopback stand-in in its own process (~5 ms per
post); the tables live in a moto server in its own process.

    python bench/topic_broadcast.py [--small 50] [--large 5000] [--subscribers 10] [--repeats 15]
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

from devstack.moto_process import EmbeddedAws  # noqa: E402
from devstack.template import provision  # noqa: E402
from invoice_app.core.aws import AwsClients  # noqa: E402
from invoice_app.realtime.broadcaster import Broadcaster  # noqa: E402
from invoice_app.realtime.presence import Presence  # noqa: E402
from invoice_app.realtime.registry import ConnectionRegistry  # noqa: E402
from invoice_app.realtime.topics import Member, TopicStore  # noqa: E402
from tests.helpers.connections_server import serve_in_subprocess  # noqa: E402

TOPIC = "invoice:bench"
MESSAGE = {"type": "invoice-updated", "data": {"invoiceId": "bench", "version": 2, "changes": []}}


def fill(ddb, table: str, n: int) -> list[str]:
    ids = [f"Conn{i:06d}Abc=" for i in range(n)]
    for start in range(0, n, 25):
        requests = [
            {
                "PutRequest": {
                    "Item": {"connectionId": {"S": c}, "connectedAt": {"N": "1"}, "ttl": {"N": "9999999999"}}
                }
            }
            for c in ids[start : start + 25]
        ]
        ddb.batch_write_item(RequestItems={table: requests})
    return ids


def scenario(aws_endpoint: str, endpoint: str, total: int, subscribers: int) -> tuple[Presence, float]:
    """A filled connections table with `subscribers` of them on the topic: (its Presence, the time
    of one scan of every connection) — the scan is what a filter without the topics table pays."""
    ddb = boto3.client("dynamodb", endpoint_url=aws_endpoint)
    names = {"CONNECTIONS_TABLE": f"WSConnections{total}", "TOPICS_TABLE": f"WSTopics{total}"}
    provision(ddb, boto3.client("s3", endpoint_url=aws_endpoint), names)
    registry = ConnectionRegistry(ddb, names["CONNECTIONS_TABLE"])
    topics = TopicStore(ddb, names["TOPICS_TABLE"])
    ids = fill(ddb, names["CONNECTIONS_TABLE"], total)
    step = total // subscribers
    for cid in ids[::step][:subscribers]:
        topics.join(TOPIC, Member(cid, f"sub-{cid}", "Bench Viewer", "b@example.com"), now_s=int(time.time()))
    presence = Presence(topics, registry, Broadcaster(registry, AwsClients("us-east-1"), workers=32))
    for _ in range(3):  # warm-up: pools, threads, service models
        assert presence.publish(endpoint, TOPIC, MESSAGE).sent == subscribers
    started = time.perf_counter()
    scanned = sum(len(page) for page in registry.iter_pages())
    scan = time.perf_counter() - started
    assert scanned == total
    return presence, scan


def publish_once(presence: Presence, endpoint: str, subscribers: int) -> float:
    started = time.perf_counter()
    result = presence.publish(endpoint, TOPIC, MESSAGE)
    elapsed = time.perf_counter() - started
    assert result.sent == subscribers and result.connections == subscribers
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=50)
    parser.add_argument("--large", type=int, default=5000)
    parser.add_argument("--subscribers", type=int, default=10)
    parser.add_argument("--delay-ms", type=float, default=5.0)
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()

    endpoint, server = serve_in_subprocess("bench", args.delay_ms / 1000)
    try:
        with EmbeddedAws() as aws:
            sizes = (args.small, args.large)
            setups = {n: scenario(aws.endpoint, endpoint, n, args.subscribers) for n in sizes}
            # Interleaved, so that a machine whose load drifts (a shared CI box) weighs on both alike.
            runs: dict[int, list[float]] = {n: [] for n in setups}
            for _ in range(args.repeats):
                for n, (presence, _scan) in setups.items():
                    runs[n].append(publish_once(presence, endpoint, args.subscribers))
            figures = {n: (statistics.median(runs[n]), setups[n][1]) for n in setups}
    finally:
        server.terminate()

    print(f"a topic message to {args.subscribers} subscribers, {args.delay_ms:g} ms per post at the server")
    print(f"  {'connections':>11} {'publish (median)':>17} {'a scan of all connections':>27}")
    for n, (publish, scan) in figures.items():
        print(f"  {n:>11,} {publish * 1000:14.1f} ms {scan * 1000:24.1f} ms")
    small, large = figures[args.small][0], figures[args.large][0]
    print(f"  ratio {args.large:,} / {args.small:,} connections: {large / small:.2f}× (goal ~1×)")
    scan_ratio = figures[args.large][1] / figures[args.small][1]
    print(f"  (a scan-based filter would grow {scan_ratio:.0f}× before sending anything)")


if __name__ == "__main__":
    main()

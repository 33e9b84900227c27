"""What one relayed cursor costs: CPU ms and DynamoDB calls per message, by topic size.

For each topic size N, N connections subscribe to `visualization:bench`; one of them sends
`--messages` cursors through `CursorRelay.cursor` (the action the WebSocket route dispatches to),
each relayed to the N - 1 others through the shared broadcaster. CPU is this process's
(`time.process_time`: the relay, the encoding, SigV4 signing and the posts of the broadcaster's
threads); DynamoDB calls are counted with a botocore `before-call` hook. Side by side: the same
relay with the member cache (2 s) and without it (a Query per message). The @connections API is
the loopback stand-in in its own process; the tables live in a moto server in its own process,
so neither's CPU is counted. The throttle is set out of the way (it is not what is measured).

    python bench/cursor_relay.py [--members 2 5 20 50] [--messages 300]
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
from invoice_app.realtime.actions import Caller  # noqa: E402
from invoice_app.realtime.broadcaster import Broadcaster  # noqa: E402
from invoice_app.realtime.registry import ConnectionRegistry  # noqa: E402
from invoice_app.realtime.topics import Member, TopicStore  # noqa: E402
from invoice_app.visualizations.live import CursorRelay  # noqa: E402
from tests.helpers.connections_server import serve_in_subprocess  # noqa: E402

TOPIC = "visualization:bench"


class CallCounter:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, **_kwargs: object) -> None:
        self.calls += 1


def scenario(
    aws_endpoint: str, endpoint: str, members: int, messages: int, cache_s: float
) -> dict[str, float]:
    ddb = boto3.client("dynamodb", endpoint_url=aws_endpoint)
    suffix = f"{members}-{int(cache_s * 1000)}"
    names = {"CONNECTIONS_TABLE": f"WSConnections{suffix}", "TOPICS_TABLE": f"WSTopics{suffix}"}
    provision(ddb, boto3.client("s3", endpoint_url=aws_endpoint), names)
    topics = TopicStore(ddb, names["TOPICS_TABLE"])
    ids = [f"Conn{i:06d}Abc=" for i in range(members)]
    for cid in ids:
        topics.join(TOPIC, Member(cid, f"sub-{cid}", "Bench Viewer", "b@example.com"), now_s=int(time.time()))
    registry = ConnectionRegistry(ddb, names["CONNECTIONS_TABLE"])
    broadcaster = Broadcaster(registry, AwsClients("us-east-1"), workers=32)
    relay = CursorRelay(topics, broadcaster, rate=1e9, burst=1e9, member_ttl_s=cache_s)
    caller = Caller(ids[0], endpoint)
    for i in range(20):  # warm-up: pools, threads, service models, the first lookup
        assert relay.cursor({"topic": TOPIC, "x": i, "y": i}, caller) is None
    counter = CallCounter()
    ddb.meta.events.register("before-call.dynamodb.*", counter)
    cpu, wall = time.process_time(), time.perf_counter()
    for i in range(messages):
        assert relay.cursor({"topic": TOPIC, "x": i, "y": -i}, caller) is None
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    ddb.meta.events.unregister("before-call.dynamodb.*", counter)
    posts = messages * (members - 1)
    return {
        "cpu_ms": cpu * 1000 / messages,
        "cpu_ms_per_post": cpu * 1000 / posts,
        "ddb": counter.calls / messages,
        "wall_ms": wall * 1000 / messages,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, nargs="+", default=[2, 5, 20, 50])
    parser.add_argument("--messages", type=int, default=300)
    args = parser.parse_args()

    endpoint, server = serve_in_subprocess("bench", 0.0)
    try:
        with EmbeddedAws() as aws:
            rows = [
                (
                    n,
                    scenario(aws.endpoint, endpoint, n, args.messages, 2.0),
                    scenario(aws.endpoint, endpoint, n, args.messages, 0.0),
                )
                for n in args.members
            ]
    finally:
        server.terminate()

    print(
        f"one relayed cursor ({args.messages} per topic size; this process's CPU;"
        f" load avg {os.getloadavg()[0]:.1f})"
    )
    print(
        f"  {'members':>7} | {'cached: CPU ms/msg':>18} {'CPU ms/post':>11} {'DynamoDB/msg':>12}"
        f" {'wall ms/msg':>11} | {'uncached: CPU ms/msg':>20} {'DynamoDB/msg':>12} | {'CPU ratio':>9}"
    )
    for n, cached, uncached in rows:
        print(
            f"  {n:>7} | {cached['cpu_ms']:18.2f} {cached['cpu_ms_per_post']:11.2f} {cached['ddb']:12.3f}"
            f" {cached['wall_ms']:11.2f} | {uncached['cpu_ms']:20.2f} {uncached['ddb']:12.3f}"
            f" | {uncached['cpu_ms'] / cached['cpu_ms']:8.2f}×"
        )


if __name__ == "__main__":
    main()

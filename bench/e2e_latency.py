"""Upload → metrics-update latency through the whole local stack, with 1 and with 100 clients.

Each sample: POST a text-layer PDF, then wait until every connected client has received the
metrics-update that counts it (HTTP → Lambda → DynamoDB → stream poller → Lambda → @connections
→ WebSocket). Uploads are sequential, so each frame belongs to exactly one upload.

    python bench/e2e_latency.py [--uploads 50] [--clients 1 100]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time

import requests
from _stackbench import ROOT, Clients, StackProcess, raise_fd_limit

PDF = (ROOT / "tests" / "fixtures" / "invoices" / "sample-invoice.pdf").read_bytes()


async def measure(stack: StackProcess, clients: int, uploads: int) -> list[float]:
    pool = Clients(stack.ws_url)
    await pool.connect(clients)
    await pool.connections[0].send('{"action":"getMetrics"}')
    await pool.changed.wait()
    total = pool.latest[0][1]
    session = requests.Session()
    samples = []
    for _ in range(uploads):
        started = time.perf_counter()
        response = await asyncio.to_thread(
            session.post, f"{stack.url}/api/invoices", files={"file": ("s.pdf", PDF)}, timeout=60
        )
        response.raise_for_status()
        total += 1
        arrived = await pool.all_reach(total)
        samples.append((arrived - started) * 1000)
    await pool.close()
    return samples


def pct(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--uploads", type=int, default=50)
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 100])
    args = parser.parse_args()
    raise_fd_limit()

    with StackProcess("--log-level", "WARNING") as stack:
        print(f"{args.uploads} sequential uploads of a text-layer PDF; until every client has the update")
        print(f"{'clients':>8} | {'p50':>8} | {'p95':>8} | {'max':>8}")
        for count in args.clients:
            samples = asyncio.run(measure(stack, count, args.uploads))
            print(f"{count:>8} | {statistics.median(samples):6.0f}ms | {pct(samples, 0.95):6.0f}ms | "
                  f"{max(samples):6.0f}ms")  # fmt: skip
    print("goal: p95 ≤ 250 ms with 100 clients")


if __name__ == "__main__":
    main()

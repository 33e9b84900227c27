"""One broadcast to 1,000 real WebSocket clients of the local gateway; and the stack's peak memory.

The broadcast is triggered the real way (an upload → stream → Lambda → @connections posts); the
time runs from the upload's HTTP answer to the moment the last client has the frame.

    python bench/fanout_local.py [--clients 1000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time

import requests
from _stackbench import ROOT, Clients, StackProcess, peak_rss_mb, raise_fd_limit

PDF = (ROOT / "tests" / "fixtures" / "invoices" / "sample-invoice.pdf").read_bytes()


async def run(stack: StackProcess, clients: int, rounds: int) -> tuple[list[float], float, float]:
    pool = Clients(stack.ws_url)
    started = time.perf_counter()
    await pool.connect(clients)
    connect_s = time.perf_counter() - started
    await pool.connections[0].send('{"action":"getMetrics"}')
    await pool.changed.wait()
    total = pool.latest[0][1]
    samples = []
    for _ in range(rounds):
        response = await asyncio.to_thread(
            requests.post, f"{stack.url}/api/invoices", files={"file": ("s.pdf", PDF)}, timeout=60
        )
        response.raise_for_status()
        answered = time.perf_counter()
        total += 1
        last = await pool.all_reach(total, timeout=60)  # raises if any client missed it
        samples.append(last - answered)
        await asyncio.sleep(1)
    rss = peak_rss_mb(stack.pid)
    await pool.close()
    return samples, connect_s, rss


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    raise_fd_limit()

    # Sign-in off: a token is checked once per connection, at $connect, never per broadcast.
    with StackProcess("--log-level", "WARNING", "--auth", "none") as stack:
        samples, connect_s, rss = asyncio.run(run(stack, args.clients, args.rounds))
    print(f"{args.clients:,} WebSocket clients connected in {connect_s:.1f} s")
    each = ", ".join(f"{s:.2f}" for s in samples)
    print(f"broadcast reached all of them in {statistics.median(samples):.2f} s (median; each: {each} s)")
    print("no client missed a broadcast")
    print(f"peak memory of the local stack (gateway + function environments + moto): {rss:.0f} MB")
    print("goal: ≤ 2 s, no client missed")


if __name__ == "__main__":
    main()

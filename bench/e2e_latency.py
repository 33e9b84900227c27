"""Upload → metrics-update latency through the whole local stack, with 1, 100 and 1,000 clients.

Each sample: POST a text-layer PDF, then wait until every connected client has received the
metrics-update that counts it (HTTP → Lambda → DynamoDB → stream poller → Lambda → @connections
→ WebSocket). Uploads are sequential, so each frame belongs to exactly one upload, and start at
least `--gap` seconds apart (default 1 s: broadcasts are paced at most one a second for small
audiences, realtime/pacing.py, so a faster upload's frame is a coalesced catch-up; `--gap 0`
measures that back-to-back case).

The stack runs with `--auth none` (no sign-in): the figures are about the fan-out, and a token
check per request would add the same small cost to every sample.

    python bench/e2e_latency.py [--uploads 50] [--clients 1 100 1000] [--gap 1.0]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import statistics
import time
from typing import Any

import requests
from _stackbench import ROOT, Clients, StackProcess, raise_fd_limit

PDF = (ROOT / "tests" / "fixtures" / "invoices" / "sample-invoice.pdf").read_bytes()


class FrameCounting(Clients):
    """Clients that count metrics-update frames: the snapshot's `total` covers the last 60 s, so
    it can fall while a run goes on (older uploads leave the window) and cannot identify a frame."""

    async def _read(self, conn: Any, index: int) -> None:
        async for raw in conn:
            if json.loads(raw).get("type") == "metrics-update":
                self.latest[index] = (time.perf_counter(), self.latest[index][1] + 1)
                self.changed.set()

    async def all_beyond(self, counts: list[int], timeout: float = 30.0) -> float:
        """Wait until every client has one frame more than `counts`; returns when the last did."""
        deadline = time.perf_counter() + timeout
        while not all(seen > before for (_, seen), before in zip(self.latest, counts, strict=True)):
            self.changed.clear()
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                missing = sum(seen <= b for (_, seen), b in zip(self.latest, counts, strict=True))
                raise TimeoutError(f"{missing} of {len(counts)} clients never got the update")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.changed.wait(), remaining)
        return max(at for at, _ in self.latest)


async def measure(stack: StackProcess, clients: int, uploads: int, gap_s: float) -> list[float]:
    pool = FrameCounting(stack.ws_url)
    await pool.connect(clients)
    await pool.connections[0].send('{"action":"getMetrics"}')
    await pool.changed.wait()
    session = requests.Session()
    samples: list[float] = []
    started = -gap_s
    for _ in range(uploads):
        await asyncio.sleep(max(0.0, started + gap_s - time.perf_counter()))
        counts = [seen for _, seen in pool.latest]
        started = time.perf_counter()
        response = await asyncio.to_thread(
            session.post, f"{stack.url}/api/invoices", files={"file": ("s.pdf", PDF)}, timeout=60
        )
        response.raise_for_status()
        arrived = await pool.all_beyond(counts)
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
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 100, 1000])
    parser.add_argument("--gap", type=float, default=1.0, help="seconds between upload starts (0: none)")
    args = parser.parse_args()
    raise_fd_limit()

    with StackProcess("--log-level", "WARNING", "--auth", "none") as stack:
        print(
            f"{args.uploads} sequential uploads of a text-layer PDF, ≥ {args.gap:g} s apart; "
            "until every client has the update"
        )
        print(f"{'clients':>8} | {'p50':>8} | {'p95':>8} | {'max':>8}")
        for count in args.clients:
            samples = asyncio.run(measure(stack, count, args.uploads, args.gap))
            print(f"{count:>8} | {statistics.median(samples):6.0f}ms | {pct(samples, 0.95):6.0f}ms | "
                  f"{max(samples):6.0f}ms")  # fmt: skip
    print(f"load average {os.getloadavg()[0]:.2f}; goal: p95 ≤ 250 ms with 100 clients, ≤ 600 ms with 1,000")


if __name__ == "__main__":
    main()

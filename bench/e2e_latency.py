"""Upload → metrics-update latency through the whole local stack, with 1, 100 and 1,000 clients,
and where the time goes, stage by stage.

Each sample: POST a text-layer PDF, then wait until every connected client has received the
metrics-update that counts it (HTTP → Lambda → DynamoDB → stream poller → Lambda → @connections
→ WebSocket). Uploads are sequential, so each frame belongs to exactly one upload, and start at
least `--gap` seconds apart (default 1 s: broadcasts are paced at most one a second for small
audiences, realtime/pacing.py, so a faster upload's frame is a coalesced catch-up; `--gap 0`
measures that back-to-back case).

The stack runs with `--timeline`: the stream poller, the function and the local gateway log when
each stage happened (epoch ms, DEBUG lines of `devstack.timeline` / `invoice_app.timeline`), and
the bench prints each stage's offset from the upload's start (median and p95):

    ingest-begin    the upload route began (after the gateway, sign-in, rate limit, idempotency)
    processed       the document was read (type, text, fields)
    original-stored the original was in S3
    invoice-stored  the invoice item was written
    metrics-recorded the rollups and the metric item (the stream's trigger) were written
    response        the upload's HTTP answer reached the bench
    stream-invoke   the stream poller handed the batch with the metric insert to the function
    broadcast-begin the function started the broadcast (a catch-up: the queue consumer did)
    due-received    (catch-ups through the queue only) the consumer got the delayed message
    wait            (superseded updates only) the invocation began to wait for the slot
    clock           the pacer gave the slot (one conditional UpdateItem on the clock item)
    snapshot        the snapshot was read (BatchGetItem of the rollups)
    gateway-first   the local gateway delivered the first post to its WebSocket
    frame-first     the first client had the frame
    gateway-last    the gateway delivered the last post
    posted          the function had every post's answer (after the connections scan and posts)
    frame-last      the last client had the frame (the bench's own loop reads 1,000 sockets)

The function environments are warm: before the first sample, concurrent uploads make each of the
stack's four serve one (an environment's first upload imports the processing stack: a cold start,
measured by bench/coldstart.py, not here). The stack runs with `--auth none` (no sign-in): the
figures are about the fan-out, and a token check per request would add the same small cost to
every sample.

    python bench/e2e_latency.py [--uploads 50] [--clients 1 100 1000] [--gap 1.0]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import statistics
import time
from dataclasses import dataclass, field
from typing import Any

import requests
from _stackbench import ROOT, Clients, StackProcess, raise_fd_limit

PDF = (ROOT / "tests" / "fixtures" / "invoices" / "sample-invoice.pdf").read_bytes()
MARK = re.compile(r"timeline ([a-z-]+) (\d+(?:\.\d+)?)")
# The function's marks in the order an update passes them (the upload's own stages, in the HTTP
# invocation, then the broadcast's): each sample takes the last of each before its broadcast's
# "posted".
ROUTE_STAGES = ("ingest-begin", "processed", "original-stored", "invoice-stored", "metrics-recorded")
FUNCTION_STAGES = (
    *ROUTE_STAGES,
    "stream-invoke",
    "broadcast-begin",
    "due-received",
    "wait",
    "clock",
    "snapshot",
)
STAGES = (
    *ROUTE_STAGES,
    "response",
    *FUNCTION_STAGES[len(ROUTE_STAGES) :],
    "gateway-first",
    "frame-first",
    "gateway-last",
    "posted",
    "frame-last",
)


@dataclass
class Sample:
    started: float  # epoch seconds
    response: float = 0.0
    first: float = 0.0
    last: float = 0.0
    stages: dict[str, float] = field(default_factory=dict)  # stage → ms after `started`
    caught_up: bool = False  # superseded: delivered by a catch-up (a wait for the slot, the queue)

    @property
    def latency_ms(self) -> float:
        return (self.last - self.started) * 1000


class FrameCounting(Clients):
    """Clients that count metrics-update frames: the snapshot's `total` covers the last 60 s, so
    it can fall while a run goes on (older uploads leave the window) and cannot identify a frame.
    Arrival times are wall-clock (time.time) to line up with the stack's timeline."""

    async def _read(self, conn: Any, index: int) -> None:
        async for raw in conn:
            # A substring test, not a parse: the loop reads 1,000 sockets, the bench's own cost.
            if '"type":"metrics-update"' in raw or json.loads(raw).get("type") == "metrics-update":
                self.latest[index] = (time.time(), self.latest[index][1] + 1)
                self.changed.set()

    async def all_beyond(self, counts: list[int], timeout: float = 30.0) -> tuple[float, float]:
        """Wait until every client has one frame more than `counts`; (first, last) arrival."""
        deadline = time.perf_counter() + timeout
        while not all(seen > before for (_, seen), before in zip(self.latest, counts, strict=True)):
            self.changed.clear()
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                missing = sum(seen <= b for (_, seen), b in zip(self.latest, counts, strict=True))
                raise TimeoutError(f"{missing} of {len(counts)} clients never got the update")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.changed.wait(), remaining)
        arrivals = [at for at, _ in self.latest]
        return min(arrivals), max(arrivals)


def scan_ms(stack: StackProcess) -> float:
    """The connections scan alone on the embedded AWS (what the broadcast reads before posting;
    the same projection as `registry.iter_targets`), median of 3."""
    client = stack.dynamodb()
    times = []
    for _ in range(3):
        started = time.perf_counter()
        for _page in client.get_paginator("scan").paginate(
            TableName="WSConnections", ProjectionExpression="connectionId, tokenExp"
        ):
            pass
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def warm_up(stack: StackProcess, environments: int = 4) -> None:
    """Concurrent uploads until each function environment has served one: the first upload of an
    environment imports the processing stack (a cold start, `bench/coldstart.py`'s subject)."""
    from concurrent.futures import ThreadPoolExecutor

    def upload(_: int) -> None:
        answer = requests.post(f"{stack.url}/api/invoices", files={"file": ("w.pdf", PDF)}, timeout=60)
        answer.raise_for_status()

    with ThreadPoolExecutor(environments * 2) as pool:
        list(pool.map(upload, range(environments * 3)))
    time.sleep(1.5)  # their broadcasts and catch-ups are over before the first sample


async def measure(
    stack: StackProcess, clients: int, uploads: int, gap_s: float
) -> tuple[list[Sample], float]:
    pool = FrameCounting(stack.ws_url)
    await pool.connect(clients)
    await pool.connections[0].send('{"action":"getMetrics"}')
    await pool.changed.wait()
    session = requests.Session()
    samples: list[Sample] = []
    started = -gap_s
    for _ in range(uploads):
        await asyncio.sleep(max(0.0, started + gap_s - time.time()))
        counts = [seen for _, seen in pool.latest]
        sample = Sample(started=time.time())
        started = sample.started
        response = await asyncio.to_thread(
            session.post, f"{stack.url}/api/invoices", files={"file": ("s.pdf", PDF)}, timeout=60
        )
        sample.response = time.time()
        response.raise_for_status()
        sample.first, sample.last = await pool.all_beyond(counts)
        samples.append(sample)
    scan = await asyncio.to_thread(scan_ms, stack)
    await pool.close()
    await asyncio.sleep(0.5)  # the gateway logs a burst once it is over
    return samples, scan


def attribute(samples: list[Sample], log: list[str]) -> None:
    """Give each sample the stack's marks of the broadcast that delivered its frame: the first
    `posted` after its upload started, and the latest mark of each stage before that."""
    marks = sorted((float(m[2]) / 1000, m[1]) for line in log for m in MARK.finditer(line))
    for sample in samples:
        # The next upload starts as soon as the last client has the frame, so this broadcast's
        # last marks (its "posted", the gateway's burst) can come after it: windows overlap.
        window = [(at, stage) for at, stage in marks if sample.started <= at <= sample.last + 0.2]
        # A late "posted" of the previous broadcast can fall in this window: the one that delivered
        # this frame ends after the first client had it (less a clock read's jitter).
        posted = next((at for at, s in window if s == "posted" and at >= sample.first - 0.05), None)
        found: dict[str, float] = {"response": sample.response, "frame-first": sample.first}
        found["frame-last"] = sample.last
        if posted is not None:
            found["posted"] = posted
            sample.caught_up = any(s in ("wait", "due-received") and at <= posted for at, s in window)
            for stage in FUNCTION_STAGES:
                before = [at for at, s in window if s == stage and at <= posted]
                if before:
                    found[stage] = before[-1]
        for stage in ("gateway-first", "gateway-last"):
            after = [at for at, s in window if s == stage and at >= sample.first - 0.05]
            if after:
                found[stage] = after[0]
        sample.stages = {stage: (at - sample.started) * 1000 for stage, at in found.items()}


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))]


def print_stages(count: int, samples: list[Sample]) -> None:
    print(f"\n{count} clients: ms after the upload started (median / p95, of {len(samples)} samples)")
    previous = 0.0
    for stage in STAGES:
        values = [s.stages[stage] for s in samples if stage in s.stages]
        if not values:
            continue
        median = statistics.median(values)
        note = f" ({len(values)} of {len(samples)})" if len(values) < len(samples) else ""
        print(f"  {stage:<16} {median:7.0f} / {pct(values, 0.95):6.0f}   +{median - previous:5.0f}{note}")
        previous = median


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--uploads", type=int, default=50)
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 100, 1000])
    parser.add_argument("--gap", type=float, default=1.0, help="seconds between upload starts (0: none)")
    args = parser.parse_args()
    raise_fd_limit()

    results: list[tuple[int, list[Sample], float, float, float]] = []
    with StackProcess("--log-level", "WARNING", "--auth", "none", "--timeline") as stack:
        warm_up(stack)
        for count in args.clients:
            load_before = os.getloadavg()[0]
            stack.log.clear()
            samples, scan = asyncio.run(measure(stack, count, args.uploads, args.gap))
            attribute(samples, list(stack.log))
            results.append((count, samples, load_before, os.getloadavg()[0], scan))
    print(
        f"{args.uploads} sequential uploads of a text-layer PDF, ≥ {args.gap:g} s apart; "
        "until every client has the update"
    )
    print(f"{'clients':>8} | {'p50':>8} | {'p95':>8} | {'max':>8} | caught up | load before/after")
    for count, samples, before, after, _ in results:
        latencies = [s.latency_ms for s in samples]
        caught_up = sum(s.caught_up for s in samples)
        print(f"{count:>8} | {statistics.median(latencies):6.0f}ms | {pct(latencies, 0.95):6.0f}ms | "
              f"{max(latencies):6.0f}ms | {caught_up:>9} | {before:.2f} / {after:.2f}")  # fmt: skip
    for count, samples, _, _, scan in results:
        print_stages(count, samples)
        print(f"  (the connections scan alone on the embedded AWS: {scan:.0f} ms)")
    print(f"\nload average {os.getloadavg()[0]:.2f}; goal: p95 ≤ 250 ms (100 clients), ≤ 600 ms (1,000)")


if __name__ == "__main__":
    main()

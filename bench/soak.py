"""Soak: 500 WebSocket clients and 5 uploads/s through the local stack, for minutes (bounded).

Prints, per minute: uploads answered (and how many failed), the p95 of the upload's HTTP answer,
the p95 of a broadcast's delivery (snapshot built → frame in a client, same clock), and at the end
the frames lost (goal 0: every broadcast any client saw must reach every client) and the memory of
the stack's processes (RSS of the gateway, the function environments and moto) at start and end.

    python bench/soak.py [--seconds 300] [--clients 500] [--rate 5]

A broadcast is identified by its snapshot (`timestamp`, `total`): the stream coalesces uploads,
so there are fewer broadcasts than uploads. Sign-in is off (a token is checked once per
connection, at $connect) and the upload budget is raised so one user can send 5/s.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import requests
import websockets
from _stackbench import ROOT, StackProcess, _process_tree, raise_fd_limit

PDF = (ROOT / "tests" / "fixtures" / "invoices" / "sample-invoice.pdf").read_bytes()


def _rss_kb(pid: int) -> int:
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return 0
    return sum(int(line.split()[1]) for line in lines if line.startswith("VmRSS:"))


def rss_by_role(pid: int) -> dict[str, float]:
    """Resident memory (VmRSS, MB) of the stack's processes by role: the gateway (the stack's own
    process, with the stream and queue pollers), the embedded AWS (moto: the first process the
    stack spawns, before the function's workers) and the function environments (the other spawned
    workers, summed); multiprocessing's resource tracker is left out (a few MB)."""
    members = [m for m in _process_tree(pid) if m != pid]
    spawned = []
    for member in members:
        try:
            cmdline = Path(f"/proc/{member}/cmdline").read_bytes()
        except OSError:
            continue
        if b"resource_tracker" not in cmdline:
            spawned.append(member)
    spawned.sort()
    roles = {"gateway": _rss_kb(pid), "moto": 0, "functions": 0}
    if spawned:
        roles["moto"] = _rss_kb(spawned[0])
        roles["functions"] = sum(_rss_kb(m) for m in spawned[1:])
    return {role: kb / 1024 for role, kb in roles.items()}


def p95(values: list[float]) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


class Soak:
    def __init__(self, stack: StackProcess, clients: int, rate: float, seconds: float) -> None:
        self.stack, self.clients, self.rate, self.seconds = stack, clients, rate, seconds
        self.seen: dict[tuple[int, int], set[int]] = defaultdict(set)  # broadcast → clients
        self.delivery_ms: dict[int, list[float]] = defaultdict(list)  # minute → delivery times
        self.upload_ms: dict[int, list[float]] = defaultdict(list)
        self.upload_failed: dict[int, int] = defaultdict(int)
        self.closed_early = 0
        self.started = 0.0

    def minute(self, at: float) -> int:
        return int((at - self.started) // 60)

    async def reader(self, conn: Any, index: int) -> None:
        try:
            async for raw in conn:
                frame = json.loads(raw)
                if frame.get("type") != "metrics-update":
                    continue
                now = time.time()
                data = frame["data"]
                self.seen[(data["timestamp"], data["total"])].add(index)
                self.delivery_ms[self.minute(now)].append(now * 1000 - data["timestamp"])
        except websockets.ConnectionClosed:
            self.closed_early += 1

    def upload(self) -> None:
        sent = time.time()
        try:
            answer = requests.post(
                f"{self.stack.url}/api/invoices", files={"file": ("s.pdf", PDF)}, timeout=60
            )
            ok = answer.status_code == 200
        except requests.RequestException:
            ok = False
        if ok:
            self.upload_ms[self.minute(sent)].append((time.time() - sent) * 1000)
        else:
            self.upload_failed[self.minute(sent)] += 1

    async def run(self) -> tuple[dict[str, float], dict[str, float]]:
        gate = asyncio.Semaphore(50)

        async def connect() -> Any:
            async with gate:
                return await websockets.connect(
                    self.stack.ws_url, ping_interval=None, max_size=2**20, open_timeout=60
                )

        conns = await asyncio.gather(*(connect() for _ in range(self.clients)))
        readers = [asyncio.create_task(self.reader(c, i)) for i, c in enumerate(conns)]
        await asyncio.sleep(2)
        rss_start = rss_by_role(self.stack.pid)
        self.started = time.time()
        loop = asyncio.get_running_loop()
        pending = []
        last_ping = self.started
        with ThreadPoolExecutor(max_workers=16) as pool:
            n = 0
            while time.time() - self.started < self.seconds:
                due = self.started + n / self.rate
                if due > time.time():
                    await asyncio.sleep(due - time.time())
                pending.append(loop.run_in_executor(pool, self.upload))
                n += 1
                # The gateway closes a connection idle for 10 min (as API Gateway): ping now and then.
                if time.time() - last_ping > 240:
                    last_ping = time.time()
                    for conn in conns:
                        await conn.send('{"action":"ping"}')
            await asyncio.gather(*pending)
        await asyncio.sleep(5)  # the last broadcasts arrive
        rss_end = rss_by_role(self.stack.pid)
        for task in readers:
            task.cancel()
        await asyncio.gather(*(c.close() for c in conns), return_exceptions=True)
        return rss_start, rss_end

    def report(self, rss_start: dict[str, float], rss_end: dict[str, float]) -> None:
        minutes = sorted(set(self.upload_ms) | set(self.upload_failed) | set(self.delivery_ms))
        print(f"{self.clients} WebSocket clients, {self.rate:g} uploads/s for {self.seconds:.0f} s")
        print("minute | uploads ok | failed | upload p95 ms | broadcast delivery p95 ms (frames)")
        for m in minutes:
            if m * 60 >= self.seconds + 5:
                continue
            ups, deliveries = self.upload_ms.get(m, []), self.delivery_ms.get(m, [])
            print(
                f"{m:6d} | {len(ups):10d} | {self.upload_failed.get(m, 0):6d} | {p95(ups):13.0f} |"
                f" {p95(deliveries):9.0f} ({len(deliveries)})"
            )
        broadcasts = len(self.seen)
        lost = sum(self.clients - len(receivers) for receivers in self.seen.values())
        all_delivery = [v for values in self.delivery_ms.values() for v in values]
        print(f"broadcasts seen: {broadcasts}; frames delivered: {len(all_delivery)}")
        print(f"frames lost: {lost} (goal 0); connections closed early: {self.closed_early}")
        if all_delivery:
            print(f"delivery median {statistics.median(all_delivery):.0f} ms, p95 {p95(all_delivery):.0f} ms")
        print(
            f"stack memory (RSS, all processes): start {sum(rss_start.values()):.0f} MB, "
            f"end {sum(rss_end.values()):.0f} MB"
        )
        for role in rss_start:
            print(f"  {role:<10} {rss_start[role]:6.0f} MB → {rss_end[role]:6.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=300.0)
    parser.add_argument("--clients", type=int, default=500)
    parser.add_argument("--rate", type=float, default=5.0, help="uploads per second")
    args = parser.parse_args()
    raise_fd_limit()
    per_minute = str(int(args.rate * 60 * 2) + 10)
    with StackProcess("--log-level", "WARNING", "--auth", "none", "--upload-rate", per_minute) as stack:
        soak = Soak(stack, args.clients, args.rate, args.seconds)
        rss_start, rss_end = asyncio.run(soak.run())
        soak.report(rss_start, rss_end)


if __name__ == "__main__":
    main()

"""Shared pieces of the local-stack benchmarks: start the stack, connect many clients, read memory."""

from __future__ import annotations

import asyncio
import json
import resource
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "backend"), str(ROOT / "infra"), str(ROOT)]

import websockets  # noqa: E402

from tests.helpers.stack_process import StackProcess  # noqa: E402

__all__ = ["ROOT", "Clients", "StackProcess", "peak_rss_mb", "raise_fd_limit"]


def raise_fd_limit() -> None:
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def _process_tree(pid: int) -> list[int]:
    pids = [pid]
    for task in Path(f"/proc/{pid}/task").iterdir():
        children = (task / "children").read_text().split()
        for child in children:
            pids.extend(_process_tree(int(child)))
    return pids


def peak_rss_mb(pid: int) -> float:
    """Peak resident memory (VmHWM) of a process and all its descendants, summed, in MB."""
    total_kb = 0
    for member in _process_tree(pid):
        for line in Path(f"/proc/{member}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                total_kb += int(line.split()[1])
    return total_kb / 1024


class Clients:
    """Many WebSocket clients in one event loop; each remembers when it last saw a metrics-update."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.connections: list[Any] = []
        self.latest: list[tuple[float, int]] = []  # (arrival time, total) per client
        self._readers: list[asyncio.Task[None]] = []
        self.changed = asyncio.Event()

    async def connect(self, count: int, concurrency: int = 50) -> None:
        gate = asyncio.Semaphore(concurrency)

        async def one() -> None:
            async with gate:
                conn = await websockets.connect(self.url, ping_interval=None, max_size=2**20, open_timeout=60)
            index = len(self.connections)
            self.connections.append(conn)
            self.latest.append((0.0, -1))
            self._readers.append(asyncio.create_task(self._read(conn, index)))

        await asyncio.gather(*(one() for _ in range(count)))

    async def _read(self, conn: Any, index: int) -> None:
        async for raw in conn:
            frame = json.loads(raw)
            if frame.get("type") == "metrics-update":
                self.latest[index] = (time.perf_counter(), frame["data"]["total"])
                self.changed.set()

    async def all_reach(self, total: int, timeout: float = 30.0) -> float:
        """Wait until every client has seen a total ≥ `total`; returns when the last one did."""
        deadline = time.perf_counter() + timeout
        while True:
            if all(seen >= total for _, seen in self.latest):
                return max(at for at, _ in self.latest)
            self.changed.clear()
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                missing = sum(1 for _, seen in self.latest if seen < total)
                raise TimeoutError(f"{missing} of {len(self.latest)} clients never saw total {total}")
            try:
                await asyncio.wait_for(self.changed.wait(), remaining)
            except TimeoutError:
                continue

    async def close(self) -> None:
        for task in self._readers:
            task.cancel()
        await asyncio.gather(*(c.close() for c in self.connections), return_exceptions=True)

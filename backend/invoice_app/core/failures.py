"""Failures that were logged but did not fail the request (shown by /api/health)."""

from __future__ import annotations

import threading
from collections import Counter


class FailureCounter:
    """Counts by kind ("metrics", "broadcast", "cleanup", …); safe across threads."""

    def __init__(self) -> None:
        self._counts: Counter[str] = Counter()
        self._lock = threading.Lock()

    def add(self, kind: str) -> None:
        with self._lock:
            self._counts[kind] += 1

    def snapshot(self) -> dict[str, int]:
        with self._lock:
            return dict(self._counts)

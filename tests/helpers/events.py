"""Recorded AWS events from tests/events/."""

from __future__ import annotations

import copy
import json
from typing import Any

from .samples import ROOT

EVENTS_DIR = ROOT / "tests" / "events"


def load_event(name: str) -> dict[str, Any]:
    """A recorded AWS event (a fresh copy each call)."""
    with open(EVENTS_DIR / f"{name}.json", encoding="utf-8") as fh:
        return copy.deepcopy(json.load(fh))

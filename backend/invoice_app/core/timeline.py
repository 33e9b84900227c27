"""When each stage of an upload and of its broadcast happened, for `bench/e2e_latency.py`.

`invoice_app.timeline` at DEBUG logs one line per stage (epoch ms); it is off unless that logger
is set to DEBUG (the local stack's `--timeline`), and costs one level check per stage when off.
"""

from __future__ import annotations

import logging
import time

timeline = logging.getLogger("invoice_app.timeline")


def mark(stage: str) -> None:
    """Log when `stage` happened; one level check when off."""
    if timeline.isEnabledFor(logging.DEBUG):
        timeline.debug("timeline %s %.3f", stage, time.time() * 1000)

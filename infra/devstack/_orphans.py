"""Child processes of the local stack exit when the stack's main process is gone (even on kill -9)."""

from __future__ import annotations

import os
import threading


def exit_with_parent(interval_s: float = 1.0) -> None:
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            threading.Event().wait(interval_s)
        os._exit(0)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()

"""`@rate_limited("upload")`: the caller's per-minute budget, counted before the view does any work.

    @bp.post("/api/invoices")
    @requires(Role.REVIEWER)
    @rate_limited("upload")
    @idempotent
    def receive(): ...

The auth guard (a `before_request`) has run, so the caller is the verified `sub`. Over the budget:
429 `{"error"}` with `Retry-After` (seconds to the next window), nothing read or written. The
counter's store failing: 503, fail closed (logged), because a limit that cannot count would let a
flood straight through to the OCR stack. Idempotent replays count too: the counter runs first.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from flask.typing import ResponseReturnValue

from ..auth.http import current_identity
from ..core.errors import AppError, StorageUnavailable
from ..core.http import services

log = logging.getLogger(__name__)

F = TypeVar("F", bound=Callable[..., ResponseReturnValue])


class TooManyRequests(AppError):
    status = 429

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after

    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after)}


def rate_limited(scope: str) -> Callable[[F], F]:
    def decorate(view: F) -> F:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> ResponseReturnValue:
            limiter = services().rate_limiter(scope)
            caller = current_identity().sub
            try:
                decision = limiter.hit(caller)
            except StorageUnavailable as exc:
                log.error("rate limiter %s unavailable (failing closed): %s", scope, exc)
                services().failures.add("ratelimit")
                raise
            if not decision.allowed:
                log.warning("rate limit %s reached by %s", scope, caller)
                raise TooManyRequests(
                    f"too many {scope}s: at most {limiter.limit} per {limiter.window_seconds} s; "
                    f"retry in {decision.retry_after} s",
                    decision.retry_after,
                )
            return view(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate

"""Invoke the real Lambda handler the way the Lambda service does, in this process.

The handler module is imported once (one warm execution environment), invocations run in
parallel on a thread pool (Lambda's concurrency), events and results go through JSON exactly as
they cross the Lambda API, and the synchronous payload limit of 6 MB is enforced.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import logging
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)

MAX_SYNC_PAYLOAD = 6 * 1024 * 1024


class PayloadTooLarge(Exception):
    """The event is over Lambda's 6 MB synchronous invocation limit (API Gateway answers 413)."""


class InvocationFailed(Exception):
    """The handler raised or returned something that is not JSON (API Gateway answers 500)."""


@dataclass
class LambdaContext:
    """The attributes of Lambda's context object that handlers commonly read."""

    function_name: str
    timeout_s: float
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    function_version: str = "$LATEST"
    memory_limit_in_mb: int = 1024
    log_group_name: str = ""
    log_stream_name: str = "local"
    _deadline: float = 0.0

    def __post_init__(self) -> None:
        self._deadline = time.monotonic() + self.timeout_s
        self.invoked_function_arn = f"arn:aws:lambda:us-east-1:000000000000:function:{self.function_name}"
        self.log_group_name = f"/aws/lambda/{self.function_name}"

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


class LocalLambda:
    def __init__(
        self,
        handler: str = "app.lambda_handler",
        *,
        function_name: str = "InvoiceFunction",
        concurrency: int = 16,
        timeout_s: float = 29.0,
    ) -> None:
        module_name, _, attr = handler.rpartition(".")
        self._handler = getattr(importlib.import_module(module_name), attr)
        self._function_name = function_name
        self._timeout_s = timeout_s
        self._pool = ThreadPoolExecutor(concurrency, thread_name_prefix="lambda")

    def invoke_sync(self, event: dict[str, Any]) -> Any:
        payload = json.dumps(event)
        if len(payload) > MAX_SYNC_PAYLOAD:
            raise PayloadTooLarge(f"event of {len(payload):,} bytes exceeds Lambda's {MAX_SYNC_PAYLOAD:,}")
        context = LambdaContext(self._function_name, self._timeout_s)
        try:
            result = self._handler(json.loads(payload), context)
            return json.loads(json.dumps(result))
        except Exception as exc:  # the Lambda service reports any handler error to its caller
            log.exception("invocation %s failed", context.aws_request_id)
            raise InvocationFailed(f"{type(exc).__name__}: {exc}") from exc

    async def invoke(self, event: dict[str, Any]) -> Any:
        return await asyncio.get_running_loop().run_in_executor(self._pool, self.invoke_sync, event)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

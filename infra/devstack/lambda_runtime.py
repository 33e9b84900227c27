"""Invoke the real Lambda handler the way the Lambda service does.

Each worker process is one execution environment: it imports the handler once (a cold start),
then serves one invocation at a time; several workers give Lambda's concurrency. Events and
results cross the process boundary as JSON, exactly as they cross the Lambda API, and the 6 MB
limit of a synchronous invocation is enforced. Separate processes also keep the function's CPU
work (OCR, boto3 calls) off the gateway's event loop, as on AWS.

The function's environment variables are handed to `LocalLambda` and set in each worker before
the handler is imported; the caller's own process environment is left alone.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import logging
import multiprocessing
import os
import sys
import time
import uuid
from collections.abc import Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from invoice_app.core.limits import LAMBDA_SYNC_PAYLOAD_BYTES

log = logging.getLogger(__name__)


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
    log_stream_name: str = "local"
    _deadline: float = 0.0

    def __post_init__(self) -> None:
        self._deadline = time.monotonic() + self.timeout_s
        self.invoked_function_arn = f"arn:aws:lambda:us-east-1:000000000000:function:{self.function_name}"
        self.log_group_name = f"/aws/lambda/{self.function_name}"

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


# -- inside a worker process -----------------------------------------------------------------
_handler: Any = None


def _start_environment(
    code_dir: str,
    handler: str,
    log_level: int,
    environment: dict[str, str],
    logger_levels: dict[str, int] | None = None,
) -> None:
    global _handler
    from ._orphans import exit_with_parent

    exit_with_parent()
    # On top of what the worker inherits (PATH, HOME…), before the handler's import reads it.
    os.environ.update(environment)
    logging.basicConfig(level=log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for name, level in (logger_levels or {}).items():  # e.g. the bench's invoice_app.timeline
        logging.getLogger(name).setLevel(level)
    sys.path.insert(0, code_dir)  # like /var/task on Lambda
    module_name, _, attr = handler.rpartition(".")
    _handler = getattr(importlib.import_module(module_name), attr)


def _invoke_in_environment(payload: str, function_name: str, timeout_s: float) -> str:
    context = LambdaContext(function_name, timeout_s)
    try:
        return json.dumps(_handler(json.loads(payload), context))
    except Exception:
        logging.getLogger(__name__).exception("invocation %s failed", context.aws_request_id)
        raise


# -- in the gateway's process ----------------------------------------------------------------
class LocalLambda:
    def __init__(
        self,
        handler: str = "app.lambda_handler",
        *,
        code_dir: Path,
        function_name: str = "InvoiceFunction",
        concurrency: int = 4,
        timeout_s: float = 29.0,
        environment: Mapping[str, str] | None = None,
        logger_levels: Mapping[str, int] | None = None,
    ) -> None:
        self._function_name = function_name
        self._timeout_s = timeout_s
        self._pool_args: dict[str, Any] = {
            "max_workers": concurrency,
            # "spawn": a clean interpreter per environment, whatever threads this process runs.
            "mp_context": multiprocessing.get_context("spawn"),
            "initializer": _start_environment,
            "initargs": (
                str(code_dir),
                handler,
                logging.getLogger().getEffectiveLevel(),
                dict(environment or {}),
                dict(logger_levels or {}),
            ),
        }
        self._pool = ProcessPoolExecutor(**self._pool_args)

    def _submit(self, event: dict[str, Any]) -> Future[str]:
        payload = json.dumps(event)
        if len(payload) > LAMBDA_SYNC_PAYLOAD_BYTES:
            raise PayloadTooLarge(
                f"event of {len(payload):,} bytes exceeds Lambda's {LAMBDA_SYNC_PAYLOAD_BYTES:,}"
            )
        return self._pool.submit(_invoke_in_environment, payload, self._function_name, self._timeout_s)

    def _failed(self, exc: Exception) -> InvocationFailed:
        if isinstance(exc, BrokenProcessPool):
            # An environment died (a crash in a native library): Lambda would start a new one.
            log.error("a function environment died; starting fresh ones")
            broken, self._pool = self._pool, ProcessPoolExecutor(**self._pool_args)
            broken.shutdown(wait=False, cancel_futures=True)
        return InvocationFailed(f"{type(exc).__name__}: {exc}")

    def invoke_sync(self, event: dict[str, Any]) -> Any:
        future = self._submit(event)
        try:
            return json.loads(future.result())
        except Exception as exc:  # the Lambda service reports any handler error to its caller
            raise self._failed(exc) from exc

    async def invoke(self, event: dict[str, Any]) -> Any:
        future = self._submit(event)
        try:
            return json.loads(await asyncio.wrap_future(future))
        except Exception as exc:
            raise self._failed(exc) from exc

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

"""Runs in a fresh interpreter (`python -I -S`): the built artifact and the stdlib, nothing else.

    python -I -S lambda_driver.py ARTIFACT_DIR < invocations.json > results.json

Imports `app` from the artifact the way the Lambda runtime does (the artifact is /var/task,
the first entry of sys.path), invokes `lambda_handler` with each recorded event in order, as one
warm execution environment would, and reports the answers and where every module came from.
Logs go to stderr.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import sysconfig
import uuid
from typing import Any


class LambdaContext:
    """The attributes of the runtime's context object that handlers commonly touch."""

    function_name = "invoice-function"
    function_version = "$LATEST"
    memory_limit_in_mb = 1024
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:invoice-function"
    log_group_name = "/aws/lambda/invoice-function"
    log_stream_name = "2026/11/22/[$LATEST]0123456789abcdef"

    def __init__(self) -> None:
        self.aws_request_id = str(uuid.uuid4())

    def get_remaining_time_in_millis(self) -> int:
        return 29_000


def module_origins(artifact: str) -> dict[str, list[str]]:
    """Imported modules by origin: the artifact, the stdlib, or somewhere else (a leak)."""
    stdlib = {os.path.realpath(sysconfig.get_paths()[k]) for k in ("stdlib", "platstdlib")}
    origins: dict[str, list[str]] = {"artifact": [], "stdlib": [], "elsewhere": []}
    for name, module in sorted(sys.modules.items()):
        path = getattr(module, "__file__", None)
        if not path:
            continue  # built-in or namespace module
        real = os.path.realpath(path)
        if real == os.path.realpath(__file__):
            continue  # this driver (as __main__, and __mp_main__ once multiprocessing is loaded)
        if real.startswith(artifact + os.sep):
            origins["artifact"].append(name)
        elif any(real.startswith(root + os.sep) for root in stdlib):
            origins["stdlib"].append(name)
        else:
            origins["elsewhere"].append(f"{name} ({real})")
    return origins


def main() -> int:
    artifact = os.path.realpath(sys.argv[1])
    sys.path.insert(0, artifact)
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s")
    invocations: list[dict[str, Any]] = json.load(sys.stdin)

    import app  # the SAM handler's module: app.lambda_handler

    results = []
    for item in invocations:
        response = app.lambda_handler(item["event"], LambdaContext())
        results.append({"name": item["name"], "response": response})
    report = {
        "results": results,
        "appFile": os.path.realpath(app.__file__),
        "sysPath": sys.path,
        "modules": module_origins(artifact),
    }
    # The last line: the function writes its own lines to stdout too (EMF metrics, as on Lambda).
    sys.stdout.write("\n" + json.dumps(report) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

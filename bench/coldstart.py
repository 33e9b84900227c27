"""Cold-start cost: importing backend/app.py and building the app, vs importing its framework alone.

Each sample is a fresh interpreter that times its own imports (interpreter start-up excluded);
the two kinds of process alternate so machine noise hits both alike.

    python bench/coldstart.py [--runs 15] [--powertools]

`--powertools` also times the logging/metrics choice side by side: the app with Powertools'
`Logger` + `Metrics` built at cold start, and each library's own import cost after the framework
(our `core/logging.py` vs `aws_lambda_powertools` Logger + Metrics). Needs
`pip install aws-lambda-powertools` (not a dependency of the function).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

BASELINE = """
import time; t = time.perf_counter()
import flask, serverless_wsgi, boto3
print((time.perf_counter() - t) * 1000)
"""

OURS = """
import time; t = time.perf_counter()
import app
app.get_app()
print((time.perf_counter() - t) * 1000)
"""

WITH_POWERTOOLS = """
import time; t = time.perf_counter()
import app
app.get_app()
from aws_lambda_powertools import Logger, Metrics
Logger(service="invoices"); Metrics(namespace="InvoiceApp", service="invoices")
print((time.perf_counter() - t) * 1000)
"""

LOGGING_OURS = """
import flask, serverless_wsgi, boto3, importlib.util
import time; t = time.perf_counter()
# the module on its own (importing the package would build the whole app)
spec = importlib.util.spec_from_file_location("app_logging", "invoice_app/core/logging.py")
m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)
m.configure_logging("json")
print((time.perf_counter() - t) * 1000)
"""

LOGGING_POWERTOOLS = """
import flask, serverless_wsgi, boto3
import time; t = time.perf_counter()
from aws_lambda_powertools import Logger, Metrics
Logger(service="invoices"); Metrics(namespace="InvoiceApp", service="invoices")
print((time.perf_counter() - t) * 1000)
"""

HEAVY = (
    "pypdfium2",
    "PIL",
    "numpy",
    "onnxruntime",
    "cv2",
    "tesserocr",
    "rapidocr_onnxruntime",
    "openvino",
    "jwt",
)
# What the template gives the function (a user pool is required: sign-in fails closed).
ENV = {**os.environ, "COGNITO_USER_POOL_ID": "us-east-1_Bench1", "COGNITO_CLIENT_ID": "bench"}


def sample(code: str) -> float:
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT / "backend",
        capture_output=True,
        text=True,
        check=True,
        env=ENV,
    )
    return float(out.stdout.strip())


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--powertools", action="store_true", help="compare Powertools Logger + Metrics")
    args = parser.parse_args()

    check = (
        f"import sys, app; app.get_app(); print(','.join(m for m in {HEAVY!r} if m in sys.modules));"
        "print(sum(m.startswith('invoice_app') for m in sys.modules))"
    )
    loaded, ours_count = subprocess.run(
        [sys.executable, "-c", check],
        cwd=ROOT / "backend",
        capture_output=True,
        text=True,
        check=True,
        env=ENV,
    ).stdout.split("\n")[:2]
    total = sum(1 for _ in (ROOT / "backend" / "invoice_app").rglob("*.py"))

    base, ours = [], []
    for _ in range(args.runs):
        base.append(sample(BASELINE))
        ours.append(sample(OURS))
    b, o = statistics.median(base), statistics.median(ours)
    print(f"fresh processes, median of {args.runs}")
    print(f"  import flask + serverless_wsgi + boto3 : {b:6.1f} ms")
    print(f"  import app + create_app()              : {o:6.1f} ms")
    print(f"  ratio                                  : {o / b:6.2f}×  (goal ≤ 1.15×)")
    print(f"  heavy libraries loaded at cold start   : {loaded or 'none'}")
    print(f"  the app's modules loaded at cold start : {ours_count} of {total}")
    if args.powertools:
        compare_powertools(args.runs, b, o)


def compare_powertools(runs: int, base_ms: float, ours_ms: float) -> None:
    pt, lib_ours, lib_pt = [], [], []
    for _ in range(runs):
        pt.append(sample(WITH_POWERTOOLS))
        lib_ours.append(sample(LOGGING_OURS))
        lib_pt.append(sample(LOGGING_POWERTOOLS))
    p = statistics.median(pt)
    print("logging + metrics, same run")
    print(f"  app + Powertools Logger + Metrics      : {p:6.1f} ms  ({p / base_ms:4.2f}× the framework)")
    print(f"  app with core/logging.py (above)       : {ours_ms:6.1f} ms  ({ours_ms / base_ms:4.2f}×)")
    print(f"  core/logging.py alone, after framework : {statistics.median(lib_ours):6.1f} ms")
    print(f"  Powertools Logger + Metrics alone      : {statistics.median(lib_pt):6.1f} ms")


if __name__ == "__main__":
    main()

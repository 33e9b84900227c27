"""Cold-start cost: importing backend/app.py and building the app, vs importing its framework alone.

Each sample is a fresh interpreter that times its own imports (interpreter start-up excluded);
the two kinds of process alternate so machine noise hits both alike.

    python bench/coldstart.py [--runs 15]
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

HEAVY = ("pypdfium2", "PIL", "numpy", "onnxruntime", "cv2", "pytesseract", "rapidocr_onnxruntime", "jwt")
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
    args = parser.parse_args()

    check = f"import sys, app; app.get_app(); print(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    loaded = subprocess.run(
        [sys.executable, "-c", check],
        cwd=ROOT / "backend",
        capture_output=True,
        text=True,
        check=True,
        env=ENV,
    ).stdout.strip()

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


if __name__ == "__main__":
    main()

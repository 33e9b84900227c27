"""Processing benchmark: time per page per engine, peak memory, and the upload route end to end.

    python bench/processing.py [--repeat N]

Prints figures, asserts nothing. Every engine runs in its own child process, so each one's peak
memory (max RSS, plus the tesseract processes it starts) is its own, and the engines are measured
side by side in one run on the same files:
  - text-layer PDF (zugferd_2p0_BASIC_Einfach.pdf, 2 pages): pdfium only
  - scanned PDF (invoice.png as an image-only PDF): render + OCR
  - photo-like JPEG (receipt.jpg, a phone photo of a till receipt)
Then, in this process: the text-layer PDF and the image through POST /receive (Flask test client
on moto) — goals ≤ 50 ms and ≤ 2 s.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "invoices"
sys.path[:0] = [str(ROOT / "backend"), str(ROOT / "infra"), str(ROOT)]

GOAL_ROUTE_PDF_MS = 50
GOAL_IMAGE_S = 2.0


def scanned_pdf() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.open(FIXTURES / "invoice.png").convert("RGB").save(buffer, format="PDF", resolution=100.0)
    return buffer.getvalue()


def documents() -> dict[str, tuple[bytes, str]]:
    return {
        "text-layer PDF": ((FIXTURES / "zugferd_2p0_BASIC_Einfach.pdf").read_bytes(), "application/pdf"),
        "scanned PDF": (scanned_pdf(), "application/pdf"),
        "photo JPEG": ((FIXTURES / "receipt.jpg").read_bytes(), "image/jpeg"),
    }


def worker(engine: str, repeat: int) -> dict[str, object]:
    """Runs in a child process: per-page times of one engine on each document, then peak memory."""
    from invoice_app.processing.pipeline import DocumentProcessor
    from invoice_app.processing.types import Document

    processor = DocumentProcessor(engine)
    started = time.perf_counter()
    processor.engine()
    load_s = time.perf_counter() - started
    figures: dict[str, object] = {"engine": processor.engine_name, "load_s": load_s}
    for label, (data, media_type) in documents().items():
        processor.process(Document(data, media_type))  # warm-up: first-call costs are not per page
        times = []
        pages = 1
        for _ in range(repeat):
            t0 = time.perf_counter()
            result = processor.process(Document(data, media_type))
            times.append(time.perf_counter() - t0)
            pages = result.detection.pages
        figures[label] = statistics.median(times) / pages
    usage_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    usage_children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    figures["peak_rss_mb"] = usage_self / 1024
    figures["peak_child_rss_mb"] = usage_children / 1024
    return figures


def num(figures: dict[str, object], key: str) -> float:
    value = figures[key]
    assert isinstance(value, int | float)
    return float(value)


def run_worker(engine: str, repeat: int) -> dict[str, object] | None:
    env = {**os.environ, "PYTHONPATH": f"{ROOT / 'backend'}:{ROOT}"}
    proc = subprocess.run(
        [sys.executable, __file__, "--worker", engine, "--repeat", str(repeat)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if proc.returncode != 0:
        print(f"  {engine}: failed\n{proc.stderr.strip()[-800:]}")
        return None
    return json.loads(proc.stdout.strip().splitlines()[-1])


def route_figures(repeat: int) -> tuple[float, float, str]:
    """Median ms of the text-layer PDF and s of the image through POST /receive on moto."""
    import boto3
    from moto import mock_aws

    from devstack.template import provision
    from invoice_app import create_app
    from tests.helpers.cognito import JwksServer, UserPool
    from tests.helpers.names import unique_names

    for var, value in {
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        os.environ[var] = value
    os.environ.pop("AWS_ENDPOINT_URL", None)
    names = unique_names()
    # Signed in like a browser: the route's figures include verifying a real (moto) token.
    with mock_aws(), JwksServer() as jwks:
        provision(boto3.client("dynamodb"), boto3.client("s3"), names)
        pool = UserPool.create()
        app = create_app({**names, **pool.env(jwks.url), "BROADCAST_MODE": "stream"})
        client = app.test_client()
        client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {pool.id_token('reviewer')}"

        def post(path: Path) -> tuple[float, str]:
            data = path.read_bytes()
            t0 = time.perf_counter()
            response = client.post(
                "/receive", data={"file": (io.BytesIO(data), path.name)}, content_type="multipart/form-data"
            )
            elapsed = time.perf_counter() - t0
            assert response.status_code == 200, response.get_json()
            return elapsed, response.get_json()["engine"]

        post(FIXTURES / "zugferd_2p0_BASIC_Einfach.pdf")  # warm-up (first request, lazy imports)
        pdf = statistics.median(
            post(FIXTURES / "zugferd_2p0_BASIC_Einfach.pdf")[0] for _ in range(repeat * 5)
        )
        post(FIXTURES / "invoice.png")
        runs = [post(FIXTURES / "invoice.png") for _ in range(repeat)]
        image = statistics.median(t for t, _ in runs)
        return pdf * 1000, image, runs[0][1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--worker", default=None)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.repeat)))
        return

    print(f"processing benchmark ({os.cpu_count()} cores, median of {args.repeat} runs per document)\n")
    from invoice_app.processing.engines import tesseract_available

    engines = ["rapidocr"] + (["tesseract"] if tesseract_available() else [])
    results = [r for e in engines if (r := run_worker(e, args.repeat)) is not None]
    labels = ["text-layer PDF", "scanned PDF", "photo JPEG"]
    header = f"{'OCR engine':<12}{'load s':>8}" + "".join(f"{label + ' s/page':>24}" for label in labels)
    print(header + f"{'peak RSS MB':>13}{'+ tesseract':>13}")
    for r in results:
        cells = "".join(f"{num(r, label):>24.3f}" for label in labels)
        rss = f"{num(r, 'peak_rss_mb'):>13.0f}{num(r, 'peak_child_rss_mb'):>13.0f}"
        print(f"{r['engine']!s:<12}{num(r, 'load_s'):>8.2f}{cells}{rss}")

    if results:
        print("\nratios (same run):")
        for r in results:
            text_layer = num(r, "text-layer PDF")
            print(
                f"  {r['engine']}: photo page = {num(r, 'photo JPEG') / text_layer:,.0f}× a text-layer page,"
                f" scanned page = {num(r, 'scanned PDF') / text_layer:,.0f}×"
            )
        if len(results) == 2:
            a, b = results
            ratio = num(a, "photo JPEG") / num(b, "photo JPEG")
            print(f"  {a['engine']} / {b['engine']} on the photo: {ratio:.2f}")

    pdf_ms, image_s, engine = route_figures(args.repeat)
    print("\nPOST /receive end to end (Flask test client on moto, median):")
    print(f"  text-layer PDF: {pdf_ms:.1f} ms (goal ≤ {GOAL_ROUTE_PDF_MS} ms)")
    print(f"  invoice.png with {engine}: {image_s:.2f} s (goal ≤ {GOAL_IMAGE_S:.0f} s)")


if __name__ == "__main__":
    main()

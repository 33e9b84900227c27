"""Processing benchmark: time per page per engine, peak memory, and the upload route end to end.

    python bench/processing.py [--repeat N] [--route-only]

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
import logging
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


class StageClock(logging.Handler):
    """Collects the upload's timeline marks (`core/timeline.py`) of one request at a time."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.marks: list[tuple[str, float]] = []

    def emit(self, record: logging.LogRecord) -> None:
        stage, at_ms = record.args  # type: ignore[misc]
        self.marks.append((str(stage), float(at_ms)))


# What happens between two marks of an upload, in the order they happen.
STAGES = (
    ("before ingest (token, rate limit, form)", None, "ingest-begin"),
    ("reading the document", "ingest-begin", "processed"),
    ("waiting for the S3 put", "processed", "original-stored"),
    ("invoice PutItem", "original-stored", "invoice-stored"),
    ("metrics: backlog, 2 rollups, metric item", "invoice-stored", "metrics-recorded"),
    ("response", "metrics-recorded", None),
)


def route_figures(repeat: int) -> tuple[float, float, str, dict[str, float]]:
    """Median ms of the text-layer PDF (and of each stage of it) and s of the image through
    POST /receive on moto."""
    import boto3
    from moto import mock_aws

    from devstack.template import provision
    from invoice_app import create_app
    from invoice_app.core.timeline import timeline
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
        # The upload limit is lifted: the bench posts more than a minute's worth.
        limits = {"BROADCAST_MODE": "stream", "UPLOAD_RATE_PER_MINUTE": "10000"}
        settings = {**names, **pool.env(jwks.url), **limits}
        app = create_app(settings)
        client = app.test_client()
        client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {pool.id_token('reviewer')}"

        clock = StageClock()
        timeline.addHandler(clock)
        timeline.setLevel(logging.DEBUG)
        timeline.propagate = False
        stage_ms: dict[str, list[float]] = {name: [] for name, _, _ in STAGES}

        def post(path: Path) -> tuple[float, str]:
            data = path.read_bytes()
            clock.marks.clear()
            t0, wall0 = time.perf_counter(), time.time() * 1000
            response = client.post(
                "/receive", data={"file": (io.BytesIO(data), path.name)}, content_type="multipart/form-data"
            )
            elapsed, wall1 = time.perf_counter() - t0, time.time() * 1000
            assert response.status_code == 200, response.get_json()
            at = {stage: ms for stage, ms in clock.marks}
            for name, begin, end in STAGES:
                stage_ms[name].append(at.get(end, wall1) - at.get(begin, wall0))  # type: ignore[arg-type]
            return elapsed, response.get_json()["engine"]

        post(FIXTURES / "zugferd_2p0_BASIC_Einfach.pdf")  # warm-up (first request, lazy imports)
        for times in stage_ms.values():
            times.clear()
        pdf = statistics.median(
            post(FIXTURES / "zugferd_2p0_BASIC_Einfach.pdf")[0] for _ in range(repeat * 5)
        )
        stages = {name: statistics.median(times) for name, times in stage_ms.items()}
        post(FIXTURES / "invoice.png")
        runs = [post(FIXTURES / "invoice.png") for _ in range(repeat)]
        image = statistics.median(t for t, _ in runs)
        return pdf * 1000, image, runs[0][1], stages


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--worker", default=None)
    parser.add_argument("--route-only", action="store_true", help="only POST /receive, no engines")
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.repeat)))
        return
    if args.route_only:
        return print_route(args.repeat)

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

    print_route(args.repeat)


def print_route(repeat: int) -> None:
    pdf_ms, image_s, engine, stages = route_figures(repeat)
    print("\nPOST /receive end to end (Flask test client on moto, median):")
    print(f"  text-layer PDF: {pdf_ms:.1f} ms (goal ≤ {GOAL_ROUTE_PDF_MS} ms), by stage (medians):")
    for name, ms in stages.items():
        print(f"    {name:<44}{ms:>7.1f} ms")
    print(f"  invoice.png with {engine}: {image_s:.2f} s (goal ≤ {GOAL_IMAGE_S:.0f} s)")


if __name__ == "__main__":
    main()

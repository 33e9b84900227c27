"""OCR speed on receipt images: Tesseract settings side by side, with the fields each gets right.

    python bench/ocr_speed.py [DIR] [--limit N] [--seed S] [--variants before,auto,all,default]

DIR defaults to ../shared/data/dev/sroie (the SROIE receipts and their ground truth). Every receipt
is read once per variant, the variants in rotating order, through the same pipeline (decode → OCR →
extraction), so machine load hits all alike. Variants: `before` (the settings before issue #13),
`auto` (English first, the page's language after), `all` (every installed language at once, one
reading), `default` (all languages and the second look at a receipt whose date or total is missing),
`voted` (what the server runs: the default and RapidOCR at the same time, the more confident reading
of each field kept, `processing/second_reading.py`; `voted-onnxruntime` runs RapidOCR on onnxruntime
instead of OpenVINO, `engines/rapidocr.py`); `cli` and `cli-voted` are `default` and `voted`
reading through the tesseract command line, one process per image that loads the language models
each time, as the engine did before it called Tesseract's API in-process (`tesseract_api.py`).
Prints per receipt: wall seconds (median, p95) and the CPU seconds of this process and its children
(load-independent), plus the labelled fields each got right (vendorName, invoiceDate, total — the
dev README's scoring rule). Asserts nothing.
"""

from __future__ import annotations

import argparse
import io
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "backend"), str(ROOT)]

import _receipts as receipts  # noqa: E402

GOAL_MEDIAN_S = 1.5


def cpu_seconds() -> float:
    """CPU of this process (the in-process Tesseract, RapidOCR) and of its children (the CLI)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


class CommandLineReader:
    """Reads a page as the engine did before tesserocr: `tesseract - - tsv`, a process per image."""

    def __init__(self, variables: dict[str, str]) -> None:
        self._config = [arg for name, value in variables.items() for arg in ("-c", f"{name}={value}")]

    def read(self, image: Any, languages: str, psm: int, timeout_s: float) -> dict[str, list[Any]]:
        from invoice_app.processing.engines.tesseract_api import parse_tsv

        png = io.BytesIO()
        image.save(png, format="PNG")
        command = ["tesseract", "-", "-", "-l", languages, "--psm", str(psm), *self._config, "tsv"]
        done = subprocess.run(
            command, input=png.getvalue(), capture_output=True, timeout=timeout_s, check=True
        )
        return parse_tsv(done.stdout.decode("utf-8"))


def command_line(engine: Any) -> Any:
    from invoice_app.processing.engines.tesseract import _variables

    engine._apis = CommandLineReader(_variables(engine.settings.extra_config))
    return engine


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    from invoice_app.processing import engines as engines_module
    from invoice_app.processing.engines.rapidocr import RapidOcrEngine
    from invoice_app.processing.engines.tesseract import LEGACY, Settings, TesseractEngine
    from invoice_app.processing.evaluate import score
    from invoice_app.processing.limits import Limits
    from invoice_app.processing.pipeline import DocumentProcessor
    from invoice_app.processing.types import CORE_FIELDS, Document

    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    receipts.add_arguments(parser, limit=40)
    parser.add_argument("--variants", default="before,auto,default", help="comma-separated, in columns")
    args = parser.parse_args(argv)
    images = receipts.sample(args)
    if not images:
        return 0
    manifest = args.directory.parent / "manifest.json"
    labelled = {}
    if manifest.exists():
        for entry in json.loads(manifest.read_text(encoding="utf-8")):
            labelled[Path(entry["file"]).name] = set(entry.get("labelledFields") or [])

    limits = Limits(time_budget_s=600)
    engines = {
        "before": lambda: TesseractEngine(settings=LEGACY),
        "auto": lambda: TesseractEngine(settings=Settings()),
        "all": lambda: TesseractEngine(settings=Settings(languages="all", second_look=False)),
        "default": lambda: TesseractEngine(),  # TESSERACT_LANGUAGES (default all), second look
        "voted": lambda: TesseractEngine(),  # the default, and RapidOCR beside it, voted per field
        "voted-onnxruntime": lambda: TesseractEngine(),  # the same, RapidOCR on onnxruntime
        "cli": lambda: command_line(TesseractEngine()),
        "cli-voted": lambda: command_line(TesseractEngine()),
    }
    names = [n.strip() for n in args.variants.split(",") if n.strip()]
    unknown = [n for n in names if n not in engines]
    if unknown or not names:
        parser.error(f"unknown variants {unknown}; choose from {', '.join(engines)}")
    variants = {
        n: DocumentProcessor(
            engine=engines[n](), limits=limits, second_engine="rapidocr" if "voted" in n else "none"
        )
        for n in names
    }
    # The second reading takes the process's RapidOCR (`engines.create_engine`): each voted variant
    # puts its own build there before it reads.
    runtimes = {"onnxruntime" if n.endswith("onnxruntime") else "openvino" for n in names if "voted" in n}
    rapidocr = {runtime: RapidOcrEngine(runtime=runtime) for runtime in runtimes}
    wall: dict[str, list[float]] = {name: [] for name in variants}
    cpu: dict[str, list[float]] = {name: [] for name in variants}
    right: dict[str, int] = dict.fromkeys(variants, 0)
    scored = 0
    for index, path in enumerate(images):
        data = path.read_bytes()
        truth = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        fields = labelled.get(path.name) or {"vendorName", "invoiceDate", "total"}
        skip = set(CORE_FIELDS) - fields
        scored += len(fields)
        order = names[index % len(names) :] + names[: index % len(names)]
        for name in order:
            if "voted" in name:
                runtime = "onnxruntime" if name.endswith("onnxruntime") else "openvino"
                engines_module._local[("rapidocr", "")] = rapidocr[runtime]
            started, cpu_started = time.perf_counter(), cpu_seconds()
            processed = variants[name].process(Document(data, "image/jpeg", path.name))
            wall[name].append(time.perf_counter() - started)
            cpu[name].append(cpu_seconds() - cpu_started)
            predicted = {str(k): f.value for k, f in processed.fields.items()}
            right[name] += sum(1 for o in score(predicted, truth, skip).values() if o == "tp")

    out = sys.stdout
    out.write(
        f"{len(images)} receipts from {args.directory} (seed {args.seed}); each read with every variant\n\n"
    )
    first = names[0]
    header = " | ".join(names) + "".join(f" | {n} / {first}" for n in names[1:])
    out.write(f"| per receipt | {header} |\n|---|{'---|' * (2 * len(names) - 1)}\n")
    for label, series in (
        ("wall median (s)", wall),
        ("wall p95 (s)", wall),
        ("CPU median (s)", cpu),
        ("CPU mean (s)", cpu),
    ):
        pick = p95 if "p95" in label else statistics.mean if "mean" in label else statistics.median
        values = {n: pick(series[n]) for n in names}
        cells = " | ".join(f"{values[n]:.2f}" for n in names)
        ratios = "".join(f" | {values[n] / values[first]:.2f}" for n in names[1:])
        out.write(f"| {label} | {cells}{ratios} |\n")
    cells = " | ".join(f"{right[n]}/{scored}" for n in names)
    deltas = "".join(f" | {right[n] - right[first]:+d}" for n in names[1:])
    out.write(f"| labelled fields right | {cells}{deltas} |\n")
    out.write(f"\ngoal: median ≤ {GOAL_MEDIAN_S} s per receipt (wall, on this machine; see its load below)\n")
    with open("/proc/loadavg", encoding="ascii") as load:
        out.write(f"load average during the run: {load.read().split()[0:3]}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

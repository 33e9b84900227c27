"""RapidOCR's onnxruntime sessions: the library's options against ours, alone and beside Tesseract.

    python bench/ocr_sessions.py [DIR] [--limit N] [--seed S]

DIR defaults to ../shared/data/dev/sroie. Every receipt is read by RapidOCR with its own session
options (`stock`: memory arena off, spinning threads) and with the engine's (`tuned`: arena on,
idle threads asleep, `engines/rapidocr.py`), each alone and each beside Tesseract reading the same
page, as the server's second reading runs (`second_reading.py`); the variants in rotating order so
machine load hits both alike. Prints medians and the median per-receipt ratio tuned / stock.
Asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "backend"), str(ROOT)]

import _receipts as receipts  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    from PIL import Image

    from invoice_app.processing.engines.rapidocr import RapidOcrEngine
    from invoice_app.processing.engines.tesseract import TesseractEngine
    from invoice_app.processing.images import PageImage
    from invoice_app.processing.limits import Deadline

    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    receipts.add_arguments(parser, limit=16)
    args = parser.parse_args(argv)
    images = receipts.sample(args)
    if not images:
        return 0
    tesseract = TesseractEngine()
    engines = {"stock": RapidOcrEngine(tuned_sessions=False), "tuned": RapidOcrEngine()}
    pages = [PageImage(image=Image.open(p).convert("RGB"), page=1) for p in images]
    for engine in engines.values():
        engine.recognize(pages[0], Deadline(600))  # first runs allocate: not measured

    alone: dict[str, list[float]] = {name: [] for name in engines}
    beside: dict[str, list[float]] = {name: [] for name in engines}
    names = list(engines)
    for index, page in enumerate(pages):
        for name in names[index % 2 :] + names[: index % 2]:
            engine = engines[name]
            started = time.perf_counter()
            engine.recognize(page, Deadline(600))
            alone[name].append(time.perf_counter() - started)
            started = time.perf_counter()
            second = threading.Thread(target=engine.recognize, args=(page, Deadline(600)))
            second.start()
            tesseract.recognize(page, Deadline(600))
            second.join()
            beside[name].append(time.perf_counter() - started)

    out = sys.stdout
    out.write(f"{len(pages)} receipts from {args.directory} (seed {args.seed})\n\n")
    out.write("| per receipt | stock (s) | tuned (s) | tuned / stock |\n|---|---|---|---|\n")
    for label, series in (("RapidOCR alone", alone), ("RapidOCR beside Tesseract", beside)):
        ratio = statistics.median(t / s for t, s in zip(series["tuned"], series["stock"], strict=True))
        out.write(
            f"| {label}, median | {statistics.median(series['stock']):.2f} | "
            f"{statistics.median(series['tuned']):.2f} | {ratio:.2f} |\n"
        )
    with open("/proc/loadavg", encoding="ascii") as load:
        out.write(f"\nload average during the run: {load.read().split()[0:3]}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

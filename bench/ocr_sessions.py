"""RapidOCR's runtimes and session options side by side, alone and beside Tesseract.

    python bench/ocr_sessions.py [DIR] [--limit N] [--seed S]

DIR defaults to ../shared/data/dev/sroie. Every receipt is read by RapidOCR on onnxruntime with the
library's own session options (`stock`: memory arena off, spinning threads) and with the engine's
(`tuned`: arena on, idle threads asleep), and on OpenVINO in 32-bit floats (`openvino`, the
engine's default, `engines/rapidocr.py`); each alone and each beside Tesseract reading the same
page, as the server's second reading runs (`second_reading.py`), the variants in rotating order so
machine load hits all alike. Prints medians, the median per-receipt ratio to `stock`, and how many
of the lines each variant read differ from `tuned`'s. Asserts nothing.
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
    engines = {
        "stock": RapidOcrEngine(runtime="onnxruntime", tuned_sessions=False),
        "tuned": RapidOcrEngine(runtime="onnxruntime"),
        "openvino": RapidOcrEngine(runtime="openvino"),
    }
    pages = [PageImage(image=Image.open(p).convert("RGB"), page=1) for p in images]
    for engine in engines.values():
        engine.recognize(pages[0], Deadline(600))  # first runs allocate: not measured

    alone: dict[str, list[float]] = {name: [] for name in engines}
    beside: dict[str, list[float]] = {name: [] for name in engines}
    lines: dict[str, list[list[str]]] = {name: [] for name in engines}
    names = list(engines)
    for index, page in enumerate(pages):
        for name in names[index % len(names) :] + names[: index % len(names)]:
            engine = engines[name]
            started = time.perf_counter()
            result = engine.recognize(page, Deadline(600))
            alone[name].append(time.perf_counter() - started)
            lines[name].append(result.text.splitlines())
            started = time.perf_counter()
            second = threading.Thread(target=engine.recognize, args=(page, Deadline(600)))
            second.start()
            tesseract.recognize(page, Deadline(600))
            second.join()
            beside[name].append(time.perf_counter() - started)

    out = sys.stdout
    out.write(f"{len(pages)} receipts from {args.directory} (seed {args.seed})\n\n")
    others = names[1:]
    out.write(
        f"| per receipt | {' | '.join(f'{n} (s)' for n in names)} | "
        f"{' | '.join(f'{n} / stock' for n in others)} |\n|---|{'---|' * (len(names) + len(others))}\n"
    )
    for label, series in (("RapidOCR alone", alone), ("RapidOCR beside Tesseract", beside)):
        medians = " | ".join(f"{statistics.median(series[n]):.2f}" for n in names)
        ratios = " | ".join(
            f"{statistics.median(v / s for v, s in zip(series[n], series['stock'], strict=True)):.2f}"
            for n in others
        )
        out.write(f"| {label}, median | {medians} | {ratios} |\n")
    total = sum(len(page) for page in lines["tuned"])
    for name in names:
        differ = sum(
            len(set(mine) ^ set(theirs)) for mine, theirs in zip(lines[name], lines["tuned"], strict=True)
        )
        out.write(f"\n{name}: {differ} lines differ from tuned's {total} (either side)")
    out.write("\n")
    with open("/proc/loadavg", encoding="ascii") as load:
        out.write(f"\nload average during the run: {load.read().split()[0:3]}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

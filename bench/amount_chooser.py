"""The amount chooser on pages of thousands of amounts: triples scored and seconds, caps on vs off.

    python bench/amount_chooser.py [--sizes 500,1000,2000]

Prints figures, asserts nothing (the bound itself is tested by counting triples in
tests/unit/processing/test_receipts.py). "caps off" lifts the limits of families/amounts.py
(MAX_LABELLED, MAX_UNLABELLED_TOTALS, MAX_SAME_VALUE) in the same run, so the two columns are side by
side on the same machine load. Caps off grows with the square (or worse) of the page; keep its
sizes small.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "backend")]

from invoice_app.processing.extraction.context import analyse  # noqa: E402
from invoice_app.processing.extraction.families import amounts  # noqa: E402

PAGES = {
    "'$ 1 ' × n": "$ 1 ",
    "'Total 1.00' × n": "Total 1.00\n",
    "'Total/Subtotal/Tax' × n/3": "Total 1.00\nSubtotal 0.90\nTax 0.10\n",
}
CAPS = ("MAX_LABELLED", "MAX_UNLABELLED_TOTALS", "MAX_SAME_VALUE")


def run(text: str) -> tuple[int, float]:
    start = time.perf_counter()
    ctx = analyse(text)
    found: dict[object, list[object]] = {}
    for field, c in amounts.propose(ctx):
        found.setdefault(field, []).append(c)
    opts = amounts.options(ctx, found)  # type: ignore[arg-type]
    if opts is not None:
        amounts.pick(opts)
    return (len(opts.triples) if opts else 0), time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="300,600,1200")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    capped = {name: getattr(amounts, name) for name in CAPS}
    sys.stdout.write("| page | n | triples, caps on | s, caps on | triples, caps off | s, caps off |\n")
    sys.stdout.write("|---|---|---|---|---|---|\n")
    for label, unit in PAGES.items():
        for n in sizes:
            repeat = max(1, n // len(unit.splitlines() or [unit]))
            text = unit * (repeat if "\n" in unit else n)
            on = run(text)
            for name in CAPS:
                setattr(amounts, name, 10**9)
            try:
                off = run(text)
            finally:
                for name, value in capped.items():
                    setattr(amounts, name, value)
            sys.stdout.write(f"| {label} | {n} | {on[0]} | {on[1]:.3f} | {off[0]} | {off[1]:.3f} |\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

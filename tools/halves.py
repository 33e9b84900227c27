"""Split-half figures from an evaluation's result JSONs: `python tools/halves.py RESULTS_DIR...`.

`python -m invoice_app.processing.evaluate DIR --out RESULTS_DIR` writes one `<file>.result.json` per
document with its per-field outcome; this prints all-fields and per-field F1 for two halves of each
set: A = documents with an even number in their name (SROIE ids), else even positions in sorted
order; B = the rest. Develop on A, read B as the figure nearer to unseen documents.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path


def _f1(tp: int, fp: int, fn: int) -> float:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


def halves(results: Path) -> dict[str, dict[str, list[int]]]:
    files = sorted(results.rglob("*.result.json"))
    numbered = all(re.search(r"-(\d+)\.", f.name) for f in files)
    out: dict[str, dict[str, list[int]]] = {"A": {}, "B": {}}
    for i, path in enumerate(files):
        m = re.search(r"-(\d+)\.", path.name)
        half = "A" if (int(m.group(1)) if numbered and m else i) % 2 == 0 else "B"
        for field, outcome in json.loads(path.read_text(encoding="utf-8")).get("outcome", {}).items():
            t = out[half].setdefault(field, [0, 0, 0])
            t[0] += outcome == "tp"
            t[1] += outcome in ("fp", "wrong")
            t[2] += outcome in ("fn", "wrong")
    return out


def main(argv: list[str]) -> int:
    for directory in argv:
        split = halves(Path(directory))
        sys.stdout.write(f"## {directory}\n| field | A | B |\n|---|---|---|\n")
        fields = sorted({f for h in split.values() for f in h if sum(h[f])})
        for field in [*fields, "all fields"]:
            row = []
            for half in ("A", "B"):
                tallies = (
                    list(split[half].values())
                    if field == "all fields"
                    else [split[half].get(field, [0, 0, 0])]
                )
                row.append(_f1(*(sum(t[k] for t in tallies) for k in range(3))))
            sys.stdout.write(f"| {field} | {row[0]:.3f} | {row[1]:.3f} |\n")
        sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

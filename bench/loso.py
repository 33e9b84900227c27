"""Leave-one-source-out: the text reader's per-field F1 on each group of the dev PDFs, held out.

    PYTHONPATH=backend .venv/bin/python bench/loso.py [../shared/data/dev] [--by source|layout|seller]
        [--refit --cache /work/cache/detections]

The dev set is dominated by a few templates (22 of 61 PDFs from one seller), so the pooled F1 of
`evaluate` says little about invoices nobody here has seen. This script scores the text reader
(embedded XML ignored) group by group — a group is a `source` repository of `manifest.json`, its
`layout` (designed vs xml-visualisation) or the ground-truth seller — and prints one row per group
plus the pooled (micro) and per-group mean (macro) F1: a rule that only helps one template moves
one row, not the macro figure.

The hand rules learn nothing from the data, but the rankers `model.json` marks as used were fitted
on every document, the held-out group included. `--refit` refits those rankers per group on the
training sets of `make train` minus the group's documents (the same `train.fit`), so each row is a
true held-out figure. Prints figures and asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "backend")]

from invoice_app.processing import evaluate as ev  # noqa: E402
from invoice_app.processing.extraction import weights  # noqa: E402
from invoice_app.processing.limits import Limits  # noqa: E402
from invoice_app.processing.pipeline import DocumentProcessor  # noqa: E402
from invoice_app.processing.sniff import sniff_media_type  # noqa: E402
from invoice_app.processing.types import CORE_FIELDS, Document  # noqa: E402

SHORT = {
    "invoiceNumber": "number",
    "invoiceDate": "date",
    "dueDate": "due",
    "vendorName": "vendor",
    "currency": "curr",
    "subtotal": "sub",
    "tax": "tax",
    "total": "total",
}


def group_of(entry: dict[str, Any], truth: dict[str, Any], by: str) -> str:
    if by == "layout":
        return str(entry.get("layout") or "?")
    if by == "seller":
        return str(truth.get("vendorName") or "?")
    return str(entry["source"])


def _docs(dev: Path) -> list[tuple[dict[str, Any], Path, dict[str, Any], set[str]]]:
    manifest = json.loads((dev / "manifest.json").read_text(encoding="utf-8"))
    out = []
    for e in manifest:
        if e.get("kind") != "pdf-text-layer":
            continue
        path = dev / e["file"]
        truth = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        out.append((e, path, truth, set(CORE_FIELDS) - set(e.get("labelledFields") or CORE_FIELDS)))
    return out


# No trained ranker at all: `weights.learned` answers None, so the hand weights decide.
HAND: dict[str, tuple[float, ...] | None] = {"amounts": None, "vendorName": None, "invoiceDate": None}


@contextmanager
def rankers(coefficients: dict[str, tuple[float, ...] | None] | None) -> Iterator[None]:
    """Score with these coefficients for the used rankers (None: as shipped in model.json)."""
    if coefficients is None:
        yield
        return
    shipped = weights.learned
    weights.learned = lambda ranker: coefficients[ranker] if ranker in coefficients else shipped(ranker)  # type: ignore[assignment]
    try:
        yield
    finally:
        weights.learned = shipped


def _refitted(train_sets: list[Path], cache: Path | None, held: dict[str, set[str]]) -> dict[str, Any]:
    """Per group: the used rankers fitted on the training sets without that group's documents."""
    from invoice_app.processing.extraction import train

    samples = train._load(train_sets, "tesseract", cache)
    used = [r for r in train.RANKERS if weights.learned(r) is not None]
    out: dict[str, dict[str, tuple[float, ...]]] = {}
    for group, names in held.items():
        rest = [s for s in samples if s.name not in names]
        out[group] = {r: tuple(train.fit(train._groups(rest, r), train._start(r))) for r in used}
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("dev", type=Path, nargs="?", default=ROOT.parent / "shared/data/dev")
    parser.add_argument("--by", choices=("source", "layout", "seller"), default="source")
    parser.add_argument("--refit", action="store_true", help="refit the used rankers without each group")
    parser.add_argument("--hand", action="store_true", help="hand weights only (no trained ranker)")
    parser.add_argument("--cache", type=Path, default=None, help="detections for --refit (train.py's)")
    parser.add_argument("--misses", action="store_true", help="print every wrong field")
    args = parser.parse_args(argv)

    processor = DocumentProcessor("auto", limits=Limits(time_budget_s=600), embedded_xml=False)
    docs = _docs(args.dev)
    groups: dict[str, list[int]] = defaultdict(list)
    for k, (entry, _, truth, _) in enumerate(docs):
        groups[group_of(entry, truth, args.by)].append(k)
    refit = None
    if args.refit:
        sets = [args.dev / "sroie", args.dev / "facturx", args.dev.parent / "invoices"]
        held = {g: {f"facturx/{docs[k][1].name}" for k in ks} for g, ks in groups.items()}
        refit = _refitted(sets, args.cache, held)
    elif args.hand:
        refit = {g: HAND for g in groups}

    detections = {}
    for k, (_, path, _, _) in enumerate(docs):
        data = path.read_bytes()
        document = Document(data=data, media_type=sniff_media_type(data[:2048]) or "", filename=path.name)
        detections[k] = (processor.detect(document), document)

    per_group: dict[str, ev.Report] = {}
    pooled = ev.Report()
    for group, ks in sorted(groups.items(), key=lambda g: (-len(g[1]), g[0])):
        report = ev.Report()
        with rankers(refit[group] if refit else None):
            for k in ks:
                entry, path, truth, skip = docs[k]
                processed = processor.finish(*detections[k])
                predicted = {name: f.value for name, f in processed.fields.items()}
                for name, o in ev.score(predicted, truth, skip).items():
                    for r in (report, pooled):
                        r.fields[name].tp += o == "tp"
                        r.fields[name].fp += o in ("fp", "wrong")
                        r.fields[name].fn += o in ("fn", "wrong")
                    if args.misses and o in ("fp", "wrong", "fn"):
                        got, want = predicted.get(name), truth.get(name)
                        print(f"  miss {group} {path.name} {name}: {got!r} ≠ {want!r}")
                report.documents += 1
        per_group[group] = report

    mode = (
        "rankers refitted without the group"
        if args.refit
        else "hand weights only"
        if args.hand
        else "rankers as shipped (fitted on all)"
    )
    names = [SHORT[n] for n in CORE_FIELDS]
    print(f"leave-one-{args.by}-out, {len(docs)} text-layer PDFs of {args.dev}, {mode}; F1 per field\n")
    print("| group | docs | " + " | ".join(names) + " | all |")
    print("|---|---|" + "---|" * (len(names) + 1))

    def row(label: str, r: ev.Report, docs_: int | str) -> str:
        cells = [
            f"{r.fields[n].f1:.3f}" if r.fields[n].tp + r.fields[n].fn + r.fields[n].fp else "-"
            for n in CORE_FIELDS
        ]
        return f"| {label} | {docs_} | " + " | ".join(cells) + f" | {r.overall.f1:.3f} |"

    for group, r in per_group.items():
        print(row(group[:40], r, r.documents))
    print(row("pooled (micro)", pooled, len(docs)))
    macro = []
    for n in CORE_FIELDS:
        scored = [
            r.fields[n].f1 for r in per_group.values() if r.fields[n].tp + r.fields[n].fn + r.fields[n].fp
        ]
        macro.append(f"{sum(scored) / len(scored):.3f}" if scored else "-")
    mean_all = sum(r.overall.f1 for r in per_group.values()) / len(per_group)
    print(f"| mean of groups (macro) | {len(per_group)} | " + " | ".join(macro) + f" | {mean_all:.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())

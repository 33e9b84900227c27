"""Learn the field choice from labelled documents and compare it with the hand weights: `make train`.

For every labelled document the extractor's own candidates are enumerated — the (total, subtotal,
tax) triples of `families/amounts.py` and the vendor-name and issue-date candidates — with the
feature vectors of `weights.py` (`amount_vector`, `single_vector`). A conditional logit (softmax over
one document's options, the options that match the ground truth as the target) is fitted by
gradient descent from the hand coefficients, with an L2 pull towards them. k-fold cross-validation
over documents prints, per field and per fold, how often the top option is right with the hand
coefficients and with the learned ones, on the same held-out documents.

`--write PATH` stores the learned coefficients as JSON (only worth shipping when they generalise
better than the hand weights; see the README's figures).

    PYTHONPATH=backend .venv/bin/python -m invoice_app.processing.extraction.train \\
        ../shared/data/dev/sroie ../shared/data/dev/facturx ../shared/data/invoices \\
        --engine tesseract --cache /work/cache/detections
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..evaluate import DetectionCache, _unlabelled, discover, values_match
from ..limits import Limits
from ..pipeline import DocumentProcessor
from ..sniff import sniff_media_type
from ..types import Detection, Document, Field
from .candidates import Candidate, single_features
from .context import analyse
from .families import FAMILIES, amounts
from .weights import (
    AMOUNT_FEATURES,
    SINGLE_FEATURES,
    amount_vector,
    hand_amount_coefficients,
    hand_single_coefficients,
    single_vector,
)

log = logging.getLogger(__name__)

AMOUNT_FIELDS = (Field.TOTAL, Field.SUBTOTAL, Field.TAX)
SINGLE_FIELDS = (Field.VENDOR_NAME, Field.INVOICE_DATE)


@dataclass
class Sample:
    """One document: its options per ranker, which options are right, and the truth per field."""

    name: str  # "<set>/<file>"
    truth: dict[str, Any]
    labelled: set[str]
    amount_options: amounts.Options | None
    amount_x: list[tuple[float, ...]]
    amount_y: list[bool]
    single: dict[Field, tuple[list[Candidate], list[tuple[float, ...]], list[bool]]]


def _candidates(detection: Detection) -> tuple[Any, dict[Field, list[Candidate]]]:
    ctx = analyse(detection.text)
    found: dict[Field, list[Candidate]] = {}
    for family in FAMILIES:
        for field, c in family.propose(ctx):
            found.setdefault(field, []).append(c)
    return ctx, found


def _amount_right(opts: amounts.Options, k: int, truth: dict[str, Any], labelled: set[str]) -> bool:
    triple = opts.triples[k]
    chosen = {Field.TOTAL: triple.total, Field.SUBTOTAL: triple.subtotal, Field.TAX: triple.tax}
    for field in AMOUNT_FIELDS:
        name = str(field)
        if name not in labelled or truth.get(name) is None:
            continue
        c = chosen[field]
        if c is None or not values_match(name, float(c.value), truth[name]):
            return False
    return True


def sample(name: str, detection: Detection, truth: dict[str, Any], labelled: set[str]) -> Sample:
    ctx, found = _candidates(detection)
    opts = amounts.options(ctx, found)
    xs = [amount_vector(f) for f in opts.features] if opts else []
    ys = [_amount_right(opts, k, truth, labelled) for k in range(len(xs))] if opts else []
    single = {}
    for field in SINGLE_FIELDS:
        cands = found.get(field, [])
        single[field] = (
            cands,
            [single_vector(single_features(c, cands)) for c in cands],
            [values_match(str(field), c.value, truth.get(str(field))) for c in cands],
        )
    return Sample(name, truth, labelled, opts, xs, ys, single)


# --- the conditional logit ---------------------------------------------------------------------


def fit(
    groups: Sequence[tuple[Sequence[tuple[float, ...]], Sequence[bool]]],
    start: Sequence[float],
    *,
    l2: float = 0.05,
    steps: int = 400,
    rate: float = 0.5,
) -> list[float]:
    """Maximise Σ log P(right options | document) − l2·|θ − start|² by gradient ascent (numpy)."""
    import numpy as np

    theta = np.array(start, dtype=float)
    prior = theta.copy()
    usable = [(np.array(x, dtype=float), np.array(y, dtype=bool)) for x, y in groups if any(y) and not all(y)]
    if not usable:
        return list(theta)
    for _ in range(steps):
        grad = -2 * l2 * (theta - prior)
        for x, y in usable:
            s = x @ theta
            p = np.exp(s - s.max())
            p /= p.sum()
            q = p * y
            q /= q.sum()
            grad += (q - p) @ x  # ∂/∂θ log Σ_right p
        theta += rate * grad / len(usable)
    return [float(v) for v in theta]


def _dot(x: Sequence[float], theta: Sequence[float]) -> float:
    return sum(a * b for a, b in zip(x, theta, strict=True))


def _top(x: Sequence[tuple[float, ...]], theta: Sequence[float], lines: Sequence[int] | None = None) -> int:
    def score(k: int) -> tuple[float, int]:
        return (_dot(x[k], theta), -(lines[k] if lines else 0))

    return max(range(len(x)), key=score)


RANKERS: dict[str, tuple[str, ...]] = {
    "amounts": tuple(str(f) for f in AMOUNT_FIELDS),
    **{str(f): (str(f),) for f in SINGLE_FIELDS},
}


def _groups(samples: Sequence[Sample], ranker: str) -> list[tuple[list[tuple[float, ...]], list[bool]]]:
    if ranker == "amounts":
        return [(s.amount_x, s.amount_y) for s in samples]
    return [(s.single[Field(ranker)][1], s.single[Field(ranker)][2]) for s in samples]


def _start(ranker: str) -> tuple[float, ...]:
    return hand_amount_coefficients() if ranker == "amounts" else hand_single_coefficients()


def field_hits(s: Sample, ranker: str, theta: Sequence[float]) -> dict[str, bool]:
    """Per labelled field of the ranker, whether its top option is right (amounts: after cash rounding)."""
    out: dict[str, bool] = {}
    if ranker == "amounts":
        picked = (
            amounts.pick(s.amount_options, lambda f: _dot(amount_vector(f), theta))
            if s.amount_options
            else {}
        )
        for field in AMOUNT_FIELDS:
            name = str(field)
            if name in s.labelled and s.truth.get(name) is not None:
                c = picked.get(field)
                out[name] = c is not None and values_match(name, float(c.value), s.truth[name])
        return out
    if ranker in s.labelled and s.truth.get(ranker) is not None:
        cands, x, y = s.single[Field(ranker)]
        out[ranker] = bool(cands) and y[_top(x, theta, [c.line for c in cands])]
    return out


def cross_validate(samples: Sequence[Sample], k: int, seed: int, **fit_args: Any) -> dict[str, Any]:
    """Per ranker and field, [right, scored] for the hand and the learned coefficients on held-out folds."""
    order = list(range(len(samples)))
    random.Random(seed).shuffle(order)
    folds = [order[i::k] for i in range(k)]
    result: dict[str, Any] = {}
    for ranker in RANKERS:
        tallies: dict[str, dict[str, list[int]]] = {"hand": {}, "learned": {}}
        per_fold = []
        for held in folds:
            held_set = set(held)
            train = [samples[i] for i in order if i not in held_set]
            thetas = {
                "hand": _start(ranker),
                "learned": fit(_groups(train, ranker), _start(ranker), **fit_args),
            }
            fold = {"hand": [0, 0], "learned": [0, 0]}
            for i in held:
                for method, theta in thetas.items():
                    for name, hit in field_hits(samples[i], ranker, theta).items():
                        t = tallies[method].setdefault(name, [0, 0])
                        t[0] += hit
                        t[1] += 1
                        fold[method][0] += hit
                        fold[method][1] += 1
            per_fold.append({m: round(v[0] / v[1], 3) if v[1] else None for m, v in fold.items()})
        right = {m: sum(t[0] for t in tallies[m].values()) for m in tallies}
        result[ranker] = {
            "fields": tallies,
            "folds": per_fold,
            "learned_wins": right["learned"] > right["hand"],
        }
    return result


def leave_one_set_out(samples: Sequence[Sample]) -> dict[str, dict[str, dict[str, list[int]]]]:
    """Per ranker and held-out set: [right, scored] for hand and learned, fitted on the other sets."""
    sets = sorted({s.name.split("/", 1)[0] for s in samples})
    result: dict[str, dict[str, dict[str, list[int]]]] = {}
    if len(sets) < 2:
        return result
    for ranker in RANKERS:
        per_set: dict[str, dict[str, list[int]]] = {}
        for held in sets:
            train = [s for s in samples if not s.name.startswith(f"{held}/")]
            test = [s for s in samples if s.name.startswith(f"{held}/")]
            thetas = {"hand": _start(ranker), "learned": fit(_groups(train, ranker), _start(ranker))}
            tally = {m: [0, 0] for m in thetas}
            for s in test:
                for method, theta in thetas.items():
                    for hit in field_hits(s, ranker, theta).values():
                        tally[method][0] += hit
                        tally[method][1] += 1
            per_set[held] = tally
        result[ranker] = per_set
    return result


def _load(roots: Sequence[Path], engine: str, cache_dir: Path | None) -> list[Sample]:
    processor = DocumentProcessor(engine, limits=Limits(time_budget_s=600))
    cache = DetectionCache(cache_dir, f"{processor.engine_name}-asis") if cache_dir else None
    samples = []
    for root in roots:
        unlabelled = _unlabelled(root)
        for doc_path, truth_path in discover(root):
            truth = json.loads(truth_path.read_text(encoding="utf-8"))
            data = doc_path.read_bytes()
            detection = cache.load(data) if cache else None
            if detection is None:
                media_type = sniff_media_type(data[:2048]) or ""
                detection = processor.detect(
                    Document(data=data, media_type=media_type, filename=doc_path.name)
                )
                if cache:
                    cache.save(data, detection)
            skip = unlabelled.get(str(doc_path.resolve()), set())
            labelled = {name for name in truth if name not in skip}
            samples.append(sample(f"{root.name}/{doc_path.name}", detection, truth, labelled))
    return samples


def _rate(t: list[int]) -> str:
    return f"{t[0] / t[1]:.3f} ({t[0]}/{t[1]})" if t[1] else "-"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("directories", type=Path, nargs="+")
    parser.add_argument("--engine", default="tesseract")
    parser.add_argument("--cache", type=Path, default=None, help="replay (and keep) detections here")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--write", type=Path, default=None, help="store the coefficients fitted on all data")
    parser.add_argument(
        "--test", type=Path, nargs="*", default=[], help="sets kept out of training, scored hand vs learned"
    )
    args = parser.parse_args(argv)

    samples = _load(args.directories, args.engine, args.cache)
    cv = cross_validate(samples, args.folds, args.seed)
    out = sys.stdout
    out.write(
        f"{len(samples)} documents, {args.folds}-fold cross-validation over documents (seed {args.seed})\n\n"
    )
    out.write("| ranker | field | hand weights | learned |\n|---|---|---|---|\n")
    for ranker, r in cv.items():
        for name in sorted(r["fields"]["hand"]):
            hand, learned_ = r["fields"]["hand"][name], r["fields"]["learned"][name]
            out.write(f"| {ranker} | {name} | {_rate(hand)} | {_rate(learned_)} |\n")
    loso = leave_one_set_out(samples)
    rankers = {}
    for ranker, r in cv.items():
        theta = fit(_groups(samples, ranker), _start(ranker))
        names = AMOUNT_FEATURES if ranker == "amounts" else SINGLE_FEATURES
        folds = ", ".join(f"{f['hand']}/{f['learned']}" for f in r["folds"])
        held = loso.get(ranker, {})
        # Generalising means across sets too: a ranker that loses on any held-out set keeps the hand weights.
        never_worse = all(t["learned"][0] >= t["hand"][0] for t in held.values())
        use = r["learned_wins"] and never_worse
        verdict = "learned" if use else "hand weights"
        out.write(f"\n{ranker}: per fold hand/learned {folds}")
        for name, t in held.items():
            out.write(f"\n  held-out set {name}: hand {_rate(t['hand'])}, learned {_rate(t['learned'])}")
        out.write(f"\n  keeps the {verdict}")
        out.write(f"\n  fitted on all: {dict(zip(names, (round(v, 3) for v in theta), strict=True))}")
        rankers[ranker] = {
            "use": use,
            "features": list(names),
            "coefficients": [round(v, 6) for v in theta],
            "cv": {m: {n: t for n, t in r["fields"][m].items()} for m in ("hand", "learned")},
            "heldOutSets": held,
        }
    out.write("\n")
    if args.test:
        held_out = _load(args.test, args.engine, args.cache)
        names = [str(p) for p in args.test]
        out.write(f"\nheld-out sets {names} ({len(held_out)} documents), fitted on the rest:\n")
        for ranker in RANKERS:
            theta = fit(_groups(samples, ranker), _start(ranker))
            for method, coefficients in (("hand", _start(ranker)), ("learned", theta)):
                tally: dict[str, list[int]] = {}
                for s in held_out:
                    for name, hit in field_hits(s, ranker, coefficients).items():
                        t = tally.setdefault(name, [0, 0])
                        t[0] += hit
                        t[1] += 1
                out.write(
                    f"  {ranker} {method}: {', '.join(f'{n} {_rate(t)}' for n, t in sorted(tally.items()))}\n"
                )
    if args.write:
        model = {
            "about": "conditional-logit rankers fitted by extraction/train.py; "
            "'use': it beat the hand weights in cross-validation",
            "documents": len(samples),
            "folds": args.folds,
            "seed": args.seed,
            "rankers": rankers,
        }
        args.write.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

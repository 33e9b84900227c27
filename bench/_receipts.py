"""The receipt sample the OCR benchmarks read: a directory of SROIE JPEGs, a seeded subset."""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DIR = ROOT.parent / "shared" / "data" / "dev" / "sroie"


def add_arguments(parser: argparse.ArgumentParser, limit: int) -> None:
    parser.add_argument("directory", type=Path, nargs="?", default=DEFAULT_DIR)
    parser.add_argument("--limit", type=int, default=limit, help="receipts to read (0: all)")
    parser.add_argument("--seed", type=int, default=13)


def sample(args: argparse.Namespace) -> list[Path]:
    """The receipts to read, in name order; none (said on stderr) when the directory holds none:
    not a failure of `make bench`, the receipts live in the shared data beside the checkout."""
    images = sorted(args.directory.glob("*.jpg"))
    if not images:
        sys.stderr.write(f"no receipts (*.jpg) in {args.directory}; nothing measured\n")
        return []
    if args.limit:
        images = sorted(random.Random(args.seed).sample(images, min(args.limit, len(images))))
    return images

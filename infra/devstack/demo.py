"""Upload sample invoices to a running app at a steady rate, so the live widget visibly moves.

python -m devstack.demo                       # ../shared/data/invoices, 1 upload/s, forever
python -m devstack.demo DIR --rate 3 --count 50 --url http://127.0.0.1:8000
"""

from __future__ import annotations

import argparse
import itertools
import logging
import mimetypes
import time
from pathlib import Path

import requests

log = logging.getLogger("devstack.demo")

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DIRS = (ROOT.parent / "shared" / "data" / "invoices", ROOT / "tests" / "fixtures" / "invoices")
SUFFIXES = {".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".webp"}


def find_documents(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.suffix.lower() in SUFFIXES and p.is_file())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m devstack.demo", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    parser.add_argument("folder", nargs="?", type=Path, help="documents to upload (searched recursively)")
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--rate", type=float, default=1.0, help="uploads per second")
    parser.add_argument("--count", type=int, default=0, help="stop after this many (0: run until Ctrl-C)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")

    folder = args.folder or next((d for d in DEFAULT_DIRS if d.is_dir()), DEFAULT_DIRS[-1])
    documents = find_documents(folder)
    if not documents:
        parser.error(f"no PDF or image files in {folder}")
    log.info("uploading %d documents from %s to %s at %.1f/s", len(documents), folder, args.url, args.rate)

    interval = 1.0 / args.rate if args.rate > 0 else 0.0
    session = requests.Session()
    next_at = time.monotonic()
    try:
        for n, path in enumerate(itertools.cycle(documents), start=1):
            if args.count and n > args.count:
                break
            media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            with open(path, "rb") as fh:
                resp = session.post(
                    f"{args.url}/api/invoices", files={"file": (path.name, fh, media_type)}, timeout=120
                )
            body = resp.json()
            if resp.ok:
                total = (body.get("fields", {}).get("total") or {}).get("value")
                log.info("%s → %s total=%s accuracy=%s latency=%sms", path.name, body["invoiceId"], total,
                         body["accuracy"], body["latencyMs"])  # fmt: skip
            else:
                log.info("%s → %s %s", path.name, resp.status_code, body.get("error"))
            next_at += interval
            time.sleep(max(0.0, next_at - time.monotonic()))
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()

"""Upload sample invoices to a running app at a steady rate, so the live widget visibly moves.

python -m devstack.demo                       # ../shared/data/invoices, 1 upload/s, forever
python -m devstack.demo DIR --rate 3 --count 50 --url http://127.0.0.1:8000

Uploading needs a reviewer. With sign-in on (the stack's /config.json says so), the demo makes
its own reviewer, `demo@example.com`, in the stack's embedded Cognito (moto answers the admin API
to anyone; a deployed pool does not, so this only works against the local stack) and signs in
as it; the seeded users and their passwords stay as printed.
"""

from __future__ import annotations

import argparse
import itertools
import logging
import mimetypes
import secrets
import time
from pathlib import Path
from typing import Any

import boto3
import requests

log = logging.getLogger("devstack.demo")

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DIRS = (ROOT.parent / "shared" / "data" / "invoices", ROOT / "tests" / "fixtures" / "invoices")
SUFFIXES = {".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".webp"}


DEMO_USER = "demo@example.com"


def find_documents(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.suffix.lower() in SUFFIXES and p.is_file())


def demo_token(auth: dict[str, Any]) -> str:
    """An id token of a reviewer made for the demo in the local stack's embedded Cognito."""
    cognito = boto3.client(
        "cognito-idp",
        endpoint_url=auth["endpoint"].rstrip("/"),
        region_name=auth.get("region", "us-east-1"),
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )
    pool, password = auth["userPoolId"], f"{secrets.token_urlsafe(12)}-Aa1"
    try:
        cognito.admin_create_user(UserPoolId=pool, Username=DEMO_USER, MessageAction="SUPPRESS")
        cognito.admin_add_user_to_group(UserPoolId=pool, Username=DEMO_USER, GroupName="reviewer")
    except cognito.exceptions.UsernameExistsException:
        pass
    cognito.admin_set_user_password(UserPoolId=pool, Username=DEMO_USER, Password=password, Permanent=True)
    answer = cognito.initiate_auth(
        ClientId=auth["clientId"],
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": DEMO_USER, "PASSWORD": password},
    )
    return answer["AuthenticationResult"]["IdToken"]


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
    auth = session.get(f"{args.url}/config.json", timeout=10).json().get("auth") or {}
    if auth.get("mode") == "cognito":
        session.headers["Authorization"] = f"Bearer {demo_token(auth)}"
        log.info("signed in as %s (a reviewer made for the demo)", DEMO_USER)
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

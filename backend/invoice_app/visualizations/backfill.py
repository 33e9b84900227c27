"""Backfill `createdDay` on invoices stored before the `byDay` index existed.

`/data` reads invoices through `byDay` (partition `createdDay`); an invoice written before that
attribute existed is in no partition of it, so no chart sees it. This command pages through the
invoices table once (a `Scan` — a one-off migration, not a request path — filtered to the items
without `createdDay`, projecting only the key and `createdAt`) and sets `createdDay` on each with
a conditional `UpdateItem` (`attribute_not_exists(createdDay)`, and `createdAt` unchanged): an
invoice written meanwhile (which sets it itself) or deleted is left alone, and running it again
changes nothing. Run it with the app's environment (`INVOICES_TABLE`, `AWS_REGION`, and
`AWS_ENDPOINT_URL` for the local stack):

    python -m invoice_app.visualizations.backfill [--dry-run] [--page-size 500]

It prints one JSON line of counts. Throttling is retried by botocore's standard mode; a failure
stops it with what it had done so far (run it again: it carries on where it stopped, by the filter).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from ..core.dynamo import error_code
from ..core.errors import StorageUnavailable
from ..invoices.model import created_day

log = logging.getLogger(__name__)

MAX_PAGE = 1000
# A createdAt DynamoDB holds and a day exists for (year 9999): anything else is left as it is.
_MAX_MS = 253_402_300_799_999


@dataclass
class BackfillStats:
    scanned: int = 0  # items read by the Scan (each without createdDay)
    updated: int = 0  # createdDay set (or, with dry_run, would be)
    raced: int = 0  # the condition failed: written (with createdDay) or deleted meanwhile
    unusable: int = 0  # no usable createdAt: left alone, logged
    pages: int = 0


def _created_at(item: dict[str, Any]) -> int | None:
    raw = item.get("createdAt", {}).get("N")
    try:
        value = int(raw) if raw is not None else None
    except ValueError:  # a fractional or odd number: not one this app wrote
        return None
    return value if value is not None and 0 < value <= _MAX_MS else None


def backfill(client: Any, table: str, *, page_size: int = 500, dry_run: bool = False) -> BackfillStats:
    """Set `createdDay` on every invoice of `table` that lacks it; idempotent. Raises
    StorageUnavailable on a failed AWS call (what was done stays done)."""
    stats = BackfillStats()
    kwargs: dict[str, Any] = {
        "TableName": table,
        "FilterExpression": "attribute_not_exists(createdDay)",
        "ProjectionExpression": "invoiceId, createdAt",
        "Limit": max(1, min(page_size, MAX_PAGE)),
    }
    while True:
        try:
            page = client.scan(**kwargs)
        except (ClientError, BotoCoreError) as exc:
            log.error("backfill: scanning %s failed after %s: %s", table, stats, exc)
            raise StorageUnavailable(f"scanning {table} failed") from exc
        stats.pages += 1
        for item in page.get("Items", []):
            stats.scanned += 1
            _backfill_one(client, table, item, stats, dry_run)
        start = page.get("LastEvaluatedKey")
        if not start:
            return stats
        kwargs["ExclusiveStartKey"] = start


def _backfill_one(client: Any, table: str, item: dict[str, Any], stats: BackfillStats, dry_run: bool) -> None:
    invoice_id = item["invoiceId"]["S"]
    created_at = _created_at(item)
    if created_at is None:
        stats.unusable += 1
        log.warning("backfill: invoice %s has no usable createdAt; left as it is", invoice_id)
        return
    if dry_run:
        stats.updated += 1
        return
    try:
        client.update_item(
            TableName=table,
            Key={"invoiceId": {"S": invoice_id}},
            UpdateExpression="SET createdDay = :d",
            ConditionExpression=(
                "attribute_exists(invoiceId) AND attribute_not_exists(createdDay) AND createdAt = :c"
            ),
            ExpressionAttributeValues={":d": {"S": created_day(created_at)}, ":c": {"N": str(created_at)}},
        )
    except ClientError as exc:
        if error_code(exc) == "ConditionalCheckFailedException":
            stats.raced += 1
            return
        log.error("backfill: updating invoice %s failed after %s: %s", invoice_id, stats, exc)
        raise StorageUnavailable(f"updating invoice {invoice_id} failed") from exc
    except BotoCoreError as exc:
        log.error("backfill: updating invoice %s failed after %s: %s", invoice_id, stats, exc)
        raise StorageUnavailable(f"updating invoice {invoice_id} failed") from exc
    stats.updated += 1


def main(argv: Sequence[str] | None = None, env: dict[str, str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m invoice_app.visualizations.backfill", description=__doc__
    )
    parser.add_argument("--dry-run", action="store_true", help="count what would change, change nothing")
    parser.add_argument("--page-size", type=int, default=500, help=f"items per Scan page (1–{MAX_PAGE})")
    args = parser.parse_args(argv)
    env = dict(os.environ if env is None else env)
    logging.basicConfig(level=env.get("LOG_LEVEL", "INFO").upper(), format="%(levelname)s %(message)s")
    table = env.get("INVOICES_TABLE")
    if not table:
        # No default: a migration must not guess which table it rewrites.
        log.error("set INVOICES_TABLE to the invoices table to backfill")
        return 2
    from ..core.aws import AwsClients

    region = env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or "us-east-1"
    client = AwsClients(region, env.get("AWS_ENDPOINT_URL") or None).dynamodb
    try:
        stats = backfill(client, table, page_size=args.page_size, dry_run=args.dry_run)
    except StorageUnavailable as exc:
        log.error("backfill stopped: %s (run it again to carry on)", exc.message)
        return 1
    # The command's output is its counts: stdout, not the log.
    sys.stdout.write(json.dumps({"table": table, "dryRun": args.dry_run, **asdict(stats)}) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

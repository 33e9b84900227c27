"""The createdDay backfill on moto: old invoices become visible to /data; a second run changes
nothing; a concurrent write or delete wins; what cannot be dated is left alone."""

from __future__ import annotations

import json
import time

import boto3
import pytest

from invoice_app.invoices.model import Invoice, created_day
from invoice_app.visualizations.backfill import backfill, main
from invoice_app.visualizations.data import days_between, read_rows

DAY = 86_400_000


@pytest.fixture
def table(services) -> str:
    return services.settings.invoices_table


@pytest.fixture
def ddb():
    return boto3.client("dynamodb")


def store_old(services, ddb, invoice_id: str, created_at: int, **values) -> dict:
    """An invoice as stored before `createdDay` existed."""
    item = services.invoices.item_for(Invoice(invoice_id=invoice_id, created_at=created_at, **values))
    item.pop("createdDay", None)  # (item_for sets none for createdAt 0)
    ddb.put_item(TableName=services.settings.invoices_table, Item=item)
    return item


def item(ddb, table: str, invoice_id: str) -> dict:
    return ddb.get_item(TableName=table, Key={"invoiceId": {"S": invoice_id}}, ConsistentRead=True)["Item"]


def in_index(services, since: int, until: int) -> set[str]:
    rows, _ = read_rows(services.invoices, since, until)
    return {r["invoiceId"] for r in rows}


def test_old_invoices_get_their_day_and_reach_the_index(services, ddb, table) -> None:
    now = int(time.time() * 1000)
    services.invoices.put_new(Invoice(invoice_id="new", created_at=now, latency_ms=1.0))
    olds = {f"old{n}": now - n * DAY for n in range(7)}
    for invoice_id, created_at in olds.items():
        store_old(services, ddb, invoice_id, created_at, latency_ms=2.0)
    since = now - 7 * DAY
    assert in_index(services, since, now + 1) == {"new"}
    assert len(days_between(since, now + 1)) == 8

    stats = backfill(ddb, table, page_size=2)

    assert (stats.scanned, stats.updated, stats.raced, stats.unusable) == (7, 7, 0, 0)
    assert stats.pages >= 4  # 8 items, 2 a page: it pages
    for invoice_id, created_at in olds.items():
        stored = item(ddb, table, invoice_id)
        assert stored["createdDay"] == {"S": created_day(created_at)}
        assert float(stored["latencyMs"]["N"]) == 2.0  # the rest untouched
    assert in_index(services, since, now + 1) == {"new", *olds}


def test_a_second_run_changes_nothing(services, ddb, table) -> None:
    now = int(time.time() * 1000)
    store_old(services, ddb, "old", now)
    assert backfill(ddb, table).updated == 1
    before = item(ddb, table, "old")

    again = backfill(ddb, table)

    assert (again.scanned, again.updated, again.raced) == (0, 0, 0)
    assert item(ddb, table, "old") == before


def test_a_dry_run_counts_and_writes_nothing(services, ddb, table) -> None:
    store_old(services, ddb, "old", int(time.time() * 1000))
    stats = backfill(ddb, table, dry_run=True)
    assert (stats.scanned, stats.updated) == (1, 1)
    assert "createdDay" not in item(ddb, table, "old")


def test_what_cannot_be_dated_is_left_alone(services, ddb, table) -> None:
    store_old(services, ddb, "zero", 0)
    ddb.put_item(TableName=table, Item={"invoiceId": {"S": "bare"}, "listKey": {"S": "invoice"}})
    ddb.put_item(TableName=table, Item={"invoiceId": {"S": "odd"}, "createdAt": {"N": "1.5"}})

    stats = backfill(ddb, table)

    assert (stats.scanned, stats.updated, stats.unusable) == (3, 0, 3)
    for invoice_id in ("zero", "bare", "odd"):
        assert "createdDay" not in item(ddb, table, invoice_id)


class Interleaved:
    """The real client, with another writer acting on an item between the Scan and its update."""

    def __init__(self, client, before_update) -> None:
        self._client = client
        self._before_update = before_update

    def scan(self, **kwargs):
        return self._client.scan(**kwargs)

    def update_item(self, **kwargs):
        self._before_update(kwargs["Key"]["invoiceId"]["S"])
        return self._client.update_item(**kwargs)


def test_a_concurrent_write_or_delete_wins(services, ddb, table) -> None:
    now = int(time.time() * 1000)
    for invoice_id in ("rewritten", "deleted", "plain"):
        store_old(services, ddb, invoice_id, now)

    def other_writer(invoice_id: str) -> None:
        if invoice_id == "rewritten":  # a correction puts the whole item, with createdDay
            full = services.invoices.item_for(Invoice(invoice_id="rewritten", created_at=now, latency_ms=9.0))
            ddb.put_item(TableName=table, Item=full)
        elif invoice_id == "deleted":
            ddb.delete_item(TableName=table, Key={"invoiceId": {"S": "deleted"}})

    stats = backfill(Interleaved(ddb, other_writer), table)

    assert (stats.scanned, stats.updated, stats.raced) == (3, 1, 2)
    assert float(item(ddb, table, "rewritten")["latencyMs"]["N"]) == 9.0
    assert "Item" not in ddb.get_item(TableName=table, Key={"invoiceId": {"S": "deleted"}})  # not recreated
    assert item(ddb, table, "plain")["createdDay"] == {"S": created_day(now)}


def test_the_command_prints_its_counts(services, ddb, table, capsys) -> None:
    store_old(services, ddb, "old", int(time.time() * 1000))
    env = {"INVOICES_TABLE": table, "AWS_REGION": "us-east-1"}

    assert main(["--dry-run"], env) == 0
    assert json.loads(capsys.readouterr().out) == {
        "table": table,
        "dryRun": True,
        "scanned": 1,
        "updated": 1,
        "raced": 0,
        "unusable": 0,
        "pages": 1,
    }
    assert main([], env) == 0
    assert json.loads(capsys.readouterr().out)["updated"] == 1
    assert "createdDay" in item(ddb, table, "old")


def test_the_command_needs_its_table_and_a_store(services, ddb, capsys) -> None:
    assert main([], {"AWS_REGION": "us-east-1"}) == 2
    assert main([], {"INVOICES_TABLE": "no-such-table", "AWS_REGION": "us-east-1"}) == 1
    assert capsys.readouterr().out == ""

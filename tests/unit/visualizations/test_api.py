"""/api/visualizations through the app on moto: roles, visibility, versions, history, data."""

from __future__ import annotations

import threading
import time

import boto3
import pytest

from invoice_app.invoices.model import Invoice, created_day
from invoice_app.visualizations.store import history_sort_key

DAY = 86_400_000


@pytest.fixture
def reviewer(client_as):
    return client_as("reviewer")


@pytest.fixture
def second_reviewer(app, user_pool):
    user_pool.add_user("rev2@example.com", groups=["reviewer"], name="Second Reviewer")
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {user_pool.sign_in('rev2@example.com')['IdToken']}"
    return client


def create(client, **body):
    body = {"name": "Latency", "type": "normal", **body}
    response = client.post("/api/visualizations", json=body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def change(client, viz, parameters, version=None):
    return client.post(
        f"/api/visualizations/{viz['id']}/parameters",
        json={"parameters": parameters, "version": viz["version"] if version is None else version},
    )


def table_items(services) -> list[dict]:
    return boto3.client("dynamodb").scan(TableName=services.settings.visualizations_table)["Items"]


def test_create_fills_in_the_defaults_and_reads_back(reviewer, client_as) -> None:
    viz = create(reviewer, shared=True)
    assert viz["parameters"] == {"measure": "latency", "k": 2, "bins": 30, "days": 30}
    assert (viz["version"], viz["shared"], viz["type"]) == (1, True, "normal")
    assert viz["owner"]["email"] == "reviewer@example.com"
    assert client_as("viewer").get(f"/api/visualizations/{viz['id']}").get_json() == viz


def test_the_list_has_ones_own_and_the_shared_ones_only(reviewer, second_reviewer, client_as) -> None:
    mine_private = create(reviewer, name="mine")
    mine_shared = create(reviewer, name="mine shared", shared=True)
    theirs_private = create(second_reviewer, name="theirs")
    theirs_shared = create(second_reviewer, name="theirs shared", shared=True)

    ids = [v["id"] for v in reviewer.get("/api/visualizations").get_json()["items"]]
    assert set(ids) == {mine_private["id"], mine_shared["id"], theirs_shared["id"]}
    assert ids[0] == theirs_shared["id"]  # newest created first
    viewer_ids = {v["id"] for v in client_as("viewer").get("/api/visualizations").get_json()["items"]}
    assert viewer_ids == {mine_shared["id"], theirs_shared["id"]}
    assert theirs_private["id"] not in viewer_ids


def test_a_private_one_is_invisible_to_everyone_else(reviewer, second_reviewer, client_as) -> None:
    viz = create(reviewer)
    base = f"/api/visualizations/{viz['id']}"
    for role, client in (
        ("reviewer", second_reviewer),
        ("viewer", client_as("viewer")),
        ("admin", client_as("admin")),
    ):
        assert client.get(base).status_code == 404
        assert client.get(f"{base}/data").status_code == 404
        assert client.get(f"{base}/history").status_code == 404
        # A viewer's write is refused by role before anything is read (the guard), so 403.
        write = 403 if role == "viewer" else 404
        assert change(client, viz, {"k": 3}).status_code == write
        assert client.delete(base).status_code == write
    assert reviewer.get(f"/api/visualizations/{viz['id']}").status_code == 200


def test_roles(reviewer, second_reviewer, client_as, services) -> None:
    viewer, admin = client_as("viewer"), client_as("admin")
    assert viewer.post("/api/visualizations", json={"name": "x", "type": "normal"}).status_code == 403
    viz = create(reviewer, shared=True)
    assert change(viewer, viz, {"k": 3}).status_code == 403
    # Anyone who may see a shared one changes its parameters (reviewer+) ...
    changed = change(second_reviewer, viz, {"k": 3})
    assert changed.status_code == 200, changed.get_json()
    viz = changed.get_json()
    # ... but only the owner or an admin renames, unshares or deletes it.
    for body in ({"name": "renamed"}, {"shared": False}):
        response = second_reviewer.put(
            f"/api/visualizations/{viz['id']}", json={**body, "version": viz["version"]}
        )
        assert response.status_code == 403, response.get_json()
    assert second_reviewer.delete(f"/api/visualizations/{viz['id']}").status_code == 403
    assert viewer.delete(f"/api/visualizations/{viz['id']}").status_code == 403
    renamed = admin.put(
        f"/api/visualizations/{viz['id']}", json={"name": "by admin", "version": viz["version"]}
    )
    assert renamed.status_code == 200 and renamed.get_json()["name"] == "by admin"
    assert admin.delete(f"/api/visualizations/{viz['id']}").status_code == 204
    assert reviewer.get(f"/api/visualizations/{viz['id']}").status_code == 404
    assert table_items(services) == []  # its history went with it


def test_the_owner_unshares_and_then_it_is_gone_for_others(reviewer, second_reviewer) -> None:
    viz = create(reviewer, shared=True)
    response = reviewer.put(
        f"/api/visualizations/{viz['id']}", headers={"If-Match": "1"}, json={"shared": False}
    )
    assert response.status_code == 200 and response.get_json()["version"] == 2
    assert second_reviewer.get(f"/api/visualizations/{viz['id']}").status_code == 404


def test_a_parameter_change_returns_the_new_version_and_is_on_record(reviewer, second_reviewer) -> None:
    viz = create(reviewer, shared=True)
    first = change(reviewer, viz, {"mean": 1200, "stdDev": 300}).get_json()
    second = change(second_reviewer, first, {"mean": 1500, "target": 2000}).get_json()
    assert (first["version"], second["version"]) == (2, 3)
    assert second["parameters"] == {
        "measure": "latency", "mean": 1500, "stdDev": 300, "k": 2, "target": 2000, "bins": 30, "days": 30,
    }  # fmt: skip
    reset = change(reviewer, second, {"mean": None}).get_json()
    assert "mean" not in reset["parameters"] and reset["version"] == 4

    page = reviewer.get(f"/api/visualizations/{viz['id']}/history").get_json()
    got = [(h["version"], h["parameter"], h["old"], h["new"], h["by"]["email"]) for h in page["items"]]
    assert got == [
        (4, "mean", 1500, None, "reviewer@example.com"),
        (3, "target", None, 2000, "rev2@example.com"),
        (3, "mean", 1200, 1500, "rev2@example.com"),
        (2, "stdDev", None, 300, "reviewer@example.com"),
        (2, "mean", None, 1200, "reviewer@example.com"),
    ]
    assert page["nextCursor"] is None and all(h["visualizationId"] == viz["id"] for h in page["items"])


def test_history_pages_newest_first(reviewer) -> None:
    viz = create(reviewer)
    for k in (1, 2, 3, 4, 5):
        viz = change(reviewer, viz, {"k": k + 0.5}).get_json()
    seen, cursor = [], None
    while True:
        url = f"/api/visualizations/{viz['id']}/history?limit=2" + (f"&cursor={cursor}" if cursor else "")
        page = reviewer.get(url).get_json()
        seen += [h["version"] for h in page["items"]]
        cursor = page["nextCursor"]
        if not cursor:
            break
    assert seen == [6, 5, 4, 3, 2]
    other = create(reviewer)
    first = reviewer.get(f"/api/visualizations/{viz['id']}/history?limit=2").get_json()["nextCursor"]
    assert reviewer.get(f"/api/visualizations/{other['id']}/history?cursor={first}").status_code == 400
    assert reviewer.get(f"/api/visualizations/{viz['id']}/history?cursor=bm9wZQ").status_code == 400


def test_a_stale_version_is_409_with_the_current_state(reviewer, second_reviewer) -> None:
    viz = create(reviewer, shared=True)
    assert change(second_reviewer, viz, {"k": 3}).status_code == 200
    stale = change(reviewer, viz, {"k": 4})
    assert stale.status_code == 409
    body = stale.get_json()
    assert body["error"] and body["current"]["version"] == 2 and body["current"]["parameters"]["k"] == 3


def test_the_version_is_required(reviewer) -> None:
    viz = create(reviewer)
    response = reviewer.post(f"/api/visualizations/{viz['id']}/parameters", json={"parameters": {"k": 3}})
    assert response.status_code == 428 and response.get_json()["error"]
    bad = reviewer.post(
        f"/api/visualizations/{viz['id']}/parameters",
        json={"parameters": {"k": 3}},
        headers={"If-Match": "x"},
    )
    assert bad.status_code == 400


def test_two_writers_at_once_one_wins_one_gets_409(app, reviewer, user_pool, services) -> None:
    viz = create(reviewer, shared=True)
    token = user_pool.id_token("reviewer")
    statuses: list[int] = []
    barrier = threading.Barrier(2)

    def write(k: float) -> None:
        client = app.test_client()
        barrier.wait()
        response = client.post(
            f"/api/visualizations/{viz['id']}/parameters",
            json={"parameters": {"k": k}, "version": 1},
            headers={"Authorization": f"Bearer {token}"},
        )
        statuses.append(response.status_code)

    threads = [threading.Thread(target=write, args=(k,)) for k in (3, 4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(statuses) == [200, 409]
    final = reviewer.get(f"/api/visualizations/{viz['id']}").get_json()
    assert final["version"] == 2
    history = reviewer.get(f"/api/visualizations/{viz['id']}/history").get_json()["items"]
    assert [(h["version"], h["new"]) for h in history] == [(2, final["parameters"]["k"])]


def test_a_failing_history_write_changes_nothing(reviewer, services, monkeypatch) -> None:
    viz = create(reviewer)
    at = 1_700_000_000_000
    # A history item already holding the key the change will write: its Put's condition fails, so
    # the whole transaction is cancelled, although the visualization's own condition holds.
    boto3.client("dynamodb").put_item(
        TableName=services.settings.visualizations_table,
        Item={"pk": {"S": f"viz#{viz['id']}"}, "sk": {"S": history_sort_key(at, 2, 0)}},
    )
    monkeypatch.setattr("invoice_app.visualizations.routes._now_ms", lambda: at)
    response = change(reviewer, viz, {"k": 3})
    assert response.status_code == 503 and response.get_json()["error"]
    assert reviewer.get(f"/api/visualizations/{viz['id']}").get_json() == viz
    items = table_items(services)
    assert len(items) == 2  # the visualization (unchanged) and the planted item, nothing new


def test_unchanged_parameters_write_nothing(reviewer, services) -> None:
    viz = create(reviewer)
    again = change(reviewer, viz, {"k": 2})
    assert again.status_code == 200 and again.get_json() == viz
    assert len(table_items(services)) == 1


def test_type_cannot_change_and_unknown_keys_are_refused(reviewer) -> None:
    viz = create(reviewer)
    url = f"/api/visualizations/{viz['id']}"
    assert reviewer.put(url, json={"type": "series", "version": 1}).status_code == 400
    assert reviewer.put(url, json={"colour": "red", "version": 1}).status_code == 400
    assert reviewer.post("/api/visualizations", json={"name": "x", "type": "pie"}).status_code == 400
    assert reviewer.post("/api/visualizations", data="[]", content_type="application/json").status_code == 400
    assert reviewer.get("/api/visualizations/not-an-id").status_code == 404


# -- /data from real invoice items through the byDay index --------------------------------------


def store_invoice(services, invoice_id: str, created_at: int, **values) -> None:
    fields = {}
    for name in ("total", "vendorName", "currency"):
        if name in values:
            fields[name] = {"value": values.pop(name), "confidence": 0.9}
    services.invoices.put_new(Invoice(invoice_id=invoice_id, created_at=created_at, fields=fields, **values))


def test_data_of_a_normal_visualization(reviewer, services) -> None:
    now = int(time.time() * 1000)
    for n, latency in enumerate([100, 200, 300, 400, 1000]):
        store_invoice(services, f"inv{n}", now - n * DAY, latency_ms=latency, accuracy=90.0, pages=1)
    store_invoice(services, "old", now - 40 * DAY, latency_ms=5.0)  # outside the 30 days
    viz = create(reviewer, parameters={"target": 350, "k": 1, "bins": 5})
    body = reviewer.get(f"/api/visualizations/{viz['id']}/data").get_json()
    assert (body["type"], body["count"], body["rows"], body["truncated"]) == ("normal", 5, 5, False)
    assert body["fit"]["mean"] == pytest.approx(400.0)
    assert body["fit"]["stdDev"] == pytest.approx(316.2278, rel=1e-5)
    assert body["curve"] == body["fit"]
    assert [b["count"] for b in body["bins"]] == [2, 2, 0, 0, 1]
    assert (body["bins"][0]["x0"], body["bins"][-1]["x1"]) == (100, 1000)
    assert body["inside"] == pytest.approx(4 / 5)  # 100..400 within 400 ± 316
    assert body["aboveTarget"] == pytest.approx(2 / 5)
    assert body["expectedInside"] == pytest.approx(0.6827, abs=1e-4)


def test_data_reads_only_the_days_of_its_range(reviewer, services, monkeypatch) -> None:
    now = int(time.time() * 1000)
    store_invoice(services, "a", now, latency_ms=10.0)
    store_invoice(services, "b", now - 3 * DAY, latency_ms=20.0)
    calls: list[dict] = []
    client = services.aws.dynamodb
    original = client.query

    def spy(**kwargs):
        calls.append(kwargs)
        return original(**kwargs)

    monkeypatch.setattr(client, "query", spy)
    monkeypatch.setattr(client, "scan", lambda **kw: pytest.fail(f"a scan: {kw}"))
    viz = create(reviewer, type="histogram", parameters={"days": 2, "bins": 5})
    body = reviewer.get(f"/api/visualizations/{viz['id']}/data").get_json()
    assert body["count"] == 1 and body["min"] == 10.0
    day_queries = [c for c in calls if c.get("IndexName") == "byDay"]
    assert len(day_queries) == 2  # yesterday and today, nothing else
    assert {c["ExpressionAttributeValues"][":d"]["S"] for c in day_queries} == {
        created_day(now - DAY),
        created_day(now),
    }


def test_data_of_a_histogram_with_filters_and_a_scatter(reviewer, services) -> None:
    now = int(time.time() * 1000)
    store_invoice(
        services, "e1", now, latency_ms=10.0, pages=1, total=100.0, currency="EUR", vendorName="ACME"
    )
    store_invoice(
        services, "e2", now, latency_ms=30.0, pages=3, total=300.0, currency="EUR", vendorName="acme"
    )
    store_invoice(
        services, "u1", now, latency_ms=50.0, pages=2, total=200.0, currency="USD", vendorName="Other"
    )
    hist = create(
        reviewer, type="histogram", parameters={"measure": "total", "bins": 5, "filters": {"vendor": "Acme"}}
    )
    body = reviewer.get(f"/api/visualizations/{hist['id']}/data").get_json()
    assert (body["count"], body["min"], body["max"]) == (2, 100.0, 300.0)
    scatter = create(reviewer, type="scatter", parameters={"x": "pages", "y": "latency"})
    points = reviewer.get(f"/api/visualizations/{scatter['id']}/data").get_json()["points"]
    assert sorted((p["x"], p["y"], p["invoiceId"]) for p in points) == [
        (1, 10.0, "e1"), (2, 50.0, "u1"), (3, 30.0, "e2"),
    ]  # fmt: skip


def test_data_of_a_series_in_utc_days(reviewer, services) -> None:
    start = 1_700_006_400_000 - 1_700_006_400_000 % DAY  # a UTC midnight
    store_invoice(services, "s1", start + 1, total=10.0, currency="EUR")
    store_invoice(services, "s2", start + DAY - 1, total=5.0, currency="EUR")  # 23:59:59.999 UTC
    store_invoice(services, "s3", start + DAY, total=7.0, currency="USD")
    viz = create(
        reviewer,
        type="series",
        parameters={"measure": "spend", "interval": "day", "from": start, "to": start + 3 * DAY},
    )
    body = reviewer.get(f"/api/visualizations/{viz['id']}/data").get_json()
    assert body["buckets"] == [start, start + DAY, start + 2 * DAY]
    assert {g["key"]: g["values"] for g in body["groups"]} == {"EUR": [15.0, 0, 0], "USD": [0, 7.0, 0]}


VIZ = "/api/visualizations/0123456789abcdef0123456789abcdef"


@pytest.mark.parametrize(
    ("method", "path", "least"),
    [
        ("GET", "/api/visualizations", "viewer"),
        ("POST", "/api/visualizations", "reviewer"),
        ("GET", VIZ, "viewer"),
        ("PUT", VIZ, "reviewer"),
        ("DELETE", VIZ, "reviewer"),
        ("POST", f"{VIZ}/parameters", "reviewer"),
        ("GET", f"{VIZ}/data", "viewer"),
        ("GET", f"{VIZ}/history", "viewer"),
    ],
)
def test_every_route_checks_the_token_then_the_role(client_as, services, method, path, least) -> None:
    assert client_as(None).open(path, method=method).status_code == 401
    order = ["viewer", "reviewer", "admin"]
    for role in order:
        response = client_as(role).open(path, method=method, json={"name": "x", "type": "normal"})
        if order.index(role) < order.index(least):
            assert response.status_code == 403 and f"needs the {least} role" in response.get_json()["error"]
        else:
            assert response.status_code not in (401, 403, 500), (role, response.get_json())
    if path != "/api/visualizations":
        assert table_items(services) == []  # refused, or no such visualization: nothing written


def test_an_invoice_stored_before_created_day_is_not_in_the_index(reviewer, services) -> None:
    now = int(time.time() * 1000)
    store_invoice(services, "new", now, latency_ms=10.0)
    old = services.invoices.item_for(Invoice(invoice_id="old", created_at=now, latency_ms=20.0))
    del old["createdDay"]  # as items written before this change are
    boto3.client("dynamodb").put_item(TableName=services.settings.invoices_table, Item=old)
    viz = create(reviewer, type="histogram")
    assert reviewer.get(f"/api/visualizations/{viz['id']}/data").get_json()["count"] == 1
    # Written again (a correction puts the whole item_for), it carries createdDay and is found.
    again = services.invoices.item_for(Invoice(invoice_id="old", created_at=now, latency_ms=20.0))
    boto3.client("dynamodb").put_item(TableName=services.settings.invoices_table, Item=again)
    assert reviewer.get(f"/api/visualizations/{viz['id']}/data").get_json()["count"] == 2


def test_data_stops_at_the_row_bound_and_says_so(reviewer, services, monkeypatch) -> None:
    now = int(time.time() * 1000)
    for n in range(5):
        store_invoice(services, f"t{n}", now - n * DAY, latency_ms=float(n))
    monkeypatch.setattr("invoice_app.visualizations.data.MAX_ROWS", 3)
    viz = create(reviewer, type="histogram", parameters={"days": 10})
    body = reviewer.get(f"/api/visualizations/{viz['id']}/data").get_json()
    assert (body["rows"], body["truncated"], body["count"]) == (3, True, 3)
    assert body["max"] == 4.0  # oldest first: the newest are the ones left out

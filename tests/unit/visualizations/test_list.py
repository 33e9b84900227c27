"""GET /api/visualizations pages: own + shared merged, newest created first, an opaque cursor."""

from __future__ import annotations

import base64
import json

import pytest

from invoice_app.visualizations.model import Visualization

T0 = 1_760_000_000_000


def stored(services, n: int, *, owner: str, shared: bool, created_at: int) -> Visualization:
    viz = Visualization(
        id=f"{n:032x}",
        name=f"viz {n}",
        type="normal",
        parameters={"measure": "latency", "k": 2, "bins": 20, "days": 30},
        owner_id=owner,
        owner={"sub": owner, "email": f"{owner}@example.com"},
        shared=shared,
        version=1,
        created_at=created_at,
        updated_at=created_at,
    )
    services.visualizations.create(viz)
    return viz


def pages(client, limit: int) -> list[list[dict]]:
    out, cursor = [], None
    while True:
        query = f"?limit={limit}" + (f"&cursor={cursor}" if cursor else "")
        response = client.get(f"/api/visualizations{query}")
        assert response.status_code == 200, response.get_json()
        body = response.get_json()
        out.append(body["items"])
        cursor = body["nextCursor"]
        if cursor is None:
            return out
        assert len(out) < 50, "the cursor does not move on"


@pytest.fixture
def reviewer(client_as):
    return client_as("reviewer")


@pytest.fixture
def world(services, reviewer) -> list[Visualization]:
    """What the reviewer may see, newest created first; plus others' private ones it may not.
    Five share one createdAt (an index orders those arbitrarily), and its own shared ones are in
    both indexes."""
    me = reviewer.get("/api/me").get_json()["sub"]
    visible = []
    for n in range(12):
        mine = n % 3 != 0
        visible.append(
            stored(
                services,
                n + 1,
                owner=me if mine else "other",
                shared=not mine or n % 2 == 0,
                created_at=T0 + n * 1000,
            )
        )
    for n in range(5):
        visible.append(
            stored(services, 100 + n, owner=me if n % 2 else "other", shared=True, created_at=T0 + 500)
        )
    for n in range(4):
        stored(services, 200 + n, owner="other", shared=False, created_at=T0 + n * 700)
    return sorted(visible, key=lambda v: (v.created_at, v.id), reverse=True)


@pytest.mark.parametrize("limit", [1, 2, 5, 7, 100])
def test_the_pages_hold_everything_visible_once_in_order(reviewer, world, limit) -> None:
    got = pages(reviewer, limit)
    assert all(len(page) == limit for page in got[:-1]) and 0 < len(got[-1]) <= limit
    assert [v["id"] for page in got for v in page] == [v.id for v in world]


def test_the_default_page_is_fifty(services, reviewer) -> None:
    me = reviewer.get("/api/me").get_json()["sub"]
    for n in range(51):
        stored(services, n + 1, owner=me, shared=n % 2 == 0, created_at=T0 + n)
    first = reviewer.get("/api/visualizations").get_json()
    assert len(first["items"]) == 50 and first["nextCursor"]
    rest = reviewer.get(f"/api/visualizations?cursor={first['nextCursor']}").get_json()
    assert [v["id"] for v in rest["items"]] == [f"{1:032x}"] and rest["nextCursor"] is None


def test_a_viewer_pages_the_shared_ones_only(client_as, world) -> None:
    got = [v["id"] for page in pages(client_as("viewer"), 3) for v in page]
    assert got == [v.id for v in world if v.shared]


def test_nothing_to_list_is_one_empty_page(reviewer) -> None:
    assert reviewer.get("/api/visualizations").get_json() == {"items": [], "nextCursor": None}


def cursor_of(plain: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(plain).encode()).decode()


@pytest.mark.parametrize(
    "cursor",
    [
        "not-a-cursor",
        "%%%",
        cursor_of({"createdAt": T0}),
        cursor_of({"createdAt": T0, "id": "../../etc", "x": 1}),
        cursor_of({"createdAt": T0, "id": "not-hex"}),
        cursor_of({"createdAt": -1, "id": "0" * 32}),
        cursor_of({"createdAt": "1", "id": "0" * 32}),
        cursor_of({"pk": "viz#" + "0" * 32, "sk": "h#1"}),  # a history cursor
        cursor_of([1, 2]),
    ],
)
def test_a_bad_cursor_is_a_400_naming_it(reviewer, world, cursor) -> None:
    response = reviewer.get("/api/visualizations", query_string={"cursor": cursor})
    assert response.status_code == 400
    assert "cursor" in response.get_json()["error"]


@pytest.mark.parametrize("limit", ["0", "101", "-1", "ten"])
def test_a_bad_limit_is_a_400_naming_it(reviewer, limit) -> None:
    response = reviewer.get("/api/visualizations", query_string={"limit": limit})
    assert response.status_code == 400 and "limit" in response.get_json()["error"]

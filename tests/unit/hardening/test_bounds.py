"""Bounded work per request: every list answers a bounded page, every bound is a 400/413 that says so.

GIVEN a request asking for more than one request may cost (a huge `limit`, a long filter, more
rows than an export holds) THEN it is refused with a 4xx `{"error"}` naming the bound, and the
bounds themselves stay what the README promises.
"""

from __future__ import annotations

import pytest

from invoice_app.core import limits
from invoice_app.exports.routes import MAX_ROWS
from invoice_app.invoices.routes import MAX_QUERY_CHARS
from invoice_app.processing.limits import Limits

LISTS = ["/api/invoices", "/api/invoices/inv_x/history", "/api/history?field=total"]


@pytest.mark.parametrize("route", LISTS)
@pytest.mark.parametrize("limit", ["0", "101", "1e9", "-1", "abc", "99999999999999999999"])
def test_every_list_refuses_a_limit_beyond_its_page(client, route: str, limit: str) -> None:
    sep = "&" if "?" in route else "?"
    answer = client.get(f"{route}{sep}limit={limit}")
    assert answer.status_code == 400
    assert "limit must be a whole number between 1 and 100" in answer.json["error"]


@pytest.mark.parametrize("route", LISTS)
def test_the_largest_page_is_served(client, route: str) -> None:
    sep = "&" if "?" in route else "?"
    assert client.get(f"{route}{sep}limit=100").status_code == 200


def test_the_text_filter_is_bounded(client) -> None:
    assert client.get("/api/invoices?q=" + "a" * MAX_QUERY_CHARS).status_code == 200
    answer = client.get("/api/invoices?q=" + "a" * (MAX_QUERY_CHARS + 1))
    assert answer.status_code == 400 and "at most 256 characters" in answer.json["error"]


def test_the_bounds_are_what_the_readme_promises() -> None:
    assert MAX_ROWS == 10_000  # export rows (413 beyond)
    assert limits.WS_MAX_TOPICS_PER_CONNECTION == 20
    assert limits.WS_MAX_CLIENT_MESSAGE_BYTES < limits.WS_MAX_FRAME_BYTES < limits.WS_MAX_MESSAGE_BYTES
    assert Limits().max_pages == 20 and Limits().max_image_pixels == 40_000_000
    assert Limits().time_budget_s < limits.HTTP_API_TIMEOUT_SECONDS

"""Every validation case: a 400 naming the parameter, and nothing written."""

from __future__ import annotations

import boto3
import pytest

from invoice_app.core.errors import BadRequest
from invoice_app.visualizations.validation import (
    DAY_MS,
    InvalidParameter,
    check_name,
    merge,
    parameter_changes,
)

NOW = 1_764_547_200_000  # 2025-12-01T00:00:00Z
FROM = NOW + DAY_MS - 7 * DAY_MS  # the last 7 UTC days, today included

BAD: list[tuple[str, dict, str]] = [
    # normal
    ("normal", {"measure": "pages"}, "measure"),
    ("normal", {"measure": 3}, "measure"),
    ("normal", {"mean": "1"}, "mean"),
    ("normal", {"mean": True}, "mean"),
    ("normal", {"mean": 1e13}, "mean"),
    ("normal", {"stdDev": 0}, "stdDev"),
    ("normal", {"stdDev": -1.5}, "stdDev"),
    ("normal", {"stdDev": 2e12}, "stdDev"),
    ("normal", {"k": 0}, "k"),
    ("normal", {"k": 11}, "k"),
    ("normal", {"k": None}, "k"),
    ("normal", {"target": []}, "target"),
    ("normal", {"bins": 4}, "bins"),
    ("normal", {"days": 0}, "days"),
    ("normal", {"days": 93}, "days"),
    ("normal", {"days": 1.5}, "days"),
    ("normal", {"x": "pages"}, "x"),
    # histogram
    ("histogram", {"measure": "count"}, "measure"),
    ("histogram", {"bins": 4}, "bins"),
    ("histogram", {"bins": 101}, "bins"),
    ("histogram", {"bins": "10"}, "bins"),
    ("histogram", {"filters": "ACME"}, "filters"),
    ("histogram", {"filters": {"colour": "red"}}, "filters.colour"),
    ("histogram", {"filters": {"vendor": ""}}, "filters.vendor"),
    ("histogram", {"filters": {"vendor": "x" * 201}}, "filters.vendor"),
    ("histogram", {"filters": {"vendor": "a\u202eb"}}, "filters.vendor"),
    ("histogram", {"filters": {"currency": "eur"}}, "filters.currency"),
    ("histogram", {"filters": {"status": "done"}}, "filters.status"),
    ("histogram", {"filters": None}, "filters"),
    # series
    ("series", {"measure": "total"}, "measure"),
    ("series", {"interval": "month"}, "interval"),
    ("series", {"from": -1}, "from"),
    ("series", {"from": "2025-12-01"}, "from"),
    ("series", {"to": 2**60}, "to"),
    ("series", {"from": NOW, "to": NOW}, "to"),
    ("series", {"from": NOW, "to": NOW - 1}, "to"),
    ("series", {"from": NOW - 93 * DAY_MS, "to": NOW}, "to"),
    ("series", {"from": NOW - 60 * DAY_MS, "to": NOW, "interval": "hour"}, "interval"),
    ("series", {"split": "currency"}, "split"),
    ("series", {"topN": 0}, "topN"),
    ("series", {"topN": 21}, "topN"),
    # scatter
    ("scatter", {"x": "count"}, "x"),
    ("scatter", {"y": "vendor"}, "y"),
    ("scatter", {"days": -3}, "days"),
    ("scatter", {"bins": 10}, "bins"),
]


@pytest.mark.parametrize(("kind", "changes", "parameter"), BAD)
def test_a_bad_value_names_its_parameter(kind: str, changes: dict, parameter: str) -> None:
    with pytest.raises(InvalidParameter) as raised:
        merge(kind, {}, changes, now_ms=NOW)
    assert raised.value.parameter == parameter
    assert raised.value.status == 400 and repr(parameter) in raised.value.message


@pytest.mark.parametrize(
    ("kind", "changes", "expected"),
    [
        ("normal", {}, {"measure": "latency", "k": 2, "bins": 30, "days": 30}),
        (
            "normal",
            {"measure": "total", "mean": -5, "stdDev": 0.5, "k": 1.96, "target": 2000.0, "bins": 5.0},
            {
                "measure": "total",
                "mean": -5,
                "stdDev": 0.5,
                "k": 1.96,
                "target": 2000.0,
                "bins": 5,
                "days": 30,
            },
        ),
        ("histogram", {}, {"measure": "latency", "bins": 20, "days": 30, "filters": {}}),
        (
            "histogram",
            {"measure": "pages", "filters": {"vendor": " ACME ", "currency": "EUR", "status": "approved"}},
            {
                "measure": "pages",
                "bins": 20,
                "days": 30,
                "filters": {"vendor": "ACME", "currency": "EUR", "status": "approved"},
            },
        ),
        (
            "series",
            {},
            {"measure": "count", "interval": "day", "from": FROM, "to": NOW + DAY_MS, "split": "none"},
        ),
        (
            "series",
            {"interval": "hour", "from": NOW - 41 * DAY_MS, "to": NOW, "split": "vendor", "topN": 20},
            {
                "measure": "count",
                "interval": "hour",
                "from": NOW - 41 * DAY_MS,
                "to": NOW,
                "split": "vendor",
                "topN": 20,
            },
        ),
        (
            "series",
            {"interval": "week", "from": NOW - 92 * DAY_MS, "to": NOW},
            {"measure": "count", "interval": "week", "from": NOW - 92 * DAY_MS, "to": NOW, "split": "none"},
        ),
        ("scatter", {}, {"x": "pages", "y": "latency", "days": 30}),
    ],
)
def test_good_values_and_defaults(kind: str, changes: dict, expected: dict) -> None:
    assert merge(kind, {}, changes, now_ms=NOW) == expected


def test_null_resets_an_optional_parameter_and_others_keep_their_value() -> None:
    current = merge("normal", {}, {"mean": 10, "stdDev": 2, "target": 5}, now_ms=NOW)
    merged = merge("normal", current, {"mean": None, "k": 3}, now_ms=NOW)
    assert merged == {"measure": "latency", "stdDev": 2, "k": 3, "target": 5, "bins": 30, "days": 30}
    assert parameter_changes(current, merged) == [("k", 2, 3), ("mean", 10, None)]


def test_parameters_must_be_an_object() -> None:
    with pytest.raises(BadRequest):
        merge("normal", {}, [1, 2], now_ms=NOW)


@pytest.mark.parametrize("name", ["", "   ", "x" * 121, 5, None, "a\nb"])
def test_bad_names(name) -> None:
    with pytest.raises(BadRequest):
        check_name(name)


def test_names_are_trimmed() -> None:
    assert check_name("  Latency  ") == "Latency"


# -- through HTTP: the answer names the parameter, nothing is written ---------------------------


def items(services) -> list[dict]:
    return boto3.client("dynamodb").scan(TableName=services.settings.visualizations_table)["Items"]


@pytest.mark.parametrize(("kind", "changes", "parameter"), BAD[::4])
def test_over_http_a_bad_create_writes_nothing(client_as, services, kind, changes, parameter) -> None:
    response = client_as("reviewer").post(
        "/api/visualizations", json={"name": "x", "type": kind, "parameters": changes}
    )
    assert response.status_code == 400
    assert repr(parameter) in response.get_json()["error"]
    assert items(services) == []


@pytest.mark.parametrize(("kind", "changes", "parameter"), BAD[1::4])
def test_over_http_a_bad_change_writes_nothing(client_as, services, kind, changes, parameter) -> None:
    reviewer = client_as("reviewer")
    viz = reviewer.post("/api/visualizations", json={"name": "x", "type": kind}).get_json()
    before = items(services)
    response = reviewer.post(
        f"/api/visualizations/{viz['id']}/parameters", json={"parameters": changes, "version": 1}
    )
    assert response.status_code == 400
    assert repr(parameter) in response.get_json()["error"]
    assert items(services) == before
    assert reviewer.get(f"/api/visualizations/{viz['id']}").get_json() == viz

"""The maths of /data on known values: bin edges, the normal fit, shares, UTC buckets, series."""

from __future__ import annotations

import math
from datetime import UTC, datetime

import pytest

from invoice_app.visualizations import data
from invoice_app.visualizations.model import Visualization

DAY = 86_400_000
HOUR = 3_600_000


def ms(text: str) -> int:
    return int(datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp() * 1000)


def test_bin_edges_span_min_to_max_in_equal_widths() -> None:
    bins = data.histogram([0.0, 1.0, 2.5, 9.99, 10.0], 5)
    assert [(b["x0"], b["x1"]) for b in bins] == [(0, 2), (2, 4), (4, 6), (6, 8), (8, 10)]
    assert [b["count"] for b in bins] == [2, 1, 0, 0, 2]  # 10 (the max) falls in the last bin


def test_a_value_on_an_inner_edge_opens_the_next_bin() -> None:
    assert [b["count"] for b in data.histogram([0.0, 2.0, 10.0], 5)] == [1, 1, 0, 0, 1]


def test_equal_values_get_bins_around_them_and_no_values_no_bins() -> None:
    bins = data.histogram([3.0, 3.0], 5)
    assert (bins[0]["x0"], bins[-1]["x1"]) == (2.5, 3.5)
    assert sum(b["count"] for b in bins) == 2
    assert data.histogram([], 10) == []


def test_normal_fit_is_the_mean_and_population_standard_deviation() -> None:
    fit = data.normal_fit([2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0])
    assert fit == {"mean": 5.0, "stdDev": 2.0}
    assert data.normal_fit([7.0]) == {"mean": 7.0, "stdDev": 0.0}
    assert data.normal_fit([]) is None


def test_shares_inside_k_standard_deviations_and_above_a_target() -> None:
    values = [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]
    assert data.share_inside(values, 5.0, 2.0, 1) == 6 / 8  # 3..7, bounds included
    assert data.share_inside(values, 5.0, 2.0, 2) == 1.0
    assert data.share_above(values, 5.0) == 2 / 8  # strictly above
    assert data.share_inside([], 0, 1, 1) is None and data.share_above([], 0) is None
    assert data.expected_inside(1.959964) == pytest.approx(0.95, abs=1e-6)
    assert data.expected_inside(1) == pytest.approx(0.682689, abs=1e-6)


@pytest.mark.parametrize(
    ("moment", "interval", "start"),
    [
        ("2026-03-29T01:30:00", "hour", "2026-03-29T01:00:00"),  # a DST night in Europe: no gap in UTC
        ("2026-03-29T23:59:59.999", "day", "2026-03-29T00:00:00"),
        ("2026-12-01T00:00:00", "day", "2026-12-01T00:00:00"),
        ("2026-12-01T17:00:00", "week", "2026-11-30T00:00:00"),  # a Tuesday → Monday 30 Nov
        ("2026-11-30T00:00:00", "week", "2026-11-30T00:00:00"),  # a Monday is its own week
        ("2026-11-29T23:59:59", "week", "2026-11-23T00:00:00"),  # a Sunday belongs to the week before
        ("2021-01-03T12:00:00", "week", "2020-12-28T00:00:00"),  # ISO week 53 of 2020
        ("1970-01-01T00:00:00", "week", "1969-12-29T00:00:00"),
    ],
)
def test_buckets_are_utc_hours_days_and_iso_weeks(moment: str, interval: str, start: str) -> None:
    assert data.bucket_start(ms(moment), interval) == ms(start)


def test_buckets_do_not_depend_on_the_process_timezone(monkeypatch) -> None:
    import time

    monkeypatch.setenv("TZ", "Pacific/Kiritimati")  # UTC+14
    time.tzset()
    try:
        assert data.bucket_start(ms("2026-12-01T05:00:00"), "day") == ms("2026-12-01T00:00:00")
        assert data.days_between(ms("2026-11-30T23:00:00"), ms("2026-12-01T01:00:00")) == [
            "2026-11-30",
            "2026-12-01",
        ]
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


def test_bucket_starts_cover_the_range() -> None:
    assert data.bucket_starts(ms("2026-12-01T10:30:00"), ms("2026-12-01T13:00:00"), "hour") == [
        ms("2026-12-01T10:00:00"),
        ms("2026-12-01T11:00:00"),
        ms("2026-12-01T12:00:00"),
    ]
    weeks = data.bucket_starts(ms("2026-12-02T00:00:00"), ms("2026-12-16T00:00:00"), "week")
    assert weeks == [ms("2026-11-30T00:00:00"), ms("2026-12-07T00:00:00"), ms("2026-12-14T00:00:00")]


def test_days_between_is_every_utc_day_of_the_half_open_range() -> None:
    assert data.days_between(ms("2026-12-01T00:00:00"), ms("2026-12-03T00:00:00")) == [
        "2026-12-01",
        "2026-12-02",
    ]
    assert data.days_between(ms("2026-12-01T00:00:00"), ms("2026-12-01T00:00:00") + 1) == ["2026-12-01"]


def item(created: str, **values) -> dict:
    fields = {k: {"value": values.pop(k)} for k in ("total", "vendorName", "currency") if k in values}
    return {"invoiceId": created, "createdAt": ms(created), "fields": fields, **values}


def test_series_counts_and_averages_per_day() -> None:
    rows = [
        item("2026-12-01T00:00:00", latencyMs=100),
        item("2026-12-01T23:59:59", latencyMs=300),
        item("2026-12-03T12:00:00", latencyMs=50),
        item("2026-12-04T00:00:00", latencyMs=1),  # at `to`: outside
    ]
    params = {
        "from": ms("2026-12-01T00:00:00"),
        "to": ms("2026-12-04T00:00:00"),
        "interval": "day",
        "split": "none",
    }
    buckets, groups = data.series(rows, {**params, "measure": "count"})
    assert buckets == [ms("2026-12-01T00:00:00"), ms("2026-12-02T00:00:00"), ms("2026-12-03T00:00:00")]
    assert groups == [{"key": "all", "values": [2, 0, 1]}]
    _, groups = data.series(rows, {**params, "measure": "latency"})
    assert groups == [{"key": "all", "values": [200.0, None, 50.0]}]
    _, empty = data.series([], {**params, "measure": "count"})
    assert empty == [{"key": "all", "values": [0, 0, 0]}]


def test_series_split_by_the_top_vendors_and_spend_by_currency() -> None:
    rows = [
        item("2026-12-01T01:00:00", vendorName="B", total=10.0, currency="EUR"),
        item("2026-12-01T02:00:00", vendorName="B", total=1.5, currency="USD"),
        item("2026-12-01T03:00:00", vendorName="A", total=2.0, currency="EUR"),
        item("2026-12-01T04:00:00", vendorName="A", total=3.0, currency="EUR"),
        item("2026-12-01T05:00:00", vendorName="C", total=4.0, currency="EUR"),
        item("2026-12-01T06:00:00", total=5.0),  # no vendor, no currency
    ]
    params = {"from": ms("2026-12-01T00:00:00"), "to": ms("2026-12-02T00:00:00"), "interval": "day"}
    _, groups = data.series(rows, {**params, "measure": "count", "split": "vendor", "topN": 2})
    assert [(g["key"], g.get("vendor"), g["values"]) for g in groups] == [
        ("A", "A", [2]),  # 2 invoices, ties broken by name
        ("B", "B", [2]),
        ("other", None, [2]),  # C and the one without a vendor
    ]
    _, spend = data.series(rows, {**params, "measure": "spend", "split": "none"})
    assert {g["key"]: (g["currency"], g["values"]) for g in spend} == {
        "EUR": ("EUR", [19.0]),
        "USD": ("USD", [1.5]),
        "XXX": ("XXX", [5.0]),
    }
    _, by_vendor = data.series(rows, {**params, "measure": "spend", "split": "vendor", "topN": 1})
    assert [g["key"] for g in by_vendor] == ["A|EUR", "other|EUR", "other|USD", "other|XXX"]


def viz(kind: str, **parameters) -> Visualization:
    return Visualization("0" * 32, "t", kind, parameters, "sub", {"sub": "sub", "email": ""}, False, 3, 0, 0)


def test_normal_data_uses_the_parameters_else_the_fit() -> None:
    rows = [{"latencyMs": v} for v in (2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0)]
    fitted = data.compute(viz("normal", measure="latency", k=1, bins=5, days=30), rows, False, 0, 1)
    assert fitted["curve"] == {"mean": 5.0, "stdDev": 2.0} and fitted["inside"] == 0.75
    assert fitted["target"] is None and fitted["aboveTarget"] is None
    set_ = data.compute(
        viz("normal", measure="latency", k=1, bins=5, days=30, mean=4.0, stdDev=1.0, target=6.0),
        rows,
        True,
        0,
        1,
    )
    assert set_["curve"] == {"mean": 4.0, "stdDev": 1.0} and set_["fit"] == {"mean": 5.0, "stdDev": 2.0}
    assert set_["inside"] == 5 / 8  # 3..5
    assert set_["aboveTarget"] == 2 / 8 and set_["truncated"] is True and set_["version"] == 3
    one = data.compute(
        viz("normal", measure="latency", k=2, bins=5, days=30), [{"latencyMs": 1.0}], False, 0, 1
    )
    assert one["curve"] is None and one["inside"] is None  # a fitted stdDev of 0 is no curve
    none = data.compute(viz("normal", measure="total", k=2, bins=5, days=30), rows, False, 0, 1)
    assert (none["count"], none["bins"], none["fit"]) == (0, [], None)


def test_measures_skip_what_an_invoice_does_not_have() -> None:
    row = {"latencyMs": 12.5, "accuracy": 80, "pages": 2, "fields": {"total": {"value": "n/a"}}}
    assert data.measure_of(row, "latency") == 12.5
    assert data.measure_of(row, "pages") == 2.0
    assert data.measure_of(row, "total") is None
    assert data.measure_of(row, "measuredAccuracy") is None
    assert data.measure_of({"latencyMs": math.inf}, "latency") is None

"""Dates in the forms real invoices print them, and the day/month order of ambiguous ones."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from invoice_app.processing.extraction.dates import (
    DMY,
    MDY,
    find_dates,
    infer_order,
    is_ambiguous,
    parse_date,
)

EN = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
      "November", "December"]  # fmt: skip
DE = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
      "November", "Dezember"]  # fmt: skip
FR = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
      "novembre", "décembre"]  # fmt: skip
NL = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
      "november", "december"]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "order", "expected"),
    [
        ("2024-03-01", DMY, "2024-03-01"),
        ("March 1, 2024", DMY, "2024-03-01"),
        ("Invoice Date January 25, 2016", DMY, "2016-01-25"),
        ("01/03/2024", DMY, "2024-03-01"),
        ("01/03/2024", MDY, "2024-01-03"),
        ("1. März 2024", DMY, "2024-03-01"),
        ("1. Marz 2024", DMY, "2024-03-01"),  # OCR lost the umlaut
        ("Dated 12th of March, 2024", DMY, "2024-03-12"),
        ("29 maart 2014", DMY, "2014-03-29"),
        ("05.03.2018", MDY, "2018-03-05"),  # dots are always day first
        ("1er mars 2024", DMY, "2024-03-01"),
        ("le 3 décembre 2019", DMY, "2019-12-03"),
        ("25-Jan-2016", DMY, "2016-01-25"),
        ("Dec. 3rd, 2019", DMY, "2019-12-03"),
        ("InvoiceDateJanuary25,2016", DMY, "2016-01-25"),  # OCR without spaces
        ("Leistungs-Datum : 01.09.13", DMY, "2013-09-01"),  # two-digit year
        ("Rechnung Nr. 471102 vom 13.11.2019", DMY, "2019-11-13"),
        ("26/02/2019", MDY, "2019-02-26"),  # a day above 12 overrides the order
    ],
)
def test_parse_date_formats(text: str, order: str, expected: str) -> None:
    assert parse_date(text, order) == expected


@pytest.mark.parametrize(
    "text",
    [
        "2312/2019",
        "Umrechnungskurs : 1.12244",
        "Mo.-Fr. 08.30 - 12.30 Uhr",
        "31/02/2024",
        "12:22PM",
        "4,55 €",
    ],
)
def test_non_dates_are_not_dates(text: str) -> None:
    assert find_dates(text) == []


def test_find_dates_reports_positions_left_to_right() -> None:
    text = "Zahlbar bis 04.04.2018, 3% Skonto bis 15.03.2018"
    found = find_dates(text)
    assert [d.iso for d in found] == ["2018-04-04", "2018-03-15"]
    assert text[found[0].start : found[0].end] == "04.04.2018"


def test_order_comes_from_an_unambiguous_date_of_the_same_document() -> None:
    assert infer_order("Invoice Date 11/03/2017\nSEPA transfer 11/17/2017") == MDY
    assert infer_order("Invoice date 11/02/2019\nDue date 26/02/2019") == DMY
    assert infer_order("12/07/2019 12:22 PM") is None
    assert infer_order("Datum 05.03.2018 und 13.03.2018") is None  # dotted dates do not vote


def test_ambiguity() -> None:
    assert is_ambiguous("01/03/2024")
    assert not is_ambiguous("13/03/2024")
    assert not is_ambiguous("05.03.2018")
    assert not is_ambiguous("2024-03-01")


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2069, 12, 31)), st.sampled_from(range(8)))
def test_every_printed_form_reads_back(day: date, style: int) -> None:
    d, m, y = day.day, day.month, day.year
    text = [
        day.isoformat(),
        f"{d:02d}.{m:02d}.{y}",
        f"{d}. {DE[m - 1]} {y}",
        f"{EN[m - 1]} {d}, {y}",
        f"{d} {FR[m - 1]} {y}",
        f"{d} {NL[m - 1]} {y}",
        f"{d:02d}/{m:02d}/{y}",
        f"{m:02d}/{d:02d}/{y}",
    ][style]
    order = MDY if style == 7 else DMY
    assert parse_date(f"Datum: {text} ", order) == day.isoformat()


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("5 de março de 2024", "2024-03-05"),
        ("5 marca 2024", "2024-03-05"),
        ("5. března 2024", "2024-03-05"),
        ("5. maaliskuuta 2024", "2024-03-05"),
        ("5 augusti 2024", "2024-08-05"),
        ("2024年3月5日", "2024-03-05"),
        ("2024년 3월 5일", "2024-03-05"),
    ],
)
def test_month_names_of_more_languages_and_cjk_dates(text: str, iso: str) -> None:
    assert [d.iso for d in find_dates(text)] == [iso]


def test_a_thai_date_in_the_buddhist_era() -> None:
    from invoice_app.processing.extraction.dates import DMY, find_dates

    assert [d.value.isoformat() for d in find_dates("14/03/2567 10:22", DMY)] == ["2024-03-14"]

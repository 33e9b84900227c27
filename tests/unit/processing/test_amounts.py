"""Money amounts in both decimal conventions, with signs and currencies; non-amounts stay out."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from invoice_app.processing.extraction.amounts import find_amounts, parse_amount, parse_number


@pytest.mark.parametrize(
    ("text", "value", "currency"),
    [
        ("1,234.56", 1234.56, None),
        ("1.234,56", 1234.56, None),
        ("1 234,56 €", 1234.56, "EUR"),
        ("1'234.56 CHF", 1234.56, "CHF"),
        ("-8,79", -8.79, None),
        ("100,00-", -100.0, None),
        ("(12.50)", -12.5, None),
        ("$1699 .96", 1699.96, "USD"),  # OCR split the number
        ("TOTAL$1810.46", 1810.46, "USD"),  # OCR without spaces
        ("Total TTC -233,47 €", -233.47, "EUR"),
        ("EUR 183,14", 183.14, "EUR"),
        ("£1,021.91", 1021.91, "GBP"),
        ("Total: $1,200", 1200.0, "USD"),  # no decimals, but a currency sign
        ("SARL au capital de 120 000,00 €", 120000.0, "EUR"),
        ("ÖSSZESEN: 14860Ft", 14860.0, "HUF"),  # a currency glued to a whole number
        ("1 181,55 руб.", 1181.55, "RUB"),
        ("S/N:KXP0S0192A 25,00", 25.0, None),  # "S/N" is no sol
    ],
)
def test_amounts(text: str, value: float, currency: str | None) -> None:
    found = find_amounts(text)
    assert [(a.value, a.currency) for a in found] == [(value, currency)]


@pytest.mark.parametrize(
    "text",
    [
        "Sales Tax 6.25%",  # a rate
        "19,0",  # one decimal
        "10000,0000 KWh 0,0520",  # quantities and unit prices with four decimals
        "Umrechnungskurs : 1.12244",
        "IBAN DE88 2008 0000 0970 3757 00",
        "12:22PM",
        "Kundennummer 471102",  # a bare integer is not money
        "TL28120L Terrassilaud 28×120 mm",  # a code, not Turkish lira
    ],
)
def test_non_amounts(text: str) -> None:
    assert find_amounts(text) == []


def test_several_amounts_on_a_line_in_order() -> None:
    line = "Umsatzsteuer (S) 198,00 19 37,62"
    assert [a.value for a in find_amounts(line)] == [198.0, 37.62]


def test_parse_amount_of_field_values() -> None:
    assert parse_amount("$1,810.46") == 1810.46
    assert parse_amount("1.234,56 €") == 1234.56
    assert parse_amount("-14,99") == -14.99
    assert parse_amount("no amount") is None
    assert parse_number("0.125") == 0.125


@given(st.integers(min_value=-99_999_999, max_value=99_999_999), st.sampled_from(range(5)))
def test_printed_amounts_read_back(cents: int, style: int) -> None:
    value = cents / 100
    whole, frac = divmod(abs(cents), 100)
    grouped = f"{whole:,}"
    body = [
        f"{grouped}.{frac:02d}",  # 1,234.56
        f"{grouped.replace(',', '.')},{frac:02d}",  # 1.234,56
        f"{grouped.replace(',', ' ')},{frac:02d} €",  # 1 234,56 €
        f"{whole}.{frac:02d}",  # 1234.56
        f"€{whole},{frac:02d}",  # €1234,56
    ][style]
    text = f"Total {'-' if cents < 0 else ''}{body} "
    found = find_amounts(text)
    assert [a.value for a in found] == [value]

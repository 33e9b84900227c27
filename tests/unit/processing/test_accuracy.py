"""The accuracy score: text confidence, required-field coverage and the arithmetic check."""

from __future__ import annotations

import pytest

from invoice_app.processing.accuracy import accuracy_score, arithmetic_check, text_confidence
from invoice_app.processing.types import Detection, ExtractedField, TextSegment


def detection(confidence: float, text: str = "Invoice total 10.00") -> Detection:
    return Detection(text=text, segments=[TextSegment(text, confidence, 1)], pages=1, engine="t")


def fields(**values: float | str) -> dict[str, ExtractedField]:
    return {name: ExtractedField(value, 0.9) for name, value in values.items()}


def test_formula_with_everything_found_and_consistent() -> None:
    found = fields(invoiceNumber="A-1", invoiceDate="2024-03-01", subtotal=100.0, tax=19.0, total=119.0)
    # 100 × (0.35 × 1.0 + 0.40 × 0.9 + 0.25 × 1)
    assert accuracy_score(detection(1.0), found) == pytest.approx(96.0)


def test_missing_required_fields_and_bad_arithmetic_lower_the_score() -> None:
    complete = fields(invoiceNumber="A-1", invoiceDate="2024-03-01", subtotal=100.0, tax=19.0, total=119.0)
    contradicting = {**complete, "total": ExtractedField(150.0, 0.9)}
    no_number = {k: v for k, v in complete.items() if k != "invoiceNumber"}
    best = accuracy_score(detection(1.0), complete)
    assert accuracy_score(detection(1.0), contradicting) == pytest.approx(best - 25)
    assert accuracy_score(detection(1.0), no_number) == pytest.approx(best - 12)
    assert accuracy_score(detection(0.5), complete) == pytest.approx(best - 17.5)


def test_arithmetic_check() -> None:
    assert arithmetic_check(fields(subtotal=100.0, tax=19.0, total=119.0)) == 1.0
    assert arithmetic_check(fields(subtotal=100.0, total=100.0)) == 1.0  # no tax printed
    assert arithmetic_check(fields(total=100.0)) == 0.5  # cannot be checked
    assert arithmetic_check(fields(subtotal=100.0, tax=19.0, total=120.0)) == 0.0
    assert arithmetic_check({}) == 0.0


def test_keyword_heuristic_only_without_engine_confidence() -> None:
    text = "Invoice date 2024-03-01 total amount tax due"
    assert text_confidence(detection(0.8, text)) == pytest.approx(0.8)
    assert text_confidence(detection(0.0, text)) == pytest.approx(1.0)  # all six keyword groups
    assert text_confidence(detection(0.0, "hello")) == 0.0
    assert accuracy_score(Detection("", [], 0, "t"), {}) == 0.0

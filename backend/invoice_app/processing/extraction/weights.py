"""The hand-set scoring model: every weight of the extractor, and candidate features → score.

This module is the seam for a learned ranker: the families turn candidates into the small feature
records below (`SingleFeatures`, `AmountFeatures`) and ask `score_single` / `score_amounts` for a
number; a trained model can replace those two functions (and `confidence`) without touching how
candidates are found. Label weights (how sure a label makes us) stay with the label rows in
`labels/`.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from functools import cache
from pathlib import Path

log = logging.getLogger(__name__)

# Coefficients `train.py` fitted and cross-validated; a ranker is used only where it generalised
# better than the hand weights on the same folds ("use"), else the hand weights below decide.
MODEL_PATH = Path(__file__).with_name("model.json")


@dataclass(frozen=True)
class Weights:
    # --- invoice number ---------------------------------------------------------------------------
    number_below_label: float = 0.85  # a number on the line under its label, times the label weight
    date_after_number: float = 0.85  # the date right after the number ("Nr. 471102 vom 05.03.2018")
    # --- dates ------------------------------------------------------------------------------------
    date_below_label: float = 0.75  # a date one line under its label (column header), times the label
    date_two_below_label: float = 0.6  # a date two lines under its label, times the label weight
    due_by_phrase: float = 0.6  # a date after "zahlbar bis" / "please pay by" (no due-date label)
    date_of_title: float = 0.8  # "Rechnung Nr. 471102 vom 05.06.2025": "of/vom/du" on the title line
    unlabelled_date: float = 0.3  # the first date that no label marks as another date (receipts)
    # --- amounts ----------------------------------------------------------------------------------
    any_amount: float = 0.05  # an unlabelled amount as subtotal or tax (the pool)
    zero_total: float = 0.3  # factor on a labelled total of 0.00 (a "Total" column of a free line)
    amount_below_header: float = 0.35  # factor on an amount under a header cell ("Nettobetrag …")
    derived_total: float = 0.3  # a total computed from subtotal + tax when its value was lost
    derived_total_min_label: float = 0.8  # the label weight subtotal and tax need to derive a total
    biggest_as_total: float = 0.15  # the document's largest amount as an unlabelled total
    any_amount_as_total: float = 0.02  # any other amount as an unlabelled total
    largest_total: float = 0.05  # rewards a total that is the largest amount of the document
    line_spread: float = 0.001  # penalises a triple per line between its amounts (blocks are contiguous)
    line_spread_cap: int = 100  # lines beyond which the spread penalty stops growing
    consistent: float = 1.0  # rewards subtotal + tax = total
    contradiction: float = 0.5  # penalises a subtotal, tax and total that do not add up
    tax_free: float = 0.3  # an implied zero tax when subtotal = total (reverse charge, exempt)
    tendered_total: float = 0.9  # rewards a total that equals cash tendered − change (receipts)
    tendered_minus_change: float = 0.45  # a total computed from tendered − change when none was read
    # --- currency ---------------------------------------------------------------------------------
    currency_label: float = 0.95  # a code after "Währung" / "Currency"
    currency_of_total: float = 0.85  # the sign or code printed with the chosen total
    currency_most_common: float = 0.7  # the sign or code most amounts carry
    currency_code_in_text: float = 0.5  # the ISO code most often written anywhere
    # --- vendor name ------------------------------------------------------------------------------
    vendor_after_label: float = 0.9  # after or under "Verkäufer:" / "From" / "Fournisseur"
    vendor_party_header: float = 0.8  # under a "Seller … Buyer" header row, the first column's name
    vendor_sender_line_legal: float = 0.8  # first part of a sender line, with a legal form
    vendor_sender_line: float = 0.7  # first part of a sender line ("Name ● Street 1 ● 12345 City")
    vendor_sender_line_low: float = 0.15  # penalises a sender line from line 12 on
    vendor_sender_line_from: int = 12  # the line from which a sender line is penalised
    vendor_legal_form: float = 0.5  # a name ending in a legal form (GmbH, SARL, Inc.) in the header
    vendor_legal_form_low: float = 0.45  # the same further down the document
    vendor_legal_form_until: int = 40  # the line that ends the header for `vendor_legal_form`
    vendor_first_line: float = 0.2  # the first line of the document, when it looks like a name
    vendor_brand_in_full: float = 0.85  # the first line's name with a legal form, elsewhere on the page
    vendor_header_lines: int = 8  # the lines of a receipt's header
    vendor_header: float = 0.1  # a header line that may be the name (capitals, legal form or reg. no.)
    vendor_header_legal: float = 0.35  # … with a legal form ("SDN BHD", "Sdn. Bhd.", "PTE LTD")
    vendor_header_registered: float = 0.3  # … with a company registration number on it or below it
    vendor_header_capitals: float = 0.15  # … in capitals
    vendor_header_step: float = 0.02  # per line further down the header
    # --- document type (evidence points; the type with most wins, invoice of equals) ---------------
    doctype_title: float = 2.0  # a title where titles stand: "Receipt No.", "Avoir N°", "Cash bill"
    doctype_tax_invoice: float = 0.5  # factor for "Tax invoice" (heads receipts and invoices alike)
    doctype_paid: float = 2.0  # cash tendered or change given
    doctype_card: float = 1.0  # paid at the till by card ("VISA 12.50", "Kreditkarte", "Paid: UPI")
    doctype_till: float = 0.5  # per till line (cashier, terminal, "please come again"), at most two
    doctype_time: float = 1.0  # a time of day printed beside a date
    doctype_pay_later: float = 0.75  # per line of bank details or billing address, at most two
    doctype_due_date: float = 0.75  # a due date was found
    doctype_negative_total: float = 2.5  # a negative total on a document that is not a receipt
    doctype_base: float = 0.5  # the weight of the chosen type …
    doctype_margin: float = 0.15  # … plus this per point of evidence ahead of the runner-up
    # --- engine fields and choice -----------------------------------------------------------------
    engine: float = 1.2  # factor on the confidence of a field the engine extracted (AnalyzeExpense)
    agreement: float = 0.1  # rewards a value other candidates also found, times their weight
    # --- confidence -------------------------------------------------------------------------------
    confidence_base: float = 0.35  # the confidence of any chosen value
    confidence_weight: float = 0.5  # adds the candidate's weight (capped at 1), times this
    confidence_consistent: float = 0.14  # adds for amounts that add up
    confidence_cap: float = 0.99  # no rule is certain


WEIGHTS = Weights()


@dataclass(frozen=True)
class SingleFeatures:
    """A candidate for a field chosen on its own (number, dates, vendor, engine currency)."""

    weight: float  # the candidate's weight (label × position)
    agreeing: float  # the summed weight of the other candidates with the same value
    line: int  # its line (-1: an engine field); ties go to the earlier line


@dataclass(frozen=True)
class AmountFeatures:
    """A (total, subtotal, tax) choice; subtotal and tax may be absent."""

    total: float  # weight of the total candidate
    subtotal: float | None  # weight of the subtotal candidate, None without one
    tax: float | None  # weight of the tax candidate, None without one
    largest: bool  # the total is the largest amount of the document (and read, not derived)
    spread: int | None  # lines between the first and last amount read from the text
    consistent: bool  # subtotal + tax = total
    tendered: bool = False  # the total equals cash tendered − change


@cache
def learned(ranker: str) -> tuple[float, ...] | None:
    """The trained coefficients of a ranker ("amounts", "vendorName", …) if the model uses them.

    Read once, on first use (cold start unchanged); a missing or unreadable file means hand weights."""
    try:
        model = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        log.warning("ignoring %s: %s", MODEL_PATH.name, exc)
        return None
    entry = model.get("rankers", {}).get(ranker)
    if not entry or not entry.get("use"):
        return None
    expected = AMOUNT_FEATURES if ranker == "amounts" else SINGLE_FEATURES
    if tuple(entry.get("features", ())) != expected:
        log.warning(
            "ignoring the %s ranker of %s: its features are not %s", ranker, MODEL_PATH.name, expected
        )
        return None
    return tuple(float(v) for v in entry["coefficients"])


def score_single(f: SingleFeatures, w: Weights = WEIGHTS, ranker: str | None = None) -> tuple[float, int]:
    """Agreement between sources adds up: the same value found twice is likelier. A field with a
    trained ranker is scored by its coefficients; ties go to the earlier line either way."""
    theta = learned(ranker) if ranker else None
    if theta is not None:
        return (sum(a * b for a, b in zip(single_vector(f), theta, strict=True)), -f.line)
    return (f.weight + w.agreement * f.agreeing, -f.line)


def score_amounts(f: AmountFeatures, w: Weights = WEIGHTS) -> float:
    theta = learned("amounts") if w is WEIGHTS else None
    if theta is not None:
        return sum(a * b for a, b in zip(amount_vector(f, w), theta, strict=True))
    return hand_score_amounts(f, w)


def hand_score_amounts(f: AmountFeatures, w: Weights = WEIGHTS) -> float:
    score = f.total + (f.subtotal if f.subtotal is not None else 0.0) + (f.tax if f.tax is not None else 0.0)
    score += w.largest_total if f.largest else 0.0
    # The totals block is contiguous: of two equally labelled choices, the nearer one wins.
    score -= w.line_spread * min(w.line_spread_cap, f.spread) if f.spread is not None else 0.0
    score += w.tendered_total if f.tendered else 0.0
    if f.consistent:
        score += w.consistent
    elif f.subtotal is not None and f.tax is not None:
        score -= w.contradiction  # three amounts that contradict each other
    return score


def confidence(weight: float, consistent: bool, source: float, w: Weights = WEIGHTS) -> float:
    """The reported confidence: the rule's certainty times the OCR confidence of its text."""
    rule = (
        w.confidence_base
        + w.confidence_weight * min(1.0, weight)
        + (w.confidence_consistent if consistent else 0.0)
    )
    return round(max(0.0, min(w.confidence_cap, rule * source)), 4)


# --- the same scores as vectors: the seam a trained ranker fits (see `train.py`) -------------------

AMOUNT_FEATURES = ("total", "subtotal", "tax", "largest", "spread", "consistent", "contradiction", "tendered")
SINGLE_FEATURES = ("weight", "agreeing", "line")


def amount_vector(f: AmountFeatures, w: Weights = WEIGHTS) -> tuple[float, ...]:
    contradiction = not f.consistent and f.subtotal is not None and f.tax is not None
    return (
        f.total,
        f.subtotal if f.subtotal is not None else 0.0,
        f.tax if f.tax is not None else 0.0,
        float(f.largest),
        float(min(w.line_spread_cap, f.spread)) if f.spread is not None else 0.0,
        float(f.consistent),
        float(contradiction),
        float(f.tendered),
    )


def hand_amount_coefficients(w: Weights = WEIGHTS) -> tuple[float, ...]:
    """`score_amounts` as coefficients of `amount_vector`: dot(coefficients, vector) == score."""
    return (1.0, 1.0, 1.0, w.largest_total, -w.line_spread, w.consistent, -w.contradiction, w.tendered_total)


def single_vector(f: SingleFeatures) -> tuple[float, ...]:
    return (f.weight, f.agreeing, f.line / 100 if f.line >= 0 else 0.0)


def hand_single_coefficients(w: Weights = WEIGHTS) -> tuple[float, ...]:
    """`score_single` (before its tie-break on the line) as coefficients of `single_vector`."""
    return (1.0, w.agreement, 0.0)

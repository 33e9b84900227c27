"""The accuracy score (0–100) recorded for every processed invoice (the dashboard's `accuracy`).

    accuracy = 100 × (0.35·T + 0.40·R + 0.25·A)

T  text confidence: the engine's mean segment confidence, weighted by characters (0–1; a PDF text
   layer counts as 1). Only when an engine reports text without any confidence, T falls back to the
   share of invoice keywords (invoice, total, date, tax, … in EN/DE/FR/NL) found in the text.
R  required fields: (c(invoiceNumber) + c(invoiceDate) + c(total)) / 3, where c is the extracted
   field's confidence (0–1) and 0 when the field is missing.
A  arithmetic check: 1 when subtotal + tax = total within 1 cent (a missing tax counts as 0);
   0.5 when a total was found but no subtotal to check it against; 0 when the amounts contradict
   each other or no total was found.

A clean text-layer PDF with all three required fields and consistent amounts scores ≈ 95–99;
a blurry photo with a total nobody can check scores far lower.
"""

from __future__ import annotations

import re

from .types import Detection, ExtractedField

REQUIRED = ("invoiceNumber", "invoiceDate", "total")
WEIGHT_TEXT, WEIGHT_REQUIRED, WEIGHT_ARITHMETIC = 0.35, 0.40, 0.25
TOLERANCE = 0.011

# The original keyword heuristic, kept only for engines that give no confidence.
_KEYWORDS = (
    r"invoice|rechnung|facture|factuur",
    r"total|summe|gesamt|totaal|montant",
    r"date|datum",
    r"tax|vat|mwst|ust|tva|btw|steuer",
    r"due|fällig|échéance|verval",
    r"amount|betrag|bedrag",
)


def text_confidence(detection: Detection) -> float:
    mean = detection.mean_confidence
    if mean is not None and any(s.confidence > 0 for s in detection.segments):
        return mean
    if not detection.text.strip():
        return 0.0
    lowered = detection.text.lower()
    return sum(1 for words in _KEYWORDS if re.search(words, lowered)) / len(_KEYWORDS)


def arithmetic_check(fields: dict[str, ExtractedField]) -> float:
    total, subtotal, tax = fields.get("total"), fields.get("subtotal"), fields.get("tax")
    if total is None:
        return 0.0
    if subtotal is None:
        return 0.5
    tax_value = float(tax.value) if tax is not None else 0.0
    return 1.0 if abs(float(subtotal.value) + tax_value - float(total.value)) <= TOLERANCE else 0.0


def accuracy_score(detection: Detection, fields: dict[str, ExtractedField]) -> float:
    """0–100; see the module docstring for the formula."""
    required = sum(fields[name].confidence if name in fields else 0.0 for name in REQUIRED) / len(REQUIRED)
    score = (
        WEIGHT_TEXT * text_confidence(detection)
        + WEIGHT_REQUIRED * required
        + WEIGHT_ARITHMETIC * arithmetic_check(fields)
    )
    return round(100 * max(0.0, min(1.0, score)), 2)

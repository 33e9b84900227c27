"""The true field accuracy of an approved invoice: what the reader got right, as a person confirmed.

accuracy = extracted fields the reviewer left unchanged ÷ fields the approved invoice has (a field
the reviewer had to fill in counts as wrong; one the reviewer removed is not in the approved
invoice and does not count). None when the approved invoice has no fields.
"""

from __future__ import annotations

from typing import Any


def measured_accuracy(fields: dict[str, dict[str, Any]]) -> float | None:
    if not fields:
        return None
    right = sum(
        1 for f in fields.values() if f.get("source") != "user" or f.get("extracted") == f.get("value")
    )
    return round(100 * right / len(fields), 2)

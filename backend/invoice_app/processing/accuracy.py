"""The accuracy score (0–100) recorded for every processed invoice."""

from __future__ import annotations

from .types import Detection, ExtractedField

REQUIRED = ("invoiceNumber", "invoiceDate", "total")


def accuracy_score(detection: Detection, fields: dict[str, ExtractedField]) -> float:
    """Blend of text confidence, required-field coverage and field confidence.

    40 % mean segment confidence of the engine, 40 % share of required fields found,
    20 % mean confidence of the fields found.
    """
    seg_conf = (
        sum(s.confidence for s in detection.segments) / len(detection.segments) if detection.segments else 0.0
    )
    coverage = sum(1 for name in REQUIRED if name in fields) / len(REQUIRED)
    field_conf = sum(f.confidence for f in fields.values()) / len(fields) if fields else 0.0
    return round(100 * (0.4 * seg_conf + 0.4 * coverage + 0.2 * field_conf), 2)

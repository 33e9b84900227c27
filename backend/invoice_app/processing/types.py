"""The result types every text-detection engine and the extractor share."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Field(StrEnum):
    """The fields of the public contract (docs/contract/), by their JSON names; one not found is absent.

    A str enum: `Field.TOTAL == "total"`, it hashes like its name and serialises as it, so JSON and
    any caller indexing by the plain name are unchanged. A new field is a member here plus an
    extraction family (`extraction/families/`).
    """

    INVOICE_NUMBER = "invoiceNumber"
    INVOICE_DATE = "invoiceDate"
    DUE_DATE = "dueDate"
    VENDOR_NAME = "vendorName"
    CURRENCY = "currency"
    SUBTOTAL = "subtotal"
    TAX = "tax"
    TOTAL = "total"


# The field names as plain strings, in contract order.
FIELD_NAMES = tuple(f.value for f in Field)


@dataclass(frozen=True)
class Document:
    """An uploaded file whose type has been checked by its content."""

    data: bytes
    media_type: str
    filename: str = ""


@dataclass
class TextSegment:
    text: str
    confidence: float  # 0–1
    page: int  # 1-based
    box: tuple[float, float, float, float] | None = None  # x0, y0, x1, y1 as fractions of the page

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"text": self.text, "confidence": round(self.confidence, 4), "page": self.page}
        if self.box is not None:
            out["box"] = [round(v, 4) for v in self.box]
        return out


@dataclass
class ExtractedField:
    value: str | float
    confidence: float  # 0–1

    def to_json(self) -> dict[str, Any]:
        return {"value": self.value, "confidence": round(self.confidence, 4)}


@dataclass
class Detection:
    """What a text-detection engine saw: full text, positioned segments, page count."""

    text: str
    segments: list[TextSegment]
    pages: int
    engine: str
    # Engines that extract fields themselves (Textract AnalyzeExpense) put them here, with the
    # value as the engine read it (a raw string); the extractor normalises and weighs them.
    fields: dict[Field, ExtractedField] = field(default_factory=dict)
    # Pages that went through OCR (the rest came from a PDF text layer).
    ocr_pages: int = 0
    # Seconds spent per engine name, for the evaluation's time-per-page figures.
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def mean_confidence(self) -> float | None:
        """Character-weighted mean confidence of the segments; None when there is no text."""
        weights = [(len(s.text), s.confidence) for s in self.segments if s.text.strip()]
        total = sum(w for w, _ in weights)
        return sum(w * c for w, c in weights) / total if total else None


@dataclass
class ProcessedDocument:
    detection: Detection
    fields: dict[Field, ExtractedField]
    accuracy: float  # 0–100

    def fields_json(self) -> dict[str, dict[str, Any]]:
        return {str(name): f.to_json() for name, f in self.fields.items()}

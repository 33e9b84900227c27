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
    # What accounts payable needs beyond the core eight (additive; each one optional).
    DOCUMENT_TYPE = "documentType"  # invoice | credit-note | receipt
    BUYER_NAME = "buyerName"
    VENDOR_TAX_ID = "vendorTaxId"
    BUYER_TAX_ID = "buyerTaxId"
    IBAN = "iban"
    BIC = "bic"
    PURCHASE_ORDER = "purchaseOrder"
    PAYMENT_TERMS = "paymentTerms"


# The field names as plain strings, in contract order.
FIELD_NAMES = tuple(f.value for f in Field)
# The eight fields every ground-truth file labels: what the evaluation scores.
CORE_FIELDS = FIELD_NAMES[:8]
DOCUMENT_TYPES = ("invoice", "credit-note", "receipt")


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
    # Where the value was read: 1-based page and box as fractions of the page (None: not known,
    # e.g. a value read from e-invoice XML).
    page: int | None = None
    box: tuple[float, float, float, float] | None = None
    # An amount of a (subtotal, tax, total) choice that adds up, with the charges and roundings the
    # page prints between them; not part of the API (a second reading's vote weighs it).
    consistent: bool = field(default=False, compare=False)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"value": self.value, "confidence": round(self.confidence, 4)}
        if self.page is not None:
            out["page"] = self.page
        if self.box is not None:
            out["box"] = [round(v, 4) for v in self.box]
        return out


@dataclass(frozen=True)
class LineItem:
    """One line of the invoice's table; any part may be unknown."""

    description: str | None = None
    quantity: float | None = None
    unit_price: float | None = None
    amount: float | None = None
    tax_rate: float | None = None  # percent, e.g. 19.0

    def to_json(self) -> dict[str, Any]:
        return {
            "description": self.description,
            "quantity": self.quantity,
            "unitPrice": self.unit_price,
            "amount": self.amount,
            "taxRate": self.tax_rate,
        }


@dataclass(frozen=True)
class Flag:
    """Something a reviewer should look at, e.g. the printed total disagrees with the e-invoice XML."""

    code: str  # machine-readable, kebab-case: "xml-text-mismatch", "line-items-mismatch", ...
    message: str  # for people
    field: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.field is not None:
            out["field"] = self.field
        return out


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
    line_items: list[LineItem] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    # The document-level allowances and charges printed among the line items (they count when the
    # rows are checked against the subtotal); not part of the API.
    line_adjustments: float = 0.0

    def fields_json(self) -> dict[str, dict[str, Any]]:
        return {str(name): f.to_json() for name, f in self.fields.items()}

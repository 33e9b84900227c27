"""The invoice record: one typed object, one place that turns it into the API's JSON and back.

The stored item and the API body have the same camelCase keys (the item is the body plus the
repository's own index keys), so `to_api` / `from_api` serve both.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from typing import Any

# Status of an invoice the reader has processed and nobody has reviewed yet.
NEEDS_REVIEW = "needs-review"


@dataclass(frozen=True)
class Invoice:
    invoice_id: str
    # Defaults only so that items written by older versions still load.
    created_at: int = 0  # epoch ms
    file_name: str = ""
    media_type: str = ""
    size_bytes: int = 0
    engine: str = ""
    pages: int = 0
    latency_ms: float = 0.0
    accuracy: float = 0.0  # 0–100, the reader's estimate
    # {name: {value, confidence, …}} as the extractor returned them (see docs/contract/).
    fields: dict[str, dict[str, Any]] = field(default_factory=dict)
    detected_text: str = ""
    # [{description, quantity, unitPrice, amount, taxRate}] (e-invoice XML, the text reader's table).
    line_items: list[dict[str, Any]] = field(default_factory=list)
    # [{code, message, field?}]: what a reviewer should look at (e.g. the XML and the page disagree).
    flags: list[dict[str, Any]] = field(default_factory=list)
    status: str = NEEDS_REVIEW  # needs-review → approved | rejected (and re-opened)
    s3_key: str | None = None
    text_truncated: bool = False
    uploaded_by: dict[str, str] | None = None  # {sub, email} of who uploaded it
    # Optimistic concurrency: every change writes version + 1 on the condition that it is unchanged.
    version: int = 1
    updated_at: int | None = None  # epoch ms of the last correction
    status_reason: str | None = None  # why it was rejected
    reviewed_by: dict[str, str] | None = None  # {sub, email} of who approved or rejected it
    # {sub, email} of whoever made the last correction (the `by` of `invoice-updated`).
    last_changed_by: dict[str, str] | None = None
    # 0–100, known once approved: the reader's fields a person left unchanged (review/accuracy.py).
    measured_accuracy: float | None = None
    # Whether the stored item carries `version` (False only for items from before versions).
    version_stored: bool = field(default=True, compare=False, repr=False)

    def to_api(self) -> dict[str, Any]:
        """The JSON body (camelCase; `s3Key` and `textTruncated` only when set)."""
        body: dict[str, Any] = {
            "invoiceId": self.invoice_id,
            "status": self.status,
            "createdAt": self.created_at,
            "fileName": self.file_name,
            "mediaType": self.media_type,
            "sizeBytes": self.size_bytes,
            "engine": self.engine,
            "pages": self.pages,
            "latencyMs": self.latency_ms,
            "accuracy": self.accuracy,
            "fields": self.fields,
            "detectedText": self.detected_text,
            "lineItems": self.line_items,
            "flags": self.flags,
        }
        if self.s3_key is not None:
            body["s3Key"] = self.s3_key
        if self.text_truncated:
            body["textTruncated"] = True
        if self.uploaded_by is not None:
            body["uploadedBy"] = self.uploaded_by
        body["version"] = self.version
        if self.updated_at is not None:
            body["updatedAt"] = self.updated_at
        if self.status_reason is not None:
            body["statusReason"] = self.status_reason
        if self.reviewed_by is not None:
            body["reviewedBy"] = self.reviewed_by
        if self.last_changed_by is not None:
            body["lastChangedBy"] = self.last_changed_by
        if self.measured_accuracy is not None:
            body["measuredAccuracy"] = self.measured_accuracy
        return body

    @classmethod
    def from_api(cls, body: dict[str, Any]) -> Invoice:
        """The inverse of `to_api`; keys it does not know (index keys, newer fields) are ignored."""
        values = {name: body[key] for name, key in _KEYS.items() if key in body}
        # Items stored before versions existed have none; a correction's condition must know.
        return cls(**values, version_stored="version" in body)


def created_day(epoch_ms: int) -> str:
    """The UTC day (`YYYY-MM-DD`) of a creation time: the partition key of the `byDay` index."""
    return datetime.fromtimestamp(epoch_ms / 1000, tz=UTC).strftime("%Y-%m-%d")


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


_KEYS = {f.name: _camel(f.name) for f in fields(Invoice) if f.name != "version_stored"}

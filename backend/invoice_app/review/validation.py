"""What a correction may contain: one rule per field kind, a 400 naming the field otherwise."""

from __future__ import annotations

import math
import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from ..core.errors import BadRequest
from .currencies import ISO_4217

DATE_FIELDS = frozenset({"invoiceDate", "dueDate"})
AMOUNT_FIELDS = frozenset({"subtotal", "tax", "total"})
TEXT_FIELDS = frozenset({"invoiceNumber", "vendorName"})
CURRENCY_FIELDS = frozenset({"currency"})
# What accounts payable needs beyond the core eight: bounded text, the ids format-checked.
AP_TEXT_FIELDS = frozenset({"buyerName", "purchaseOrder", "paymentTerms"})
TAX_ID_FIELDS = frozenset({"vendorTaxId", "buyerTaxId"})
BANK_FIELDS = frozenset({"iban", "bic"})
DOCUMENT_TYPE_FIELDS = frozenset({"documentType"})
EDITABLE_FIELDS = (
    DATE_FIELDS
    | AMOUNT_FIELDS
    | TEXT_FIELDS
    | CURRENCY_FIELDS
    | AP_TEXT_FIELDS
    | TAX_ID_FIELDS
    | BANK_FIELDS
    | DOCUMENT_TYPE_FIELDS
)

NEEDS_REVIEW, APPROVED, REJECTED = "needs-review", "approved", "rejected"
STATUSES = (NEEDS_REVIEW, APPROVED, REJECTED)
MAX_TEXT = 200
MAX_TERMS = 500  # payment terms are a sentence or two
MAX_TAX_ID = 40
_TAX_ID_CHARS = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ./\-]*")
MAX_REASON = 500
MAX_AMOUNT = Decimal("1e12")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def clean_value(field: str, value: Any) -> Any:
    """The stored form of a corrected value (None: remove the field); BadRequest if it is wrong."""
    if field not in EDITABLE_FIELDS:
        raise BadRequest(f"{field}: not a field that can be corrected")
    if value is None:
        return None
    if field in DATE_FIELDS:
        return _date(field, value)
    if field in AMOUNT_FIELDS:
        return _amount(field, value)
    if field in CURRENCY_FIELDS:
        if not isinstance(value, str) or value.strip().upper() not in ISO_4217:
            raise BadRequest(f"{field}: must be an ISO 4217 currency code such as EUR")
        return value.strip().upper()
    if field in DOCUMENT_TYPE_FIELDS:
        from ..processing.types import DOCUMENT_TYPES  # on use: the processing types stay off cold start

        if value not in DOCUMENT_TYPES:
            raise BadRequest(f"{field}: must be one of {', '.join(DOCUMENT_TYPES)}")
        return value
    if not isinstance(value, str) or not value.strip():
        raise BadRequest(f"{field}: must be a non-empty string")
    text = " ".join(value.split())  # trimmed, inner runs of white space (and CR/LF) folded
    if field in BANK_FIELDS:
        return _bank(field, text)
    if field in TAX_ID_FIELDS:
        return _tax_id(field, text)
    limit = MAX_TERMS if field == "paymentTerms" else MAX_TEXT
    if len(text) > limit:
        raise BadRequest(f"{field}: at most {limit} characters")
    return text


def _bank(field: str, text: str) -> str:
    # Lazy: the checks live with the extractor; most requests never correct a bank account.
    from ..processing.extraction.iban import normalize_bic, normalize_iban

    if field == "iban":
        iban = normalize_iban(text)
        if iban is None:
            raise BadRequest("iban: not a valid IBAN (country, length and mod-97 check digits)")
        return iban
    bic = normalize_bic(text)
    if bic is None:
        raise BadRequest("bic: not a BIC (8 or 11 characters: bank, country, location, branch)")
    return bic


def _tax_id(field: str, text: str) -> str:
    """Trimmed and bounded; a VAT number with a checked country prefix or a GSTIN must pass its check."""
    from ..processing.extraction.taxid import EU_VAT, is_valid_gstin, parse_vat

    if len(text) > MAX_TAX_ID or not _TAX_ID_CHARS.fullmatch(text):
        raise BadRequest(f"{field}: at most {MAX_TAX_ID} letters, digits, spaces, dots, slashes or dashes")
    compact = re.sub(r"[\s.\-]", "", text).upper()
    # Unambiguous shapes only: prefix of a country whose check is known, then its digits.
    if compact[:2] in EU_VAT and re.fullmatch(r"[A-Z]{2}U?\d[\dA-Z]{7,12}", compact):
        vat = parse_vat(compact)
        if vat is None:
            raise BadRequest(f"{field}: {text} is not a valid {compact[:2]} VAT number (check digits)")
        return vat
    if re.fullmatch(r"\d{2}[A-Z]{5}\d{4}[A-Z][0-9A-Z]Z[0-9A-Z]", compact):
        if not is_valid_gstin(compact):
            raise BadRequest(f"{field}: {text} is not a valid GSTIN (check character)")
        return compact
    return text


def _date(field: str, value: Any) -> str:
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise BadRequest(f"{field}: must be an ISO date (YYYY-MM-DD)")
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError as exc:
        raise BadRequest(f"{field}: {value} is not a calendar date") from exc


def _amount(field: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise BadRequest(f"{field}: must be a number")
    if isinstance(value, float) and not math.isfinite(value):
        raise BadRequest(f"{field}: must be a finite number")
    try:
        exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    except InvalidOperation as exc:
        raise BadRequest(f"{field}: must be a number") from exc
    if abs(exact) >= MAX_AMOUNT:
        raise BadRequest(f"{field}: too large")
    if exact != exact.quantize(Decimal("0.01")):
        raise BadRequest(f"{field}: at most 2 decimals")
    return float(exact) if exact != exact.to_integral_value() else float(int(exact))


def clean_status(body: dict[str, Any]) -> tuple[str | None, str | None]:
    """(status, reason) of a PATCH body; a rejection needs a reason."""
    status = body.get("status")
    if status is None:
        return None, None
    if status not in STATUSES:
        raise BadRequest(f"status: must be one of {', '.join(STATUSES)}")
    reason = body.get("reason")
    if status == REJECTED:
        if not isinstance(reason, str) or not reason.strip():
            raise BadRequest("reason: a rejection needs a reason")
        reason = " ".join(reason.split())[:MAX_REASON]
    elif reason is not None:
        raise BadRequest("reason: only a rejection takes a reason")
    return status, reason

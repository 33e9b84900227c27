"""Field extraction from detected text (baseline: labelled invoice number, first date, total)."""

from __future__ import annotations

import re
from datetime import date

from .types import Detection, ExtractedField

_NUMBER = re.compile(
    r"(?:invoice\s*(?:no\.?|number|#)|rechnungs(?:nummer|-?nr\.?)|facture\s*n[°o]?|factuurnummer)\s*[:#]?\s*"
    r"([A-Z0-9][A-Z0-9\-/_.]{1,30})",
    re.IGNORECASE,
)
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_DOTTED_DATE = re.compile(r"\b(\d{1,2})[./](\d{1,2})[./](\d{4})\b")
_TOTAL = re.compile(
    r"(?:grand\s+total|total\s+due|amount\s+due|total|gesamtbetrag|summe|montant\s+ttc|totaal)"
    r"[^\d\n]{0,40}?(-?\d{1,3}(?:[.,\s]\d{3})*[.,]\d{2}|-?\d+[.,]\d{2})",
    re.IGNORECASE,
)


def parse_amount(raw: str) -> float | None:
    """'1.234,56' / '1,234.56' / '1234,56' → 1234.56."""
    s = raw.replace(" ", "").replace("\u00a0", "")
    if not s:
        return None
    last_sep = max(s.rfind(","), s.rfind("."))
    if last_sep >= 0 and len(s) - last_sep - 1 == 2:
        whole, frac = s[:last_sep], s[last_sep + 1 :]
        whole = whole.replace(",", "").replace(".", "")
        s = f"{whole}.{frac}"
    else:
        s = s.replace(",", "").replace(".", "")
    try:
        return float(s)
    except ValueError:
        return None


def _first_date(text: str) -> str | None:
    for match in _ISO_DATE.finditer(text):
        y, m, d = (int(g) for g in match.groups())
        try:
            return date(y, m, d).isoformat()
        except ValueError:
            continue
    for match in _DOTTED_DATE.finditer(text):
        d, m, y = (int(g) for g in match.groups())
        try:
            return date(y, m, d).isoformat()
        except ValueError:
            continue
    return None


def extract_fields(detection: Detection) -> dict[str, ExtractedField]:
    """Fields found in the text; an engine's own fields win where it gave them."""
    text = detection.text
    fields: dict[str, ExtractedField] = {}
    if match := _NUMBER.search(text):
        fields["invoiceNumber"] = ExtractedField(match.group(1).rstrip("."), 0.8)
    if found := _first_date(text):
        fields["invoiceDate"] = ExtractedField(found, 0.6)
    totals = [a for a in (parse_amount(m.group(1)) for m in _TOTAL.finditer(text)) if a is not None]
    if totals:
        fields["total"] = ExtractedField(max(totals, key=abs), 0.6)
    fields.update(detection.fields)
    return fields

"""An e-invoice as the pipeline's result: fields at confidence 1.0, line items, and the flags that
tell a reviewer where the printed page disagrees with the XML or the lines do not add up."""

from __future__ import annotations

import re

from ..types import CORE_FIELDS, ExtractedField, Field, Flag, TextSegment
from .common import EInvoice

_AMOUNTS = (Field.SUBTOTAL, Field.TAX, Field.TOTAL)
_LEGAL_TAIL = re.compile(
    r"(?:gmbh(?:&?co\.?kg)?|ag|kg|sarl|sas|sa|ltd|limited|llc|inc|corp|co|plc|bv|nv|eurl|ev|eg)$"
)


def xml_fields(invoice: EInvoice) -> dict[Field, ExtractedField]:
    """Every value of the XML as an extracted field: exact, so confidence 1.0 and no page or box."""
    return {
        name: ExtractedField(value=invoice.values[name], confidence=1.0)
        for name in Field
        if name in invoice.values
    }


def listing(invoice: EInvoice) -> list[TextSegment]:
    """A readable rendition of an uploaded XML file (its 'detected text'): one line per value."""
    lines = [f"{name}: {invoice.values[name]}" for name in Field if name in invoice.values]
    for number, item in enumerate(invoice.line_items, 1):
        parts = [
            item.description or "",
            f"{item.quantity:g} ×" if item.quantity is not None else "",
            f"{item.unit_price:g}" if item.unit_price is not None else "",
            f"= {item.amount:.2f}" if item.amount is not None else "",
        ]
        lines.append(f"line {number}: " + " ".join(p for p in parts if p))
    return [TextSegment(text=line, confidence=1.0, page=1) for line in lines]


def _name_key(value: str) -> str:
    key = re.sub(r"[\W_]+", "", value.casefold())
    return _LEGAL_TAIL.sub("", key) or key


def same_value(name: str, xml: str | float, printed: str | float) -> bool:
    """Whether the printed reading says what the XML says. Amounts ignore the sign (credit notes
    print -100.00 for an XML 100.00) and differ by less than half a cent; numbers ignore spacing
    and case; names ignore case, punctuation and a trailing legal form."""
    if name in _AMOUNTS:
        try:
            return abs(abs(float(xml)) - abs(float(printed))) < 0.005
        except (TypeError, ValueError):
            return False
    if name == Field.INVOICE_NUMBER:
        return re.sub(r"\s+", "", str(xml)).casefold() == re.sub(r"\s+", "", str(printed)).casefold()
    if name == Field.VENDOR_NAME:
        return _name_key(str(xml)) == _name_key(str(printed))
    return str(xml) == str(printed)


def merge_with_text(
    xml: dict[Field, ExtractedField], printed: dict[Field, ExtractedField]
) -> tuple[dict[Field, ExtractedField], list[Flag]]:
    """The XML's fields (they win), located on the page where the text reader read the same value,
    and a `xml-text-mismatch` flag per core field the text reader read differently."""
    fields = dict(xml)
    flags: list[Flag] = []
    for name in CORE_FIELDS:
        field_name = Field(name)
        ours, theirs = xml.get(field_name), printed.get(field_name)
        if ours is None or theirs is None:
            continue  # a value the page does not show (or the reader missed) is no disagreement
        if same_value(name, ours.value, theirs.value):
            fields[field_name] = ExtractedField(ours.value, 1.0, page=theirs.page, box=theirs.box)
        else:
            flags.append(
                Flag(
                    code="xml-text-mismatch",
                    field=name,
                    message=f"the e-invoice XML says {ours.value!r} but the printed page reads "
                    f"{theirs.value!r}; the XML value is used",
                )
            )
    return fields, flags


def line_item_flags(invoice: EInvoice) -> list[Flag]:
    """A `line-items-mismatch` flag when the line amounts do not add up to the line total (BT-106)
    or, when the XML has none, the subtotal."""
    amounts = [item.amount for item in invoice.line_items if item.amount is not None]
    if not amounts:
        return []
    expected = invoice.line_total
    if expected is None:
        subtotal = invoice.values.get(Field.SUBTOTAL)
        expected = float(subtotal) if isinstance(subtotal, (int, float)) else None
    if expected is None:
        return []
    total = round(sum(amounts), 2)
    # Half a cent per line: each line amount may be rounded on its own.
    if abs(total - expected) <= 0.005 * len(amounts) + 1e-9:
        return []
    return [
        Flag(
            code="line-items-mismatch",
            field=str(Field.SUBTOTAL),
            message=f"the {len(amounts)} line amounts add up to {total:.2f}, not to {expected:.2f}",
        )
    ]

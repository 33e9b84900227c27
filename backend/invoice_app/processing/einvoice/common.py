"""What both syntaxes (CII, UBL) are read into, and the small helpers their readers share."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..types import Field, LineItem
from .parse import InvalidXml, local_name

if TYPE_CHECKING:
    from lxml.etree import _Element

# UNTDID 1001 codes that EN 16931 allows for credit notes; every other code is an invoice
# (380 commercial, 384 corrected, 389 self-billed, 326 partial, 875–877 construction, …).
CREDIT_NOTE_CODES = frozenset({"81", "83", "261", "262", "381", "396", "532"})


@dataclass
class EInvoice:
    """An e-invoice's values, already normalised (ISO dates, float amounts, collapsed names)."""

    syntax: str  # "CII" (Factur-X, ZUGFeRD 2.x, XRechnung), "ZUGFeRD 1.0" or "UBL"
    values: dict[Field, str | float] = field(default_factory=dict)
    line_items: list[LineItem] = field(default_factory=list)
    # BT-106, the sum the line amounts must add up to (the subtotal also has allowances/charges).
    line_total: float | None = None


def children(element: _Element | None, name: str) -> Iterator[_Element]:
    """Direct children with this local name, whatever their namespace."""
    if element is None:
        return
    for child in element:
        if local_name(child) == name:
            yield child


def child(element: _Element | None, *path: str) -> _Element | None:
    """The first element down `path` (local names), or None."""
    for name in path:
        element = next(children(element, name), None)
        if element is None:
            return None
    return element


def text(element: _Element | None, *path: str) -> str | None:
    """Whitespace-collapsed text of the element down `path`; None when absent or empty."""
    found = child(element, *path)
    if found is None or found.text is None:
        return None
    value = " ".join(found.text.split())
    return value or None


def amount(value: str | None, what: str) -> float | None:
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        raise InvalidXml(f"the e-invoice's {what} is not a number ({value[:40]!r})") from None


def iso_date(value: str | None, fmt: str | None, what: str) -> str | None:
    """UNTDID 2379 format 102 (CCYYMMDD) or an ISO date → YYYY-MM-DD; other formats are not days."""
    if value is None:
        return None
    compact = value.strip()
    if (fmt in (None, "102")) and re.fullmatch(r"\d{8}", compact):
        year, month, day = compact[:4], compact[4:6], compact[6:]
    elif m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})(?:T.*)?", compact):
        year, month, day = m.groups()
    elif fmt not in (None, "102"):
        return None  # 610 (a month) or 616 (a week): not a date the contract can hold
    else:
        raise InvalidXml(f"the e-invoice's {what} is not a date ({compact[:40]!r})")
    from datetime import date

    try:
        return date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        raise InvalidXml(f"the e-invoice's {what} is not a valid date ({compact[:40]!r})") from None


def put(values: dict[Field, str | float], name: Field, value: str | float | None) -> None:
    if value is not None and value != "":
        values[name] = value

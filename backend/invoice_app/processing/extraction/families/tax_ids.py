"""The vendor's and the buyer's tax ids: VAT numbers, Steuernummer, GSTIN, ABN, SST/GST ids.

A number is a candidate when its format and check digit hold (`taxid.py`), or — at a lower weight —
when a tax-id label announces it and only its check digit fails (sample invoices print made-up
numbers, and so do some real ones with typos: the reviewer sees a low confidence). Whose number it
is comes from the block it sits in or the words on its line (`blocks.py`); a number of no block
is the vendor's, since the seller's id is the one an invoice must carry. Of two ids of the vendor,
a VAT number beats a national tax number (it is what the XML's BT-31 holds).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from ...types import ExtractedField, Field
from ..blocks import line_cue, party_of_lines
from ..candidates import Candidate, best
from ..context import Context
from ..iban import find_ibans
from ..taxid import EU_VAT, is_valid_abn, is_valid_gstin, parse_steuernummer, parse_tax_id, parse_vat

FIELDS = (Field.VENDOR_TAX_ID, Field.BUYER_TAX_ID)

# A tax-id label, on raw text (case-insensitive): "USt-IdNr.", "VAT Reg No", "N° TVA intra",
# "Steuernummer", "St.-Nr.", "GSTIN", "GST ID", "SST No", "ABN", "BTW-nummer", "P.IVA", "UID", "Tax ID".
_LABEL = re.compile(
    r"(?<![A-Za-z])(?:u\.?st\.?|mwst|vat|tva|btw|iva|p\.\s?iva|partita\s+iva|uid|nif|cif|gstin|gst|sst|abn|"
    r"steuer|st\.?-?nr|tax|identifiant\s+tva|umsatzsteuer)[\w.\- °º]{0,30}?[:#]?\s*$",
    re.IGNORECASE,
)
# Country-prefixed VAT numbers with optional inner spaces/dots: "DE 136 695 976", "FR32 123 456 789".
# A lookahead, so "TVA FR40123456824" is also tried from "FR" after failing at "TV".
_PREFIXED = re.compile(
    r"(?=(?<![A-Za-z0-9])((?:ATU|[A-Z]{2})[ .]?[0-9A-Z](?:[ .\-]?[0-9A-Z]){7,13})(?![0-9A-Z]))"
)
_GSTIN = re.compile(r"(?<![A-Z0-9])\d{2}[A-Z]{5}\d{4}[A-Z][1-9A-Z]Z[0-9A-Z](?![A-Z0-9])")
_DIGITS = re.compile(r"(?<![\w/])(\d[\d /]{7,17}\d)(?![\w/])")
_MY_SST = re.compile(r"(?<![A-Z0-9])[A-Z]\d{2}-\d{4}-\d{8}(?![0-9])")
_COUNTRIES = (
    frozenset(EU_VAT)
    | frozenset(
        ("BG", "CY", "CZ", "DK", "EE", "EL", "FI", "HR", "HU", "IE", "LT", "LU", "LV", "MT", "PL", "PT", "RO")
    )
    | frozenset(("SE", "SI", "SK", "CH", "NO"))
)
_SHAPE = re.compile(r"(?:ATU\d{8,9}|[A-Z]{2}[0-9A-Z]{8,12})")

LABELLED_VALID = 1.0
LABELLED_SHAPE_ONLY = 0.55  # after a tax-id label, right shape, failing check digit
UNLABELLED_VALID = 0.6  # a prefixed VAT number / GSTIN whose check digit holds, without a label
NATIONAL = 0.8  # factor on Steuernummer / ABN / SST (the VAT number is preferred)
UNKNOWN_PARTY = 0.5  # factor on a vendor id outside any block (a seller block or cue is surer)
BUYER_FALLBACK = 0.4  # factor on an id outside any block as the buyer's (when it is not the vendor's)


def _label_before(text: str, start: int) -> str | None:
    m = _LABEL.search(text[max(0, start - 45) : start])
    return m.group(0) if m else None


def _ids_in(text: str, label: str | None) -> Iterator[tuple[str, float, int]]:
    """(normalised id, weight, start) of the tax ids in one stretch of text."""
    ibans = [(start, end) for start, end, _, _ in find_ibans(text)]
    for m in _PREFIXED.finditer(text):
        raw = m.group(1)
        if raw[:2] not in _COUNTRIES or any(start <= m.start() < end for start, end in ibans):
            continue
        own_label = _label_before(text, m.start()) or label
        # Shorten from the right: the token may run into the next word ("DE123456789 Tel").
        parts = raw.split(" ")
        for k in range(len(parts), 0, -1):
            cand = " ".join(parts[:k])
            vat = parse_vat(cand)
            if vat:
                yield vat, LABELLED_VALID if own_label else UNLABELLED_VALID, m.start()
                break
            compacted = re.sub(r"[ .\-]", "", cand).upper()
            if own_label and _SHAPE.fullmatch(compacted) and sum(ch.isdigit() for ch in compacted) >= 8:
                yield compacted, LABELLED_SHAPE_ONLY, m.start()
                break
    for m in _GSTIN.finditer(text):
        if is_valid_gstin(m.group(0)):
            labelled = _label_before(text, m.start()) or label
            yield m.group(0), LABELLED_VALID if labelled else UNLABELLED_VALID, m.start()
    for m in _MY_SST.finditer(text):
        own = _label_before(text, m.start()) or label
        if own and parse_tax_id(m.group(0), context=own):
            yield m.group(0), LABELLED_VALID * NATIONAL, m.start()
    for m in _DIGITS.finditer(text):
        own = _label_before(text, m.start()) or label
        if not own:
            continue
        raw = m.group(1).strip()
        folded = own.lower()
        if "abn" in folded and is_valid_abn(raw):
            yield re.sub(r"\s", "", raw), LABELLED_VALID * NATIONAL, m.start()
        elif ("steuer" in folded or "st." in folded or "stnr" in folded) and "ust" not in folded:
            s = parse_steuernummer(raw)
            if s:
                yield s, LABELLED_VALID * NATIONAL, m.start()
        elif (found := parse_tax_id(raw, context=own)) is not None:
            yield found, LABELLED_VALID * NATIONAL, m.start()
        elif "vat" in folded and (gb := parse_vat("GB" + raw)) is not None:
            yield gb, LABELLED_VALID, m.start()  # "VAT Reg No: 123 4567 82": a UK number without prefix


def propose(ctx: Context) -> Iterator[tuple[Field, Candidate]]:
    parties = party_of_lines(ctx)
    infos = ctx.infos
    for i, info in enumerate(infos):
        text = info.line.text.replace("\t", "  ")
        found = list(_ids_in(text, None))
        # "USt-IdNr.:" at the end of a line, its number on the next one.
        label = _LABEL.search(text)
        if not found and label and i + 1 < len(infos):
            nxt = infos[i + 1].line.text.replace("\t", "  ")
            found = [(v, w, -1) for v, w, s in _ids_in(nxt, label.group(0)) if s < 3]
        for value, weight, start in found:
            before = text[:start] if start >= 0 else text
            party = line_cue(before[-60:] if start >= 0 else text) or line_cue(text) or parties[i]
            row = info.line.index
            if party == "other":
                continue  # a tax representative's or a factor's number
            if party == "buyer":
                yield Field.BUYER_TAX_ID, Candidate(value, weight, row, value)
            elif party == "seller":
                yield Field.VENDOR_TAX_ID, Candidate(value, weight, row, value)
            else:
                yield Field.VENDOR_TAX_ID, Candidate(value, weight * UNKNOWN_PARTY, row, value)
                if re.match(r"[A-Z]{2}", value):
                    yield Field.BUYER_TAX_ID, Candidate(value, weight * BUYER_FALLBACK, row, value)


def engine_value(field: Field, found: ExtractedField, ctx: Context) -> str | float | None:
    return parse_tax_id(str(found.value), context="tax") or None


def _vat_first(candidates: list[Candidate]) -> list[Candidate]:
    """Of the vendor's ids, the VAT numbers when there are any."""
    vat = [c for c in candidates if re.match(r"[A-Z]{2}", str(c.value))]
    return vat or candidates


def choose(
    ctx: Context, candidates: Mapping[Field, list[Candidate]], chosen: Mapping[Field, Candidate]
) -> dict[Field, Candidate]:
    out: dict[Field, Candidate] = {}
    vendor = best(_vat_first(candidates.get(Field.VENDOR_TAX_ID, [])))
    if vendor is not None:
        out[Field.VENDOR_TAX_ID] = vendor
    buyers = [c for c in candidates.get(Field.BUYER_TAX_ID, []) if vendor is None or c.value != vendor.value]
    buyer = best(buyers)
    if buyer is not None:
        out[Field.BUYER_TAX_ID] = buyer
    return out


__all__ = ["FIELDS", "choose", "engine_value", "is_valid_gstin", "propose"]

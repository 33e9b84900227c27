"""The invoice number: the identifier after (or under) its label or a document title.

"Rechnung Nr. 471102 vom 05.03.2018" also gives the issue date: the date after the number.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from ...types import ExtractedField, Field
from ..candidates import Candidate, best
from ..context import Context
from ..dates import find_dates
from ..labels import Kind
from ..weights import WEIGHTS

FIELDS = (Field.INVOICE_NUMBER,)

_ID_TOKEN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9\-/._]*[A-Za-z0-9])?")
_ID_PREFIX = re.compile(r"[\s:#.\-]*(?:(?:nr|no|n°|nº|number|nummer|num)\.?\s*[:.#]?\s*)?", re.IGNORECASE)
_GLUED_WORD = re.compile(r"(?<=\d)(?:vom|von|du|dated|van|from|of|le|issued|date)(?![a-z])")
_DATE_LINK = re.compile(r"(?:vom|du|dated|van|of|from|le)\s*:?\s*$", re.IGNORECASE)
_AMOUNT_LIKE = re.compile(r"\d{1,3}(?:[.,]\d{3})*[.,]\d{2}")


def id_after(text: str, pos: int, end: int) -> tuple[str, int] | None:
    """The identifier right after a label (only separators and "No." may come between)."""
    rest = text[pos:end]
    prefix = _ID_PREFIX.match(rest)
    m = _ID_TOKEN.match(rest, prefix.end() if prefix else 0)
    if not m:
        return None
    # OCR without spaces glues the next word on: "RE-20140703/502vom", "R87654321012345vom06.08.2018".
    token = _GLUED_WORD.split(m.group(0), maxsplit=1)[0].rstrip(".-/")
    if not any(ch.isdigit() for ch in token) or len(token) > 40:
        return None
    dates = find_dates(token)
    if dates and dates[0].end - dates[0].start >= len(token) - 1:
        return None  # "Invoice 05.03.2018" is a title and a date, not a number
    if _AMOUNT_LIKE.fullmatch(token):
        return None  # an amount
    return token, pos + m.start() + len(token)


def _date_after_number(ctx: Context, i: int, pos: int) -> Iterator[tuple[Field, Candidate]]:
    """'Rechnung Nr. 471102 vom 05.03.2018': the date that follows the number is the issue date."""
    info = ctx.infos[i]
    later = [d for d in info.dates if d.start >= pos]
    if later:
        d = later[0]
        yield (
            Field.INVOICE_DATE,
            Candidate(d.iso, WEIGHTS.date_after_number, info.line.index, info.line.text[d.start : d.end]),
        )
    elif _DATE_LINK.search(info.line.text) and i + 1 < len(ctx.infos) and ctx.infos[i + 1].dates:
        below = ctx.infos[i + 1]
        d = below.dates[0]
        text = below.line.text[d.start : d.end]
        yield Field.INVOICE_DATE, Candidate(d.iso, WEIGHTS.date_after_number, below.line.index, text)


def propose(ctx: Context) -> Iterator[tuple[Field, Candidate]]:
    for i, info in enumerate(ctx.infos):
        line = info.line
        for hit in info.labels:
            if hit.kind not in (Field.INVOICE_NUMBER, Kind.TITLE):
                continue
            cell_start, cell_end = line.cell_bounds(hit.start)
            if hit.kind == Kind.TITLE and line.text[cell_start : hit.start].strip():
                continue  # a title starts its line or cell
            found = id_after(line.text, hit.end, len(line.text))
            if found:
                yield Field.INVOICE_NUMBER, Candidate(found[0], hit.weight, line.index, found[0])
                yield from _date_after_number(ctx, i, found[1])
                continue
            if (
                hit.kind == Kind.TITLE
                or line.text[hit.end : cell_end].strip(" :#.")
                or i + 1 >= len(ctx.infos)
            ):
                continue
            below = ctx.infos[i + 1].line
            bounds = below.cell(line.cell_index(hit.start)) or (0, len(below.text))
            found = id_after(below.text, bounds[0], bounds[1])
            if found:
                weight = hit.weight * WEIGHTS.number_below_label
                yield Field.INVOICE_NUMBER, Candidate(found[0], weight, below.index, found[0])


def engine_value(field: Field, found: ExtractedField, ctx: Context) -> str | float | None:
    return str(found.value).strip() or None


def choose(
    ctx: Context, candidates: Mapping[Field, list[Candidate]], chosen: Mapping[Field, Candidate]
) -> dict[Field, Candidate]:
    top = best(candidates.get(Field.INVOICE_NUMBER, []))
    return {} if top is None else {Field.INVOICE_NUMBER: top}

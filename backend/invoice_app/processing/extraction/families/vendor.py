"""The vendor (seller) name; the rules that find names are in `parties.py`."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from ...types import ExtractedField, Field
from ..candidates import Candidate, best
from ..context import Context
from ..parties import clean_name, vendor_candidates

FIELDS = (Field.VENDOR_NAME,)


def propose(ctx: Context) -> Iterator[tuple[Field, Candidate]]:
    for v in vendor_candidates([i.line for i in ctx.infos], [i.labels for i in ctx.infos]):
        yield Field.VENDOR_NAME, Candidate(v.value, v.weight, v.line, v.value)


def engine_value(field: Field, found: ExtractedField, ctx: Context) -> str | float | None:
    return clean_name(str(found.value)) or None


def choose(
    ctx: Context, candidates: Mapping[Field, list[Candidate]], chosen: Mapping[Field, Candidate]
) -> dict[Field, Candidate]:
    top = best(candidates.get(Field.VENDOR_NAME, []), ranker=str(Field.VENDOR_NAME))
    return {} if top is None else {Field.VENDOR_NAME: top}

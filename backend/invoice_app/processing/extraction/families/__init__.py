"""One module per field family: how its candidates are found in the text and how one is chosen.

A family module has `FIELDS` (the `Field`s it extracts) and three functions:
  propose(ctx)                      → (field, candidate) pairs found in the text
  engine_value(field, found, ctx)   → an engine's raw field value, parsed like text (None: unusable)
  choose(ctx, candidates, chosen)   → the chosen candidate per field (may read earlier choices)
Families propose and choose in the order of `FAMILIES`; a new field is a `Field` member plus a
module listed here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Protocol

from ...types import ExtractedField, Field
from ..candidates import Candidate
from ..context import Context
from . import amounts, bank, buyer, currency, dates, doctype, number, tax_ids, terms, vendor


class Family(Protocol):
    FIELDS: tuple[Field, ...]

    def propose(self, ctx: Context) -> Iterable[tuple[Field, Candidate]]: ...

    def engine_value(self, field: Field, found: ExtractedField, ctx: Context) -> str | float | None: ...

    def choose(
        self, ctx: Context, candidates: Mapping[Field, list[Candidate]], chosen: Mapping[Field, Candidate]
    ) -> dict[Field, Candidate]: ...


FAMILIES: tuple[Family, ...] = (number, dates, vendor, amounts, currency, doctype)
# The accounts-payable fields, after the core ones (buyer and terms read the chosen vendor / number).
FAMILIES += (tax_ids, bank, terms, buyer)
FAMILY_OF: dict[Field, Family] = {field: family for family in FAMILIES for field in family.FIELDS}

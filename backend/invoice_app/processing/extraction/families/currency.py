"""The currency: after a currency label, the sign of the total, the commonest sign, or an ISO code."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Mapping

from ...types import ExtractedField, Field
from ..candidates import Candidate, best
from ..context import Context
from ..currency import CODES
from ..labels import Kind
from ..weights import WEIGHTS

FIELDS = (Field.CURRENCY,)

_CODE_AFTER_LABEL = re.compile(r"\b([A-Z]{3})\b")
_CODE = re.compile(r"\b[A-Z]{3}\b")


def propose(ctx: Context) -> Iterator[tuple[Field, Candidate]]:
    """Text currency is not a candidate among others: `from_text` decides it after the total."""
    return iter(())


def engine_value(field: Field, found: ExtractedField, ctx: Context) -> str | float | None:
    raw = str(found.value)
    return raw.upper() if raw.upper() in CODES else None


def from_text(ctx: Context, total: Candidate | None) -> Candidate | None:
    for info in ctx.infos:
        for hit in info.labels:
            if hit.kind == Kind.CURRENCY:
                m = _CODE_AFTER_LABEL.search(info.line.text[hit.end :])
                if m and m.group(1) in CODES:
                    return Candidate(m.group(1), WEIGHTS.currency_label, info.line.index, m.group(1))
    amounts = [a for info in ctx.infos for a in info.amounts if a.currency]
    if total is not None:
        for a in amounts:
            if a.value == total.value:
                return Candidate(a.currency or "", WEIGHTS.currency_of_total, total.line, a.raw)
    if amounts:
        code, _ = Counter(a.currency for a in amounts).most_common(1)[0]
        return Candidate(code or "", WEIGHTS.currency_most_common, 0, code or "")
    codes = Counter(
        m.group(0) for info in ctx.infos for m in _CODE.finditer(info.line.text) if m.group(0) in CODES
    )
    if codes:
        code, _ = codes.most_common(1)[0]
        return Candidate(code, WEIGHTS.currency_code_in_text, 0, code)
    return None


def choose(
    ctx: Context, candidates: Mapping[Field, list[Candidate]], chosen: Mapping[Field, Candidate]
) -> dict[Field, Candidate]:
    """The engine's currency or the text's, whichever is surer (the engine's of equals)."""
    engine = best(candidates.get(Field.CURRENCY, []))
    text = from_text(ctx, chosen.get(Field.TOTAL))
    top = max((c for c in (engine, text) if c is not None), key=lambda c: c.weight, default=None)
    return {} if top is None else {Field.CURRENCY: top}

"""The payee's bank account: IBAN (mod-97 checked, returned without spaces) and BIC (ISO 9362).

An IBAN is only reported when its check digits hold: a misread IBAN is worse than none. A BIC is an
8/11-character code after a "BIC" / "SWIFT" label, or on the line of (or next to) an IBAN; bare
words of that shape elsewhere ("RECHNUNG" is 8 letters) are not codes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from ...types import ExtractedField, Field
from ..candidates import Candidate, best
from ..context import Context
from ..iban import find_ibans, normalize_bic, normalize_iban

FIELDS = (Field.IBAN, Field.BIC)

_IBAN_LABEL = re.compile(r"\biban\b", re.IGNORECASE)
_BIC_LABEL = re.compile(
    r"\b(?:bic|swift|swift[\s-]*code|swift[\s/]*bic|bic[\s/]*swift)\b\s*[:.]?\s*", re.IGNORECASE
)
_BIC_TOKEN = re.compile(r"(?<![A-Za-z0-9])([A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?)(?![A-Za-z0-9])")
_PAYEE_OTHER = re.compile(r"\b(?:ihre|your|votre|debit|lastschrift|abbuchung|mandat)\b", re.IGNORECASE)

IBAN_LABELLED = 1.0
IBAN_UNLABELLED = 0.8
IBAN_DEBIT = 0.4  # the customer's account a direct debit is drawn on ("Ihre IBAN", "SEPA-Lastschrift")
BIC_LABELLED = 1.0
BIC_NEAR_IBAN = 0.6


def propose(ctx: Context) -> Iterator[tuple[Field, Candidate]]:
    infos = ctx.infos
    iban_lines: set[int] = set()
    for i, info in enumerate(infos):
        text = info.line.text.replace("\t", "  ")
        prev = infos[i - 1].line.text if i else ""
        for start, _end, iban, valid in find_ibans(text):
            if not valid:
                continue
            iban_lines.add(i)
            before = text[max(0, start - 40) : start]
            labelled = _IBAN_LABEL.search(before) or (not before.strip() and _IBAN_LABEL.search(prev[-12:]))
            weight = IBAN_LABELLED if labelled else IBAN_UNLABELLED
            if _PAYEE_OTHER.search(text[:start]) or _PAYEE_OTHER.search(prev):
                weight = IBAN_DEBIT
            yield Field.IBAN, Candidate(iban, weight, info.line.index, iban)
    for i, info in enumerate(infos):
        text = info.line.text.replace("\t", "  ")
        for label in _BIC_LABEL.finditer(text):
            rest = text[label.end() :]
            token = _BIC_TOKEN.match(rest)
            if token is None and not rest.strip() and i + 1 < len(infos):
                token = _BIC_TOKEN.match(infos[i + 1].line.text.strip())
            if token and (bic := normalize_bic(token.group(1))):
                yield Field.BIC, Candidate(bic, BIC_LABELLED, info.line.index, token.group(1))
        if i in iban_lines or i - 1 in iban_lines or i + 1 in iban_lines:
            for token in _BIC_TOKEN.finditer(text):
                bic = normalize_bic(token.group(1))
                # A code beside an IBAN: not a word (a BIC has a country code and rarely is a dictionary
                # word; require a digit or an 11-character code or the bank country of the IBAN).
                if bic and (any(ch.isdigit() for ch in bic) or len(bic) == 11 or bic.endswith("XXX")):
                    yield Field.BIC, Candidate(bic, BIC_NEAR_IBAN, info.line.index, token.group(1))


def engine_value(field: Field, found: ExtractedField, ctx: Context) -> str | float | None:
    raw = str(found.value)
    return normalize_iban(raw) if field == Field.IBAN else normalize_bic(raw)


def choose(
    ctx: Context, candidates: Mapping[Field, list[Candidate]], chosen: Mapping[Field, Candidate]
) -> dict[Field, Candidate]:
    out: dict[Field, Candidate] = {}
    for field in FIELDS:
        top = best(candidates.get(field, []))
        if top is not None:
            out[field] = top
    return out

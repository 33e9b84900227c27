"""The buyer's purchase-order reference and the payment terms.

The purchase order is the identifier after its label ("PO #", "Your order", "Bestellnummer",
"N° bon de commande"), read like the invoice number. The payment terms are a sentence: after a
"Payment terms" / "Zahlungsbedingungen" / "Conditions de règlement" label, or — without a label —
the sentence that says when or how to pay ("Zahlbar innerhalb 14 Tagen netto", "Net 30",
"Payable within 30 days", "Paiement à 30 jours"). At most `MAX_TERMS` characters.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from ...types import ExtractedField, Field
from ..candidates import Candidate, best
from ..context import Context
from .number import id_after

FIELDS = (Field.PURCHASE_ORDER, Field.PAYMENT_TERMS)

MAX_TERMS = 200
PO_BELOW = 0.85  # the id on the line under its label, times the label weight
TERMS_LABELLED = 1.0
TERMS_PHRASE = 0.7  # an unlabelled sentence that states the terms
TERMS_CONTINUED = 2  # lines a labelled or phrase sentence may run on to

# Sentences that state payment terms (case-insensitive, on raw text).
_TERMS_PHRASE = re.compile(
    r"\b(?:zahlbar|payable|payment\s+(?:is\s+)?due|due\s+(?:with)?in|due\s+on\s+receipt|net\s?\d{1,3}(?![\d.,])|"
    r"\d{1,3}\s+(?:tage|tagen|days|jours|dagen)\s+(?:netto|net|rein\s+netto|nets?)|"
    r"paiement\s+(?:à|a|sous|comptant)|payer\s+(?:à|a)\s+r(?:é|e)ception|(?:à|a)\s+\d{1,3}\s+jours|skonto|"
    r"ohne\s+abzug|sofort\s+(?:zahlbar|nach)|betaalbaar|te\s+betalen\s+binnen|please\s+pay|"
    r"überweisen\s+sie|begleichen\s+sie|bei\s+zahlung)\b",
    re.IGNORECASE,
)
# A terms sentence names a period, a date, a discount or an immediate payment.
_TERMS_CONTENT = re.compile(
    r"\d|\b(?:sofort|immediately|receipt|r(?:é|e)ception|ohne\s+abzug|netto|net|comptant|upon)\b",
    re.IGNORECASE,
)
# Not terms: legal boilerplate about late-payment penalties, bank details, thanks.
_NOT_TERMS = re.compile(
    r"\b(?:p(?:é|e)nalit(?:é|e)s?|indemnit(?:é|e)|intérêts?\s+de\s+retard|loi|iban|bic|verzug|mahn|"
    r"late\s+(?:fee|payment\s+(?:fee|charge|interest))|thank|r(?:é|e)f(?:é|e)rence|referenz|avis|typ|"
    r"method|m(?:é|e)thode|mode)\b",
    re.IGNORECASE,
)
_MONEY = re.compile(r"\d[.,]\d{2}\s*(?:€|\$|£|eur|usd|gbp|chf)", re.IGNORECASE)
_PERIOD = re.compile(
    r"tage|days|jours|dagen|skonto|escompte|discount|%|\d{1,2}\.\d{1,2}\.\d{2,4}", re.IGNORECASE
)
_SENTENCE_END = re.compile(r"(?<=[a-zäöüéèàç\d)])\.(?=\s|$)|\t| {3,}")


def _po(ctx: Context) -> Iterator[tuple[Field, Candidate]]:
    for i, info in enumerate(ctx.infos):
        line = info.line
        for hit in info.labels:
            if hit.kind != Field.PURCHASE_ORDER:
                continue
            _, cell_end = line.cell_bounds(hit.start)
            found = id_after(line.text, hit.end, cell_end)
            if found:
                yield Field.PURCHASE_ORDER, Candidate(found[0], hit.weight, line.index, found[0])
                continue
            if line.text[hit.end : cell_end].strip(" :#.") or i + 1 >= len(ctx.infos):
                continue
            below = ctx.infos[i + 1].line
            bounds = below.cell(line.cell_index(hit.start)) or (0, len(below.text))
            found = id_after(below.text, bounds[0], bounds[1])
            if found:
                yield Field.PURCHASE_ORDER, Candidate(found[0], hit.weight * PO_BELOW, below.index, found[0])


def _clean_terms(text: str) -> str | None:
    text = " ".join(text.replace("\t", " ").split()).strip(" :;,-")
    if len(text) > MAX_TERMS:
        cut = text.rfind(" ", 0, MAX_TERMS)
        text = text[: cut if cut > 0 else MAX_TERMS].rstrip(" ,;")
    if len(text) < 5 or not _TERMS_CONTENT.search(text) or _NOT_TERMS.search(text):
        return None
    if _MONEY.search(text) and not _PERIOD.search(text):
        return None  # "Due payable: 571.04 €": an amount, not terms
    return text


def _sentence(ctx: Context, i: int, start: int) -> str:
    """The sentence that starts at `start` of line i, continued on following lines until it ends."""
    parts: list[str] = []
    text = ctx.infos[i].line.text[start:]
    for k in range(i, min(len(ctx.infos), i + 1 + TERMS_CONTINUED)):
        if k > i:
            nxt = ctx.infos[k]
            # A lower-case start (or a comma before) continues the sentence; a capital starts a new one.
            if nxt.labels or (not nxt.line.text[:1].islower() and not parts[-1].rstrip().endswith(",")):
                break  # a new label or a new sentence starts
            text = nxt.line.text
        end = _SENTENCE_END.search(text)
        if end:
            parts.append(text[: end.start()])
            break
        parts.append(text)
    return " ".join(parts)


def _terms(ctx: Context) -> Iterator[tuple[Field, Candidate]]:
    for i, info in enumerate(ctx.infos):
        line = info.line
        labelled = False
        for hit in info.labels:
            if hit.kind != Field.PAYMENT_TERMS:
                continue
            rest = line.text[hit.end :].lstrip(" :")
            if not rest.strip() and len(info.labels) > 1:
                continue  # one header of a row of column headers: the line below is a row of values
            if not rest.strip() and i + 1 < len(ctx.infos):
                value = _clean_terms(_sentence(ctx, i + 1, 0))
                row = ctx.infos[i + 1].line.index
            else:
                value = _clean_terms(_sentence(ctx, i, len(line.text) - len(rest)))
                row = line.index
            if value:
                labelled = True
                yield Field.PAYMENT_TERMS, Candidate(value, TERMS_LABELLED, row, value)
        if labelled:
            continue
        m = _TERMS_PHRASE.search(line.text)
        if m is None:
            continue
        # The sentence the phrase belongs to: from the last sentence end (or cell start) before it.
        dot, tab = line.text.rfind(". ", 0, m.start()), line.text.rfind("\t", 0, m.start())
        start = max(dot + 2 if dot >= 0 else 0, tab + 1)
        value = _clean_terms(_sentence(ctx, i, start))
        if value:
            yield Field.PAYMENT_TERMS, Candidate(value, TERMS_PHRASE, line.index, value)


def propose(ctx: Context) -> Iterator[tuple[Field, Candidate]]:
    yield from _po(ctx)
    yield from _terms(ctx)


def engine_value(field: Field, found: ExtractedField, ctx: Context) -> str | float | None:
    text = str(found.value).strip()
    if field == Field.PAYMENT_TERMS:
        return _clean_terms(text)
    return text or None


def choose(
    ctx: Context, candidates: Mapping[Field, list[Candidate]], chosen: Mapping[Field, Candidate]
) -> dict[Field, Candidate]:
    out: dict[Field, Candidate] = {}
    po = best(candidates.get(Field.PURCHASE_ORDER, []))
    number = chosen.get(Field.INVOICE_NUMBER)
    if po is not None and (number is None or po.value != number.value):
        out[Field.PURCHASE_ORDER] = po
    # Of equal weights the first sentence wins: the terms come before the fine print.
    terms = best(candidates.get(Field.PAYMENT_TERMS, []))
    if terms is not None:
        out[Field.PAYMENT_TERMS] = terms
    return out

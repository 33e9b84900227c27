"""The document type: invoice, credit note or receipt, from titles and the structure of the document.

Evidence, not a single keyword: a title ("Receipt No.", "Cash bill", "Avoir N°", "Credit note") counts
where a title stands (a short line, or followed by its number), not inside a sentence ("due upon
receipt", "Beitragsgutschriften"); a receipt also shows what was paid (cash tendered, change,
rounding) and its till (cashier, terminal, "please come again"); an invoice asks for payment later
(a due date, bank details, a billing address). A negative total on an invoice makes it a credit note.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from ...types import DOCUMENT_TYPES, ExtractedField, Field
from ..candidates import Candidate
from ..context import Context
from ..weights import WEIGHTS
from .amounts import payment

FIELDS = (Field.DOCUMENT_TYPE,)
INVOICE, CREDIT_NOTE, RECEIPT = DOCUMENT_TYPES

_CREDIT = re.compile(
    r"(?<![\w-])(?:credit\s?note|credit\s?memo|gutschrift|avoir|creditnota|credit\s?nota|kreditfaktura|"
    r"kreditnota|hyvityslasku|faktura\s?korygująca|dobropis|"
    r"note\s?de\s?cr[ée]dit|nota\s?de\s?cr[ée]dito)(?![\w-])",
    re.IGNORECASE,
)
# German "Gutschrift" is also a self-billed invoice ("Gutschrift (Selbst ausgestellte Rechnung)").
_SELF_BILLED = re.compile(
    r"selbst\s?ausgestellt|self[-\s]?bill|autofactur|gutschriftsverfahren", re.IGNORECASE
)
_RECEIPT = re.compile(
    r"(?<![\w-])(?:(?:official\s?|sales\s?|cash\s?)?receipt|cash\s?bill|cash\s?sales?|kassenbon|kassenbeleg|"
    r"quittung|ticket\s?de\s?caisse|re[çc]u|simplified\s?tax\s?invoice|documento\s?commerciale|scontrino|"
    r"factura\s?simplificada|ticket|kassabon|bon(?!\s?(?:de|du|pour|d'|à)\b)|kvitto|struk|resit|"
    r"(?:merchant|customer|cardholder)\s?copy|kundenbeleg)(?![\w-])",
    re.IGNORECASE,
)
_INVOICE = re.compile(
    r"(?<![\w-])(?:(?:tax\s?)?invoice|rechnung|facture|factuur|fattura|factura)(?![\w-])", re.IGNORECASE
)
# "due upon receipt", "nach Erhalt der Rechnung": the word inside a sentence about something else.
_IN_A_SENTENCE = re.compile(
    r"(?:upon|on|of|after|within|from|the|this|your|our|nach|dès|de|la|cette|votre|dieser|ihre|unsere|"
    r"sans|pour|to|and)\s*$",
    re.IGNORECASE,
)
# "Original Invoice: INV-233", "Invoice ref.", "zur Rechnung Nr. 12", "facture d'origine": a credit
# note names the invoice it corrects; that is no invoice title.
_REFERENCE_BEFORE = re.compile(
    r"(?:original|against|corrected|cancel+(?:s|ed|ing)?|related|referenced?|r[ée]f\.?|ursprünglichen?|"
    r"zur|zu\s+(?:unserer|ihrer|der)|zu|korrigierten|stornierten)\s*$",
    re.IGNORECASE,
)
_REFERENCE_AFTER = re.compile(r"^\s*(?:ref(?:erence)?\b|d['’]origine|initiale|corrigée)", re.IGNORECASE)
# A number announced after the title ("Avoir N° F2022", "Receipt #: CS-1", "Gutschrift Nr. 12").
_NUMBER_AFTER = re.compile(
    r"^\s*(?::\s*)?(?:n[°ºo]\.?|nr\.?|no\.?|number|nummer|num[ée]ro|#|[A-Z]*-?\d)", re.IGNORECASE
)
_TILL = re.compile(
    r"\b(?:cashier|kasse|kassa|cassa|caisse|caja|caissier|cajero|till|terminal|trm|register|counter|"
    r"table\s?:?\s?\w?\d|tisch\s?\d|mesa\s?:?\s?\d|pos\s?#?\s?\d|pump\s?#?\s?\d|server\s?:|guests?\s?:|"
    r"steward|waiter|bedienung|juruwang|visit\s?again|ihren\s?besuch|"
    r"auth(?:orization)?\.?\s?(?:code|no\.?|#)?\s?:?\s?\d|approved|appr\s?code|contactless|eftpos|girocard|"
    r"(?:please\s)?come\s?again|thank\s?you\s?for\s?(?:shopping|dining|visiting)|goods\s?sold\s?are\s?not)\b",
    re.IGNORECASE,
)
_PAY_LATER = re.compile(
    r"\b(?:iban|bic|swift|bank\s?(?:details|account)|bankverbindung|bill\s?to|invoice\s?to|"
    r"rechnungsempf[aä]nger|zahlungsbedingungen|payment\s?terms|conditions\s?de\s?paiement|"
    r"(?:checks?|cheques?)\s?payable\s?to|return\s?this\s?portion|statement\s?date)\b",
    re.IGNORECASE,
)
# A time of day beside a date ("12/28/2017 10:17:32 PM", "18-11-18 13:58"): tills print when, invoices rarely.
_TIME = re.compile(r"(?<![\d.,:])\d{1,2}\s?:\s?\d{2}(?::\d{2})?\s?(?:[AaPp]\.?[Mm]\.?)?(?![\d.,:])")
_TITLE_WORDS = 6  # a line of at most this many words is a title line
_WINDOW = 24  # characters looked at before and after a title word


@dataclass(frozen=True)
class Evidence:
    invoice: float
    credit: float
    receipt: float
    raw: str  # the title text that decided, for the confidence lookup
    line: int


def _as_title(text: str, start: int, end: int, words: int) -> bool:
    # Bounded windows: a long line with many title words stays linear.
    if _IN_A_SENTENCE.search(text[max(0, start - _WINDOW) : start]):
        return False
    return words <= _TITLE_WORDS or _NUMBER_AFTER.match(text[end : end + _WINDOW]) is not None


def _reference(text: str, start: int, end: int) -> bool:
    """The invoice word names another document (the one a credit note corrects)."""
    return bool(
        _REFERENCE_BEFORE.search(text[max(0, start - _WINDOW) : start])
        or _REFERENCE_AFTER.match(text[end : end + _WINDOW])
    )


def credit_note_title(ctx: Context) -> bool:
    """A credit note's title heads the document ("NOTE DE CRÉDIT", "Kreditnota", "Credit Note No."; not
    a self-billed "Gutschrift"): then an invoice it names is the one it credits, not itself."""
    for info in ctx.infos:
        text = info.line.text
        words = len(text.split())
        for m in _CREDIT.finditer(text):
            if _as_title(text, m.start(), m.end(), words) and not _SELF_BILLED.search(text):
                return True
    return False


def evidence(ctx: Context, total: Candidate | None, due: Candidate | None) -> Evidence:
    invoice = credit = receipt = 0.0
    raw, line_no = "", 0
    till = pay_later = 0
    timed = False
    for info in ctx.infos:
        text = info.line.text
        words = len(text.split())
        for pattern, kind in ((_CREDIT, CREDIT_NOTE), (_RECEIPT, RECEIPT), (_INVOICE, INVOICE)):
            for m in pattern.finditer(text):
                if not _as_title(text, m.start(), m.end(), words):
                    continue
                if kind == CREDIT_NOTE and not _SELF_BILLED.search(text):
                    if not credit:
                        raw, line_no = m.group(0), info.line.index
                    credit = WEIGHTS.doctype_title
                elif kind == RECEIPT and not receipt:
                    receipt, raw, line_no = WEIGHTS.doctype_title, raw or m.group(0), info.line.index
                elif kind == INVOICE and not invoice and not _reference(text, m.start(), m.end()):
                    # "TAX INVOICE" heads receipts in Malaysia and invoices in Australia alike.
                    tax = m.group(0).lower().startswith("tax")
                    invoice = WEIGHTS.doctype_title * (WEIGHTS.doctype_tax_invoice if tax else 1.0)
                break
        till += _TILL.search(text) is not None
        timed = timed or (bool(info.dates) and _TIME.search(text) is not None)
        pay_later += _PAY_LATER.search(text) is not None
    cash = payment(ctx)
    paid = bool(cash.tendered or cash.change)
    receipt += WEIGHTS.doctype_paid if paid else (WEIGHTS.doctype_card if cash.cash else 0.0)
    receipt += WEIGHTS.doctype_till * min(2, till)
    receipt += WEIGHTS.doctype_time if timed else 0.0
    invoice += WEIGHTS.doctype_pay_later * min(2, pay_later) + (WEIGHTS.doctype_due_date if due else 0.0)
    if total is not None and float(total.value) < 0 and not receipt:
        credit += WEIGHTS.doctype_negative_total
    return Evidence(invoice, credit, receipt, raw, line_no)


def propose(ctx: Context) -> Iterator[tuple[Field, Candidate]]:
    """The type is decided from the whole document (and the chosen total) in `choose`."""
    return iter(())


def engine_value(field: Field, found: ExtractedField, ctx: Context) -> str | float | None:
    value = str(found.value).strip().lower().replace(" ", "-")
    return value if value in DOCUMENT_TYPES else None


def choose(
    ctx: Context, candidates: Mapping[Field, list[Candidate]], chosen: Mapping[Field, Candidate]
) -> dict[Field, Candidate]:
    e = evidence(ctx, chosen.get(Field.TOTAL), chosen.get(Field.DUE_DATE))
    scores = {INVOICE: e.invoice, CREDIT_NOTE: e.credit, RECEIPT: e.receipt}
    # Of equals the invoice wins (the commonest upload), then the credit note's title.
    kind = max((INVOICE, CREDIT_NOTE, RECEIPT), key=lambda k: scores[k])
    if e.credit >= WEIGHTS.doctype_title:
        # Titled as a credit note: a refund receipt, or a credit note that names the invoice it
        # credits (the invoice word there is a reference, however it is worded).
        kind = CREDIT_NOTE
    ranked = sorted(scores.values(), reverse=True)
    margin = ranked[0] - ranked[1]
    weight = min(1.0, WEIGHTS.doctype_base + WEIGHTS.doctype_margin * margin)
    engine = max(candidates.get(Field.DOCUMENT_TYPE, []), key=lambda c: c.weight, default=None)
    if engine is not None and engine.weight > weight:
        return {Field.DOCUMENT_TYPE: engine}
    return {Field.DOCUMENT_TYPE: Candidate(kind, weight, e.line if e.raw else 0, e.raw)}

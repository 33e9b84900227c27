"""Issue and due dates: after or under their labels, after "zahlbar bis" / "pay by", or unlabelled.

When no date of the document settles day-first against month-first, the issue/due pair is read the
way that gives a usual payment term.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Mapping
from dataclasses import replace
from datetime import date, timedelta

from ...types import ExtractedField, Field
from ..candidates import Candidate, best
from ..context import Context, LineInfo
from ..dates import DMY, MDY, DateMatch, is_ambiguous, parse_date
from ..labels import Kind, LabelHit
from ..line_items import is_item_header
from ..weights import WEIGHTS
from .doctype import credit_note_title
from .number import label_column

log = logging.getLogger(__name__)

FIELDS = (Field.INVOICE_DATE, Field.DUE_DATE)

_DUE_VERB = re.compile(
    # ("Der Rechnungsbetrag ist bis zum 04.03.2026 fällig": the date before the word.)
    r"zahlbar|überweisen|bezahlen|zahlen|zahlung|fällig|payable|pay|payment|remit|settle|payer|payez|paiement|"
    r"règlement|réglement|betalen|betaal|betaling|due|direct\s?debit|lastschrift|pr(?:é|e)l(?:è|e)vement|"
    r"ohne\s*abzug",
    re.IGNORECASE,
)
_DUE_UNTIL = re.compile(
    # Long words may follow another without a space (OCR: "Pleaseremituntil2019-07-01").
    r"(?:\b(?:bis(?:\s*zum|\s*spätestens)?|zum|am|per|on|by|voor|vóór)|before|until|no\s*later\s*than|avant(?:\s*le)?|"
    r"on\s*or\s*after|"
    r"au\s*plus\s*tard\s*le|uiterlijk(?:\s*op)?)\s*:?\s*$",
    re.IGNORECASE,
)
# "Handelsrechnung (380) Nr. 471102 vom 05.06.2025", "Invoice 123 dated 5 March 2024", "Facture … du …":
# a date introduced by "of/from" on the line that names the document is its issue date.
_TITLE_WORD = re.compile(r"rechnung|gutschrift|invoice|credit\s?note|facture|avoir|factuur", re.IGNORECASE)
CREDIT_WORD = re.compile(r"gutschrift|credit\s?note|avoir", re.IGNORECASE)
# "zu Rechnung RE-088 vom 01.02.2024", "for invoice 17 of …": a credit note naming the invoice it
# corrects; that invoice's date is not this document's.
_REFERRED = re.compile(
    r"\b(?:zu|zur|für|for|to|re|r[ée]f(?:[ée]rence)?\.?|bezug|betreffend|betrifft|gemäß|correcting|"
    r"against|regarding|sur|op|bij)\s*(?:(?:der|die|unserer|ihrer|our|your|the|la|votre|notre|de)\s+)*$",
    re.IGNORECASE,
)
_JOINED = re.compile(r"\s*(?:/|&|=|und|and|et|en|y|e)\s*", re.IGNORECASE)
_DATED = re.compile(r"(?:\b(?:vom|du|dated|of|from|van|le)|\bdate[d]?(?:\s*:)?)\s*$", re.IGNORECASE)
# "Période du 01/01/2026 au 31/01/2026", "Service period 01.03. – 31.03.2024", "from … to …": two dates
# joined like this are a period (of service, of a subscription), never the issue date.
_PERIOD_JOIN = re.compile(
    r"^\s*(?:au|bis|to|until|till|through|thru|tot|t/m|jusqu'?au|[-–—])\s*$", re.IGNORECASE
)
# "20260815" after "Date :" (an export that prints the ISO date without separators).
_COMPACT_ISO = re.compile(r"[\s:.#-]*((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?!\d)")
# A title alone on its line ("FACTURE", "TAX INVOICE") with a date alone on the next: the issue date.
DATE_UNDER_TITLE = 0.5
# An order confirmation that serves as the invoice ("Invoice for #1042 / Order date: March 5, 2024")
# prints no other date: the order date is then the document's date, below every other choice.
ORDER_DATE_ALONE = 0.15
_ORDER_DATE = re.compile(
    r"\border\w*\s*date|\bdate\s*of\s*order|bestelldatum|date\s*de\s*commande", re.IGNORECASE
)
_TITLE_ALONE = re.compile(
    r"^\s*(?:tax\s+|commercial\s+)?(?:invoice|rechnung|facture|factuur|credit\s?note|gutschrift|avoir)\s*$",
    re.IGNORECASE,
)
# Net terms without a due date: "30 Tage netto", "Net 30", "payable within 14 days", "à 30 jours".
TERMS_DUE = 0.4
_NET_DAYS = re.compile(
    r"\b(?:net(?:to)?\s*(?P<a>\d{1,3})(?:\s*(?:days|tage[n]?|jours|dagen))?(?![\d.,%])|"
    r"(?P<b>\d{1,3})\s*(?:days|tage[n]?|jours|dagen)\s*(?:net(?:to)?|nets?|rein\s*netto|ohne\s*abzug)\b|"
    r"(?:within|innerhalb(?:\s*von)?|binnen|sous|à|a)\s*(?P<c>\d{1,3})\s*(?:days|tage[n]?|jours|dagen)\b|"
    r"terms\s*:?\s*(?P<d>\d{1,3})\s*days\b|"
    # "Zahlungsziel: 30 Tage ab Rechnungsdatum", "30 days from the invoice date", "30 dagar netto"
    r"(?P<e>\d{1,3})\s*(?:days|tage[n]?|jours|dagen|dagar|dage|dager|päivää|dni|dní|días|giorni)\s*"
    r"(?:ab|from|after|nach|à\s*compter\s*de|van(?:af)?|från|fra|od|desde|dalla)\s*(?:dem|the|der|la|de|)\s*"
    r"(?:rechnungs|invoice|facture|factuur|faktura)\w*)",
    re.IGNORECASE,
)
# … but a discount sentence names days too ("2 % Skonto bei Zahlung innerhalb 10 Tagen").
_DISCOUNT = re.compile(r"skonto|discount|escompte|korting|%", re.IGNORECASE)
# Lower-case words after a label: it is part of a sentence ("is due within", "date of the invoice").
_SENTENCE_AFTER = re.compile(r"\s+[a-zäöüéèàç]+\s+\S")
_SENTENCE_BEFORE = re.compile(
    # "… until paid in full. CoC issued on" / "2024/05/06 …": a label in running text after a sentence
    r"(?:\b[a-zäöüéèàç]+\b\W+){2,}$|(?:\b\w+\W+){3,}\w*[a-zäöüéèàç]{2}[.!?]\s+(?:\S+\s+){0,3}$"
)
_NET = re.compile(r"net|ohne\s*abzug", re.IGNORECASE)
# "within 28 days" / "binnen 14 dagen" / "sous 15 jours" are terms only where the line (or the one
# before it) speaks of paying; on a receipt they are the days to bring an item back.
_PAYING = re.compile(
    r"pay|zahl|paie|r(?:è|e)gle|betal|pago|pagamento|terms|conditions|bedingung|(?:é|e)ch(?:é|e)ance|due|f(?:ä|a)llig",
    re.IGNORECASE,
)
# Usual payment terms in days: an issue/due pair 30 days apart is likelier than one 1 day apart.
TERMS = frozenset({0, 7, 8, 10, 14, 15, 20, 21, 28, 30, 31, 45, 60, 90})


def _candidate(info: LineInfo, d: DateMatch, weight: float) -> Candidate:
    return Candidate(d.iso, weight, info.line.index, info.line.text[d.start : d.end])


def period_dates(info: LineInfo) -> set[int]:
    """Start offsets of the dates of a line that open or close a period ("du X au Y", "X – Y")."""
    out: set[int] = set()
    for a, b in zip(info.dates, info.dates[1:], strict=False):
        if _PERIOD_JOIN.match(info.line.text[a.end : b.start]):
            out |= {a.start, b.start}
    return out


def _labelled(ctx: Context, i: int, hit: LabelHit) -> Candidate | None:
    """The date after a date label on its line, else in its column one or two lines below."""
    info = ctx.infos[i]
    line = info.line
    later = [h for h in info.labels if h.start >= hit.end and h.kind != hit.kind]
    # "Rechnungsdatum / Lieferdatum 14.11.2024": two labels joined share the date after both.
    if later and _JOINED.fullmatch(line.text[hit.end : later[0].start]):
        later = later[1:]
    nxt = later[0].start if later else len(line.text)
    after = [d for d in info.dates if hit.end <= d.start < nxt]
    if after:
        return _candidate(info, after[0], hit.weight)
    if m := _COMPACT_ISO.match(line.text, hit.end):
        try:
            value = date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            value = None
        if value is not None:
            return Candidate(value.isoformat(), hit.weight, line.index, m.group(0).strip(" :.#-"))
    # "Payment is due within 30 days …": a label inside a sentence heads no column below it.
    cell_start, cell_end = line.cell_bounds(hit.start)
    if _SENTENCE_AFTER.match(line.text[hit.end : cell_end]) or _SENTENCE_BEFORE.search(
        line.text[cell_start : hit.start]
    ):
        return None
    # The "Date" column of an item table ("Date  Atty  Description  Hours  Rate  Amount"): its rows'
    # dates are the work's, not the invoice's.
    if is_item_header(line.text):
        return None
    # A header row of labels over a row of values, spaces between them: the value under the label.
    if (span := label_column(ctx, i, hit)) is not None:
        below = ctx.infos[i + 1]
        under = [d for d in below.dates if span[0] <= d.start < span[1]]
        return _candidate(below, under[0], hit.weight * WEIGHTS.date_below_label) if under else None
    # A column header ("Fälligkeit") or a label ending its line: the date is just below.
    for step, factor in ((1, WEIGHTS.date_below_label), (2, WEIGHTS.date_two_below_label)):
        if i + step >= len(ctx.infos) or not ctx.infos[i + step].dates:
            continue
        below = ctx.infos[i + step]
        cell = below.line.cell(line.cell_index(hit.start))
        in_cell = [d for d in below.dates if cell is None or cell[0] <= d.start < cell[1]]
        return _candidate(below, (in_cell or below.dates)[0], hit.weight * factor)
    return None


_EARLY_PAYMENT = re.compile(
    r"skonto|discount|escompte|sconto|descuento|korting|rabat|kassarabatt|desconto", re.IGNORECASE
)
# "… bis zum 17.03.2025 mit 2 % Skonto", "bis 26.03.2026 abzüglich 2,00 % Skonto": the discount after
# the date.
_EARLY_AFTER = re.compile(
    r"\s*(?:mit|with|avec|con|abzüglich|abzgl\.?|less)?\s*\d{1,2}(?:[.,]\d{1,2})?\s*%\s*(?:skonto|discount|escompte|sconto)",
    re.IGNORECASE,
)
_WORK_DONE = re.compile(
    r"\s*(?:erbracht|geleistet|ausgef(?:ü|ue)hrt|geliefert|performed|delivered|rendered|completed|r(?:é|e)alis(?:é|e)|effectu(?:é|e))",
    re.IGNORECASE,
)
# A line that deducts an earlier document ("abzgl. 1. Abschlagsrechnung AR-2023-0211 vom 15.12.2023"):
# its date is that document's.
_DEDUCTION = re.compile(
    r"^\W*(?:abzgl\.?|abz(?:ü|ue)glich|less|minus|moins|d(?:é|e)duction|bereits|already|previous(?:ly)?|"
    r"earlier|meno|a\s+deducir)\b",
    re.IGNORECASE,
)


# A letter's place and date, alone on their line: "Wien, am 27. Jänner 2025", "Lyon, le 18 février
# 2025", "München, den 03.03.2025": the day the letter (the invoice) was written.
_PLACE_COMMA = re.compile(r"^\s*[A-ZÄÖÜÀ-Ý][^\W\d_][^\d,:]{0,30},\s*(?:(?:am|den|le|il|el|dne|d\.)\s+)?$")
PLACE_AND_DATE = 0.55


def _place_and_date(info: LineInfo) -> Candidate | None:
    """Alone on its line, or with another field's label after it ("Santiago, 17 de marzo de 2025
    Fecha vencimiento: 16/04/2025": two blocks that the text layer put on one line)."""
    d = info.dates[0]
    text = info.line.text
    rest = text[d.end :]
    if rest.strip(" ."):
        at = d.end + len(rest) - len(rest.lstrip(" ."))
        if not any(h.start == at for h in info.labels):
            return None
    if not _PLACE_COMMA.match(text[: d.start]):
        return None
    return _candidate(info, d, PLACE_AND_DATE)


# Payment terms that count from the invoice date: "à 30 jours date de facture, au plus tard le
# 02/04/2025", "30 days from invoice date": the date the label heads there is the due date.
_DAYS = r"(?:jours|days|tage?n?|giorni|d(?:í|i)as|dagen|dni|dn(?:í|i))"
_TERMS_BEFORE = re.compile(
    rf"\b{_DAYS}\s*(?:from|after|of|nach|ab|de|dalla|desde|na|od|fin\s+de\s+mois)?\s*(?:the\s+)?$",
    re.IGNORECASE,
)
_TERMS_SENTENCE = re.compile(rf"\b\d{{1,3}}\s*{_DAYS}\b", re.IGNORECASE)
# A printer's permit in the footer of a Philippine invoice: "Date Issued: 01/15/2024 Valid Until: …".
# ("2023ValidUntil": glued by OCR; "Date Issued: 01/10/2023 · Printer's Address: …" on a line of its own)
_PERMIT = re.compile(
    r"valid\s*until|\bauthority\s*to\s*print\b|\bATP\b|printer'?s\s*address|accred(?:itation|\.)?\s*no|"
    r"\bpos\s*(?:supplier|provider)\b|\bPTU\s*No\b",
    re.IGNORECASE,
)
PERMIT_REACH = 2  # lines of the permit's block above its "Date Issued"


def _of_an_invoice(text: str, at: int) -> bool:
    """A credit note's "Original invoice INV-1093 dated 04 Feb 2025": the date label comes after the
    name of an invoice, so it dates the credited invoice."""
    title = next(reversed(list(_TITLE_WORD.finditer(text, 0, at))), None)
    return title is not None and not CREDIT_WORD.match(title.group())


_NET_AFTER = re.compile(r"\s*(?:ohne\s*abzug|(?:rein\s*)?netto\b|net\b)", re.IGNORECASE)


def _early_payment_date(ctx: Context, found: Candidate) -> bool:
    """ "Zahlbar bis 26.03.2026 abzüglich 2,00 % Skonto": the date a label heads is the discount's."""
    text = ctx.infos[found.line].line.text
    at = text.find(found.raw) if found.raw else -1
    return at >= 0 and _EARLY_AFTER.match(text, at + len(found.raw)) is not None


def _due_by_phrase(ctx: Context, i: int) -> tuple[Candidate, int] | None:
    """'Zahlbar innerhalb 30 Tagen netto bis 04.04.2018', 'Please pay by March 1, 2024'; the line used."""
    info = ctx.infos[i]
    line = info.line
    if not _DUE_VERB.search(line.text):
        return None
    for d in info.dates:
        # "für die bis zum 15.03.2024 erbrachten Leistungen": the end of the work billed, not the due date;
        # "2 % Skonto (bis 29.04.2024)": the last day of an early-payment discount.
        net = _NET_AFTER.match(line.text, d.end) is not None  # "…, bis 11.04.2026 ohne Abzug": the net date
        early = _EARLY_PAYMENT.search(line.text[max(0, d.start - 30) : d.start]) is not None
        if not net and (early or _EARLY_AFTER.match(line.text, d.end)):
            continue
        if _DUE_UNTIL.search(line.text[: d.start]) and not _WORK_DONE.match(line.text, d.end):
            return _candidate(info, d, WEIGHTS.due_by_phrase), i
    # "… überweisen Sie bitte bis zum" / "21.11.2018 auf das Konto"
    nxt = ctx.infos[i + 1] if i + 1 < len(ctx.infos) else None
    if nxt and nxt.dates and nxt.dates[0].start == 0 and _DUE_UNTIL.search(line.text):
        return _candidate(nxt, nxt.dates[0], WEIGHTS.due_by_phrase), i + 1
    return None


def propose(ctx: Context) -> Iterator[tuple[Field, Candidate]]:
    excluded: set[int] = set()  # lines whose dates are not the issue date
    credit = credit_note_title(ctx)
    for i, info in enumerate(ctx.infos):
        for hit in info.labels:
            if hit.kind in (Kind.OTHER_DATE, Field.DUE_DATE):
                excluded.add(i)
            if hit.kind == Field.INVOICE_DATE and credit and _of_an_invoice(info.line.text, hit.start):
                continue
            if hit.kind == Field.INVOICE_DATE and (
                _TERMS_BEFORE.search(info.line.text[max(0, hit.start - 30) : hit.start])
                or any(_PERMIT.search(c.line.text) for c in ctx.infos[max(0, i - PERMIT_REACH) : i + 1])
            ):
                continue
            if hit.kind in (Field.INVOICE_DATE, Field.DUE_DATE) and (found := _labelled(ctx, i, hit)):
                if hit.kind == Field.DUE_DATE and _early_payment_date(ctx, found):
                    continue
                yield Field(hit.kind), found
        if _TITLE_ALONE.match(info.line.text) and i + 1 < len(ctx.infos):
            below = ctx.infos[i + 1]
            if (
                len(below.dates) == 1
                and not below.labels
                and below.line.text.strip()
                == below.line.text[below.dates[0].start : below.dates[0].end].strip()
            ):
                yield Field.INVOICE_DATE, _candidate(below, below.dates[0], DATE_UNDER_TITLE)
        # Not on a line with an amount: "abzgl. 1. Abschlagsrechnung AR-2023-0211 vom 15.12.2023
        # -12.000,00" deducts an earlier invoice, "… dated 15 Jan 2024. NZD 800.00 has been applied"
        # says what became of it.
        if (
            i not in excluded
            and not info.amounts
            and _TITLE_WORD.search(info.line.text)
            and not _DEDUCTION.match(info.line.text)
        ):
            periods = period_dates(info)
            for d in info.dates:
                if d.start in periods:
                    continue
                # The document word nearest before the date names what the date is of ("This credit
                # note relates to invoice INV-1178 dated …": the invoice, which the note refers to).
                title = next(reversed(list(_TITLE_WORD.finditer(info.line.text, 0, d.start))), None)
                if title is None or _REFERRED.search(info.line.text[: title.start()]):
                    continue
                if _TERMS_SENTENCE.search(info.line.text, 0, d.start):
                    continue  # "à 30 jours date de facture, au plus tard le 02/04/2025": the due date
                if credit and not CREDIT_WORD.match(title.group()):
                    continue  # a credit note's "… facture n° 2024-0412 du 14/05/2024": the credited invoice
                if _DATED.search(info.line.text[max(0, d.start - 24) : d.start]):
                    yield Field.INVOICE_DATE, _candidate(info, d, WEIGHTS.date_of_title)
                    break
        if due := _due_by_phrase(ctx, i):
            yield Field.DUE_DATE, due[0]
            excluded.add(due[1])
        # (A due-date label after the place and date leaves the date its own: it comes first.)
        if info.dates and (placed := _place_and_date(info)) is not None:
            yield Field.INVOICE_DATE, placed
    # No label at all (receipts): the first date that is not an order/delivery/due date or a period.
    for i, info in enumerate(ctx.infos):
        if i in excluded:
            continue
        periods = period_dates(info)
        free = [d for d in info.dates if d.start not in periods]
        if free:
            yield Field.INVOICE_DATE, _candidate(info, free[0], WEIGHTS.unlabelled_date)
            break
    else:
        ordered = (info for info in ctx.infos if info.dates and _ORDER_DATE.search(info.line.text))
        if (info := next(ordered, None)) is not None:
            yield Field.INVOICE_DATE, _candidate(info, info.dates[0], ORDER_DATE_ALONE)


def engine_value(field: Field, found: ExtractedField, ctx: Context) -> str | float | None:
    return parse_date(str(found.value), ctx.order)


def _term(issued: Candidate, due: Candidate, order: str) -> int | None:
    start, end = parse_date(issued.raw, order), parse_date(due.raw, order)
    if start is None or end is None:
        return None
    return (date.fromisoformat(end) - date.fromisoformat(start)).days


def settle_order_by_terms(ctx: Context, issued: Candidate, due: Candidate) -> tuple[Candidate, Candidate]:
    """No date settled DMY vs MDY: read the issue/due pair the way that gives a usual payment term."""
    if not (is_ambiguous(issued.raw) and is_ambiguous(due.raw)):
        return issued, due
    other = MDY if ctx.order == DMY else DMY
    current, alternative = _term(issued, due, ctx.order), _term(issued, due, other)
    if current in TERMS or alternative not in TERMS:
        return issued, due
    log.debug(
        "date order %s gives a %s-day term, %s gives %s days: using %s",
        ctx.order,
        current,
        other,
        alternative,
        other,
    )
    return (
        replace(issued, value=parse_date(issued.raw, other) or issued.value),
        replace(due, value=parse_date(due.raw, other) or due.value),
    )


def choose(
    ctx: Context, candidates: Mapping[Field, list[Candidate]], chosen: Mapping[Field, Candidate]
) -> dict[Field, Candidate]:
    out = {field: top for field in FIELDS if (top := best(candidates.get(field, []), ranker=str(field)))}
    issued, due = out.get(Field.INVOICE_DATE), out.get(Field.DUE_DATE)
    if not ctx.order_settled and issued is not None and due is not None:
        out[Field.INVOICE_DATE], out[Field.DUE_DATE] = settle_order_by_terms(ctx, issued, due)
    if issued is not None and due is None and (by_terms := due_from_terms(ctx, out[Field.INVOICE_DATE])):
        out[Field.DUE_DATE] = by_terms
    return out


def due_from_terms(ctx: Context, issued: Candidate) -> Candidate | None:
    """No due date printed: the issue date plus the net days of the terms ("30 Tage netto", "Net 30")."""
    for info in ctx.infos:
        text = info.line.text
        for m in _NET_DAYS.finditer(text):
            # The discount clause of "14 Tage 2 % Skonto, 30 Tage netto" is not the due date.
            if _DISCOUNT.search(text) and not _NET.search(m.group(0)):
                continue
            days = int(m["a"] or m["b"] or m["c"] or m["d"] or m["e"])
            if not 0 < days <= 180:
                continue
            before = ctx.infos[info.line.index - 1].line.text if info.line.index else ""
            if m["c"] and not _PAYING.search(text) and not _PAYING.search(before):
                continue  # "Exchange within 7 days with bill": no payment term
            due = date.fromisoformat(str(issued.value)) + timedelta(days=days)
            return Candidate(due.isoformat(), TERMS_DUE, info.line.index, m.group(0))
    return None

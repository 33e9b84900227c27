"""Template-free field extraction: labels, value patterns and the arithmetic of the totals.

For every field the text yields weighted candidates (a value after a strong label outweighs one
after a weak label, which outweighs an unlabelled guess); an engine's own fields (Textract
AnalyzeExpense) join as candidates weighted by their confidence. Amounts are then chosen together:
the (subtotal, tax, total) triple that agrees — subtotal + tax = total — beats labels alone.
Nothing here knows a vendor, a layout or a file.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from itertools import product

from ..types import Detection, ExtractedField
from .amounts import AmountMatch, find_amounts, parse_amount
from .currency import CODES
from .dates import DMY, MDY, DateMatch, find_dates, infer_order, is_ambiguous, parse_date
from .labels import Kind, LabelHit, find_labels
from .parties import clean_name, vendor_candidates
from .text import Compact, Line, normalize_text, split_lines

log = logging.getLogger(__name__)

AMOUNT_FIELDS = ("subtotal", "tax", "total")
# Cent tolerance of the arithmetic check (rounding of per-rate taxes).
TOLERANCE = 0.011
# Words that make a label a qualifier of the label before it: "Summe netto (exkl. USt.)".
_QUALIFIER = re.compile(
    r"(?:inkl|incl|exkl|excl|ohne|without|with|hors|avec|sans|including|excluding|exclusive|inclusive|vor|"
    r"before|after|nach|plus|de|du|der|des|la|le|of|in|%)\.?\s*\(?$",
    re.IGNORECASE,
)
_ID_TOKEN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9\-/._]*[A-Za-z0-9])?")
_ID_PREFIX = re.compile(r"[\s:#.\-]*(?:(?:nr|no|n°|nº|number|nummer|num)\.?\s*[:.#]?\s*)?", re.IGNORECASE)
_GLUED_WORD = re.compile(r"(?<=\d)(?:vom|von|du|dated|van|from|of|le|issued|date)(?![a-z])")
_DATE_LINK = re.compile(r"(?:vom|du|dated|van|of|from|le)\s*:?\s*$", re.IGNORECASE)
_DUE_VERB = re.compile(
    r"zahlbar|überweisen|bezahlen|zahlen|zahlung|payable|pay|payment|remit|settle|payer|payez|paiement|"
    r"règlement|réglement|betalen|betaal|betaling|due",
    re.IGNORECASE,
)
_DUE_UNTIL = re.compile(
    # Long words may follow another without a space (OCR: "Pleaseremituntil2019-07-01").
    r"(?:\b(?:bis(?:\s*zum|\s*spätestens)?|by|voor|vóór)|before|until|no\s*later\s*than|avant(?:\s*le)?|"
    r"au\s*plus\s*tard\s*le|uiterlijk(?:\s*op)?)\s*:?\s*$",
    re.IGNORECASE,
)
_LANGUAGE_WORDS = {
    "en": "invoice total date due tax amount the and of to payment bill from subtotal thank please",
    "de": "rechnung summe datum betrag und der die das mwst ust steuer zahlbar bis vom netto brutto",
    "fr": "facture montant total date échéance tva le la les des du paiement ttc ht",
    "nl": "factuur bedrag datum btw totaal het een van en betaling vervaldatum",
}


@dataclass
class Candidate:
    value: str | float
    weight: float
    line: int
    raw: str = ""
    consistent: bool = False


@dataclass
class LineInfo:
    line: Line
    labels: list[LabelHit]
    dates: list[DateMatch]
    amounts: list[AmountMatch]


@dataclass
class Context:
    infos: list[LineInfo]
    order: str
    language: str
    order_settled: bool = False
    candidates: dict[str, list[Candidate]] = field(default_factory=dict)

    def add(self, name: str, candidate: Candidate) -> None:
        self.candidates.setdefault(name, []).append(candidate)


def detect_language(text: str) -> str:
    words = Counter(re.findall(r"[a-zäöüßéèàçûô]+", text.lower()))
    scores = {lang: sum(words[w] for w in vocab.split()) for lang, vocab in _LANGUAGE_WORDS.items()}
    best = max(scores, key=lambda lang: scores[lang])
    return best if scores[best] else "en"


def _analyse(text: str) -> Context:
    normalized = normalize_text(text)
    lines = split_lines(normalized)
    language = detect_language(normalized)
    # Month-first is the US habit; an English document with euros or pounds is read day-first.
    dollar = "$" in normalized or re.search(r"\bUSD\b", normalized) is not None
    european = re.search(r"€|£|\bEUR\b|\bGBP\b|\bCHF\b", normalized) is not None
    default = MDY if language == "en" and (dollar or not european) else DMY
    voted = infer_order(normalized)
    order = voted or default
    infos = []
    for line in lines:
        dates = find_dates(line.text, order)
        masked = line.text
        for d in dates:
            masked = masked[: d.start] + " " * (d.end - d.start) + masked[d.end :]
        infos.append(LineInfo(line, find_labels(line.text, line.compact), dates, find_amounts(masked)))
    return Context(infos, order, language, order_settled=voted is not None)


# --- invoice number ----------------------------------------------------------------------------


def _id_after(text: str, pos: int, end: int) -> tuple[str, int] | None:
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
    if re.fullmatch(r"\d{1,3}(?:[.,]\d{3})*[.,]\d{2}", token):
        return None  # an amount
    return token, pos + m.start() + len(token)


def _number_candidates(ctx: Context) -> None:
    for i, info in enumerate(ctx.infos):
        line = info.line
        for hit in info.labels:
            if hit.kind not in ("invoiceNumber", Kind.TITLE):
                continue
            cell_start, cell_end = line.cell_bounds(hit.start)
            if hit.kind == Kind.TITLE and line.text[cell_start : hit.start].strip():
                continue  # a title starts its line or cell
            found = _id_after(line.text, hit.end, len(line.text))
            if found:
                ctx.add("invoiceNumber", Candidate(found[0], hit.weight, line.index, found[0]))
                _date_after_number(ctx, i, found[1])
                continue
            if (
                hit.kind == Kind.TITLE
                or line.text[hit.end : cell_end].strip(" :#.")
                or i + 1 >= len(ctx.infos)
            ):
                continue
            below = ctx.infos[i + 1].line
            bounds = below.cell(line.cell_index(hit.start)) or (0, len(below.text))
            found = _id_after(below.text, bounds[0], bounds[1])
            if found:
                ctx.add("invoiceNumber", Candidate(found[0], hit.weight * 0.85, below.index, found[0]))


def _date_after_number(ctx: Context, i: int, pos: int) -> None:
    """'Rechnung Nr. 471102 vom 05.03.2018': the date that follows the number is the issue date."""
    info = ctx.infos[i]
    later = [d for d in info.dates if d.start >= pos]
    if later:
        ctx.add(
            "invoiceDate",
            Candidate(later[0].iso, 0.85, info.line.index, info.line.text[later[0].start : later[0].end]),
        )
    elif _DATE_LINK.search(info.line.text) and i + 1 < len(ctx.infos) and ctx.infos[i + 1].dates:
        below = ctx.infos[i + 1]
        d = below.dates[0]
        ctx.add("invoiceDate", Candidate(d.iso, 0.85, below.line.index, below.line.text[d.start : d.end]))


# --- dates -------------------------------------------------------------------------------------


def _date_candidates(ctx: Context) -> None:
    excluded: set[int] = set()
    for i, info in enumerate(ctx.infos):
        line = info.line
        for hit in info.labels:
            if hit.kind in (Kind.OTHER_DATE, "dueDate"):
                excluded.add(i)
            if hit.kind not in ("invoiceDate", "dueDate"):
                continue
            nxt = next(
                (h.start for h in info.labels if h.start >= hit.end and h.kind != hit.kind), len(line.text)
            )
            after = [d for d in info.dates if hit.end <= d.start < nxt]
            if after:
                d = after[0]
                ctx.add(hit.kind, Candidate(d.iso, hit.weight, line.index, line.text[d.start : d.end]))
            else:
                # A column header ("Fälligkeit") or a label ending its line: the date is just below.
                for step, factor in ((1, 0.75), (2, 0.6)):
                    if i + step >= len(ctx.infos) or not ctx.infos[i + step].dates:
                        continue
                    below = ctx.infos[i + step]
                    cell = below.line.cell(line.cell_index(hit.start))
                    in_cell = [d for d in below.dates if cell is None or cell[0] <= d.start < cell[1]]
                    d = (in_cell or below.dates)[0]
                    text = below.line.text[d.start : d.end]
                    ctx.add(hit.kind, Candidate(d.iso, hit.weight * factor, below.line.index, text))
                    break
        # "Zahlbar innerhalb 30 Tagen netto bis 04.04.2018", "Please pay by March 1, 2024"
        if _DUE_VERB.search(line.text):
            for d in info.dates:
                if _DUE_UNTIL.search(line.text[: d.start]):
                    ctx.add("dueDate", Candidate(d.iso, 0.6, line.index, line.text[d.start : d.end]))
                    excluded.add(i)
                    break
            else:
                # "… überweisen Sie bitte bis zum" / "21.11.2018 auf das Konto"
                nxt = ctx.infos[i + 1] if i + 1 < len(ctx.infos) else None
                if nxt and nxt.dates and nxt.dates[0].start == 0 and _DUE_UNTIL.search(line.text):
                    d = nxt.dates[0]
                    ctx.add("dueDate", Candidate(d.iso, 0.6, nxt.line.index, nxt.line.text[d.start : d.end]))
                    excluded.add(i + 1)
    # No label at all (receipts): the first date that is not an order/delivery/due date.
    for i, info in enumerate(ctx.infos):
        if info.dates and i not in excluded:
            d = info.dates[0]
            ctx.add("invoiceDate", Candidate(d.iso, 0.3, info.line.index, info.line.text[d.start : d.end]))
            break


# Usual payment terms in days: an issue/due pair 30 days apart is likelier than one 1 day apart.
_TERMS = {0, 7, 8, 10, 14, 15, 20, 21, 28, 30, 31, 45, 60, 90}


def _settle_order_by_terms(ctx: Context, chosen: dict[str, Candidate]) -> None:
    """No date settled DMY vs MDY: read the issue/due pair the way that gives a usual payment term."""
    issued, due = chosen.get("invoiceDate"), chosen.get("dueDate")
    if issued is None or due is None or not (is_ambiguous(issued.raw) and is_ambiguous(due.raw)):
        return
    other = MDY if ctx.order == DMY else DMY

    def term(order: str) -> int | None:
        start, end = parse_date(issued.raw, order), parse_date(due.raw, order)
        if start is None or end is None:
            return None
        return (date.fromisoformat(end) - date.fromisoformat(start)).days

    current, alternative = term(ctx.order), term(other)
    if current not in _TERMS and alternative in _TERMS:
        log.debug(
            "date order %s gives a %s-day term, %s gives %s days: using %s",
            ctx.order,
            current,
            other,
            alternative,
            other,
        )
        issued.value = parse_date(issued.raw, other) or issued.value
        due.value = parse_date(due.raw, other) or due.value


# --- amounts -----------------------------------------------------------------------------------


def _primary_labels(info: LineInfo) -> list[LabelHit]:
    """Amount labels that head a value; "(exkl. USt.)" after "Rechnungssumme Netto" only qualifies it."""
    out = []
    for hit in info.labels:
        if hit.kind not in (*AMOUNT_FIELDS, Kind.IGNORE):
            continue
        cell_start, _ = info.line.cell_bounds(hit.start)
        before = info.line.text[cell_start : hit.start]
        if out and before.strip() and _QUALIFIER.search(before):
            continue
        out.append(hit)
    return out


def _amount_candidates(ctx: Context) -> list[Candidate]:
    """Labelled candidates per amount field; returns the pool of every amount in the document."""
    pool: list[Candidate] = []
    for i, info in enumerate(ctx.infos):
        line = info.line
        for a in info.amounts:
            pool.append(Candidate(a.value, 0.05, line.index, a.raw))
        primary = _primary_labels(info)
        for k, hit in enumerate(primary):
            end = primary[k + 1].start if k + 1 < len(primary) else len(line.text)
            region = [a for a in info.amounts if hit.end <= a.start < end]
            if hit.kind == Kind.IGNORE:
                continue
            if region:
                a = region[-1]
                weight = hit.weight * (0.3 if a.value == 0 and hit.kind == "total" else 1.0)
                ctx.add(hit.kind, Candidate(a.value, weight, line.index, a.raw))
                continue
            # A header cell ("Nettobetrag  MwSt-Betrag  Endbetrag") with the values on the next line.
            rest = line.text[hit.end : end]
            if re.search(r"[A-Za-z]{3,}", rest) and len(primary) == 1:
                continue
            if i + 1 < len(ctx.infos) and not _primary_labels(ctx.infos[i + 1]):
                for a in ctx.infos[i + 1].amounts:
                    ctx.add(
                        hit.kind, Candidate(a.value, hit.weight * 0.35, ctx.infos[i + 1].line.index, a.raw)
                    )
    return pool


def _choose_amounts(ctx: Context, pool: list[Candidate]) -> dict[str, Candidate]:
    """The best (subtotal, tax, total): label weights plus a bonus when subtotal + tax = total."""
    totals = ctx.candidates.get("total", [])
    subtotals = ctx.candidates.get("subtotal", [])
    taxes = ctx.candidates.get("tax", [])
    if not totals and not subtotals and not pool:
        return {}
    # Every amount may be the total, weakly: the largest one is the best guess without a label
    # (receipts), and subtotal + tax can prove an unlabelled one ("Due payable: 571.04 €").
    biggest = max(pool, key=lambda c: abs(float(c.value)), default=None)
    largest = max((abs(float(c.value)) for c in [*totals, *pool]), default=0.0)
    derived: list[Candidate] = []
    if not totals:
        # The total's label was read but not its value (OCR lost it): strong subtotal and tax
        # labels still give it. Never used when any total was found, which may include fees.
        pool_values = {round(float(c.value), 2) for c in pool}
        derived = [
            Candidate(round(float(s.value) + float(x.value), 2), 0.3, max(s.line, x.line))
            for s, x in product(subtotals, taxes)
            if min(s.weight, x.weight) >= 0.8 and round(float(s.value) + float(x.value), 2) not in pool_values
        ]
    totals = [
        *totals,
        *derived,
        *(Candidate(c.value, 0.15 if c is biggest else 0.02, c.line, c.raw) for c in pool),
    ]
    by_value: dict[float, list[Candidate]] = {}
    for c in [*taxes, *pool]:
        by_value.setdefault(round(float(c.value), 2), []).append(c)

    best: tuple[float, Candidate, Candidate | None, Candidate | None, bool] | None = None

    def consider(t: Candidate, s: Candidate | None, x: Candidate | None, consistent: bool) -> None:
        nonlocal best
        score = t.weight + (s.weight if s else 0.0) + (x.weight if x else 0.0)
        score += 0.05 if abs(float(t.value)) == largest and t not in derived else 0.0
        # The totals block is contiguous: of two equally labelled choices, the nearer one wins.
        lines = [c.line for c in (t, s, x) if c is not None and c.line >= 0]
        score -= 0.001 * min(100, max(lines) - min(lines)) if lines else 0.0
        if consistent:
            score += 1.0
        elif s is not None and x is not None:
            score -= 0.5  # three amounts that contradict each other
        if best is None or score > best[0]:
            best = (score, t, s, x, consistent)

    for t in totals:
        tv = float(t.value)
        consider(t, None, None, False)
        for s, x in product([None, *subtotals], [None, *taxes]):
            if s is None and x is None:
                continue
            ok = s is not None and x is not None and abs(float(s.value) + float(x.value) - tv) <= TOLERANCE
            consider(t, s, x, ok)
        for s in [*subtotals, *pool]:
            if s is t or float(s.value) == 0:
                continue
            rest = round(tv - float(s.value), 2)
            for x in by_value.get(rest, []):
                if x is s or x is t:
                    continue
                # Two unlabelled amounts that happen to add up prove little: one needs a label.
                if s in subtotals or x in taxes:
                    consider(t, s, x, True)
            if s in subtotals and abs(rest) < TOLERANCE:
                # Tax-free (reverse charge, exempt): subtotal = total and no tax amount printed.
                consider(t, s, Candidate(0.0, 0.3, s.line, ""), True)
    if best is None:
        return {}
    _, t, s, x, consistent = best
    chosen = {"total": t}
    if s is not None:
        chosen["subtotal"] = s
    if x is not None:
        chosen["tax"] = x
    for c in chosen.values():
        c.consistent = consistent
    return chosen


# --- currency ----------------------------------------------------------------------------------


def _currency(ctx: Context, total: Candidate | None) -> Candidate | None:
    for info in ctx.infos:
        for hit in info.labels:
            if hit.kind == Kind.CURRENCY:
                m = re.search(r"\b([A-Z]{3})\b", info.line.text[hit.end :])
                if m and m.group(1) in CODES:
                    return Candidate(m.group(1), 0.95, info.line.index, m.group(1))
    amounts = [a for info in ctx.infos for a in info.amounts if a.currency]
    if total is not None:
        for a in amounts:
            if a.value == total.value:
                return Candidate(a.currency or "", 0.85, total.line, a.raw)
    if amounts:
        code, _ = Counter(a.currency for a in amounts).most_common(1)[0]
        return Candidate(code or "", 0.7, 0, code or "")
    codes = Counter(
        m.group(0)
        for info in ctx.infos
        for m in re.finditer(r"\b[A-Z]{3}\b", info.line.text)
        if m.group(0) in CODES
    )
    if codes:
        code, _ = codes.most_common(1)[0]
        return Candidate(code, 0.5, 0, code)
    return None


# --- engine fields -----------------------------------------------------------------------------


def _engine_candidates(ctx: Context, detection: Detection) -> None:
    """Fields the engine extracted (raw strings) become candidates, parsed like text."""
    for name, found in detection.fields.items():
        raw = str(found.value)
        value: str | float | None
        if name in ("invoiceDate", "dueDate"):
            value = parse_date(raw, ctx.order)
        elif name in AMOUNT_FIELDS:
            value = found.value if isinstance(found.value, float) else parse_amount(raw)
        elif name == "currency":
            value = raw.upper() if raw.upper() in CODES else None
        elif name == "vendorName":
            value = clean_name(raw) or None
        else:
            value = raw.strip() or None
        if value is not None:
            ctx.add(name, Candidate(value, 1.2 * found.confidence, -1, raw))


# --- assembly ----------------------------------------------------------------------------------


class _Confidence:
    """OCR confidence of the text a value was read from (1.0 for a PDF text layer)."""

    def __init__(self, detection: Detection) -> None:
        self._segments = [(Compact(s.text).text, s.confidence) for s in detection.segments]
        mean = detection.mean_confidence
        self._default = 1.0 if mean is None else mean

    def of(self, raw: str) -> float:
        key = Compact(raw).text
        if not key:
            return self._default
        hits = [conf for text, conf in self._segments if key in text]
        return max(hits) if hits else self._default


def _confidence(c: Candidate, ocr: _Confidence) -> float:
    rule = 0.35 + 0.5 * min(1.0, c.weight) + (0.14 if c.consistent else 0.0)
    source = 1.0 if c.line < 0 else ocr.of(c.raw)
    return round(max(0.0, min(0.99, rule * source)), 4)


def _best(cands: list[Candidate]) -> Candidate | None:
    if not cands:
        return None
    # Agreement between sources adds up: the same value found twice is likelier.
    totals: dict[str | float, float] = {}
    for c in cands:
        totals[c.value] = totals.get(c.value, 0.0) + c.weight
    top = max(cands, key=lambda c: (c.weight + 0.1 * (totals[c.value] - c.weight), -c.line))
    return top


def extract_fields(detection: Detection) -> dict[str, ExtractedField]:
    """invoiceNumber, invoiceDate, dueDate, vendorName, currency, subtotal, tax, total — those found."""
    ctx = _analyse(detection.text)
    _number_candidates(ctx)
    _date_candidates(ctx)
    pool = _amount_candidates(ctx)
    for v in vendor_candidates([i.line for i in ctx.infos], [i.labels for i in ctx.infos]):
        ctx.add("vendorName", Candidate(v.value, v.weight, v.line, v.value))
    _engine_candidates(ctx, detection)

    ocr = _Confidence(detection)
    chosen: dict[str, Candidate] = {}
    for name in ("invoiceNumber", "invoiceDate", "dueDate", "vendorName"):
        if best := _best(ctx.candidates.get(name, [])):
            chosen[name] = best
    if not ctx.order_settled:
        _settle_order_by_terms(ctx, chosen)
    chosen.update(_choose_amounts(ctx, pool))
    engine_currency = _best(ctx.candidates.get("currency", []))
    text_currency = _currency(ctx, chosen.get("total"))
    currency = max(
        (c for c in (engine_currency, text_currency) if c is not None), key=lambda c: c.weight, default=None
    )
    if currency is not None:
        chosen["currency"] = currency

    fields: dict[str, ExtractedField] = {}
    for name, c in chosen.items():
        value: str | float = round(float(c.value), 2) if name in AMOUNT_FIELDS else str(c.value)
        fields[name] = ExtractedField(value, _confidence(c, ocr))
    log.debug("extracted %s (language %s, date order %s)", sorted(fields), ctx.language, ctx.order)
    return fields

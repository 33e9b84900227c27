"""Subtotal, tax and total, chosen together: the triple that adds up beats labels alone.

Candidates come from amount labels (on the line, or under a header cell); every amount of the
document is also a weak candidate (the pool), which lets subtotal + tax prove an unlabelled total.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from itertools import product

from ...types import ExtractedField, Field
from ..amounts import AmountMatch, parse_amount
from ..candidates import Candidate
from ..context import Context, LineInfo
from ..currency import CODES
from ..labels import Kind, LabelHit
from ..weights import WEIGHTS, AmountFeatures, score_amounts

FIELDS = (Field.TOTAL, Field.SUBTOTAL, Field.TAX)
# Cent tolerance of the arithmetic check (rounding of per-rate taxes).
TOLERANCE = 0.011
# Words that make a label a qualifier of the label before it: "Summe netto (exkl. USt.)".
_QUALIFIER = re.compile(
    r"(?:inkl|incl|exkl|excl|ohne|without|with|hors|avec|sans|including|excluding|exclusive|inclusive|vor|"
    r"before|after|nach|plus|de|du|der|des|la|le|of|in|%|\+)\.?\s*[(«<\[{]?$",  # "GRAND TOTAL (A + VAT + B)"
    re.IGNORECASE,
)
# A tax label followed by "incl"/"excl" qualifies the label before it: "TOTAL (GST INCL) 2.56".
_TAX_QUALIFIED = re.compile(
    r"^\W{0,2}(?:incl|inclusive|included|inc|excl|exclusive|excluded|exc)\b", re.IGNORECASE
)
# "… inklusive 19 % Versicherungsteuer 220,00", "amount incl. 20% VAT 120.00": a tax word after
# "including" names what a gross amount contains; the amount is not the tax.
_INCLUDING = re.compile(
    r"\b(?:inkl|incl|inklusive|inclusive|including|inc)\.?\s*(?:\d{1,2}(?:[.,]\d+)?\s*%\s*)?$", re.IGNORECASE
)
# An opening bracket OCR reads as «, < or { before the qualifier.
_OPEN_BRACKET = re.compile(r"[(«<\[{]\s*$")
_WORD = re.compile(r"[A-Za-z]{3,}")
# Labels whose amounts are never the total, subtotal or tax (and that end the region of the label before).
_NOT_TOTALS = (Kind.IGNORE, Kind.CHARGE, Kind.TENDERED, Kind.CHANGE, Kind.ROUNDING)
_NOT_IN_THE_POOL = (Kind.IGNORE, Kind.CHARGE, Kind.ROUNDING)
# The heading of a receipt's tax summary table ("GST SUMMARY", OCR "657 Summary"; not a "Tax code"
# column, which invoices' item tables have too),
# what ends it, and how many rows it may have.
# "GST Summary", and the Dutch till's "BTW OVER BTW" (each rate's VAT and what it is over).
_SUMMARY_HEADING = re.compile(
    r"(?:gst|sst|tax|vat|[6g][5s][t7])\W{0,2}summ?ary|^\W*btw\W{0,2}(?:%\W{0,2})?over\b", re.IGNORECASE
)
_SUMMARY_END = re.compile(r"thank|goods|please|returnable|refund|exchange|signature", re.IGNORECASE)
SUMMARY_ROWS = 8
# Bounds of the triple search (its work grows with totals × (subtotals × taxes + amounts)): only the
# best-labelled candidates of each field and the largest unlabelled amounts may be the total.
MAX_LABELLED = 24
MAX_UNLABELLED_TOTALS = 24
MAX_SAME_VALUE = 2
# No VAT/GST/sales tax rate reaches half the net amount (the highest standard rates are near 27%).
MAX_TAX_SHARE = 0.5
# Cash is rounded to this step in many countries (MY, CH, AU, NZ, …); an adjustment is at most one step.
CASH_STEP = 0.05
# A payment at a till: a card line ("VISA 65.55") or the cashier, besides tendered/change labels.
_TILL_PAYMENT = re.compile(
    r"^\W*(?:visa|master\s?card|amex|debit|credit\s?card|card|kreditkarte|girocard|ec-?karte|eftpos|"
    r"contactless|carte\s?bancaire|cb|tarjeta|bancomat|pin|upi|gcash)\b|\bcashier\b|^\W*paid\s?(?::\s?\w|(?:by|via|with)\b)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Triple:
    """A choice of total with an optional subtotal and tax."""

    total: Candidate
    subtotal: Candidate | None
    tax: Candidate | None
    consistent: bool  # subtotal + tax = total


# --- candidates --------------------------------------------------------------------------------


def _primary_labels(info: LineInfo) -> list[LabelHit]:
    """Amount labels that head a value; "(exkl. USt.)" after "Rechnungssumme Netto" only qualifies it."""
    out: list[LabelHit] = []
    for hit in info.labels:
        if hit.kind not in (*FIELDS, *_NOT_TOTALS):
            continue
        cell_start, _ = info.line.cell_bounds(hit.start)
        before = info.line.text[cell_start : hit.start]
        if out and before.strip() and _QUALIFIER.search(before):
            continue
        if hit.kind == Field.TAX and (incl := _INCLUDING.search(before)) and before[: incl.start()].strip():
            # "Beitrag inklusive 19 % Versicherungsteuer 220,00 €": the amount is the gross. Not a line
            # that starts with it: "inkl. MWST 8.1% (CHF 22.20) CHF 1.66" is the tax.
            continue
        if (
            out
            and hit.kind == Field.TAX
            and _OPEN_BRACKET.search(info.line.text[: hit.start])
            and _TAX_QUALIFIED.search(info.line.text[hit.end :])
        ):
            continue
        out.append(hit)
    return out


def _heads(hit: LabelHit, amount: AmountMatch) -> bool:
    """The amount follows the label, or shares its last word: a currency code that both read ("SUMA
    PLN 116,48": the label "suma pln", the amount "PLN 116,48")."""
    return hit.end <= amount.start or hit.start <= amount.start < hit.end < amount.end


def _labelled(ctx: Context, i: int) -> Iterator[tuple[Field, Candidate]]:
    info = ctx.infos[i]
    line = info.line
    primary = _primary_labels(info)
    for k, hit in enumerate(primary):
        end = primary[k + 1].start if k + 1 < len(primary) else len(line.text)
        region = [a for a in info.amounts if _heads(hit, a) and a.start < end]
        if hit.kind in _NOT_TOTALS:
            continue
        field = Field(hit.kind)
        if region:
            a = region[-1]
            weight = hit.weight * (WEIGHTS.zero_total if a.value == 0 and field == Field.TOTAL else 1.0)
            yield field, Candidate(a.value, weight, line.index, a.raw)
            continue
        # A header cell ("Nettobetrag  MwSt-Betrag  Endbetrag") with the values on the next line.
        if _WORD.search(line.text[hit.end : end]) and len(primary) == 1:
            continue
        # Its value on the next line, or the one after when the label's second word is set between
        # ("TOTAL" / "FACTURA" / "710,33").
        for below in ctx.infos[i + 1 : i + 3]:
            if _primary_labels(below):
                break
            for a in below.amounts:
                yield (
                    field,
                    Candidate(a.value, hit.weight * WEIGHTS.amount_below_header, below.line.index, a.raw),
                )
            if below.amounts or len(below.line.text.split()) > 2:
                break


def summary_lines(ctx: Context) -> frozenset[int]:
    """Lines of a receipt's tax summary table ("GST Summary / Code Amount Tax / SR 6% 11.50 0.69 /
    Total 11.50 0.69"): its amounts and its "Total" row restate the sale per tax rate, they are not
    what was paid. The table runs from its heading to the closing text or the end of the page."""
    out: set[int] = set()
    start: int | None = None
    for info in ctx.infos:
        text = info.line.text
        if start is None and _SUMMARY_HEADING.search(text):
            start = info.line.index
        elif start is not None and (_SUMMARY_END.search(text) or info.line.index - start > SUMMARY_ROWS):
            break
        elif start is not None:
            out.add(info.line.index)
    return frozenset(out)


# A receipt's "Net Amount" / "Net Total" below its subtotal is what is left to pay once discounts and
# rounding are off ("Sub Total 1,232.30 / Round Off -0.30 / NET AMOUNT ₹ 1,232.00"), not the amount
# before tax: it is a total candidate too (the arithmetic and the payment choose).
_NET_PAYABLE = re.compile(r"^\W*nett?\s?(?:amount|amt|total|payable)\b", re.IGNORECASE)
NET_PAYABLE = 0.9


def _total_below(ctx: Context, line: int) -> bool:
    """A total with its amount on a line below (`Net Amount 398.43 / Round Off -0.43 / AMOUNT PAYABLE
    398.00`; not the values a "Total GST" header cell may head)."""
    return any(
        field == Field.TOTAL and c.line == j
        for j in range(line + 1, len(ctx.infos))
        for field, c in _labelled(ctx, j)
    )


# What was paid before this invoice ("Less: Deposit received 30% -HK$38,917.50", "Anzahlung vom
# 11.07.", "Acompte versé"): the balance due under it is the invoice's total less it.
_PREPAID = re.compile(
    r"deposit|prepa(?:id|yment)|advance|already\s?paid|amount\s?paid|anzahlung|bereits\s?bezahlt|acompte|"
    r"anticipo|acconto|aanbetaling|sinal",
    re.IGNORECASE,
)
_BALANCE = re.compile(
    r"^\W*(?:balance|amount|total)\s?(?:due|payable|outstanding)|^\W*(?:rest|zahl)betrag|^\W*reste\s?(?:à|a)\s?payer|"
    r"^\W*(?:saldo|solde)\b",
    re.IGNORECASE,
)
PREPAID_REACH = 4  # lines above a balance that may hold what was paid before


def gross_before_prepaid(ctx: Context, balance: Candidate) -> Candidate | None:
    """A balance due under a deposit already paid: the invoice's gross total is the two together (the
    e-invoice's GrandTotal against its DuePayable). None when no deduction stands right above."""
    if not _BALANCE.match(ctx.infos[balance.line].line.text):
        return None
    for j in range(balance.line - 1, max(-1, balance.line - 1 - PREPAID_REACH), -1):
        info = ctx.infos[j]
        if any(h.kind in (Field.TOTAL, Field.SUBTOTAL) for h in info.labels):
            return None  # a total or the net above: nothing deducted in between
        hits = [
            h
            for h in info.labels
            if h.kind == Kind.IGNORE and _PREPAID.search(info.line.text[h.start : h.end])
        ]
        after = [a for h in hits for a in info.amounts if a.start >= h.end and a.value != 0]
        if after:
            gross = round(float(balance.value) + abs(after[-1].value), 2)
            return Candidate(gross, balance.weight, balance.line, "")
    return None


def propose(ctx: Context) -> Iterator[tuple[Field, Candidate]]:
    in_summary = summary_lines(ctx)
    taxes: list[Candidate] = []
    nets: list[Candidate] = []
    till: bool | None = None
    for i in range(len(ctx.infos)):
        for field, c in _labelled(ctx, i):
            if c.line in in_summary and field == Field.TOTAL:
                c = replace(c, weight=c.weight * WEIGHTS.amount_below_header)
            if (
                field == Field.SUBTOTAL
                and nets
                and c.line > nets[0].line
                and _NET_PAYABLE.match(ctx.infos[c.line].line.text)
                and not _total_below(ctx, c.line)
                # Paid at a till, or after the taxes added to the subtotal ("Sub Total 8,150.00 /
                # VAT 18% 1,613.70 / NET TOTAL (Rs.) 10,578.70", charged to a hotel room).
                and (
                    (till := payment(ctx).cash if till is None else till)
                    or any(nets[0].line < t.line < c.line for t in taxes)
                )
            ):
                yield Field.TOTAL, replace(c, weight=c.weight * NET_PAYABLE)
            if field == Field.TOTAL and (gross := gross_before_prepaid(ctx, c)) is not None:
                yield Field.TOTAL, gross
            if c.line not in in_summary:
                {Field.TAX: taxes, Field.SUBTOTAL: nets}.get(field, []).append(c)
            yield field, c
        if i not in in_summary:  # a tax summary's rows restate the sale per rate (`summary_lines`)
            yield from column_totals(ctx, i)
            yield from net_and_tax_row(ctx, i)
        yield from tax_table(ctx, i)
    yield from summed_parts(Field.TAX, taxes)
    # A net is a part only on a line that names its rate (not "Subtotal" and "Net total" repeated).
    yield from summed_parts(Field.SUBTOTAL, [c for c in nets if "%" in ctx.infos[c.line].line.text])


# The totals row of an item table ("TOTAL:  ₹45.76  ₹300.00" under "… Tax Amount  Total Amount",
# "Totals  £900.00  £180.00  £1,080.00" under "Net  VAT  Gross"): each amount is its column's total,
# and the columns are right-aligned, so the row's last amounts sit under the header's last cells.
COLUMN_TOTAL = 0.9
TAX_SUMMARY_TOTAL = 0.6
COLUMN_NET_LEFT = 0.72  # the net as total − tax, when the row prints no net of its own
COLUMN_HEADER_REACH = 30  # lines above the totals row that may hold the table's header
# "OVER" (Dutch "BTW over": the amount the tax is on), "Base", "Imponibile", "Taxable".
_NET_COLUMN = re.compile(
    r"^(?:net|nett|netto|ht|net\s?amount|amount\s?\(?net\)?|over|base|basis|grondslag|imponibile|imponible|"
    r"base\s?imp(?:\.|onible)|"
    r"taxable(?:\s?(?:value|amount))?|excl\.?|incid(?:ê|é|e)ncia|z(?:á|a)klad|veroton|osnovica|matrah)$",
    re.IGNORECASE,
)
_GROSS_COLUMN = re.compile(
    r"^(?:gross|brutto|ttc|gross\s?amount|amount\s?\(?gross\)?|incl\.?|celkem|verollinen)$", re.IGNORECASE
)
# Cells that name a tax column without a tax label of their own: Spanish "Cuota" (beside "Base Imp."),
# Polish "PTU".
# ("Cuota R.E.": Spain's recargo de equivalencia, a tax beside the VAT.)
_TAX_COLUMN = re.compile(r"^(?:cuota(?:\s?(?:iva|r\.?\s?e\.?))?|tax\s?amt\.?|ptu|vero)$", re.IGNORECASE)
# A header word over the rate or the rate's code ("A 19%"), no amount: "%", "Satz", "Taxa", "Sazba".
_RATE_WORD = re.compile(
    r"^(?:%|rate|satz|taux|taxa|tasa|sazba|stawka|sats|aliquota|code|kod)$", re.IGNORECASE
)
# "Tax Rate", "Tax Type", "VAT %", "MwSt-Satz", "Code TVA": a column about the tax, not its amount.
# ("CGST 6%" with its rate is the tax at that rate.)
_NOT_AN_AMOUNT_COLUMN = re.compile(
    r"rate|type|code|(?<!\d)\s?%|satz|taux|class|\b(?:stawka|sazba|aliquota|tasa|tipo|taxa|sats)\b",
    re.IGNORECASE,
)


_CURRENCY_AFTER = re.compile(r"\s*\(([€$£¥E]|[A-Z]{3})\)$")


def _currency_word(word: str) -> bool:
    """ "€", "(€)", "(EUR)", and OCR's "(E)" for "(€)"; not "IVA" or "VAT"."""
    bare = word.strip("()")
    return bare in ("€", "$", "£", "¥") or bare in CODES or word == "(E)"


def _without_currency(cell: str) -> str:
    m = _CURRENCY_AFTER.search(cell)
    return cell[: m.start()] if m and _currency_word(f"({m[1]})") else cell


def _column_kind(info: LineInfo, start: int, end: int) -> Field | None:
    # "CUOTA (€)", "Netto (EUR)" (OCR reads the € as an E): the column's currency after its name.
    cell = _without_currency(info.line.text[start:end].strip(" :"))
    if _NOT_AN_AMOUNT_COLUMN.search(cell):
        return None
    if _NET_COLUMN.match(cell):
        return Field.SUBTOTAL
    if _GROSS_COLUMN.match(cell):
        return Field.TOTAL
    if _TAX_COLUMN.match(cell):
        return Field.TAX
    kinds = {h.kind for h in info.labels if start <= h.start < end}
    fields = [k for k in (Field.SUBTOTAL, Field.TAX, Field.TOTAL) if k in kinds]
    return fields[0] if len(fields) == 1 else None


@dataclass(frozen=True)
class Header:
    """An amount table's header: each column's kind and name. `by_order`: some columns were told
    apart only by the words of one cell ("Netto Steuer", or a line OCR read without its gaps), so a
    row's amounts stand under the last columns in order rather than cell by cell."""

    kinds: list[Field | None]
    names: list[str]
    by_order: bool


def _header_columns(info: LineInfo) -> Header | None:
    """The columns of an item or tax table's header, when it names two amount columns or more. A cell
    of several column words ("USt Netto Steuer Brutto") is as many columns."""
    text = info.line.text
    if info.amounts:
        return None
    kinds: list[Field | None] = []
    names: list[str] = []
    by_order = "\t" not in text
    start = 0
    for part in text.split("\t"):
        a, b = start, start + len(part)
        start = b + 1
        whole = _column_kind(info, a, b)
        words = [(a + m.start(), a + m.end()) for m in re.finditer(r"\S+", part)]
        # ("IVA BASE IMPONIBLE (€) CUOTA (€)": the currency of a column says nothing of its kind.)
        words = [(x, y) for x, y in words if not _currency_word(text[x:y])]
        split = [_column_kind(info, x, y) for x, y in words]
        known = all(
            k is not None or _RATE_WORD.match(text[x:y]) for k, (x, y) in zip(split, words, strict=True)
        )
        # Columns of two kinds or more ("Netto Steuer"); a rate word beside one is one column ("Stawka
        # VAT"), and so are two words of one kind ("Wartość netto").
        if len(words) > 1 and known and len({k for k in split if k is not None}) >= 2:
            kinds += split
            names += [text[x:y] for x, y in words]
            by_order = True
        elif by_order and "\t" not in text:
            return None  # a line without gaps must be column words only
        else:
            kinds.append(whole)
            names.append(part)
    return Header(kinds, names, by_order) if sum(k is not None for k in kinds) >= 2 else None


# A cell of a totals row that stands for "no value" under a column: "X", "-", "—", "*".
_FILLER_CELL = re.compile(r"^\s*[xX*\-–—/]?\s*$")


def _cell_has_amount(info: LineInfo, cell: int, amounts: Sequence[AmountMatch]) -> bool:
    return any(info.line.cell_index(a.start) == cell for a in amounts)


def _header_above(ctx: Context, i: int) -> tuple[Header, int] | None:
    for h in range(i - 1, max(-1, i - 1 - COLUMN_HEADER_REACH), -1):
        if (header := _header_columns(ctx.infos[h])) is not None:
            return header, h
    return None


# Between the amounts of a totals row read without its gaps: spaces, currency signs, fillers.
_BETWEEN_AMOUNTS = re.compile(r"^[\s€$£¥₹*xX\-–—/:]*$")


def _only_amounts(text: str, amounts: Sequence[AmountMatch], offset: int) -> bool:
    rest, at = [], offset
    for a in amounts:
        rest.append(text[at - offset : a.start - offset])
        at = a.end
    rest.append(text[at - offset :])
    return all(_BETWEEN_AMOUNTS.match(r) for r in rest)


def column_totals(ctx: Context, i: int) -> Iterator[tuple[Field, Candidate]]:
    info = ctx.infos[i]
    hits = [h for h in _primary_labels(info) if h.kind == Field.TOTAL]
    if not hits:
        return
    # Each cell after the label holds one amount.
    label = hits[0]
    cells = info.line.text.split("\t")
    label_cell = info.line.cell_index(label.start)
    after = [a for a in info.amounts if a.start >= label.end]
    if len(after) < 2 or (above := _header_above(ctx, i)) is None:
        return
    header, h = above
    columns = header.kinds
    if header.by_order:
        # "Gesamt 69,04 12,98 82,02" under "Netto MwSt Brutto": the last columns, in order.
        if len(columns) < len(after) or not _only_amounts(info.line.text[label.end :], after, label.end):
            return
        aligned = columns[-len(after) :]
    else:
        if len({info.line.cell_index(a.start) for a in after}) != len(after):
            return
        width = len(cells) - label_cell - 1  # the row's cells after its label
        fillers = [
            c
            for k, c in enumerate(cells[label_cell + 1 :])
            if not _cell_has_amount(info, label_cell + 1 + k, after)
        ]
        if width != len(after) and not all(_FILLER_CELL.match(c) for c in fillers):
            return  # other text among the amounts: not a plain totals row
        if len(columns) < width:
            return
        # Each amount under its own cell's column ("Razem:  4 180,00  X  788,90  4 968,90": the "X"
        # stands under the rate column).
        under = columns[-width:]
        aligned = [under[info.line.cell_index(a.start) - label_cell - 1] for a in after]
    kinds = [k for k in aligned if k is not None]
    if len(kinds) < 2 or len(set(kinds)) != len(kinds) or Field.TOTAL not in kinds:
        return  # two columns of one kind, or no total column: the row says nothing sure
    if aligned.count(None) > 1:
        return
    found = {k: a for k, a in zip(aligned, after, strict=True) if k is not None}
    total = found[Field.TOTAL].value
    sub, tax = found.get(Field.SUBTOTAL), found.get(Field.TAX)
    if sub is not None and tax is not None and abs(sub.value + tax.value - total) > TOLERANCE:
        return  # the columns are not the ones the header says
    if any(abs(a.value) > abs(total) + TOLERANCE for a in found.values()):
        return
    if tax is not None and abs(tax.value) >= abs(total) / 2:
        return  # a tax above the net amount (a rate over 100 %): a column OCR lost shifted the rest
    # The totals row of a tax summary (rate rows under "Taux HT TVA TTC") sums what was taxed: a tip or
    # a service charge outside the tax comes on top, so its gross is a weaker total than a labelled one.
    rated = h + 1 < i and _ROW_RATE.search(ctx.infos[h + 1].line.text) is not None
    for field, a in found.items():
        weight = (
            TAX_SUMMARY_TOTAL if field == Field.TOTAL and rated and Field.TAX in columns else COLUMN_TOTAL
        )
        yield field, Candidate(a.value, weight, i, a.raw)
    if sub is None and tax is not None:
        # The net column has no total of its own in the row: what the others leave.
        yield Field.SUBTOTAL, Candidate(round(total - tax.value, 2), COLUMN_NET_LEFT, i, "")


# "Total  5.675,60  1.078,36" under an item table whose header OCR or the text layer broke apart, and
# "Total de plată 6.753,96" below: a totals row of net and tax is proven by their sum printed after it.
NET_AND_TAX_ROW = 0.8
NET_AND_TAX_REACH = 6  # lines below the row that may print the sum


def net_and_tax_row(ctx: Context, i: int) -> Iterator[tuple[Field, Candidate]]:
    info = ctx.infos[i]
    hits = [h for h in _primary_labels(info) if h.kind == Field.TOTAL]
    if len(hits) != 1:
        return
    after = [a for a in info.amounts if a.start >= hits[0].end]
    if len(after) == 3:
        # The gross on the row too ("Celkem  70 365,00  10 148,40  80 513,40" at the foot of a VAT
        # summary whose header lost its columns): proven by net + tax = gross. Not a rate's row that
        # OCR ran into the header ("Sazba Základ DPH Celkem 12 % 89,02 10,68 99,70").
        net, tax, gross_printed = after
        if "%" in info.line.text[hits[0].end : net.start]:
            return
        if (
            0 < tax.value <= MAX_TAX_SHARE * net.value
            and abs(net.value + tax.value - gross_printed.value) <= TOLERANCE
        ):
            yield Field.SUBTOTAL, Candidate(net.value, NET_AND_TAX_ROW, i, net.raw)
            yield Field.TAX, Candidate(tax.value, NET_AND_TAX_ROW, i, tax.raw)
            yield Field.TOTAL, Candidate(gross_printed.value, NET_AND_TAX_ROW, i, gross_printed.raw)
        return
    if len(after) != 2:
        return
    net, tax = after
    if not 0 < tax.value <= MAX_TAX_SHARE * net.value:
        return
    gross = round(net.value + tax.value, 2)
    for below in ctx.infos[i + 1 : i + 1 + NET_AND_TAX_REACH]:
        for a in below.amounts:
            if abs(a.value - gross) <= TOLERANCE:
                yield Field.SUBTOTAL, Candidate(net.value, NET_AND_TAX_ROW, i, net.raw)
                yield Field.TAX, Candidate(tax.value, NET_AND_TAX_ROW, i, tax.raw)
                yield Field.TOTAL, Candidate(a.value, NET_AND_TAX_ROW, below.line.index, a.raw)
                return


# A tax (or a net) printed in parts on consecutive lines ("CGST 9% 900.00" / "SGST 9% 900.00",
# "VAT 7%" / "VAT 19%"): their sum is a tax candidate too, a little below its parts, so it only
# wins where subtotal + sum = total says so.
SUMMED_TAX = 0.9
SUMMED_TAX_GAP = 2  # lines between two parts
SUMMED_TAX_PARTS = 4
PRINTED_SUM = 1.1  # factor on a part that is the sum of the parts above it


def summed_parts(field: Field, parts: Sequence[Candidate]) -> Iterator[tuple[Field, Candidate]]:
    """Taxes (or nets per rate: "Netto 7 % 100,00" / "Netto 19 % 200,00") printed in parts on nearby
    lines, summed."""
    ordered = sorted((c for c in parts if float(c.value) > 0), key=lambda c: c.line)
    runs: list[list[Candidate]] = []
    for c in ordered:
        if runs and c.line == runs[-1][-1].line:
            continue  # one part per line
        if runs and c.line - runs[-1][-1].line <= SUMMED_TAX_GAP:
            runs[-1].append(c)
        else:
            runs.append([c])
    for run in runs:
        # The parts and their printed sum under them ("8% tax ¥80 / 10% tax ¥72 / Consumption tax incl.
        # ¥152"): the sum is the one to take, and the run's own sum counts it twice.
        for k in range(2, len(run)):
            if abs(sum(float(p.value) for p in run[:k]) - float(run[k].value)) < TOLERANCE:
                yield field, replace(run[k], weight=run[k].weight * PRINTED_SUM)
                run = run[:k]
                break
        if 2 <= len(run) <= SUMMED_TAX_PARTS:
            value = round(sum(float(p.value) for p in run), 2)
            yield field, Candidate(value, min(p.weight for p in run) * SUMMED_TAX, run[-1].line, "")


# A receipt's tax table, one row per rate under a header naming its columns ("MwSt  Netto  Steuer
# Brutto" / "A 7%  20,00  1,40  21,40"; "TAUX  HT  TVA  TTC"; "BTW  OVER  BTW"): the sums of its net
# and tax columns are the net and the tax. Rows are right-aligned to the header's cells, and a row
# with a gross column must add up.
TAX_TABLE = 0.85
TAX_TABLE_ROWS = 6
_PLAIN_AMOUNT = re.compile(r"^(?:amount|amt|value|betrag|montant|importe|importo|bedrag)$", re.IGNORECASE)
_ROW_RATE = re.compile(r"(\d{1,2}(?:[.,]\d{1,2})?)\s?%")
MAX_RATE = 30.0  # percent: no sales tax or VAT rate is higher
RATE_TOLERANCE = 0.015  # a tax rounded to the cent, from items rounded each


def tax_table(ctx: Context, i: int) -> Iterator[tuple[Field, Candidate]]:
    header = _header_columns(ctx.infos[i])
    if header is None or Field.TAX not in header.kinds:
        return
    columns = header.kinds
    # A plain "Amount" column is the gross, or the net when the row's rate says so (below).
    plain = [
        k is None and _PLAIN_AMOUNT.match(c.strip()) is not None
        for k, c in zip(columns, header.names, strict=True)
    ]
    columns = [Field.TOTAL if p else k for k, p in zip(columns, plain, strict=True)]
    # A rate column ("Base imponible  %IVA  Cuota" over "36,27  10,00  3,63"): its rate, printed
    # without "%", reads as an amount; it is none of the row's sums.
    rate_at = [
        k is None and (_RATE_WORD.match(c.strip()) is not None or "%" in c)
        for k, c in zip(columns, header.names, strict=True)
    ]
    net_sum = tax_sum = 0.0
    rows = 0
    for info in ctx.infos[i + 1 : i + 1 + TAX_TABLE_ROWS]:
        amounts = info.amounts
        row_columns, row_plain = columns, plain
        if len(amounts) == len(columns) and any(rate_at):
            if not all(0 < a.value <= MAX_RATE for a, r in zip(amounts, rate_at, strict=True) if r):
                break  # a number under the rate's header that is no rate
            kept = [not r for r in rate_at]
            amounts = [a for a, keep in zip(amounts, kept, strict=True) if keep]
            row_columns = [c for c, keep in zip(columns, kept, strict=True) if keep]
            row_plain = [c for c, keep in zip(plain, kept, strict=True) if keep]
        cells = {info.line.cell_index(a.start) for a in amounts}
        # Fewer amounts than columns (one is the rate's), or as many when the rate stands before them
        # and OCR lost its header cell ("ew Basis  BTW Totaal" over "A 6%  25,31  1,52  26,83").
        rated = _ROW_RATE.search(info.line.text[: amounts[0].start]) is not None if amounts else False
        if not 2 <= len(amounts) <= len(row_columns) - (0 if rated or row_columns is not columns else 1):
            break
        if len(cells) != len(amounts) and not header.by_order:
            break
        if any(h.kind != Field.TAX for h in _primary_labels(info)):
            break  # a totals row ("Summe", "Total"), or the payment
        aligned = row_columns[-len(amounts) :]
        if Field.TAX not in aligned or aligned.count(Field.SUBTOTAL) > 1 or aligned.count(Field.TOTAL) > 1:
            break  # no tax among these amounts, or two net (gross) columns
        # Taxes in parts ("CGST 6%  SGST 6%") add up.
        tax = round(sum(a.value for k, a in zip(aligned, amounts, strict=True) if k == Field.TAX), 2)
        found = {
            k: a.value for k, a in zip(aligned, amounts, strict=True) if k in (Field.SUBTOTAL, Field.TOTAL)
        }
        net = found.get(Field.SUBTOTAL)
        gross = found.get(Field.TOTAL)
        if any(row_plain[-len(amounts) :]):
            # "Amount  Tax" / "SR 6%  40.57  2.43": the row's rate says whether the amount is what the
            # tax is on (the net) or what it is in (the gross); a rate that says neither, nothing.
            rate = _ROW_RATE.search(info.line.text[: amounts[0].start])
            share = float(rate.group(1).replace(",", ".")) / 100 if rate else -1.0
            if gross is not None and abs(gross * share - tax) <= RATE_TOLERANCE:
                net, gross = gross, None
            elif gross is None or abs(gross * share / (1 + share) - tax) > RATE_TOLERANCE:
                break
        if net is not None and gross is not None and abs(net + tax - gross) > TOLERANCE:
            break
        net = net if net is not None else (None if gross is None else round(gross - tax, 2))
        if net is None or not 0 <= tax <= net * MAX_TAX_SHARE:
            break
        if rows > 1 and abs(net - net_sum) <= TOLERANCE and abs(tax - tax_sum) <= TOLERANCE:
            break  # the table's totals row, its label lost: the sums again, not another rate
        net_sum, tax_sum, rows = net_sum + net, tax_sum + tax, rows + 1
    if rows:
        last = i + rows
        yield Field.SUBTOTAL, Candidate(round(net_sum, 2), TAX_TABLE, last, "")
        yield Field.TAX, Candidate(round(tax_sum, 2), TAX_TABLE, last, "")


@dataclass(frozen=True)
class Payment:
    """What a receipt says about the payment: cash handed over, change given, cash rounding, and
    the charges (tip, service, shipping) that the total adds to subtotal and tax."""

    tendered: list[Candidate]
    change: list[Candidate]
    rounding: list[Candidate]  # adjustments (|value| <= one cash step) and rounded totals
    taken: frozenset[tuple[int, str]]  # (line, raw) of amounts that are tendered or change
    cash: bool = False  # paid at a till: tendered, change, a card line or the cashier is printed
    charges: tuple[Candidate, ...] = ()

    @property
    def charged(self) -> float:
        return round(sum(float(c.value) for c in self.charges if float(c.value) > 0), 2)

    @property
    def rounds(self) -> bool:
        return bool(self.rounding)

    def implied_totals(self) -> set[float]:
        """tendered − change: the total a cash payment proves."""
        return {
            round(float(t.value) - float(c.value), 2)
            for t in self.tendered
            for c in self.change
            if float(t.value) > float(c.value) >= 0
        }


def payment(ctx: Context) -> Payment:
    tendered: list[Candidate] = []
    change: list[Candidate] = []
    rounding: list[Candidate] = []
    charges: list[Candidate] = []
    found = {Kind.TENDERED: tendered, Kind.CHANGE: change, Kind.ROUNDING: rounding, Kind.CHARGE: charges}
    cash = False
    for info in ctx.infos:
        hits = [h for h in info.labels if h.kind in (*FIELDS, *_NOT_TOTALS)]
        cash = cash or any(h.kind in (Kind.TENDERED, Kind.CHANGE) for h in hits)
        cash = cash or _TILL_PAYMENT.search(info.line.text) is not None
        for k, hit in enumerate(hits):
            if hit.kind not in found:
                continue
            end = hits[k + 1].start if k + 1 < len(hits) else len(info.line.text)
            region = [a for a in info.amounts if _heads(hit, a) and a.start < end]
            source = info
            below = ctx.infos[info.line.index + 1] if info.line.index + 1 < len(ctx.infos) else None
            # A label stacked over its value ("Öresavrundning" / "0,12"), as in boxed layouts.
            if (
                not region
                and len(hits) == 1
                and below is not None
                and not below.labels
                and not _WORD.search(info.line.text[hit.end :])
                and len(below.amounts) == 1
            ):
                source, region = below, below.amounts
            if not region:
                continue
            a = region[-1]
            if hit.kind == Kind.TENDERED and a.value < 0:
                continue  # "Payment Received -$398.12": credited to an account, not cash handed over
            c = Candidate(a.value, 1.0, source.line.index, a.raw)
            found[hit.kind].append(c)
    taken = frozenset((c.line, c.raw) for c in (*tendered, *change))
    return Payment(tendered, change, rounding, taken, cash, tuple(charges))


def pool(ctx: Context, paid: Payment | None = None) -> list[Candidate]:
    """Every amount of the document, as a weak candidate for any amount field; not cash handed over
    or change given, nor an amount a label says is none of them (a tax class's row, a count, a
    discount: "Total 6% supplies (Inc. GST): 32.05" adds up with its tax and is still not the total)."""
    taken = paid.taken if paid is not None else frozenset()
    return [
        Candidate(a.value, WEIGHTS.any_amount, info.line.index, a.raw)
        for info in ctx.infos
        for a in info.amounts
        if (info.line.index, a.raw) not in taken and not _ignored(info, a.start)
    ]


def _ignored(info: LineInfo, start: int) -> bool:
    """True when the amount at `start` follows an IGNORE or CHARGE label, no amount label between."""
    if not any(hit.kind in _NOT_IN_THE_POOL for hit in info.labels):
        return False  # most lines: no need to sort out which labels head which value
    before = [hit for hit in _primary_labels(info) if hit.end <= start]
    return bool(before) and before[-1].kind in _NOT_IN_THE_POOL


def _beyond_tendered(total: Candidate, paid: Payment) -> bool:
    """A fact of cash payments: when change was given, the total is below the cash handed over. A
    "total" above it is an OCR misreading ("Total Sales 400.90 / CASH 101.00 / Change 0.10")."""
    if not paid.implied_totals():
        return False
    most = max(float(t.value) for t in paid.tendered)
    return float(total.value) > most + TOLERANCE


def is_cash_step(value: float) -> bool:
    """A whole number of cash steps (5 cents)."""
    steps = abs(value) / CASH_STEP
    return abs(steps - round(steps)) < 1e-6


def rounded_total(total: Candidate, paid: Payment, totals: Sequence[Candidate]) -> Candidate | None:
    """The cash total of a receipt that rounds: "Total 30.91 / Rounding adj -0.01 / Total rounded 30.90".

    A fact, not a preference: when a till payment (tendered, change, card, cashier) prints a rounding
    line, the amount that is the chosen total rounded to the cash step (printed as a total or on the
    rounding line) is what was paid. An invoice's rounding (EN 16931 BT-114) sits between its total and the
    amount due, so without a cash payment the total stays as printed. So does a total whose rounded
    amount is printed nowhere ("TOTAL (GST INCL) 38.37 / ROUNDING ADJUSTMENTS 0.02- / CASH 40.35"): the
    slip's total is the one it prints (SROIE's labels, 3 of 150 receipts, say so)."""
    if not paid.rounds or not paid.cash or is_cash_step(float(total.value)):
        return None
    tv = float(total.value)
    # Rounded to whole units (India's "Round Off 0.31" to the rupee) when the printed adjustment says so.
    printed = {round(abs(float(c.value)), 2) for c in paid.rounding}
    for c in [*totals, *paid.rounding]:
        v = float(c.value)
        to_step = abs(v - tv) <= CASH_STEP + 1e-6 and is_cash_step(v)
        to_unit = v.is_integer() and abs(v - tv) < 1 and round(abs(v - tv), 2) in printed
        if c.line >= total.line and v != tv and (to_step or to_unit):
            return replace(c, weight=max(c.weight, total.weight))
    return None


def engine_value(field: Field, found: ExtractedField, ctx: Context) -> str | float | None:
    return found.value if isinstance(found.value, float) else parse_amount(str(found.value))


# --- the triple --------------------------------------------------------------------------------


def derived_totals(
    subtotals: Sequence[Candidate], taxes: Sequence[Candidate], amounts: Sequence[Candidate]
) -> list[Candidate]:
    """The total's label was read but not its value (OCR lost it): strong subtotal and tax labels
    still give it. Only used when no total was found, which may include fees."""
    printed = {round(float(c.value), 2) for c in amounts}
    return [
        Candidate(round(float(s.value) + float(x.value), 2), WEIGHTS.derived_total, max(s.line, x.line))
        for s, x in product(subtotals, taxes)
        if min(s.weight, x.weight) >= WEIGHTS.derived_total_min_label
        and round(float(s.value) + float(x.value), 2) not in printed
        # A tax is a fraction of what it is levied on: "SubTotal 635.00 / incl. GST (635.00" is no 1270.
        and abs(float(x.value)) <= MAX_TAX_SHARE * abs(float(s.value))
    ]


def unlabelled_totals(amounts: Sequence[Candidate], limit: int | None = None) -> list[Candidate]:
    """Every amount may be the total, weakly: the largest one is the best guess without a label
    (receipts), and subtotal + tax can prove an unlabelled one ("Due payable: 571.04 €").

    With `limit`, only the largest `limit` amounts (a total is not smaller than what it sums), in page
    order."""
    # An unlabelled negative amount is a discount, an adjustment or a refunded line, not what was paid
    # ("ADJUSTMENTS 0.02-"); a credit note labels its negative total.
    amounts = [c for c in amounts if float(c.value) > 0]
    biggest = max(amounts, key=lambda c: abs(float(c.value)), default=None)
    if limit is not None and len(amounts) > limit:
        order = sorted(range(len(amounts)), key=lambda k: -abs(float(amounts[k].value)))
        keep = set(order[:limit])
        amounts = [c for k, c in enumerate(amounts) if k in keep]
    return [
        Candidate(
            c.value, WEIGHTS.biggest_as_total if c is biggest else WEIGHTS.any_amount_as_total, c.line, c.raw
        )
        for c in amounts
    ]


def best_labelled(candidates: Sequence[Candidate], limit: int = MAX_LABELLED) -> list[Candidate]:
    """The `limit` best-labelled candidates in page order: a page of thousands of "Total" lines
    (a report, a statement) must not make the triple search quadratic or worse."""
    if len(candidates) <= limit:
        return list(candidates)
    order = sorted(range(len(candidates)), key=lambda k: -candidates[k].weight)
    keep = set(order[:limit])
    return [c for k, c in enumerate(candidates) if k in keep]


# A printed rounding this large or less may close the gap of subtotal + tax to the total (India's
# "Round Off 0.48" to the rupee; cash rounding is a few cents).
MAX_ROUND_OFF = 0.99


def _adds_up(
    s: Candidate | None,
    x: Candidate | None,
    total: float,
    charged: float = 0.0,
    deltas: Sequence[float] = (),
) -> bool:
    """subtotal + tax = total, or with the printed charges (a tip, a service charge) added, or with a
    printed rounding ("Add : Round Off 0.48") or discount (`deltas`: what the total adds to subtotal +
    tax). A tax above half the subtotal adds up by chance (CGST 10,873.26 + SGST 10,873.26 = their
    total), not as a tax does."""
    if s is None or x is None or abs(float(x.value)) > MAX_TAX_SHARE * abs(float(s.value)):
        return False
    gap = float(s.value) + float(x.value) - total
    if abs(gap) <= TOLERANCE or (charged > 0 and abs(gap + charged) <= TOLERANCE):
        return True
    # An adjustment as large as the subtotal is another amount read as one (OCR ran two lines together).
    # The charges and a rounding may both stand between ("Service Charge @ 5% 102.25 / CGST / SGST /
    # Round Off 0.39").
    closing = (0.0, charged) if charged > 0 else (0.0,)
    return any(
        abs(gap + c + d) <= TOLERANCE and abs(d) < abs(float(s.value)) for d in deltas for c in closing
    )


def _opposite(x: Candidate, total: float) -> bool:
    """A tax of the other sign than the total (an unlabelled discount that happens to close the sum);
    not one in brackets, which may only set it apart ("enthaltene Versicherungsteuer (35,13 €)")."""
    return float(x.value) * total < 0 and not x.raw.lstrip().startswith("(")


def _same_print(a: Candidate | None, b: Candidate) -> bool:
    """The same amount on the page (a labelled candidate and its pool twin), not an equal one."""
    return a is not None and bool(a.raw) and a.line == b.line and a.raw == b.raw and a.value == b.value


def triples(
    totals: Sequence[Candidate],
    subtotals: Sequence[Candidate],
    taxes: Sequence[Candidate],
    amounts: Sequence[Candidate],
    charged: float = 0.0,
    deltas: Sequence[float] = (),
) -> Iterator[Triple]:
    """Every choice worth scoring, in a fixed order (of equal scores the first wins).

    `charged`: the charges printed beside subtotal and tax (tips, service), which the total may add;
    `deltas`: what printed roundings and discounts may add to subtotal + tax (`adjustments`)."""
    # Two unlabelled amounts that happen to add up prove little: one of subtotal and tax needs a label,
    # so an unlabelled subtotal is only paired with labelled taxes (and the lookups stay linear).
    any_tax: dict[float, list[Candidate]] = {}
    labelled_tax: dict[float, list[Candidate]] = {}
    for c in taxes:
        labelled_tax.setdefault(round(float(c.value), 2), []).append(c)
    for c in taxes:
        any_tax.setdefault(round(float(c.value), 2), []).append(c)
    # Of unlabelled amounts of one value, the last few printed (a receipt's tax sits near its total).
    unlabelled: dict[float, list[Candidate]] = {}
    for c in amounts:
        unlabelled.setdefault(round(float(c.value), 2), []).append(c)
    for value, same in unlabelled.items():
        any_tax.setdefault(value, []).extend(same[-MAX_SAME_VALUE:])
    labelled_sub = {id(c) for c in subtotals}
    # An unlabelled subtotal is among the largest amounts of the page.
    sub_pool = (
        unlabelled_totals(amounts, MAX_UNLABELLED_TOTALS) if len(amounts) > MAX_UNLABELLED_TOTALS else amounts
    )
    sub_ids = {(c.line, c.raw, c.value) for c in sub_pool}
    amounts = [c for c in amounts if (c.line, c.raw, c.value) in sub_ids]
    # A printed, labelled non-zero tax rules out the implied zero tax of a tax-free invoice.
    taxed = any(float(x.value) != 0 for x in taxes)
    for t in totals:
        tv = float(t.value)
        yield Triple(t, None, None, False)
        for s, x in product([None, *subtotals], [None, *taxes]):
            # A tax is a part of the total: one as large as the total is a misread column, one of the
            # other sign a discount or a credit line ("LAUNCH10 (10% off) −$128.11").
            if x is not None and float(x.value) != 0 and (abs(float(x.value)) >= abs(tv) or _opposite(x, tv)):
                continue
            if (s is not None or x is not None) and not _same_print(s, t) and not _same_print(x, t):
                yield Triple(t, s, x, _adds_up(s, x, tv, charged, deltas))
        for s in [*subtotals, *amounts]:
            if s is t or float(s.value) == 0:
                continue
            is_sub = id(s) in labelled_sub
            # One printed amount is one field: "SUB-TOTAL 12,19" is not also the total of a tax-free sale.
            if is_sub and _same_print(s, t):
                continue
            rest = round(tv - float(s.value), 2)
            # The tax that closes the gap, or closes it with a printed rounding or discount.
            rests = dict.fromkeys(
                [rest, *(round(rest - d, 2) for d in deltas if abs(d) < abs(float(s.value)))]
            )
            for x in (x for r in rests for x in (any_tax if is_sub else labelled_tax).get(r, [])):
                # One print is one field: "MTA TAX $0.50" is not both the tax and the subtotal; and a
                # tax above half the subtotal is a coincidence (CGST + SGST of one value).
                if (
                    x is not s
                    and x is not t
                    and not _same_print(x, s)
                    and abs(float(x.value)) <= MAX_TAX_SHARE * abs(float(s.value))
                    and not _opposite(x, tv)
                ):
                    yield Triple(t, s, x, True)
            if (
                is_sub
                and not taxed
                and (abs(rest) < TOLERANCE or (charged and abs(rest - charged) < TOLERANCE))
            ):
                # Tax-free (reverse charge, exempt): subtotal (+ the charges) = total, no tax printed.
                yield Triple(t, s, Candidate(0.0, WEIGHTS.tax_free, s.line, ""), True)


def features(
    triple: Triple, largest: float, derived: Sequence[Candidate], implied: frozenset[float] = frozenset()
) -> AmountFeatures:
    t, s, x = triple.total, triple.subtotal, triple.tax
    lines = [c.line for c in (t, s, x) if c is not None and c.line >= 0]
    return AmountFeatures(
        total=t.weight,
        subtotal=s.weight if s is not None else None,
        tax=x.weight if x is not None else None,
        largest=abs(float(t.value)) == largest and t not in derived,
        spread=max(lines) - min(lines) if lines else None,
        consistent=triple.consistent,
        tendered=t not in derived and round(float(t.value), 2) in implied,
    )


@dataclass(frozen=True)
class Options:
    """Every (total, subtotal, tax) choice of a document with its features, and what picks among them."""

    triples: list[Triple]
    features: list[AmountFeatures]
    paid: Payment
    totals: list[Candidate]


# A discount after the subtotal ("Discount (5%) -$379.50", "Rabatt 3 % 12,00"): the total is
# subtotal − discount + tax.
_DISCOUNT = re.compile(
    r"discount|rabatt|nachlass|remise|descuento|sconto|korting|desconto|rebate|savings?|%\s?off|"
    r"allahindlus|atlaide|nuolaida",
    re.IGNORECASE,
)


def adjustments(ctx: Context, paid: Payment) -> list[float]:
    """What may stand between subtotal + tax and the total: a printed rounding (either way: its sign is
    not always printed, "Round Off 0.48") and a discount (taken off)."""
    out: list[float] = []
    for c in paid.rounding:
        if 0 < abs(float(c.value)) <= MAX_ROUND_OFF:
            out += [float(c.value), -float(c.value)]
    for info in ctx.infos:
        # The discount's own line ("Sub Total Discount RM RM 15.00" gives a subtotal, not a discount).
        if len(info.labels) != 1:
            continue
        for hit in info.labels:
            if hit.kind != Kind.IGNORE or not _DISCOUNT.search(info.line.text[hit.start : hit.end]):
                continue
            after = [a for a in info.amounts if a.start >= hit.end]
            if after and after[-1].value != 0:
                out.append(-abs(after[-1].value))
    return out


def options(ctx: Context, candidates: Mapping[Field, list[Candidate]]) -> Options | None:
    totals = best_labelled(candidates.get(Field.TOTAL, []))
    subtotals = best_labelled(candidates.get(Field.SUBTOTAL, []))
    taxes = best_labelled(candidates.get(Field.TAX, []))
    paid = payment(ctx)
    amounts = pool(ctx, paid)
    totals = [c for c in totals if not _beyond_tendered(c, paid)]
    if not totals and not subtotals and not amounts:
        return None
    largest = max((abs(float(c.value)) for c in [*totals, *amounts]), default=0.0)
    # A total derived from subtotal + tax is bound by the cash handed over as much as a printed one.
    derived = (
        []
        if totals
        else [c for c in derived_totals(subtotals, taxes, amounts) if not _beyond_tendered(c, paid)]
    )
    implied = frozenset(paid.implied_totals())
    printed = {round(float(c.value), 2) for c in [*totals, *amounts]}
    # Cash handed over minus change proves a total the OCR lost ("Total RM 141.5" unread).
    derived += [
        Candidate(v, WEIGHTS.tendered_minus_change, max(c.line for c in paid.change), "")
        for v in sorted(implied)
        if v not in printed and v > 0
    ]
    derived = best_labelled(derived)
    in_summary = summary_lines(ctx)
    # Nor is the amount of a line labelled only as a tax a total by itself ("PTU A 20,28 / PTU B 0,59
    # / SUMA PTU 20,87": the parts add up to the sum of the taxes, which is no total; but "Total After
    # Adj Incl GST 46,55" is one).
    tax_prints = {
        (c.line, c.raw)
        for c in candidates.get(Field.TAX, [])
        if c.raw and not any(h.kind == Field.TOTAL for h in ctx.infos[c.line].labels)
    }
    unlabelled = unlabelled_totals(
        [c for c in amounts if c.line not in in_summary and (c.line, c.raw) not in tax_prints],
        MAX_UNLABELLED_TOTALS,
    )
    found = list(
        triples(
            [*totals, *derived, *unlabelled], subtotals, taxes, amounts, paid.charged, adjustments(ctx, paid)
        )
    )
    return Options(found, [features(t, largest, derived, implied) for t in found], paid, totals)


def pick(opts: Options, scorer: Callable[[AmountFeatures], float] = score_amounts) -> dict[Field, Candidate]:
    """The best-scoring triple (the first of equals), its total rounded to cash where the page rounds."""
    if not opts.triples:
        return {}
    k = max(range(len(opts.triples)), key=lambda i: scorer(opts.features[i]))
    best = opts.triples[k]
    total = best.total
    if (cash := rounded_total(total, opts.paid, opts.totals)) is not None:
        total = cash
    subtotal = best.subtotal
    if (
        subtotal is not None
        and not subtotal.raw
        and best.tax is not None
        and float(best.tax.value) > 0
        and abs(float(subtotal.value) - float(total.value)) <= TOLERANCE
    ):
        # A VAT table's first column summed to the total: that column is the gross per rate, not a
        # net, which would be less than the total by the tax.
        subtotal = None
    out = {Field.TOTAL: total, Field.SUBTOTAL: subtotal, Field.TAX: best.tax}
    return {field: replace(c, consistent=best.consistent) for field, c in out.items() if c is not None}


def choose(
    ctx: Context, candidates: Mapping[Field, list[Candidate]], chosen: Mapping[Field, Candidate]
) -> dict[Field, Candidate]:
    """The best (subtotal, tax, total): label weights plus a bonus when subtotal + tax = total."""
    opts = options(ctx, candidates)
    if opts is None:
        return {}
    picked = pick(opts)
    if Field.TOTAL in picked and (tipped := tipped_total(ctx, picked[Field.TOTAL], opts.paid)) is not None:
        picked[Field.TOTAL] = tipped
    total = picked.get(Field.TOTAL)
    if total is not None and Field.SUBTOTAL not in picked and Field.TAX not in picked and _exempt(ctx):
        # "Umsatzsteuerfrei (Kleinunternehmer)", "reverse charge": no tax, so the total is the net.
        picked[Field.SUBTOTAL] = replace(total, weight=WEIGHTS.tax_free)
        picked[Field.TAX] = Candidate(0.0, WEIGHTS.tax_free, total.line, "")
    return picked


# A statement that no tax is charged: small business, reverse charge, exemption.
_EXEMPT = re.compile(
    r"kleinunternehmer|umsatzsteuerfrei|steuerschuldnerschaft\s*des\s*leistungsempf|reverse[\s-]?charge|"
    r"autoliquidation|tva\s*non\s*applicable|art(?:icle)?\.?\s*293\s*b|vat\s*(?:exempt|not\s*applicable)|"
    r"exempt\s*from\s*(?:vat|tax)|btw\s*verlegd|inversione\s*contabile|inversi[oó]n\s*del\s*sujeto\s*pasivo|"
    r"omvänd\s*skattskyldighet|omvendt\s*betalingspligt|без\s*(?:ндс|пдв|ддс|ддв)\b",
    re.IGNORECASE,
)


def _exempt(ctx: Context) -> bool:
    return any(_EXEMPT.search(info.line.text) for info in ctx.infos)


def tipped_total(ctx: Context, total: Candidate, paid: Payment) -> Candidate | None:
    """A card slip's total before the tip, the tip written under it, and what was paid printed below
    ("TOTAL 50.33 / TIP 8.00 / TOTAL PAID 58.33"): the amount paid is the total."""
    after = [c for c in paid.charges if c.line > total.line and float(c.value) > 0]
    if not after:
        return None
    target = round(float(total.value) + sum(float(c.value) for c in after), 2)
    below = max(c.line for c in after)
    for info in ctx.infos[below + 1 :]:
        for a in info.amounts:
            if abs(a.value - target) < TOLERANCE:
                return replace(total, value=a.value, line=info.line.index, raw=a.raw)
    return None

"""Line items from the table structure of a text layer or of OCR boxes, checked against the subtotal.

1. Rows: segments that carry boxes (PDF text runs, OCR lines) are grouped into rows by vertical
   overlap and ordered left to right, so cells the text layer put on separate lines meet again;
   without boxes the text lines are the rows.
2. The table starts at a header row — at least two column words of different kinds, one of them a
   price or an amount column ("Description Qty Unit price Amount", "Menge Einzelpreis Betrag",
   "Désignation Qté Montant HT") — and ends at the totals (a total / subtotal / tax label) or at
   the next header that is not a repetition (the VAT breakdown).
3. A row is a line item when its last number is an amount (two decimals); quantity and unit price
   are the pair of earlier numbers whose product is that amount, a percentage is the tax rate,
   the text before the numbers is the description (or, when the row has none, the text lines
   just above it that are not references such as "Art-Nr: …" or a GTIN).

`check_against(items, subtotal, total)` flags line items whose sum is neither the subtotal nor the
total: a row misread, a discount outside the table, or a table not read completely.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..types import Detection, Field, Flag, LineItem
from .dates import find_dates
from .labels import find_labels
from .layout import rows_from_boxes
from .text import fold, normalize_text

MAX_ITEMS = 500
_HEADER_WORDS: dict[str, tuple[str, ...]] = {
    "description": (
        "description", "beschreibung", "bezeichnung", "artikel", "article", "designation", "libelle",
        "leistung", "produkt", "product", "item", "items", "omschrijving", "artikelbezeichnung",
        "particulars", "service", "services", "details",
    ),
    "quantity": (
        "qty", "quantity", "menge", "anzahl", "qte", "quantite", "stk", "units", "hours", "aantal",
    ),
    "price": (
        "price", "unitprice", "preis", "einzelpreis", "nettopreis", "prix", "pu", "rate", "stuckpreis",
        "prijs", "tarif", "u.price", "unit",
    ),
    "amount": (
        "amount", "betrag", "gesamt", "total", "montant", "nettobetrag", "gesamtpreis", "summe", "bedrag",
        "gesamtbetrag", "ext", "totalht", "positionsbetrag",
    ),
    "tax": ("mwst", "ust", "vat", "tax", "tva", "steuersatz", "btw", "%", "taux", "gst", "sst"),
}  # fmt: skip
_WORD_KIND = {w: kind for kind, words in _HEADER_WORDS.items() for w in words}
_TOKEN = re.compile(r"\S+")
_NUMBER = re.compile(r"^[(]?[-+]?(\d{1,3}(?:[.,']\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?)(-)?[)]?$")
_CURRENCY_TOKEN = re.compile(
    r"^(?:€|\$|£|¥|₹|rs\.?|rm|eur|usd|gbp|chf|myr|inr|sgd|aud|cad|kr|zł|kč)$", re.IGNORECASE
)
# "₹254.24", "US$12.00", "12,50€", "99,00zł": the sign glued to the number.
_GLUED_CURRENCY = re.compile(
    r"^(?:€|\$|£|¥|₹|rs\.?|rm|eur|[a-z]{0,2}\$)?(.+?)(?:€|\$|£|eur|zł|kč|kr)?$", re.IGNORECASE
)
_REFERENCE_LINE = re.compile(r"^[\w .\-/]{1,30}:\s*\S|^\d{8,14}\b|^\(?gtin|^•", re.IGNORECASE)
_BREAKDOWN = re.compile(
    r"aufschlusselung|breakdown|recapitulatif|detail\s*tva|taux\s*tva|vat\s*summary", re.IGNORECASE
)


@dataclass(frozen=True)
class Row:
    text: str  # cells joined by tabs
    page: int


def rows_of(detection: Detection) -> list[Row]:
    """The detection's rows: boxes grouped by vertical overlap, or its text lines without boxes."""
    segments = [s for s in detection.segments if s.text.strip()]
    if segments and all(s.box is not None for s in segments):
        return [Row(text, page) for text, page in rows_from_boxes(segments)]
    return [Row(line.strip(), 1) for line in normalize_text(detection.text).split("\n") if line.strip()]


def _header_kinds(text: str) -> set[str]:
    # "P.U." / "Qté." / "Ust.": abbreviations lose their dots.
    words = (w.replace(".", "") or w for w in re.findall(r"[a-z%.]+", fold(text)))
    return {_WORD_KIND[w] for w in words if w in _WORD_KIND}


def is_item_header(text: str) -> bool:
    kinds = _header_kinds(text)
    if re.search(r"\d[.,]\d{2}\b", text):
        return False  # a header carries no amounts
    # An item table names what was sold or how many, and what it cost: "TOTAL HT  TOTAL TVA  TOTAL
    # TTC" (the totals) and "Taux TVA  Base  Montant" (the VAT breakdown) are no item tables.
    return (
        len(kinds) >= 2
        and bool(kinds & {"price", "amount"})
        and bool(kinds & {"description", "quantity"})
        and len(text) <= 200
    )


def _price_before_quantity(header: str) -> bool:
    kinds = [_WORD_KIND.get(w.strip(".") or w) for w in re.findall(r"[a-z%.]+", fold(header))]
    order = [k for k in kinds if k in ("price", "quantity")]
    return bool(order) and order[0] == "price"


def _number(token: str) -> float | None:
    m = _NUMBER.match(token)
    if not m:
        return None
    s = m.group(1).replace("'", "")
    seps = [c for c in s if c in ".,"]
    if not seps:
        value = float(s)
    else:
        last = max(s.rfind(","), s.rfind("."))
        decimals = len(s) - last - 1
        if len(set(seps)) == 1 and s.count(seps[0]) == 1 and decimals == 3 and s[:last] != "0":
            value = float(s.replace(seps[0], ""))  # "1.235" / "1,235": thousands
        elif len(set(seps)) == 1 and s.count(seps[0]) > 1:
            value = float(s.replace(seps[0], ""))
        else:
            value = float(s[:last].replace(",", "").replace(".", "") + "." + s[last + 1 :])
    negative = token.startswith(("-", "(")) or m.group(2) is not None
    return -value if negative else value


@dataclass(frozen=True)
class _Tok:
    index: int
    value: float
    decimals: int
    percent: bool


def _tokens(text: str) -> tuple[list[str], list[_Tok]]:
    # Dates are blanked character by character (spaces kept), so the tokens stay those of the text.
    masked = text
    for d in find_dates(text):
        blank = "".join(ch if ch.isspace() else "\x00" for ch in text[d.start : d.end])
        masked = masked[: d.start] + blank + masked[d.end :]
    words = _TOKEN.findall(text.replace("\t", " "))
    numbers: list[_Tok] = []
    for i, word in enumerate(_TOKEN.findall(masked.replace("\t", " "))):
        percent = word.endswith("%") or (i + 1 < len(words) and words[i + 1] == "%")
        core = word.rstrip("%") if word.endswith("%") else word
        glued = _GLUED_CURRENCY.match(core)
        core = glued.group(1) if glued else core
        value = _number(core)
        if value is None:
            continue
        sep = max(core.rfind(","), core.rfind("."))
        decimals = len(core.rstrip(")-")) - sep - 1 if sep >= 0 else 0
        numbers.append(_Tok(i, value, decimals, percent))
    return words, numbers


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= max(0.011, abs(b) * 0.001)


def _quantity_first(a: _Tok, b: _Tok, price_first: bool) -> bool:
    """Of a pair whose product is the amount, is `a` the quantity? A whole number is likelier a
    quantity than a price with decimals; otherwise the header's column order decides."""
    a_whole, b_whole = a.decimals == 0, b.decimals == 0
    if a_whole != b_whole:
        return a_whole
    return (a.index < b.index) != price_first


def _quantity_and_price(before: list[_Tok], amount: float, price_first: bool) -> tuple[_Tok, _Tok] | None:
    """The pair of numbers whose product is the amount, as (quantity, unit price)."""
    for qi, q in enumerate(before):
        for p in before[qi + 1 :] + before[:qi]:
            if p is not q and _close(q.value * p.value, amount) and (q.value != amount or p.value == 1):
                return (q, p) if _quantity_first(q, p, price_first) else (p, q)
    return None


def parse_row(text: str, *, price_first: bool = False) -> tuple[LineItem | None, bool]:
    """(item, has_own_description) of one table row; None when the row is not an item.

    `price_first`: the header puts the unit price before the quantity ("Nettopreis Menge").
    """
    words, numbers = _tokens(text)
    if not numbers:
        return None, False
    plain = [t for t in numbers if not t.percent]
    if not plain:
        return None, False
    amount_tok = plain[-1]
    if amount_tok.decimals != 2:
        return None, False
    # Only currency or unit words may follow the amount.
    trailing = [w for w in words[amount_tok.index + 1 :] if not _CURRENCY_TOKEN.match(w) and w != "%"]
    if len(trailing) > 1:
        return None, False
    before_amount = " ".join(words[: amount_tok.index])
    if len(plain) == 1 and (re.search(r":\s*\)?\s*$", before_amount) or _LABEL_COLON.match(before_amount)):
        return None, False  # "(Net): 60,00", "REMISE : … -5,00": an annotation or a document-level charge
    amount = amount_tok.value
    rates = [t for t in numbers if t.percent and 0 <= t.value <= 30]
    tax_rate = rates[-1].value if rates else None
    before = [t for t in plain[:-1]]
    quantity = unit_price = None
    used = [amount_tok.index] + [t.index for t in rates]
    pair = _quantity_and_price(before, amount, price_first)
    if pair is None:
        # "254.24  1  254.24  18%  IGST  45.76  300.00": the line's net, tax and gross; the net,
        # quantity × unit price, is the item's amount (as an e-invoice's line total is).
        for k, net in enumerate(before):
            later = before[k + 1 :]
            if (
                net.decimals == 2
                and any(_close(net.value + t.value, amount) for t in later)
                and (pair := _quantity_and_price(before[:k], net.value, price_first))
            ):
                amount = net.value
                used += [t.index for t in before[k:]]
                break
    if pair is not None:
        quantity, unit_price = pair[0].value, pair[1].value
        used += [pair[0].index, pair[1].index]
    if quantity is None and before and _close(before[-1].value, amount):
        unit_price = before[-1].value  # "Item 12,50 12,50": a price and its amount, quantity one
        used.append(before[-1].index)
    if tax_rate is None and quantity is not None:
        # An unmarked rate column ("… 191.00 19 573.00"): a small integer left over beside the prices.
        spare = [t for t in before if t.index not in used and t.decimals == 0 and t.value in _RATES]
        if spare:
            tax_rate = spare[-1].value
            used.append(spare[-1].index)
    first = min(used + [t.index for t in before]) if before else min(used)
    desc_words = words[:first]
    # A leading position number ("1", "10.") is not part of the description.
    if desc_words and re.fullmatch(r"\d{1,3}\.?", desc_words[0]):
        desc_words = desc_words[1:]
    description = " ".join(desc_words).strip(" :-|") or None
    if "\t" in text and (description is None or sum(ch.isalpha() for ch in description) < 3):
        description = _text_cell(text) or description
    if description and not any(ch.isalpha() for ch in description):
        description = None
    item = LineItem(description, quantity, unit_price, round(amount, 2), tax_rate)
    return item, description is not None


def _text_cell(text: str) -> str | None:
    """The cell with the most letters, not a parenthesised note ("(Rabais: 0,00)") nor a unit ("PCE")."""
    cells = [c.strip() for c in text.split("\t")]
    cells = [c for c in cells if not c.startswith("(") and sum(ch.isalpha() for ch in c) >= 4]
    return max(cells, key=lambda c: sum(ch.isalpha() for ch in c)) if cells else None


_ADJUSTMENT = re.compile(
    r"^\s*(?:(?P<allowance>remise|rabais|discount|allowance|abschlag|nachlass|rabatt|reduction|korting)"
    r"|(?:charge|frais|zuschlag|fracht|shipping|freight|versand|porto|delivery|transport|toeslag))\b"
)
_LABEL_COLON = re.compile(r"^\(?[^\W\d][\w .'/-]{1,24}\)?\s?:\s")

_RATES = frozenset(
    {0.0, 2.5, 3.0, 5.0, 5.5, 6.0, 7.0, 8.0, 9.0, 10.0, 12.0, 13.0, 15.0, 16.0, 19.0, 20.0, 21.0, 22.0, 25.0}
)


def _ends_table(text: str) -> bool:
    """The totals block: a total / subtotal / tax label that starts its cell ("Total 573.00"), or one
    in the first cell of a row with a single amount ("Line Total Amount  €135.00")."""
    first_cell = text.split("\t", 1)[0]
    numbers = _tokens(text)[1]
    single = len(numbers) <= 1
    # "1  USB Cable  254.24  1  254.24  18%  IGST  45.76  300.00": a tax word in a later cell of a row
    # of amounts is the item's tax type column.
    item_row = sum(t.decimals == 2 and not t.percent for t in numbers) >= 3
    for hit in find_labels(text):
        if hit.kind in (Field.TOTAL, Field.SUBTOTAL, Field.TAX):
            start = text.rfind("\t", 0, hit.start) + 1
            if hit.kind == Field.TAX and item_row and start > len(first_cell):
                continue
            # (Words in several cells and no amount are a header row: "Art % Basisbetrag Steuer<tab>Betrag".)
            header = not numbers and "\t" in text
            if not text[start : hit.start].strip() or (single and not header and hit.end <= len(first_cell)):
                return True
    return False


# A row that is a step of the previous item, not an item: "= €19.00" (the item after its
# discount), "- €1.00  - €5.00" (the discount itself).
_ITEM_STEP = re.compile(r"^\s*(?:=|[-+]\s?(?:€|\$|£)?\s?\d)")


def extract_line_items(detection: Detection) -> list[LineItem]:
    return extract_table(detection)[0]


def _adjustment(text: str) -> float | None:
    """A document-level allowance or charge printed in the table ("REMISE : … -5,00", "Versand 4,90"),
    signed as it changes the sum of the lines; None for any other row."""
    m = _ADJUSTMENT.match(fold(text))
    if not m:
        return None
    _, numbers = _tokens(text)
    plain = [t for t in numbers if not t.percent and t.decimals == 2]
    if len(plain) != 1:
        return None
    value = plain[0].value
    return -abs(value) if m.group("allowance") else value


def extract_table(detection: Detection) -> tuple[list[LineItem], float]:
    """(line items, sum of the document-level allowances and charges printed among them)."""
    rows = rows_of(detection)
    items: list[LineItem] = []
    adjustments = 0.0
    in_table = False
    price_first = False
    pending: list[str] = []
    for row in rows:
        text = row.text
        if _BREAKDOWN.search(fold(text)):
            in_table = False  # the VAT breakdown looks like a table of amounts, but it is not the items
            continue
        if is_item_header(text):
            in_table, pending = True, []
            price_first = _price_before_quantity(text)
            continue
        if not in_table:
            continue
        # Before the first item, a label without an amount is the header's next line ("(Art)  USt.").
        if _ends_table(text) and (items or _tokens(text)[1]):
            in_table = False
            continue
        if (adjustment := _adjustment(text)) is not None:
            adjustments += adjustment
            continue
        if _ITEM_STEP.match(text.split("\t")[-1] if text.count("\t") else text) and _ITEM_STEP.match(
            re.sub(r"^[^\t]*\t", "", text) if "\t" in text else text
        ):
            continue
        item, own = parse_row(text, price_first=price_first)
        if item is None:
            flat = " ".join(text.split())
            if flat and not _REFERENCE_LINE.match(flat) and len(flat) <= 120:
                pending.append(flat)
            pending = pending[-3:]
            continue
        if not own and pending:
            item = LineItem(" ".join(pending), item.quantity, item.unit_price, item.amount, item.tax_rate)
        pending = []
        items.append(item)
        if len(items) >= MAX_ITEMS:
            break
    return items, round(adjustments, 2)


LINE_ITEMS_MISMATCH = "line-items-mismatch"


def check_against(
    items: Sequence[LineItem], subtotal: float | None, total: float | None, adjustments: float = 0.0
) -> list[Flag]:
    """A `line-items-mismatch` flag when the rows (with the document's allowances and charges) add
    up to neither the subtotal nor the total."""
    if not items:
        return []
    amounts = [i.amount for i in items if i.amount is not None]
    s = round(sum(amounts) + adjustments, 2)
    targets = [t for t in (subtotal, total) if t is not None]
    if not targets:
        return []
    if any(abs(s - t) <= max(0.02, 0.0005 * abs(t)) for t in targets):
        return []
    against = "subtotal" if subtotal is not None else "total"
    value = subtotal if subtotal is not None else total
    return [
        Flag(
            code=LINE_ITEMS_MISMATCH,
            message=f"{len(amounts)} line items add up to {s:.2f}"
            + (f" (with {adjustments:+.2f} of allowances and charges)" if adjustments else "")
            + f", the {against} is {value:.2f}",
            field=Field.SUBTOTAL.value if subtotal is not None else Field.TOTAL.value,
        )
    ]

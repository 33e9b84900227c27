"""The buyer's name: the recipient block ("Bill to", "Rechnungsempfänger", "Client", "Käufer") or the
address window at the top left of a DIN 5008 letter.

Rules, strongest first: the text after "Bill to:" on the same line; the first name-like line under a
recipient header that stands alone ("Name: Kunden AG" loses its "Name:"); the first line of an
address block near the top of the page — name, street with a house number, postcode and town —
that is not the vendor's (the vendor family has chosen by then). Salutations ("Herrn", "Frau",
"Mr", "Attn") are skipped, not taken as the name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from ...types import ExtractedField, Field
from ..blocks import party_of_lines
from ..candidates import Candidate, best
from ..context import Context, LineInfo
from ..labels import Kind
from ..parties import clean_name, has_legal_form
from ..text import Line

FIELDS = (Field.BUYER_NAME,)

AFTER_LABEL = 0.95
BELOW_HEADER = 0.9
AFTER_SENDER_LINE = 0.8  # the first line under the return-address line of a window envelope
ADDRESS_WINDOW = 0.45
ADDRESS_WINDOW_UNTIL = 25  # the address window is in the first lines of the text

_FIELD_PREFIX = re.compile(r"^(?:name|firma|company|nom|raison\s+sociale|naam)\s*:\s*", re.IGNORECASE)
_SALUTATION = re.compile(
    r"^(?:herrn?|frau|familie|firma|an|to|attn\.?|attention|z\.\s*hd\.?|mr\.?|mrs\.?|ms\.?|monsieur|madame|m\.)$",
    re.IGNORECASE,
)
# A line that is a reference or contact, not a name ("Nummer: 123", "Tel.", "USt-IdNr.", "GLN").
_REFERENCE = re.compile(
    r"^\s*(?:[\w.\-/ ]{1,25}:\s*\S*\d|(?:gln|tel|fax|phone|e-?mail|www|http|iban|bic|ust|vat|tva|btw|"
    r"siret|siren|steuer|kunden-?nr|customer\s+(?:no|number|id)|nummer|number|id)\b)",
    re.IGNORECASE,
)
_STREET = re.compile(
    r"(?:\b\d+\s*[a-z]?\b.*\b(?:str(?:aße|asse|\.)?|weg|allee|platz|gasse|ring|damm|ufer|rue|avenue|bd|"
    r"chemin|place|road|rd|street|st|lane|ave|drive|way|straat|laan)\b|\b(?:str(?:aße|asse|\.)|weg|allee|"
    r"platz|gasse|ring|rue|road|street|straat)\w*\s+\d+\s*[a-z]?\b|^\s*\d+\s*,?\s+\S+|postfach|p\.?\s*o\.?\s*box|"
    r"(?:str(?:aße|asse|\.)|weg|allee|platz|gasse|damm)\s*\d+\s*[a-z]?\b|"
    # compounds ("Dorpsstraat 88", "Industriezeile 36", "Storgatan 5", "valtatie 30") and a box
    r"\w(?:straat|laan|gracht|plein|kade|zeile|gatan|vägen|gränd|vej|gade|veien|gata|katu|tie)\s+\d+|^box\s+\d+|"
    # words then a house number ("Chaussée de Louvain 210", "Via dell'Industria, 5")
    r"^[^\d\t]{3,40}\s\d{1,4}\s?[a-z]?$)",
    re.IGNORECASE,
)
# "12345 Stadt", "DE 80333 München", "75018 PARIS", "EC1A 1BB", "D02 XA00 Dublin", "94105" (US ZIP).
_POSTCODE_TOWN = re.compile(
    r"^(?:[A-Z]{1,2}[- ])?\d{4,5}\s+\w|^\d{5}(?:-\d{4})?\b|\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b|"
    r"\b\d{4,5}\s+[A-ZÄÖÜ]\w+|^\d{3}\s\d{2}\s+[A-ZÅÄÖ]\w+"  # … and Sweden's "411 05 Göteborg"
)
# "Auckland 1011", "Sydney NSW 2000": the town before a four-digit postcode, which item rows look
# like too ("Kitchen Lighter 2015"), so only under a street named as one ("45 Beach Rd").
_TOWN_POSTCODE = re.compile(r"^[A-Z][a-z]+(?:\s[A-Z][a-z]+)?(?:\s[A-Z]{2,3})?\s[1-9]\d{3}$")
_NAMED_STREET = re.compile(
    r"^\d+[a-z]?\s+(?:[A-Z][a-z]+\s+){1,3}(?:street|st|road|rd|avenue|ave|lane|ln|drive|dr|way|place|pl|"
    r"crescent|cres|terrace|tce|parade|pde|highway|hwy|boulevard|blvd|quay)\.?$",
    re.IGNORECASE,
)
# "Attn: Jane Smith", "z. Hd. Herrn Meier", "c/o …": the contact person at the buyer, not the buyer.
_CONTACT = re.compile(r"^(?:attn\.?|attention|z\.\s*hd\.?|c/o|contact)\s*:?\s+\S", re.IGNORECASE)
# "Buyer (Bill to): Kiran Enterprises": a second label in brackets after the first.
_BRACKETED_LABEL = re.compile(r"^\s*\([^)]{1,20}\)")
# A buyer label that is a form of address: the name follows it directly.
_NAME_FOLLOWS = re.compile(r"^(?:messrs\.?|spett\.?(?:le|abile))$", re.IGNORECASE)
_SENDER_LINE = re.compile(r"\s[-|●•·]\s|[●•·|]")
_SENDER_PARTS = re.compile(r"\s+[-|●•·∙]\s+|\s*[●•·∙|]\s*")
# What may follow a recipient header in its cell: "Customer name / company", "Kunde (Firma)".
_HEADER_REST = re.compile(
    r"^[\s:/()]*(?:(?:name|company|firma|nom|adresse|address)[\s:/()]*)*$", re.IGNORECASE
)


def _name_like(text: str) -> bool:
    if not 2 <= len(text) <= 70:
        return False
    letters = sum(ch.isalpha() for ch in text)
    digits = sum(ch.isdigit() for ch in text)
    if letters < 2 or digits > letters / 3 or "@" in text:
        return False
    if re.search(r"\b(?:nr|no|nº|n°)\.?$", text, re.IGNORECASE):
        return False  # "Art-Nr.": a column header
    return not _REFERENCE.match(text) and not _STREET.search(text) and len(text.split()) <= 9


def _clean(text: str) -> str:
    return clean_name(_FIELD_PREFIX.sub("", clean_name(text)))


def _cell(line: Line, index: int) -> str:
    bounds = line.cell(index) or line.cell(0) or (0, len(line.text))
    return line.text[bounds[0] : bounds[1]]


def _first_name(lines: list[Line], cell: int) -> tuple[str, int] | None:
    """The first name-like line of a block, skipping salutations, contacts and reference lines.

    A person's name over a company's ("Jane Doe" / "Beta LLC") names the contact; the company, which
    the legal form shows, is the buyer.
    """
    found: tuple[str, int] | None = None
    for line in lines:
        raw = _cell(line, cell).strip()
        text = _clean(raw)
        if (
            not text
            or _SALUTATION.match(text)
            or _CONTACT.match(text)
            or (_REFERENCE.match(raw) and not _FIELD_PREFIX.match(raw))
        ):
            continue
        if not _name_like(text):
            break
        if found is not None:
            return (text, line.index) if has_legal_form(text) else found
        if has_legal_form(text):
            return text, line.index
        # "Herrn Max Mustermann" keeps the salutation in the XML too; the name is the line.
        found = text, line.index
    return found


def _in_next_cell(info: LineInfo, end: int, *, colon: bool) -> str | None:
    """'Bill To:<tab>Beta Ltd', 'Customer<tab>:<tab>Beta Ltd': the name in the cell after the label's.

    Only after a colon, so a table's header row ("Client<tab>Project<tab>Hours") names nobody."""
    cells = info.line.text[end:].split("\t")[1:]
    colon = colon or bool(cells and cells[0].lstrip().startswith(":"))
    while cells and cells[0].strip() == ":":
        cells = cells[1:]
    if not cells or not colon:
        return None
    start = len(info.line.text) - len("\t".join(cells))
    heads = (Kind.BUYER, Kind.SELLER)
    if any(
        start <= hit.start < start + len(cells[0]) and (isinstance(hit.kind, Field) or hit.kind in heads)
        for hit in info.labels
    ):
        return None  # "Bill To:<tab>Ship To:", "Billed To<tab>Invoice No: 12": a second label
    name = _clean(cells[0].lstrip(" :"))
    return name if _name_like(name) else None


def _labelled(ctx: Context) -> Iterator[Candidate]:
    lines = [info.line for info in ctx.infos]
    for i, info in enumerate(ctx.infos):
        line = info.line
        for hit in info.labels:
            if hit.kind != Kind.BUYER or fold_is_delivery(line.text[hit.start : hit.end]):
                continue
            start, end = line.cell_bounds(hit.start)
            if line.text[start : hit.start].strip():
                continue  # "Customer number", "Kundennummer" are not headers
            rest = line.text[hit.end : end]
            if bracket := _BRACKETED_LABEL.match(rest):
                rest = rest[bracket.end() :]
            rest = rest.lstrip()
            if _NAME_FOLLOWS.match(line.text[hit.start : hit.end]) and not rest.startswith(":"):
                rest = ":" + rest  # "Messrs. Pacific Imports Pte Ltd": the name follows without a colon
            if rest.startswith(":") and (name := _clean(rest[1:])) and _name_like(name):
                yield Candidate(name, AFTER_LABEL, line.index, name)
            elif not rest.strip(" :") or _HEADER_REST.match(rest):
                if beside := _in_next_cell(info, end, colon=rest.endswith(":")):
                    yield Candidate(beside, AFTER_LABEL, line.index, beside)
                found = _first_name(lines[i + 1 : i + 5], line.cell_index(hit.start))
                if found:
                    yield Candidate(found[0], BELOW_HEADER, found[1], found[0])


def fold_is_delivery(label: str) -> bool:
    """Delivery addresses ("Ship to", "Lieferanschrift", "Warenempfänger") name where, not who pays."""
    low = label.lower().replace(" ", "")
    return any(w in low for w in ("ship", "deliver", "liefer", "waren", "livr"))


def _address_window(ctx: Context, vendor: str | None) -> Iterator[Candidate]:
    """Name, street, postcode + town near the top: the recipient of a letter (not the seller's block)."""
    infos = ctx.infos[:ADDRESS_WINDOW_UNTIL]
    parties = party_of_lines(ctx)[:ADDRESS_WINDOW_UNTIL]
    for i, info in enumerate(infos):
        text = _cell(info.line, 0).strip()
        if _SENDER_LINE.search(info.line.text) or i < 2:
            continue
        street = _cell(infos[i - 1].line, 0).strip()
        if _POSTCODE_TOWN.search(text):
            if not _STREET.search(street):
                continue
        elif not (_TOWN_POSTCODE.match(text) and _NAMED_STREET.match(street)):
            continue
        block = [infos[k] for k in range(max(0, i - 3), i - 1)]
        names = [
            (t, b.line.index)
            for b in block
            if sum(h.end - h.start for h in b.labels if h.end <= len(_cell(b.line, 0))) * 2
            < len(_cell(b.line, 0))
            and not any(h.kind == Kind.SELLER for h in b.labels)
            and parties[b.line.index] != "seller"
            and not b.line.text.rstrip().endswith(":")
            and (t := _clean(_cell(b.line, 0)))
            and not _SALUTATION.match(t)
            and _name_like(t)
        ]
        if not names:
            continue
        name = names[0][0]
        # A salutation line right above ("Herrn" / "Max Mustermann"): the XML keeps both words.
        if vendor and (name.casefold() in vendor.casefold() or vendor.casefold() in name.casefold()):
            continue
        yield Candidate(name, ADDRESS_WINDOW, names[0][1], name)


def _after_sender_line(ctx: Context) -> Iterator[Candidate]:
    """'Seller GmbH · Street 1 · 12345 City' over the window: the recipient's name is the next line."""
    infos = ctx.infos[:ADDRESS_WINDOW_UNTIL]
    for i, info in enumerate(infos):
        parts = [p for p in _SENDER_PARTS.split(info.line.text) if p.strip()]
        if len(parts) < 3 or not any(_POSTCODE_TOWN.search(p.strip()) for p in parts[1:]):
            continue
        found = _first_name([b.line for b in infos[i + 1 : i + 3]], 0)
        if found:
            yield Candidate(found[0], AFTER_SENDER_LINE, found[1], found[0])
        return


def propose(ctx: Context) -> Iterator[tuple[Field, Candidate]]:
    for c in _labelled(ctx):
        yield Field.BUYER_NAME, c
    for c in _after_sender_line(ctx):
        yield Field.BUYER_NAME, c


def engine_value(field: Field, found: ExtractedField, ctx: Context) -> str | float | None:
    return _clean(str(found.value)) or None


def choose(
    ctx: Context, candidates: Mapping[Field, list[Candidate]], chosen: Mapping[Field, Candidate]
) -> dict[Field, Candidate]:
    vendor = chosen.get(Field.VENDOR_NAME)
    vendor_name = str(vendor.value) if vendor else None
    pool = [
        c
        for c in [*candidates.get(Field.BUYER_NAME, []), *_address_window(ctx, vendor_name)]
        if vendor_name is None or str(c.value).casefold() != vendor_name.casefold()
    ]
    top = best(pool)
    return {} if top is None else {Field.BUYER_NAME: top}

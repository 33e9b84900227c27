"""The invoice number: the identifier after (or under) its label or a document title.

"Rechnung Nr. 471102 vom 05.03.2018" also gives the issue date: the date after the number.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from ...types import ExtractedField, Field
from ..candidates import Candidate, best
from ..context import Context
from ..dates import find_dates
from ..labels import Kind, LabelHit
from ..weights import WEIGHTS
from .doctype import credit_note_title

FIELDS = (Field.INVOICE_NUMBER,)

# Latin and Cyrillic letters ("СФ-0045": a Ukrainian invoice's series).
_ID_CHAR = "A-Za-z0-9\u0400-\u04ff"
_ID_TOKEN = re.compile(rf"[{_ID_CHAR}](?:[{_ID_CHAR}\-/._]*[{_ID_CHAR}])?")
_ID_PREFIX = re.compile(r"[\s:#.\-]*(?:(?:nr|no|n°|nº|number|nummer|num)\.?\s*[:.#]?\s*)?", re.IGNORECASE)
_GLUED_WORD = re.compile(r"(?<=\d)(?:vom|von|du|dated|van|from|of|le|issued|date)(?![a-z])")
_DATE_LINK = re.compile(r"(?:vom|du|dated|van|of|from|le)\s*:?\s*$", re.IGNORECASE)
_AMOUNT_LIKE = re.compile(r"\d{1,3}(?:[.,]\d{3})*[.,]\d{2}")
# "RE 2024-118", "INV 00042", and Portugal's series before the number: "FT A2024/318".
_SPACED_PREFIX = re.compile(r"[A-Z]{1,4} (?=[A-Z]{0,2}\d)[A-Z]{0,2}[0-9](?:[A-Za-z0-9\-/._]*[A-Za-z0-9])?")
# A number printed in groups of digits, to the end of its cell: "Rechnungsnummer 7311 0045 9982".
_DIGIT_GROUPS = re.compile(r"\d{3,5}(?: \d{3,5}){1,4}(?=\s*(?:$|\t|\s{2}))")
# A bare "No." / "N°" / "#" that starts a line near the title ("FACTURE" / "N° FA-2026-0001").
_BARE_NO = re.compile(r"^\s*(?:n°|nº|no\.?|nr\.?|#)\s*:?\s*", re.IGNORECASE)
_TITLE_PREFIX = re.compile(r"\s*(?:(?:tax|commercial|pro\s?forma|final|steuer)\s+)?", re.IGNORECASE)
_PAYMENT_REF = re.compile(
    r"zahlungsreferenz|verwendungszweck|payment\s*reference|r(?:é|e)f(?:é|e)rence\s*(?:de\s*)?paiement|"
    r"betalingskenmerk|onder\s*vermelding\s*van|unter\s*angabe\s*(?:der|des|von)|stating\s*(?:the|your)?|"
    r"quoting\s*(?:the|your)?|en\s*indiquant|indicando",
    re.IGNORECASE,
)
IN_PAYMENT_REFERENCE = 0.9  # factor on a number label inside a payment-reference line
BROKEN_AT_LINE_END = 0.5  # factor on a number cut off by the end of its line
# On a credit note, "facture n° 2024-0412 du 14/05/2024" inside a line names the invoice it credits.
_INVOICE_WORD = re.compile(r"invoice|rechnung|factur[ea]|factuur|fattura|fatura|faktura", re.IGNORECASE)
CREDITED_INVOICE = 0.4  # factor on such a number
BARE_NO_LINE = 0.5  # "Nº 000.045.318" alone on a line in the page's first lines (not "#02-17", a unit)
BARE_NO_LINES = 25
BARE_NO_NEAR_TITLE = 0.75  # "N° FA-2026-0001" on a line of its own under the title
ID_NEAR_TITLE = 0.5  # an identifier alone on a line under the title, without any label
TITLE_REACH = 3  # lines under a title that may hold its number


# A bilingual label's other half in another script ("Invoice No. / رقم الفاتورة ARC-INV-2024-0093").
_OTHER_SCRIPT = re.compile(
    # (not letters glued to the number they head: "СФ-0045")
    r"[\s:/|]*(?:[\u0370-\u03ff\u0400-\u04ff\u0590-\u08ff\u0e00-\u0e7f\u3000-\u9fff\uac00-\ud7af]+"
    r"(?![\u0370-\u04ff\-\d])[\s:/|]*)+"
    # or in brackets, in letters only: "Invoice No. (Lek Thi) RGB-TI-2503/00412" (romanised Thai)
    r"|\s*\([^\W\d_][^\d()]{0,20}\)[\s:]*"
)
# A title's qualifier: "FATURA DE SERVIÇOS", "Invoice for services", "Facture de prestations",
# Latin America's "FACTURA ELECTRÓNICA".
_TITLE_QUALIFIER = re.compile(
    r"^\s*(?:de\s+servi(?:ç|c)os|de\s+servicios|di\s+servizi|des?\s+services?|(?:of|for)\s+services|"
    r"f(?:ü|ue)r\s+leistungen|de\s+prestations?|de\s+honor(?:aires|(?:á|a)rios)|simplificada|simplifi(?:é|e)e|"
    r"semplificata|electr(?:ó|o)nica(?:\s+de\s+venta)?|de\s+venta|eletr(?:ô|o)nica|(?:é|e)lectronique|elettronica|electronic)\s*$",
    re.IGNORECASE,
)


def id_after(text: str, pos: int, end: int) -> tuple[str, int] | None:
    """The identifier right after a label (only separators, "No." and the label's other half in
    another script may come between)."""
    rest = text[pos:end]
    other = _OTHER_SCRIPT.match(rest)
    start = other.end() if other else 0
    prefix = _ID_PREFIX.match(rest, start)
    m = _ID_TOKEN.match(rest, prefix.end() if prefix else start)
    if not m:
        return None
    # "RE 2024-118", "INV 00042": a short letter prefix, a space, then the numbered part.
    spaced = _SPACED_PREFIX.match(rest, m.start()) or _DIGIT_GROUPS.match(rest, m.start())
    if spaced:
        m = spaced
    # OCR without spaces glues the next word on: "RE-20140703/502vom", "R87654321012345vom06.08.2018".
    token = _GLUED_WORD.split(m.group(0), maxsplit=1)[0].rstrip(".-/")
    if not any(ch.isdigit() for ch in token) or len(token) > 40:
        return None
    dates = find_dates(token)
    if dates and dates[0].end - dates[0].start >= len(token) - 1:
        return None  # "Invoice 05.03.2018" is a title and a date, not a number
    if _AMOUNT_LIKE.fullmatch(token):
        return None  # an amount
    return token, pos + m.start() + len(token)


_HEADER_FILLER = re.compile(r"[\s:#./()|-]*")
_HEADER_WORD = re.compile(r"\s*[^\W\d_]{2,}\.?\s*")


def label_column(ctx: Context, i: int, hit: LabelHit) -> tuple[int, int] | None:
    """A header row of labels only, without tabs ("Invoice No. Invoice Date Due Date"), over a row of
    as many values ("INV-7781 12/03/2024 11/04/2024"): the span of the value under this label."""
    info = ctx.infos[i]
    text = info.line.text
    if "\t" in text or i + 1 >= len(ctx.infos) or len(info.labels) < 2:
        return None
    # Each label heads a column, and so does a single other word between them ("Invoice No.  Invoice
    # Date  Account" over "51872  21/03/2025  KHS01").
    columns: list[LabelHit | None] = []
    at = 0
    for h in [*info.labels, None]:
        part = text[at : h.start if h is not None else len(text)]
        if not _HEADER_FILLER.fullmatch(part):
            if not _HEADER_WORD.fullmatch(part):
                return None
            columns.append(None)
        if h is not None:
            columns.append(h)
            at = h.end
    below = ctx.infos[i + 1].line.text
    if "\t" in below:
        return None
    tokens = [(m.start(), m.end()) for m in re.finditer(r"\S+", below)]
    if len(tokens) != len(columns):
        return None
    return tokens[columns.index(hit)]


def _date_after_number(ctx: Context, i: int, pos: int) -> Iterator[tuple[Field, Candidate]]:
    """'Rechnung Nr. 471102 vom 05.03.2018': the date that follows the number is the issue date."""
    info = ctx.infos[i]
    later = [d for d in info.dates if d.start >= pos]
    if later:
        d = later[0]
        yield (
            Field.INVOICE_DATE,
            Candidate(d.iso, WEIGHTS.date_after_number, info.line.index, info.line.text[d.start : d.end]),
        )
    elif _DATE_LINK.search(info.line.text) and i + 1 < len(ctx.infos) and ctx.infos[i + 1].dates:
        below = ctx.infos[i + 1]
        d = below.dates[0]
        text = below.line.text[d.start : d.end]
        yield Field.INVOICE_DATE, Candidate(d.iso, WEIGHTS.date_after_number, below.line.index, text)


# Which copy this is, after the number: Portugal's "FS A2026/3187 : Original", "Duplicado".
_COPY_MARK = re.compile(
    r"\s*[:|\-–]?\s*(?:original|duplicado|triplicado|c(?:ó|o)pia|copy|duplicate)\s*$", re.IGNORECASE
)


def _under_title(ctx: Context, i: int) -> Iterator[tuple[Field, Candidate]]:
    """A title alone on its line ("FACTURE", "INVOICE"): its number may be on one of the next lines,
    after a bare "N°" / "No." or with no label at all ("INVOICE" / "12 March 2024" / "INV-0042")."""
    for k in range(i + 1, min(len(ctx.infos), i + 1 + TITLE_REACH)):
        below = ctx.infos[k]
        text = below.line.text
        if any(h.kind in (Field.INVOICE_NUMBER, Kind.TITLE) for h in below.labels):
            return  # the next title or a labelled number: the usual rules read it
        bare = _BARE_NO.match(text)
        if bare and bare.end() > len(text) - len(text.lstrip()):
            found = id_after(text, bare.end(), len(text))
            if found:
                yield (
                    Field.INVOICE_NUMBER,
                    Candidate(found[0], BARE_NO_NEAR_TITLE, below.line.index, found[0]),
                )
                return
            continue
        if below.labels or below.dates or below.amounts:
            continue
        found = id_after(text, 0, len(text))
        if (
            found
            and (found[1] >= len(text.rstrip()) or _COPY_MARK.match(text, found[1]))
            and len(found[0]) >= 3
        ):
            yield Field.INVOICE_NUMBER, Candidate(found[0], ID_NEAR_TITLE, below.line.index, found[0])
            return


def _names_credited_invoice(text: str, hit: LabelHit) -> bool:
    """An invoice's number label inside a line (not heading it): the document a credit note credits."""
    return bool(text[: hit.start].strip()) and _INVOICE_WORD.match(text, hit.start) is not None


# A number within its series, the series printed first ("Seria TLX nr. 4512" in Romania, "Serija KPU
# Nr. 002417" in Lithuania): the two together are the document's number.
_SERIES_AND_NUMBER = re.compile(
    r"\b(?:seria|serija|s(?:ē|e)rija|serie)\s*:?\s*(?P<series>[A-Z]{1,6}\d{0,4})\s*"
    r"(?:nr|no|n[°º]|numurs)\.?\s*:?\s*(?P<number>\d[\d/-]*\d|\d)(?![\w/-])",
    re.IGNORECASE,
)
SERIES_AND_NUMBER = 1.0
# The courtesy copy of an Italian e-invoice (FatturaPA): a row of "Tipo documento  Numero  Data" under
# its header, the type's code first ("TD01 fattura 12/2026 15/05/2026").
_FATTURAPA_ROW = re.compile(
    r"^\s*TD\d{2}\s+(?:[^\W\d_]+\s+){1,3}(?P<number>[\w/.-]*\d[\w/.-]*)\s+\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}"
)
FATTURAPA_ROW = 0.9


def propose(ctx: Context) -> Iterator[tuple[Field, Candidate]]:
    credit = credit_note_title(ctx)
    for i, info in enumerate(ctx.infos):
        line = info.line
        if (
            i
            and (row := _FATTURAPA_ROW.match(line.text))
            and "numero" in ctx.infos[i - 1].line.text.casefold()
        ):
            yield Field.INVOICE_NUMBER, Candidate(row["number"], FATTURAPA_ROW, i, row["number"])
            yield from _date_after_number(ctx, i, row.end("number"))
        if series := _SERIES_AND_NUMBER.search(line.text):
            value = f"{series['series']} {series['number']}"
            yield Field.INVOICE_NUMBER, Candidate(value, SERIES_AND_NUMBER, i, series.group(0))
        # A line that is only "Nº 000.045.318" near the top (a DANFE prints it in its stub and its
        # header, far from any title): weaker than a labelled number.
        bare = _BARE_NO.match(line.text) if i < BARE_NO_LINES and not info.labels else None
        if bare and not bare.group().lstrip().startswith("#"):
            found = id_after(line.text, bare.end(), len(line.text))
            if found and not line.text[found[1] :].strip():
                yield Field.INVOICE_NUMBER, Candidate(found[0], BARE_NO_LINE, i, found[0])
        for hit in info.labels:
            if hit.kind not in (Field.INVOICE_NUMBER, Kind.TITLE):
                continue
            if credit and hit.kind == Field.INVOICE_NUMBER and _names_credited_invoice(line.text, hit):
                if found := id_after(line.text, hit.end, len(line.text)):
                    yield (
                        Field.INVOICE_NUMBER,
                        Candidate(found[0], hit.weight * CREDITED_INVOICE, i, found[0]),
                    )
                continue
            cell_start, cell_end = line.cell_bounds(hit.start)
            if hit.kind == Kind.TITLE and not _TITLE_PREFIX.fullmatch(line.text[cell_start : hit.start]):
                continue  # a title starts its line or cell ("TAX INVOICE" too)
            found = id_after(line.text, hit.end, len(line.text))
            if found:
                # "Zahlungsreferenz: Kundennummer … Rechnungsnummer …": what to quote when paying, a
                # weaker witness than the number that heads the document.
                weight = hit.weight * (
                    IN_PAYMENT_REFERENCE if _PAYMENT_REF.search(line.text[: hit.start]) else 1.0
                )
                # "… onder vermelding van factuurnummer 2025-" / "0087": the line broke inside the number.
                if line.text[found[1] :].strip() in ("-", "–", "/"):
                    weight *= BROKEN_AT_LINE_END
                yield Field.INVOICE_NUMBER, Candidate(found[0], weight, line.index, found[0])
                # A credit note's "Invoice Ref. 18843 (07/03/2025)": the credited invoice's date.
                if not (credit and _INVOICE_WORD.match(line.text, hit.start)):
                    yield from _date_after_number(ctx, i, found[1])
                continue
            after_title = line.text[hit.end : cell_end]
            if hit.kind == Kind.TITLE and (
                not after_title.strip(" :#.") or _TITLE_QUALIFIER.match(after_title)
            ):
                yield from _under_title(ctx, i)
            if hit.kind == Field.INVOICE_NUMBER and (span := label_column(ctx, i, hit)):
                below = ctx.infos[i + 1].line
                if found := id_after(below.text, *span):
                    weight = hit.weight * WEIGHTS.number_below_label
                    yield Field.INVOICE_NUMBER, Candidate(found[0], weight, below.index, found[0])
                continue
            if (
                hit.kind == Kind.TITLE
                or line.text[hit.end : cell_end].strip(" :#.")
                or i + 1 >= len(ctx.infos)
            ):
                continue
            below = ctx.infos[i + 1].line
            bounds = below.cell(line.cell_index(hit.start)) or (0, len(below.text))
            found = id_after(below.text, bounds[0], bounds[1])
            if found:
                weight = hit.weight * WEIGHTS.number_below_label
                yield Field.INVOICE_NUMBER, Candidate(found[0], weight, below.index, found[0])


def engine_value(field: Field, found: ExtractedField, ctx: Context) -> str | float | None:
    return str(found.value).strip() or None


def choose(
    ctx: Context, candidates: Mapping[Field, list[Candidate]], chosen: Mapping[Field, Candidate]
) -> dict[Field, Candidate]:
    top = best(candidates.get(Field.INVOICE_NUMBER, []))
    return {} if top is None else {Field.INVOICE_NUMBER: top}

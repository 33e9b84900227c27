"""The text layer of a PDF as positioned runs, and the rows rebuilt from them.

`chromium-tax-invoice-au.pdf` is printed by headless Chromium, which places glyphs one by one:
pdfium's own rects then split words ("S u b - t o t a l") and take in a neighbour's glyph
("TOTATAL"). The runs are built from the characters, so the rows read as the page does.
"""

from __future__ import annotations

from invoice_app.processing.extraction import extract_fields
from invoice_app.processing.extraction.layout import amounts_from_layout, rows_from_boxes
from invoice_app.processing.pipeline import DocumentProcessor
from invoice_app.processing.sniff import PDF
from invoice_app.processing.types import Detection, Document, Field, TextSegment
from tests.helpers.samples import fixture_bytes, fixture_json

NAME = "chromium-tax-invoice-au.pdf"


def detection() -> Detection:
    return DocumentProcessor("tesseract").detect(Document(fixture_bytes(NAME), PDF, NAME))


def test_runs_are_words_and_cells_not_glyphs() -> None:
    rows = [text for text, _ in rows_from_boxes(detection().segments)]
    assert "Subtotal\t1,916.30" in rows
    assert "TOTAL GST 10%\t181.98" in rows
    assert "TOTAL AUD\t2,098.28" in rows
    assert "Description\tQuantity\tUnit Price\tGST\tAmount AUD" in rows


def test_every_run_has_a_box_inside_the_page() -> None:
    segments = detection().segments
    assert segments and all(s.box is not None for s in segments)
    for s in segments:
        x0, y0, x1, y1 = s.box
        assert 0 <= x0 <= x1 <= 1 and 0 <= y0 <= y1 <= 1, s


def test_the_fields_of_the_chromium_invoice() -> None:
    processed = DocumentProcessor("tesseract").process(Document(fixture_bytes(NAME), PDF, NAME))
    truth = fixture_json(NAME.replace(".pdf", ".json"))
    for name in ("invoiceNumber", "invoiceDate", "dueDate", "total", "subtotal", "tax"):
        assert processed.fields[name].value == truth[name], name


def test_amounts_that_only_add_up_in_the_rows_rebuilt_from_the_boxes() -> None:
    # A totals block floated right: the text order gives the values before their labels.
    def seg(text: str, x0: float, y0: float) -> TextSegment:
        return TextSegment(text, 1.0, 1, (x0, y0, x0 + 0.02 * len(text) / 4, y0 + 0.012))

    segments = [
        seg("(750.00)", 0.85, 0.60),
        seg("(67.50)", 0.85, 0.62),
        seg("(817.50)", 0.85, 0.64),
        seg("Sub-total", 0.55, 0.60),
        seg("GST @ 9%", 0.55, 0.62),
        seg("Total Credit (S$)", 0.55, 0.64),
    ]
    text = "\n".join(s.text for s in segments)
    found = amounts_from_layout(Detection(text=text, segments=segments, pages=1, engine="pdf-text"))
    assert {f: c.value for f, c in found.items()} == {
        Field.TOTAL: -817.5,
        Field.SUBTOTAL: -750.0,
        Field.TAX: -67.5,
    }
    # OCR lines are rows already: nothing to rebuild.
    assert amounts_from_layout(Detection(text=text, segments=segments, pages=1, engine="tesseract")) == {}


def test_a_due_date_under_its_column_in_a_header_row_of_dates() -> None:
    # The text order reads the header row and its values as two lines of words: the first date under
    # "Data Vencimento" is the issue date of the column before it; the columns say which is which.
    def seg(text: str, x0: float, y0: float) -> TextSegment:
        return TextSegment(text, 1.0, 1, (x0, y0, x0 + 0.012 * len(text), y0 + 0.012))

    header = [("V/ N.º Contrib.", 0.05), ("Data", 0.25), ("Vencimento", 0.4), ("Moeda", 0.6)]
    values = [("514321987", 0.05), ("2024-04-11", 0.25), ("2024-05-11", 0.4), ("EUR", 0.6)]
    segments = [
        seg("Lusotêxtil - Confeções, Lda.", 0.05, 0.05),
        *(seg(t, x, 0.20) for t, x in header),
        *(seg(t, x, 0.22) for t, x in values),
    ]
    text = "\n".join(
        ["Lusotêxtil - Confeções, Lda.", " ".join(t for t, _ in header), " ".join(t for t, _ in values)]
    )
    fields = extract_fields(Detection(text=text, segments=segments, pages=1, engine="pdf-text"))
    assert (fields[Field.INVOICE_DATE].value, fields[Field.DUE_DATE].value) == ("2024-04-11", "2024-05-11")

"""Every extracted field says where it was read (page + box): checked by reading that box again."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from invoice_app.processing import engines
from invoice_app.processing.engines import pdf_text
from invoice_app.processing.extraction import extract_fields
from invoice_app.processing.pipeline import DocumentProcessor
from invoice_app.processing.sniff import PDF, PNG
from invoice_app.processing.types import Detection, Document, TextSegment
from tests.helpers.samples import fixture_bytes

needs_tesseract = pytest.mark.skipif(not engines.tesseract_available(), reason="tesseract is not installed")


def text_in_pdf_box(data: bytes, page_no: int, box: tuple[float, float, float, float]) -> str:
    """The PDF's own text inside a box given as fractions of the page (origin top-left)."""
    import pypdfium2 as pdfium

    with pdf_text.PDFIUM_LOCK:
        pdf = pdfium.PdfDocument(data)
        try:
            page = pdf[page_no - 1]
            width, height = page.get_size()
            textpage = page.get_textpage()
            x0, y0, x1, y1 = box
            # A point of slack: pdfium keeps only characters wholly inside the rectangle.
            text = textpage.get_text_bounded(
                x0 * width - 1, (1 - y1) * height - 1, x1 * width + 1, (1 - y0) * height + 1
            )
            textpage.close()
            return text
        finally:
            pdf.close()


def test_fields_of_a_text_layer_pdf_carry_the_box_they_were_read_from() -> None:
    data = fixture_bytes("sample-invoice.pdf")
    processed = DocumentProcessor("auto").process(Document(data, PDF, "sample-invoice.pdf"))
    expected = {"invoiceNumber": "INV-3337", "total": "93.50", "subtotal": "85.00", "tax": "8.50"}
    for name, printed in expected.items():
        field = processed.fields[name]
        assert field.page == 1 and field.box is not None, name
        x0, y0, x1, y1 = field.box
        assert 0 <= x0 < x1 <= 1 and 0 <= y0 < y1 <= 1
        inside = text_in_pdf_box(data, 1, field.box)
        assert printed in inside, (name, inside)
        # The box is the value's, not the whole page or a paragraph.
        assert (x1 - x0) < 0.3 and (y1 - y0) < 0.05, (name, field.box)
    # Printed twice ("$85.00" in the line items and after "Sub Total"; the vendor in the address
    # and in the footer): the box is the occurrence on the line the value was read from.
    _, y0, _, y1 = processed.fields["subtotal"].box
    assert "Sub Total" in text_in_pdf_box(data, 1, (0.0, y0, 1.0, y1))
    x0, y0, x1, y1 = processed.fields["vendorName"].box
    assert "From" in text_in_pdf_box(data, 1, (0.0, y0 - 0.03, x1, y1))
    dumped = processed.fields_json()["total"]
    assert dumped["page"] == 1 and len(dumped["box"]) == 4


@needs_tesseract
def test_fields_of_an_ocred_image_carry_a_box_that_reads_back_as_the_value() -> None:
    data = fixture_bytes("invoice.png")
    processed = DocumentProcessor("tesseract").process(Document(data, PNG, "invoice.png"))
    image = Image.open(io.BytesIO(data)).convert("RGB")
    ocr = engines.create_engine("tesseract")
    for name in ("invoiceNumber", "total", "subtotal", "tax"):
        field = processed.fields[name]
        assert field.page == 1 and field.box is not None, name
        x0, y0, x1, y1 = field.box
        # The box with a little margin, cut from the page and read again on its own.
        margin_x, margin_y = 0.01 * image.width, 0.006 * image.height
        crop = image.crop(
            (
                max(0, x0 * image.width - margin_x),
                max(0, y0 * image.height - margin_y),
                min(image.width, x1 * image.width + margin_x),
                min(image.height, y1 * image.height + margin_y),
            )
        )
        enlarged = crop.convert("L").resize((crop.width * 3, crop.height * 3))
        words = ocr._apis.read(enlarged, "eng", psm=7, timeout_s=30)["text"]  # one line of text
        text = " ".join(w for w in words if w.strip())
        value = processed.fields[name].value
        printed = f"{value:.2f}" if isinstance(value, float) else str(value)
        assert printed in text.replace(",", ""), (name, field.box, text)


def test_a_value_split_over_two_runs_of_one_row_gets_their_union() -> None:
    detection = Detection(
        text="Invoice No: 4711\nTotal EUR 1.234,56",
        segments=[
            TextSegment("Invoice No:", 1.0, 1, (0.1, 0.10, 0.3, 0.12)),
            TextSegment("4711", 1.0, 1, (0.35, 0.10, 0.4, 0.12)),
            TextSegment("Total", 1.0, 1, (0.1, 0.50, 0.2, 0.52)),
            TextSegment("EUR 1.234,", 1.0, 1, (0.6, 0.50, 0.75, 0.52)),
            TextSegment("56", 1.0, 1, (0.75, 0.501, 0.8, 0.521)),
        ],
        pages=1,
        engine="test",
    )
    fields = extract_fields(detection)
    assert fields["invoiceNumber"].box == (0.35, 0.10, 0.4, 0.12)
    total = fields["total"]
    assert total.value == 1234.56 and total.page == 1
    assert total.box is not None and total.box[0] >= 0.6 and total.box[2] == 0.8


def test_a_value_with_no_segment_has_no_box() -> None:
    detection = Detection(text="Invoice No: 4711", segments=[], pages=1, engine="test")
    field = extract_fields(detection)["invoiceNumber"]
    assert field.page is None and field.box is None
    assert "box" not in field.to_json()

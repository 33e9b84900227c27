"""The text layer as pdfium gives it, and what the reader makes of it."""

from __future__ import annotations

from invoice_app.processing.engines import pdf_text
from tests.helpers.documents import text_pdf


def read(data: bytes) -> list[str]:
    with pdf_text.PDFIUM_LOCK:
        pdf = pdf_text.open_pdf(data, max_pages=1)
        try:
            text, _ = pdf_text.read_page(pdf[0], 1)
        finally:
            pdf.close()
    return text.split("\n")


def test_a_letter_spaced_letterhead_reads_as_its_words() -> None:
    lines = read(
        text_pdf(("OBRIAIN KEARNEY LLP", 6.0), ("SOLICITORS & COMMISSIONERS", 4.0), ("Fee note", 0.0))
    )

    assert lines[:3] == ["OBRIAIN KEARNEY LLP", "SOLICITORS & COMMISSIONERS", "Fee note"]


def test_lines_set_without_letter_spacing_are_left_as_pdfium_reads_them() -> None:
    # "A B C D E F": letters a space apart, as printed (no tracking to tell words by).
    lines = read(text_pdf(("Invoice No: INV-2291", 0.0), ("Rows A B C D E F", 0.0)))

    assert lines[:2] == ["Invoice No: INV-2291", "Rows A B C D E F"]

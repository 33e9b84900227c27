"""Read the text layer of a PDF with pdfium (pypdfium2): a few milliseconds per page."""

from __future__ import annotations

import logging
from typing import Any

from ..errors import UnprocessableDocument
from .types import Detection, Document, TextSegment

log = logging.getLogger(__name__)

ENGINE = "pdf-text"
MAX_PAGES = 20


def open_pdf(data: bytes, max_pages: int = MAX_PAGES) -> Any:
    """Open a PDF, turning pdfium's failures into a 422 the caller can show."""
    import pypdfium2 as pdfium  # heavy: imported on first use, not at cold start

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        reason = str(exc).lower()
        if "password" in reason:
            raise UnprocessableDocument("the PDF is encrypted; upload it without a password") from exc
        raise UnprocessableDocument(f"the PDF cannot be read ({exc})") from exc
    pages = len(pdf)
    if pages == 0:
        pdf.close()
        raise UnprocessableDocument("the PDF has no pages")
    if pages > max_pages:
        pdf.close()
        raise UnprocessableDocument(f"the PDF has {pages} pages; at most {max_pages} are accepted")
    return pdf


def page_segments(page: Any, page_no: int) -> list[TextSegment]:
    """Runs of text on one page with their boxes (fractions of the page, origin top-left)."""
    width, height = page.get_size()
    textpage = page.get_textpage()
    try:
        segments = []
        for i in range(textpage.count_rects()):
            left, bottom, right, top = textpage.get_rect(i)
            text = textpage.get_text_bounded(left, bottom, right, top).strip()
            if not text:
                continue
            box = (left / width, 1 - top / height, right / width, 1 - bottom / height)
            segments.append(TextSegment(text=text, confidence=1.0, page=page_no, box=box))
        return segments
    finally:
        textpage.close()


def page_text(page: Any) -> str:
    textpage = page.get_textpage()
    try:
        return textpage.get_text_range().replace("\r\n", "\n").replace("\r", "\n")
    finally:
        textpage.close()


def read_text_layer(document: Document, max_pages: int = MAX_PAGES) -> Detection:
    """The embedded text of every page. A scanned page simply yields no text here."""
    pdf = open_pdf(document.data, max_pages)
    try:
        texts: list[str] = []
        segments: list[TextSegment] = []
        for index in range(len(pdf)):
            page = pdf[index]
            try:
                texts.append(page_text(page))
                segments.extend(page_segments(page, index + 1))
            finally:
                page.close()
        return Detection(text="\n\n".join(texts).strip(), segments=segments, pages=len(texts), engine=ENGINE)
    finally:
        pdf.close()

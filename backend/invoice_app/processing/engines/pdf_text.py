"""Read the text layer of a PDF with pdfium (pypdfium2): a few milliseconds per page."""

from __future__ import annotations

import logging
import threading
from typing import Any

from ...core.errors import UnprocessableDocument
from ..types import TextSegment

log = logging.getLogger(__name__)

NAME = "pdf-text"

# pdfium is not thread-safe: no two of its calls may run at once in a process, not even on
# different documents (pypdfium2's documentation; doing so crashes the process). Every pdfium call
# of this app runs under this lock; OCR of a rendered page runs outside it.
PDFIUM_LOCK = threading.RLock()


def open_pdf(data: bytes, max_pages: int) -> Any:
    """Open a PDF, turning pdfium's failures into a 422 the caller can show (hold PDFIUM_LOCK)."""
    import pypdfium2 as pdfium  # heavy: imported on first use, not at cold start

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        reason = str(exc).lower()
        if "password" in reason or "security" in reason:
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


# Characters further apart than this many times their height start a new run (a table's next cell).
CELL_GAP = 1.0


def page_segments(page: Any, textpage: Any, page_no: int) -> list[TextSegment]:
    """Runs of text on one page with their boxes (fractions of the page, origin top-left).

    Built from the characters in text order: a run ends at a line break of the text and where the
    next character starts a cell apart. pdfium's own rects serve only when the characters cannot be
    mapped: generators that place every glyph on its own (Chromium's PDFs) give a rect per glyph or
    two, whose bounds overlap their neighbours' ("TAL" beside "TOT" read back as "TOTATAL")."""
    width, height = page.get_size()
    count = textpage.count_chars()
    text = textpage.get_text_range(0, count) if count > 0 else ""
    if len(text) != count:  # a character pdfium counts twice (surrogate pairs): use its rects
        return _rect_segments(page, textpage, page_no)
    segments: list[TextSegment] = []
    run: list[str] = []
    box: list[float] = []  # left, bottom, right, top (PDF points, origin bottom-left)

    def close() -> None:
        words = "".join(run).strip()
        if words and box:
            left, bottom, right, top = box
            segments.append(
                TextSegment(
                    words, 1.0, page_no, (left / width, 1 - top / height, right / width, 1 - bottom / height)
                )
            )
        run.clear()
        box.clear()

    for i, ch in enumerate(text):
        if ch in "\r\n":
            close()
            continue
        if ch.isspace():
            if run:
                run.append(" ")
            continue
        left, bottom, right, top = textpage.get_charbox(i, loose=True)
        if box:
            size = max(top - bottom, box[3] - box[1], 1e-6)
            same_line = min(top, box[3]) - max(bottom, box[1]) > 0.5 * min(top - bottom, box[3] - box[1])
            if not same_line or left - box[2] > CELL_GAP * size or left < box[0] - size:
                close()
        run.append(ch)
        if box:
            box[:] = [min(box[0], left), min(box[1], bottom), max(box[2], right), max(box[3], top)]
        else:
            box[:] = [left, bottom, right, top]
    close()
    return segments


def _rect_segments(page: Any, textpage: Any, page_no: int) -> list[TextSegment]:
    """pdfium's rects of text with their boxes (the fallback of `page_segments`)."""
    width, height = page.get_size()
    segments = []
    for i in range(textpage.count_rects()):
        left, bottom, right, top = textpage.get_rect(i)
        text = textpage.get_text_bounded(left, bottom, right, top).strip()
        if not text:
            continue
        box = (left / width, 1 - top / height, right / width, 1 - bottom / height)
        segments.append(TextSegment(text=text, confidence=1.0, page=page_no, box=box))
    return segments


def read_page(page: Any, page_no: int) -> tuple[str, list[TextSegment]]:
    """The text layer of one page (empty for a scan) and its positioned runs (hold PDFIUM_LOCK)."""
    textpage = page.get_textpage()
    try:
        text = textpage.get_text_range().replace("\r\n", "\n").replace("\r", "\n")
        # pdfium marks a hyphenation point with U+FFFE and keeps non-breaking spaces: plain text wins.
        text = text.replace("\ufffe", "").replace("\u00a0", " ")
        return text, page_segments(page, textpage, page_no)
    finally:
        textpage.close()

"""Read the text layer of a PDF with pdfium (pypdfium2): a few milliseconds per page."""

from __future__ import annotations

import itertools
import logging
import re
import statistics
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


# A line set with letter-spacing, as pdfium gives it when the generator placed each glyph on its own
# (Chromium): most of its "words" one letter long ("O 'BRI A I N K E A R N E Y LLP").
TRACKED_MIN_TOKENS = 5
TRACKED_SHARE = 0.6
# Between words of a letter-spaced line the gap is the tracking plus a space: wider than the
# tracking by this share of the letters' height.
WORD_GAP = 0.2
_LINE = re.compile(r"[^\r\n]+")


def _untracked(text: str, textpage: Any) -> str:
    """`text` (the page's, index for index its characters) with the letter-spaced lines read as
    words. pdfium adds a space of no width wherever glyphs stand apart; of those, only the ones
    where the gap is a word's, wider than the tracking, stay. Spaces the PDF prints are kept, and so
    is a line with one width of gap throughout (no words to tell the tracking by)."""
    out: list[str] = []
    last = 0
    for m in _LINE.finditer(text):
        tokens = m.group().split()
        if len(tokens) < TRACKED_MIN_TOKENS or sum(len(t) == 1 for t in tokens) < TRACKED_SHARE * len(tokens):
            continue
        boxes = {i: textpage.get_charbox(i, loose=True) for i in range(m.start(), m.end())}
        glyphs = [i for i in boxes if not text[i].isspace()]
        printed = set(glyphs)
        gaps = [boxes[b][0] - boxes[a][2] for a, b in itertools.pairwise(glyphs)]
        if not gaps:
            continue
        height = statistics.median(top - bottom for _, bottom, _, top in (boxes[i] for i in glyphs))
        word_gap = statistics.median(gaps) + WORD_GAP * height
        if max(gaps) <= word_gap:
            continue  # one width of gap throughout ("A B C D E F"): spaces as printed, no tracking
        kept = []
        for i in range(m.start(), m.end()):
            left, _, right, _ = boxes[i]
            if text[i] == " " and right - left <= 0:  # pdfium's own space: a word's, or the tracking's
                before = next((boxes[k][2] for k in range(i - 1, m.start() - 1, -1) if k in printed), None)
                after = next((boxes[k][0] for k in range(i + 1, m.end()) if k in printed), None)
                if before is not None and after is not None and after - before <= word_gap:
                    continue
            kept.append(text[i])
        out += [text[last : m.start()], "".join(kept)]
        last = m.end()
    return "".join(out) + text[last:] if out else text


def read_page(page: Any, page_no: int) -> tuple[str, list[TextSegment]]:
    """The text layer of one page (empty for a scan) and its positioned runs (hold PDFIUM_LOCK)."""
    textpage = page.get_textpage()
    try:
        text = textpage.get_text_range()
        if len(text) == textpage.count_chars():  # index for index the characters (see page_segments)
            text = _untracked(text, textpage)
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        # pdfium marks a hyphenation point with U+FFFE and keeps non-breaking spaces: plain text wins.
        text = text.replace("\ufffe", "").replace("\u00a0", " ")
        return text, page_segments(page, textpage, page_no)
    finally:
        textpage.close()

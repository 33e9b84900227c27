"""One interface for the upload route: bytes of a checked type in, text + fields + accuracy out.

PDF pages are read from their text layer (milliseconds); a page with almost no text is a scan and is
rendered and sent to OCR, as are uploaded images. The OCR engine is chosen by OCR_ENGINE, built on
first use and then reused by every request this processor serves.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..core.errors import UnprocessableDocument
from . import sniff
from .accuracy import accuracy_score
from .engines import OcrEngine, PageResult, create_engine, pdf_text, resolve_engine_name
from .extraction import extract_fields
from .limits import Deadline, Limits
from .types import Detection, Document, ProcessedDocument, TextSegment

if TYPE_CHECKING:
    from .images import PageImage

log = logging.getLogger(__name__)


class DocumentProcessor:
    """Detects text with the engine chosen by OCR_ENGINE and extracts the invoice fields."""

    def __init__(
        self,
        ocr_engine: str = "auto",
        *,
        textract_client: Callable[[], Any] | None = None,
        limits: Limits | None = None,
        engine: OcrEngine | None = None,
    ) -> None:
        """`textract_client` is a factory for the boto3 client (built only when Textract is used);
        `engine` replaces the OCR engine OCR_ENGINE would choose (tests, benchmarks)."""
        self.ocr_engine = ocr_engine
        self.limits = limits or Limits()
        self._textract_client = textract_client
        self._engine: OcrEngine | None = engine
        self._lock = threading.Lock()

    @property
    def engine_name(self) -> str:
        """The OCR engine this processor uses for images and scanned pages."""
        if self._engine is not None:
            return self._engine.name
        return resolve_engine_name(self.ocr_engine)

    def engine(self) -> OcrEngine:
        """The OCR engine, built on first use (not at cold start) and then reused."""
        if self._engine is None:
            with self._lock:
                if self._engine is None:
                    self._engine = create_engine(self.engine_name, self._textract_client)
        return self._engine

    def process(self, document: Document) -> ProcessedDocument:
        return self.finish(self.detect(document))

    def finish(self, detection: Detection) -> ProcessedDocument:
        """Fields and accuracy from what the engine saw (the evaluation's cache replays detections)."""
        fields = extract_fields(detection)
        return ProcessedDocument(
            detection=detection, fields=fields, accuracy=accuracy_score(detection, fields)
        )

    def detect(self, document: Document) -> Detection:
        deadline = Deadline(self.limits.time_budget_s)
        if document.media_type == sniff.PDF:
            return self._detect_pdf(document.data, deadline)
        if document.media_type in sniff.ACCEPTED_TYPES:
            return self._detect_image(document.data, deadline)
        raise UnprocessableDocument(f"{document.media_type} files cannot be processed")

    def _detect_image(self, data: bytes, deadline: Deadline) -> Detection:
        from .images import open_image_pages

        engine = self.engine()
        started = time.perf_counter()
        results: list[PageResult] = []
        for page in open_image_pages(data, self.limits):
            deadline.check(f"page {page.page}")
            results.append(engine.recognize(page, deadline, want_fields=not results))
        detection = _merge(results, engine.name)
        detection.ocr_pages = len(results)
        detection.timings[engine.name] = time.perf_counter() - started
        return detection

    def _detect_pdf(self, data: bytes, deadline: Deadline) -> Detection:
        started = time.perf_counter()
        with pdf_text.PDFIUM_LOCK:
            pdf = pdf_text.open_pdf(data, self.limits.max_pages)
        results: list[PageResult] = []
        ocr_seconds = setup_seconds = 0.0
        ocr_pages = 0
        ocr_name: str | None = None
        try:
            for index in range(len(pdf)):
                deadline.check(f"page {index + 1}")
                with pdf_text.PDFIUM_LOCK:
                    text, segments, scan = self._read_pdf_page(pdf, index + 1)
                if scan is None:
                    results.append(PageResult(text=text, segments=segments))
                    continue
                ocr_started = time.perf_counter()
                ocr_name = self.engine().name  # loading a model is not time per page
                setup_seconds += time.perf_counter() - ocr_started
                ocr_started = time.perf_counter()
                # Engine-side fields (Textract AnalyzeExpense) are asked for once, on the first page.
                results.append(self.engine().recognize(scan, deadline, want_fields=ocr_pages == 0))
                ocr_seconds += time.perf_counter() - ocr_started
                ocr_pages += 1
        finally:
            with pdf_text.PDFIUM_LOCK:
                pdf.close()
        name = pdf_text.NAME if ocr_name is None else f"{pdf_text.NAME}+{ocr_name}"
        detection = _merge(results, name)
        detection.timings[pdf_text.NAME] = time.perf_counter() - started - ocr_seconds - setup_seconds
        if ocr_name is not None:
            detection.timings[ocr_name] = ocr_seconds
            detection.ocr_pages = ocr_pages
        return detection

    def _read_pdf_page(self, pdf: Any, page_no: int) -> tuple[str, list[TextSegment], PageImage | None]:
        """A page's text layer, and its rendering when it is a scan (call with PDFIUM_LOCK held)."""
        import pypdfium2 as pdfium

        from .images import render_pdf_page

        page = pdf[page_no - 1]
        try:
            text, segments = pdf_text.read_page(page, page_no)
            if _visible_chars(text) >= self.limits.scanned_page_chars:
                return text, segments, None
            try:
                return text, segments, render_pdf_page(page, page_no, self.limits)
            except pdfium.PdfiumError as exc:
                raise UnprocessableDocument(f"page {page_no} of the PDF cannot be rendered ({exc})") from exc
        finally:
            page.close()


def _visible_chars(text: str) -> int:
    return sum(1 for ch in text if not ch.isspace())


def _merge(results: list[PageResult], engine: str) -> Detection:
    segments: list[TextSegment] = [s for r in results for s in r.segments]
    fields = {}
    for result in results:
        for name, found in result.fields.items():
            fields.setdefault(name, found)
    text = "\n\n".join(r.text.strip("\n") for r in results).strip()
    return Detection(text=text, segments=segments, pages=len(results), engine=engine, fields=fields)

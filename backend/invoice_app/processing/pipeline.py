"""One interface for the upload route: bytes of a checked type in, text + fields + accuracy out.

PDF pages are read from their text layer (milliseconds); a page with almost no text is a scan and is
rendered and sent to OCR, as are uploaded images. The OCR engine is chosen by OCR_ENGINE, built on
first use and then reused by every request this processor serves.

E-invoices (`einvoice/`): an uploaded CII/UBL XML file is read from the XML alone; a PDF that embeds
one (Factur-X, ZUGFeRD, XRechnung) is read from the XML *and* from its text layer, the XML wins and
every core field the page prints differently is flagged; a PDF whose embedded XML cannot be read is
read from its text as any other PDF, with a flag that says so.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from ..core.concurrent import Lane
from ..core.errors import UnprocessableDocument
from . import second_reading, sniff
from .accuracy import accuracy_score
from .engines import OcrEngine, PageResult, create_engine, pdf_text, resolve_engine_name
from .extraction.fields import extract_document
from .limits import Deadline, Limits
from .types import Detection, Document, Flag, ProcessedDocument, TextSegment

if TYPE_CHECKING:
    from .images import PageImage

log = logging.getLogger(__name__)

# Second readings (second_reading.py), seconds of OCR each: a lane of their own, so they never
# queue the round trips of `core.concurrent.beside`. One upload at a time in a warm environment;
# two serve concurrent requests of the local server (RapidOCR serialises its own calls).
_SECOND_READINGS = Lane(2, "second-reading")


class DocumentProcessor:
    """Detects text with the engine chosen by OCR_ENGINE and extracts the invoice fields."""

    def __init__(
        self,
        ocr_engine: str = "auto",
        *,
        textract_client: Callable[[], Any] | None = None,
        limits: Limits | None = None,
        engine: OcrEngine | None = None,
        embedded_xml: bool = True,
        tesseract_languages: str = "all",
        second_engine: str = "none",
    ) -> None:
        """`textract_client` is a factory for the boto3 client (built only when Textract is used);
        `engine` replaces the OCR engine OCR_ENGINE would choose (tests, benchmarks);
        `embedded_xml=False` ignores a PDF's e-invoice XML (to measure the text reader on it);
        `tesseract_languages` is TESSERACT_LANGUAGES (`all`, `auto` or e.g. `eng+deu`);
        `second_engine` is OCR_SECOND_ENGINE (`second_reading.py`; the app's default is `rapidocr`,
        this class's `none`, so a benchmark or test reads with one engine unless it asks for two)."""
        self.ocr_engine = ocr_engine
        self.embedded_xml = embedded_xml
        self.tesseract_languages = tesseract_languages
        self.second_engine = second_engine
        # Pages of one document OCRed at once: tesseract is a process of its own per page (one
        # thread each, OMP_THREAD_LIMIT=1), Textract a network call; more than the cores gains nothing.
        self.ocr_workers = max(1, min(4, os.cpu_count() or 1))
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
                    self._engine = create_engine(
                        self.engine_name, self._textract_client, tesseract_languages=self.tesseract_languages
                    )
        return self._engine

    def process(self, document: Document) -> ProcessedDocument:
        if document.media_type == sniff.XML:
            return self._read_xml_upload(document.data)
        reading = self._second_reading(document)
        processed = self.finish(self.detect(document), document)
        if reading is not None:
            try:
                detection = reading.result(timeout=max(0.0, self.limits.time_budget_s))
            except Exception as exc:  # noqa: BLE001 - the first reading stands; the upload must not fail
                log.warning("second reading by %s skipped: %s", self.second_engine, exc)
                detection = None
            if detection is not None:  # None: a PDF that is not one scanned page
                processed = second_reading.vote(processed, self.finish(detection, document))
        return self.with_accents(processed, document)

    def with_accents(self, processed: ProcessedDocument, document: Document) -> ProcessedDocument:
        """A one-page image or scan read by Tesseract: its names' accents read again (`accents.py`)."""
        if processed.detection.ocr_pages != 1 or self.engine_name != "tesseract":
            return processed
        from . import accents

        engine = self.engine()
        if not getattr(engine, "reads_accents", False) or not any(
            name in processed.fields for name in accents.NAME_FIELDS
        ):
            return processed
        try:
            if document.media_type == sniff.PDF:
                page = self._single_scanned_page(document.data)
            else:
                from .images import open_image_pages

                page = next(open_image_pages(document.data, self.limits), None)
            if page is None:
                return processed
            return accents.restore(processed, page.image, engine.read_line)  # type: ignore[attr-defined]
        except Exception as exc:  # noqa: BLE001 - the names as read stand; the upload must not fail
            log.warning("names not read again for accents: %s", exc)
            return processed

    def second_reading_wanted(self, document: Document) -> bool:
        """A single-page image Tesseract reads is read by the second engine too, and so is a PDF
        that turns out to be one scanned page (`second_reading.py`; `detect_with` says None else)."""
        return second_reading.wanted(document.media_type, self.engine_name, self.second_engine)

    def _second_reading(self, document: Document) -> Future[Detection | None] | None:
        """The second engine's reading, started now beside the first (None: not wanted)."""
        if not self.second_reading_wanted(document):
            return None
        deadline = Deadline(self.limits.time_budget_s)
        # With this request's log ids (a context variable): the second engine logs like the first.
        return _SECOND_READINGS.submit(self.detect_with, self.second_engine, document, deadline)

    def detect_with(
        self, engine_name: str, document: Document, deadline: Deadline | None = None
    ) -> Detection | None:
        """The image, or the one scanned page of a PDF, read by another local engine than this
        processor's (the second reading); None for a PDF of several pages or with a text layer:
        those are read once (their pages take the cores, or they need no OCR). The PDF's page is
        checked and rendered here, beside the first reading, off the request's own path."""
        engine = create_engine(engine_name, tesseract_languages=self.tesseract_languages)
        deadline = deadline or Deadline(self.limits.time_budget_s)
        if document.media_type != sniff.PDF:
            return self._detect_image(document.data, deadline, engine)
        page = self._single_scanned_page(document.data)
        return None if page is None else self._ocr_pages([page], deadline, engine)

    def _single_scanned_page(self, data: bytes) -> PageImage | None:
        """The rendering of a PDF's only page when it has no usable text layer, else None (a PDF
        that cannot be read is None too: the first reading says why)."""
        with pdf_text.PDFIUM_LOCK:
            try:
                pdf = pdf_text.open_pdf(data, self.limits.max_pages)
            except UnprocessableDocument:
                return None
            try:
                if len(pdf) != 1:
                    return None
                try:
                    return self._read_pdf_page(pdf, 1)[2]
                except UnprocessableDocument:
                    return None
            finally:
                pdf.close()

    def finish(self, detection: Detection, document: Document | None = None) -> ProcessedDocument:
        """Fields and accuracy from what the engine saw (the evaluation's cache replays detections);
        with the `document`, a PDF's embedded e-invoice XML is read too and wins."""
        fields, line_items, flags, adjustments = extract_document(detection)
        processed = ProcessedDocument(
            detection=detection,
            fields=fields,
            accuracy=accuracy_score(detection, fields),
            line_items=line_items,
            flags=flags,
            line_adjustments=adjustments,
        )
        if document is not None and document.media_type == sniff.PDF and self.embedded_xml:
            return self._with_embedded_xml(processed, document.data)
        return processed

    def _read_xml_upload(self, data: bytes) -> ProcessedDocument:
        from . import einvoice
        from .einvoice import result

        started = time.perf_counter()
        invoice = einvoice.read_xml(data)  # InvalidXml is a 422 with the reason
        segments = result.listing(invoice)
        detection = Detection(
            text="\n".join(s.text for s in segments),
            segments=segments,
            pages=1,
            engine=einvoice.ENGINE,
            timings={einvoice.ENGINE: time.perf_counter() - started},
        )
        fields = result.xml_fields(invoice)
        return ProcessedDocument(
            detection=detection,
            fields=fields,
            accuracy=accuracy_score(detection, fields),
            line_items=invoice.line_items,
            flags=result.line_item_flags(invoice),
        )

    def _with_embedded_xml(self, processed: ProcessedDocument, data: bytes) -> ProcessedDocument:
        """The XML's fields over the text reader's, with the flags; unchanged (or flagged) without one."""
        from . import einvoice
        from .einvoice import result
        from .einvoice.extract import xml_attachments

        started = time.perf_counter()
        with pdf_text.PDFIUM_LOCK:
            pdf = pdf_text.open_pdf(data, self.limits.max_pages)
            try:
                attachments = xml_attachments(pdf)
            finally:
                pdf.close()
        problems: list[str] = []
        for attachment in attachments:
            if attachment.data is None:
                problems.append(attachment.problem or f"the embedded {attachment.name} cannot be read")
                continue
            try:
                invoice = einvoice.read_xml(attachment.data)
            except einvoice.InvalidXml as exc:
                if attachment.standard_name:
                    problems.append(f"{attachment.name}: {exc.message}")
                continue
            detection = processed.detection
            detection.engine = einvoice.ENGINE
            detection.timings[einvoice.ENGINE] = time.perf_counter() - started
            fields, flags = result.merge_with_text(result.xml_fields(invoice), processed.fields)
            return ProcessedDocument(
                detection=detection,
                fields=fields,
                accuracy=accuracy_score(detection, fields),
                line_items=invoice.line_items,
                flags=[*flags, *result.line_item_flags(invoice), *processed.flags],
            )
        if problems:
            log.info("embedded e-invoice XML not used: %s", "; ".join(problems))
            processed.flags.append(
                Flag(
                    code="embedded-xml-invalid",
                    message="the PDF embeds e-invoice XML that cannot be read ("
                    + "; ".join(problems)
                    + "); the fields were read from the printed text",
                )
            )
        return processed

    def detect(self, document: Document) -> Detection:
        deadline = Deadline(self.limits.time_budget_s)
        if document.media_type == sniff.PDF:
            return self._detect_pdf(document.data, deadline)
        if document.media_type in sniff.ACCEPTED_TYPES:
            return self._detect_image(document.data, deadline)
        raise UnprocessableDocument(f"{document.media_type} files cannot be processed")

    def _detect_image(self, data: bytes, deadline: Deadline, engine: OcrEngine | None = None) -> Detection:
        from .images import open_image_pages

        # Decoded one by one (a generator), OCRed in parallel.
        return self._ocr_pages(open_image_pages(data, self.limits), deadline, engine or self.engine())

    def _ocr_pages(self, pages: Iterable[PageImage], deadline: Deadline, engine: OcrEngine) -> Detection:
        started = time.perf_counter()
        with _PageOcr(engine, deadline, self.ocr_workers) as ocr:
            for page in pages:
                deadline.check(f"page {page.page}")
                ocr.submit(page)
            results = ocr.results()
        detection = _merge(results, engine.name)
        detection.ocr_pages = len(results)
        detection.timings[engine.name] = time.perf_counter() - started
        return detection

    def _detect_pdf(self, data: bytes, deadline: Deadline) -> Detection:
        started = time.perf_counter()
        with pdf_text.PDFIUM_LOCK:
            pdf = pdf_text.open_pdf(data, self.limits.max_pages)
        # Per page: its text-layer result, or the index of its OCR job. Pages are read and rendered
        # here, one at a time under the pdfium lock; their OCR runs in threads meanwhile.
        slots: list[PageResult | int] = []
        text_seconds = time.perf_counter() - started
        ocr: _PageOcr | None = None
        try:
            for index in range(len(pdf)):
                deadline.check(f"page {index + 1}")
                page_started = time.perf_counter()
                with pdf_text.PDFIUM_LOCK:
                    text, segments, scan = self._read_pdf_page(pdf, index + 1)
                text_seconds += time.perf_counter() - page_started
                if scan is None:
                    slots.append(PageResult(text=text, segments=segments))
                    continue
                if ocr is None:
                    ocr = _PageOcr(self.engine(), deadline, self.ocr_workers)  # the engine loads once
                slots.append(ocr.submit(scan))
            ocr_results = ocr.results() if ocr is not None else []
        finally:
            if ocr is not None:
                ocr.close()
            with pdf_text.PDFIUM_LOCK:
                pdf.close()
        results = [ocr_results[slot] if isinstance(slot, int) else slot for slot in slots]
        name = pdf_text.NAME if ocr is None else f"{pdf_text.NAME}+{ocr.engine.name}"
        detection = _merge(results, name)
        detection.timings[pdf_text.NAME] = text_seconds
        if ocr is not None:
            detection.timings[ocr.engine.name] = ocr.seconds
            detection.ocr_pages = len(ocr_results)
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
    """Characters a text layer really holds: letters and digits, not the replacement character or
    private-use code points that a font without a Unicode map gives (that layer is no text)."""
    return sum(1 for ch in text if ch.isalnum() and not ("\ue000" <= ch <= "\uf8ff"))


class _PageOcr:
    """OCR of a document's pages in parallel threads, results in page order.

    At most `workers` pages are in flight (submitting waits for the oldest), so a 20-page scan does
    not hold 20 rendered pages at once. Engine-side fields (Textract AnalyzeExpense) are asked for
    on the first OCR page only. `seconds` adds up the time of each page's OCR.
    """

    def __init__(self, engine: OcrEngine, deadline: Deadline, workers: int) -> None:
        self.engine = engine
        self.deadline = deadline
        self.seconds = 0.0
        self._lock = threading.Lock()
        self._futures: list[Future[PageResult]] = []
        self._pool = (
            ThreadPoolExecutor(max_workers=workers, thread_name_prefix="ocr") if workers > 1 else None
        )
        self._workers = workers

    def __enter__(self) -> _PageOcr:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _recognize(self, page: PageImage, want_fields: bool) -> PageResult:
        started = time.perf_counter()
        try:
            return self.engine.recognize(page, self.deadline, want_fields=want_fields)
        finally:
            with self._lock:
                self.seconds += time.perf_counter() - started

    def submit(self, page: PageImage) -> int:
        """Start the OCR of a page; returns its index among this document's OCR pages."""
        index = len(self._futures)
        if self._pool is None:
            future: Future[PageResult] = Future()
            try:
                future.set_result(self._recognize(page, index == 0))
            except BaseException as exc:
                future.set_exception(exc)
                raise
        else:
            pending = [f for f in self._futures if not f.done()]
            if len(pending) >= self._workers:
                pending[0].result()  # bounded: wait for the oldest (its error surfaces here)
            future = self._pool.submit(self._recognize, page, index == 0)
        self._futures.append(future)
        return index

    def results(self) -> list[PageResult]:
        return [future.result() for future in self._futures]

    def close(self) -> None:
        if self._pool is not None:
            for future in self._futures:
                future.cancel()
            self._pool.shutdown(wait=True)
            self._pool = None


def _merge(results: list[PageResult], engine: str) -> Detection:
    segments: list[TextSegment] = [s for r in results for s in r.segments]
    fields = {}
    for result in results:
        for name, found in result.fields.items():
            fields.setdefault(name, found)
    text = "\n\n".join(r.text.strip("\n") for r in results).strip()
    return Detection(text=text, segments=segments, pages=len(results), engine=engine, fields=fields)

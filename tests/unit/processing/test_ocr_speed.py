"""What makes OCR fast (issue #13 item 5): pages in parallel, scale by need, English first and the
page's own language only when it shows one, no OCR of a usable text layer."""

from __future__ import annotations

import io
import threading
import time

import pytest
from PIL import Image

from invoice_app.core.errors import UnprocessableDocument
from invoice_app.processing.engines import tesseract_available
from invoice_app.processing.engines.base import PageResult
from invoice_app.processing.engines.tesseract import Settings, page_language, prepared
from invoice_app.processing.images import PageImage
from invoice_app.processing.limits import Deadline, Limits
from invoice_app.processing.pipeline import DocumentProcessor, _visible_chars
from invoice_app.processing.sniff import PDF, TIFF
from invoice_app.processing.types import Document, TextSegment
from tests.helpers.documents import image_bytes, scanned_pdf
from tests.helpers.samples import fixture_bytes


class SlowEngine:
    """Answers `page N` after a pause, and records how many pages it was reading at once."""

    name = "slow"

    def __init__(self, fail_on: int | None = None) -> None:
        self.active = self.most = 0
        self.fields_asked: list[int] = []
        self.fail_on = fail_on
        self._lock = threading.Lock()

    def recognize(self, page: PageImage, deadline: Deadline, *, want_fields: bool = False) -> PageResult:
        with self._lock:
            self.active += 1
            self.most = max(self.most, self.active)
            if want_fields:
                self.fields_asked.append(page.page)
        try:
            time.sleep(0.2)
            if page.page == self.fail_on:
                raise UnprocessableDocument(f"page {page.page} is unreadable")
            return PageResult(f"page {page.page}", [TextSegment(f"page {page.page}", 0.9, page.page)])
        finally:
            with self._lock:
                self.active -= 1


def tiff(pages: int) -> bytes:
    frames = [Image.new("L", (40, 40), 255) for _ in range(pages)]
    return image_bytes(frames[0], "TIFF", save_all=True, append_images=frames[1:])


def processor(engine: SlowEngine, workers: int) -> DocumentProcessor:
    result = DocumentProcessor("auto", engine=engine, limits=Limits())
    result.ocr_workers = workers
    return result


def test_pages_of_a_scan_are_read_in_parallel_and_kept_in_order() -> None:
    engine = SlowEngine()
    result = processor(engine, 3).process(Document(tiff(5), TIFF))
    assert engine.most == 3  # never more at once than workers
    assert result.detection.text.split("\n\n") == [f"page {n}" for n in range(1, 6)]
    assert engine.fields_asked == [1]  # engine-side fields: the first page only
    assert result.detection.ocr_pages == 5


def test_scanned_pdf_pages_are_read_in_parallel() -> None:
    blank = image_bytes(Image.new("L", (60, 80), 255), "PNG")
    engine = SlowEngine()
    result = processor(engine, 2).process(Document(scanned_pdf(blank, blank, blank), PDF))
    assert engine.most == 2
    assert result.detection.engine == "pdf-text+slow"
    assert result.detection.text.split("\n\n") == ["page 1", "page 2", "page 3"]


def test_one_worker_reads_pages_one_after_the_other() -> None:
    engine = SlowEngine()
    processor(engine, 1).process(Document(tiff(3), TIFF))
    assert engine.most == 1


def test_a_failing_page_fails_the_document() -> None:
    with pytest.raises(UnprocessableDocument, match="page 2 is unreadable"):
        processor(SlowEngine(fail_on=2), 2).process(Document(tiff(4), TIFF))


def test_a_text_layer_of_private_use_glyphs_is_no_text() -> None:
    assert _visible_chars("Invoice 2024-001 total 12.00") == 23  # letters and digits
    assert _visible_chars("\ue001\ue002\ue003 \ufffd\ufffd ...") == 0


def test_a_text_layer_pdf_is_never_ocred() -> None:
    engine = SlowEngine()
    result = processor(engine, 2).process(Document(fixture_bytes("sample-invoice.pdf"), PDF))
    assert engine.most == 0
    assert result.detection.engine == "pdf-text"


def test_scale_small_up_large_down_the_rest_as_is() -> None:
    settings = Settings()
    small, factor = prepared(Image.new("L", (300, 500), 255), settings)
    assert factor == min(settings.max_upscale, 2200 / 500)
    assert max(small.size) <= 500 * settings.max_upscale + 1
    large, factor = prepared(Image.new("L", (3508, 4961), 255), settings)  # A4 at 425 dpi
    assert factor < 1 and large.width * large.height <= settings.max_pixels * 1.01
    same, factor = prepared(Image.new("L", (844, 1741), 255), settings)
    assert factor == 1.0 and same.size == (844, 1741)


def test_the_pages_language_is_read_from_its_invoice_words() -> None:
    available = ["eng", "deu", "fra", "nld"]
    assert page_language("Rechnung Nr. 4711 Datum 05.03.2018 Summe netto MwSt 19 %", available) == "deu"
    assert (
        page_language("FACTURE n° 12 Date 01/02/2024 Total HT 100,00 TVA 20 % Total TTC", available) == "fra"
    )
    assert page_language("TAX INVOICE Date 12/01/2019 Total 10.60 Cash 20.00 Change 9.40", available) is None
    assert page_language("Rechnung Summe MwSt", ["eng"]) is None  # not installed: stay with English


@pytest.mark.skipif(not tesseract_available(), reason="tesseract is not installed")
def test_tiny_words_are_read_again_at_the_scale_they_need() -> None:
    from invoice_app.processing.engines.tesseract import TesseractEngine

    receipt = Image.open(io.BytesIO(fixture_bytes("receipt.jpg"))).convert("L")
    tiny = receipt.resize((receipt.width // 3, receipt.height // 3))
    engine = TesseractEngine(settings=Settings(min_long_side=0))  # no up-front upscale: measure first
    calls: list[tuple[int, int]] = []
    read = engine._read

    def spy(image, *args, **kwargs):
        calls.append(image.size)
        return read(image, *args, **kwargs)

    engine._read = spy  # type: ignore[method-assign]
    engine.recognize(PageImage(tiny, 1), Deadline(120))
    assert len(calls) >= 2 and calls[1][0] > calls[0][0]  # read again, larger


@pytest.mark.skipif(not tesseract_available(), reason="tesseract is not installed")
def test_tesseract_languages_setting_fixes_the_languages() -> None:
    from invoice_app.core.settings import Settings as AppSettings
    from invoice_app.processing.engines.tesseract import TesseractEngine

    assert TesseractEngine(mode="eng+deu").settings.languages == "eng+deu"
    assert TesseractEngine(mode="auto").settings.languages is None  # English first, then the page's
    # From the environment through the app's settings to the engine the processor builds:
    settings = AppSettings.from_env({"AUTH_MODE": "none", "TESSERACT_LANGUAGES": "eng+fra"})
    assert settings.tesseract_languages == "eng+fra"
    processor = DocumentProcessor("tesseract", tesseract_languages=settings.tesseract_languages)
    assert processor.engine().languages == "eng+fra"
    default = TesseractEngine()  # every installed language at once: the more accurate reading
    assert default.settings.languages == "+".join(default.available)


@pytest.mark.skipif(not tesseract_available(), reason="tesseract is not installed")
def test_tesseract_models_load_once_and_each_reading_has_an_instance_of_its_own() -> None:
    from invoice_app.processing.engines import tesseract_api

    pool = tesseract_api.ApiPool({"tessedit_char_blacklist": "¥"})
    made: list[str] = []
    new = pool._new
    pool._new = lambda languages: made.append(languages) or new(languages)  # type: ignore[method-assign]
    receipt = Image.open(io.BytesIO(fixture_bytes("receipt.jpg"))).convert("L")
    try:
        first = pool.read(receipt, "eng", psm=3, timeout_s=60)
        again = pool.read(receipt, "eng", psm=3, timeout_s=60)
        assert made == ["eng"]  # the second page borrowed the instance the first gave back
        assert first["text"] == again["text"] and any(word.strip() for word in first["text"])
        # Two pages at once: two instances, neither shared while it reads.
        threads = [threading.Thread(target=pool.read, args=(receipt, "eng", 3, 60)) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert made == ["eng", "eng"]
        with pytest.raises(tesseract_api.ReadingTimedOut):
            pool.read(receipt.resize((receipt.width * 2, receipt.height * 2)), "eng", psm=3, timeout_s=0.001)
    finally:
        pool.close()


def test_tesseract_tsv_is_read_into_columns() -> None:
    from invoice_app.processing.engines.tesseract_api import parse_tsv

    tsv = (
        "5\t1\t1\t1\t1\t1\t10\t20\t30\t12\t96.5\tTOTAL\n5\t1\t1\t1\t1\t2\t45\t20\t40\t12\t91\t12.50\nbroken\n"
    )
    data = parse_tsv(tsv)
    assert data["text"] == ["TOTAL", "12.50"] and data["conf"] == [96.5, 91.0]
    assert data["left"] == [10, 45] and data["line_num"] == [1, 1]


@pytest.mark.skipif(not tesseract_available(), reason="tesseract is not installed")
def test_missing_language_models_are_the_servers_fault_not_the_documents() -> None:
    from invoice_app.core.errors import EngineUnavailable
    from invoice_app.processing.engines.tesseract import TesseractEngine

    engine = TesseractEngine(languages="zzz")  # TESSERACT_LANGUAGES naming no installed model
    receipt = Image.open(io.BytesIO(fixture_bytes("receipt.jpg"))).convert("L")
    with pytest.raises(EngineUnavailable, match="cannot load its language models") as caught:
        engine.recognize(PageImage(receipt, 1), Deadline(60))
    assert caught.value.status == 503

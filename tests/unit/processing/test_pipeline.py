"""The processor: which pages go to OCR, the limits, and every bad input as a clear 422."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest
from PIL import Image

from invoice_app.core.errors import UnprocessableDocument
from invoice_app.processing.engines.base import PageResult
from invoice_app.processing.images import PageImage, to_ocr_mode
from invoice_app.processing.limits import Deadline, Limits
from invoice_app.processing.pipeline import DocumentProcessor
from invoice_app.processing.sniff import JPEG, PDF, PNG, TIFF
from invoice_app.processing.types import Document, ProcessedDocument, TextSegment
from tests.helpers.documents import (
    blank_pdf,
    encrypted_pdf,
    image_bytes,
    multipage_tiff,
    png_header_only,
    scanned_pdf,
)
from tests.helpers.samples import ROOT, fixture_bytes


class FakeEngine:
    """Records what it was asked to read and answers with a fixed page of text."""

    name = "fake"

    def __init__(self, text: str = "Invoice No: F-1\nTotal 10.00 EUR") -> None:
        self.text = text
        self.pages: list[tuple[int, bool, bool]] = []
        self.sizes: list[tuple[int, int]] = []

    def recognize(self, page: PageImage, deadline: Deadline, *, want_fields: bool = False) -> PageResult:
        assert page.image.mode in ("L", "RGB")
        self.pages.append((page.page, want_fields, page.original is not None))
        self.sizes.append(page.image.size)
        return PageResult(self.text, [TextSegment(line, 0.9, page.page) for line in self.text.splitlines()])


def process(
    data: bytes, media_type: str, engine: FakeEngine | None = None, **limits: float
) -> ProcessedDocument:
    processor = DocumentProcessor("auto", engine=engine or FakeEngine(), limits=Limits(**limits))
    return processor.process(Document(data, media_type, "upload"))


def test_text_layer_pdf_needs_no_ocr() -> None:
    engine = FakeEngine()
    result = process(fixture_bytes("zugferd_2p0_BASIC_Einfach.pdf"), PDF, engine)
    # The PDF embeds ZUGFeRD XML: its fields come from the XML, its text from the text layer.
    assert result.detection.engine == "e-invoice"
    assert result.detection.pages == 2
    assert result.detection.ocr_pages == 0
    assert engine.pages == []
    assert set(result.detection.timings) == {"pdf-text", "e-invoice"}


def test_scanned_pdf_pages_are_rendered_and_ocred_fields_asked_once() -> None:
    engine = FakeEngine()
    scan = scanned_pdf(fixture_bytes("invoice.png"), fixture_bytes("invoice.png"))
    result = process(scan, PDF, engine)
    assert result.detection.engine == "pdf-text+fake"
    assert result.detection.ocr_pages == 2
    assert sorted(engine.pages) == [(1, True, False), (2, False, False)]  # OCR runs in parallel threads
    assert result.fields["invoiceNumber"].value == "F-1"


def test_image_is_ocred_with_its_original_bytes_available() -> None:
    engine = FakeEngine()
    result = process(fixture_bytes("receipt.jpg"), JPEG, engine)
    assert result.detection.engine == "fake"
    assert result.detection.pages == 1
    assert engine.pages == [(1, True, True)]
    assert result.fields["total"].value == 10.0


def test_a_sideways_phone_photo_is_turned_upright() -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to display"
    photo = image_bytes(Image.new("RGB", (60, 20), "white"), "JPEG", exif=exif.tobytes())
    engine = FakeEngine()
    process(photo, JPEG, engine)
    assert engine.sizes == [(20, 60)]
    assert engine.pages == [(1, True, False)]  # Textract would get the upright copy, not the file


def test_every_frame_of_a_tiff_is_a_page() -> None:
    engine = FakeEngine()
    result = process(multipage_tiff(3), TIFF, engine)
    assert result.detection.pages == 3
    assert sorted(p for p, _, _ in engine.pages) == [1, 2, 3]


def test_engine_is_built_once_and_reused() -> None:
    processor = DocumentProcessor("rapidocr")
    assert processor.engine() is processor.engine()


@pytest.mark.parametrize(
    ("data", "media_type", "message"),
    [
        (b"%PDF-1.4\nthis is not really a PDF", PDF, "cannot be read"),
        (encrypted_pdf(), PDF, "encrypted"),
        (blank_pdf(21), PDF, "21 pages"),
        (fixture_bytes("invoice.png")[:9000], PNG, "truncated"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, PNG, "cannot be read"),
        (png_header_only(50_000, 50_000), PNG, "decompression bomb"),  # Pillow's own bomb guard
        (png_header_only(9_000, 9_000), PNG, "pixels"),  # our lower pixel cap
        (multipage_tiff(21), TIFF, "21 pages"),
        (image_bytes(Image.new("F", (30, 30)), "TIFF"), TIFF, "colour mode"),
        (image_bytes(Image.new("LAB", (30, 30)), "TIFF"), TIFF, "colour mode"),
    ],
    ids=[
        "corrupt-pdf",
        "encrypted-pdf",
        "too-many-pages",
        "truncated-png",
        "garbage-png",
        "bomb",
        "too-many-pixels",
        "too-many-frames",
        "float-mode",
        "lab-mode",
    ],
)
def test_bad_documents_are_unprocessable(data: bytes, media_type: str, message: str) -> None:
    with pytest.raises(UnprocessableDocument, match=message):
        process(data, media_type)


def test_time_budget_is_enforced() -> None:
    with pytest.raises(UnprocessableDocument, match="budget"):
        process(fixture_bytes("invoice.png"), PNG, time_budget_s=0)


def test_transparent_pixels_become_white_paper() -> None:
    image = Image.new("RGBA", (4, 4), (0, 0, 0, 0))
    assert to_ocr_mode(image).getpixel((0, 0)) == (255, 255, 255)


def test_16_bit_grey_is_scaled_not_clipped() -> None:
    image = Image.new("I;16", (2, 1))
    image.putpixel((0, 0), 1000)
    image.putpixel((1, 0), 60000)
    converted = to_ocr_mode(image)
    assert converted.mode == "L"
    assert converted.getpixel((0, 0)) == 0
    assert converted.getpixel((1, 0)) == 255


def test_large_pages_are_rendered_below_the_pixel_cap() -> None:
    engine = FakeEngine()
    scan = scanned_pdf(fixture_bytes("invoice.png"))
    process(scan, PDF, engine, max_image_pixels=200_000, render_dpi=300)
    ((width, height),) = engine.sizes
    assert 150_000 < width * height <= 200_000  # 300 dpi would be ~8 Mpx: the dpi was lowered


def test_importing_the_app_loads_no_heavy_library() -> None:
    code = (
        "import sys, app, invoice_app;"
        "invoice_app.create_app({'COGNITO_USER_POOL_ID': 'us-east-1_x', 'COGNITO_CLIENT_ID': 'c'});"
        "heavy = {'numpy', 'PIL', 'onnxruntime', 'pypdfium2', 'cv2', 'tesserocr', 'rapidocr_onnxruntime',"
        " 'rapidocr_openvino', 'openvino', 'jwt', 'cryptography'};"
        "print(sorted(heavy & set(sys.modules)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env={
            "PYTHONPATH": f"{ROOT / 'backend'}:{ROOT}",
            "PATH": "/usr/bin:/bin",
            "AWS_DEFAULT_REGION": "us-east-1",
        },
    )
    assert out.stdout.strip() == "[]"


def test_png_helper_is_really_a_png() -> None:
    with Image.open(io.BytesIO(png_header_only(10, 10))) as image:
        assert image.size == (10, 10)

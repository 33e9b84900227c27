"""Each page of an original as a screen-sized image: PDFs rendered by pdfium, images as uploaded.

The work per document is bounded: at most `Limits.max_pages` pages, a source image at most
`Limits.max_image_pixels`, every output at most `LONG_SIDE` pixels on its long side. Images are
turned upright by their EXIF orientation, as the OCR saw them, so the field boxes (fractions of the
page) land on the same text. pypdfium2 is imported lazily and every pdfium call holds PDFIUM_LOCK.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..core.errors import UnprocessableDocument
from ..processing.limits import Limits
from ..processing.sniff import PDF, sniff_media_type

if TYPE_CHECKING:
    from PIL.Image import Image

log = logging.getLogger(__name__)

# Long side of a page image: A4 at ~135 dpi, readable on a laptop and sharp when zoomed 2x.
LONG_SIDE = 1600
MEDIA_TYPE = "image/webp"
_WEBP_QUALITY = 82


@dataclass(frozen=True)
class PageImage:
    page: int  # 1-based
    data: bytes
    width: int
    height: int


def render_pages(data: bytes, limits: Limits | None = None) -> list[PageImage]:
    """Every page of a PDF or image original as an encoded image, in page order."""
    limits = limits or Limits()
    media_type = sniff_media_type(data[:16])
    if media_type is None:
        raise UnprocessableDocument("the stored original is not a PDF or an image")
    frames = _pdf_pages(data, limits) if media_type == PDF else _image_pages(data, limits)
    return [_encode(number, image) for number, image in frames]


def _pdf_pages(data: bytes, limits: Limits) -> Iterator[tuple[int, Image]]:
    from ..processing.engines import pdf_text

    images: list[Image] = []
    with pdf_text.PDFIUM_LOCK:  # pdfium is not thread-safe: open, render and close under the lock
        pdf = pdf_text.open_pdf(data, limits.max_pages)
        try:
            for index in range(len(pdf)):
                page = pdf[index]
                try:
                    width_pt, height_pt = page.get_size()
                    if min(width_pt, height_pt) <= 0:
                        raise UnprocessableDocument(f"page {index + 1} of the PDF has no area to render")
                    bitmap = page.render(scale=LONG_SIDE / max(width_pt, height_pt))
                    try:
                        # A copy owns its pixels: the bitmap is freed here, under the lock.
                        images.append(bitmap.to_pil().copy())
                    finally:
                        bitmap.close()
                finally:
                    page.close()
        finally:
            pdf.close()
    yield from enumerate(images, start=1)  # encoding needs no lock


def _image_pages(data: bytes, limits: Limits) -> Iterator[tuple[int, Image]]:
    from PIL import Image as PilImage
    from PIL import ImageOps, UnidentifiedImageError

    from ..processing.images import check_pixels, to_ocr_mode

    try:
        image = PilImage.open(io.BytesIO(data))
        with image:
            frames = getattr(image, "n_frames", 1)
            if frames > limits.max_pages:
                raise UnprocessableDocument(f"the image has {frames} pages; at most {limits.max_pages}")
            pages = []
            for index in range(frames):
                image.seek(index)
                check_pixels(image.width, image.height, limits, "image")
                image.load()
                frame = ImageOps.exif_transpose(image.copy())
                frame.thumbnail((LONG_SIDE, LONG_SIDE), PilImage.Resampling.LANCZOS)
                pages.append(to_ocr_mode(frame))
    except UnprocessableDocument:
        raise
    except PilImage.DecompressionBombError as exc:
        raise UnprocessableDocument("the image is too large to decode (possible decompression bomb)") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        raise UnprocessableDocument(f"the stored image cannot be read ({exc})") from exc
    yield from enumerate(pages, start=1)


def _encode(number: int, image: Image) -> PageImage:
    out = io.BytesIO()
    image.save(out, format="WEBP", quality=_WEBP_QUALITY, method=4)
    return PageImage(page=number, data=out.getvalue(), width=image.width, height=image.height)

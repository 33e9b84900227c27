"""Turn uploaded images and scanned PDF pages into checked 8-bit images for OCR (Pillow, lazily imported).

Every way a file can be bad — not decodable, truncated, too many pixels, too many frames, a colour
mode OCR cannot use — becomes an `UnprocessableDocument` with a message for the uploader.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..core.errors import UnprocessableDocument
from .limits import Limits

if TYPE_CHECKING:
    from PIL.Image import Image

log = logging.getLogger(__name__)

# Colour modes we know how to bring to 8-bit grey/RGB without losing the text. Anything else
# (LAB, HSV, 32-bit float, …) is refused rather than OCRed into garbage.
_GREY = {"1", "L"}
_RGB = {"RGB", "RGBX", "CMYK", "YCbCr", "P"}
_ALPHA = {"LA", "PA", "RGBA", "RGBa", "La"}
_WIDE_GREY = {"I", "I;16", "I;16B", "I;16L", "I;16N"}
SUPPORTED_MODES = _GREY | _RGB | _ALPHA | _WIDE_GREY
_EXIF_ORIENTATION = 0x0112


@dataclass
class PageImage:
    """One page ready for OCR: an 8-bit "L" or "RGB" image plus, for a single-page upload, its bytes."""

    image: Image
    page: int  # 1-based
    # The uploaded file itself when it is a one-page PNG/JPEG: Textract can take it as is.
    original: bytes | None = None


def check_pixels(width: int, height: int, limits: Limits, what: str) -> None:
    if width <= 0 or height <= 0:
        raise UnprocessableDocument(f"the {what} has no pixels")
    if width * height > limits.max_image_pixels:
        raise UnprocessableDocument(
            f"the {what} is {width}×{height} pixels; at most {limits.max_image_pixels:,} pixels are accepted"
        )


def to_ocr_mode(image: Image) -> Image:
    """An 8-bit grey or RGB copy; transparent areas become white (not black) paper."""
    from PIL import Image as PilImage

    mode = image.mode
    if mode not in SUPPORTED_MODES:
        raise UnprocessableDocument(
            f"the image uses the colour mode {mode!r}, which cannot be read; save it as RGB or greyscale"
        )
    if mode == "L":
        return image
    if mode == "1":
        return image.convert("L")
    if mode in _WIDE_GREY:
        # 16/32-bit grey: scale the sample range down to 8 bits instead of clipping at 255.
        wide = image.convert("I")
        low, high = wide.getextrema()
        span = max(1, high - low)
        return wide.point(lambda v: (v - low) * 255 / span).convert("L")
    if mode in _ALPHA:
        rgba = image.convert("RGBA")
        paper = PilImage.new("RGBA", rgba.size, (255, 255, 255, 255))
        return PilImage.alpha_composite(paper, rgba).convert("RGB")
    return image.convert("RGB")


def open_image_pages(data: bytes, limits: Limits) -> Iterator[PageImage]:
    """Decode an uploaded image (every frame of a multi-page TIFF), checking each limit first."""
    from PIL import Image as PilImage
    from PIL import ImageOps, UnidentifiedImageError

    try:
        image = PilImage.open(io.BytesIO(data))
    except PilImage.DecompressionBombError as exc:
        raise UnprocessableDocument("the image is too large to decode (possible decompression bomb)") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise UnprocessableDocument(f"the image cannot be read ({exc})") from exc

    with image:
        frames = getattr(image, "n_frames", 1)
        if frames > limits.max_pages:
            raise UnprocessableDocument(
                f"the image has {frames} pages; at most {limits.max_pages} are accepted"
            )
        original = data if frames == 1 and image.format in ("PNG", "JPEG") else None
        for index in range(frames):
            try:
                image.seek(index)
                check_pixels(image.width, image.height, limits, "image")
                image.load()
                frame = image.copy() if frames > 1 else image
                if image.getexif().get(_EXIF_ORIENTATION, 1) != 1:
                    # A phone photo stored sideways: OCR needs it upright, so Textract gets our copy too.
                    frame, original = ImageOps.exif_transpose(frame), None
                page = to_ocr_mode(frame)
            except UnprocessableDocument:
                raise
            except PilImage.DecompressionBombError as exc:
                raise UnprocessableDocument(
                    "the image is too large to decode (possible decompression bomb)"
                ) from exc
            except (OSError, SyntaxError, ValueError, EOFError) as exc:
                # Pillow reports a cut-off file as "image file is truncated" (OSError).
                raise UnprocessableDocument(f"the image is damaged or truncated ({exc})") from exc
            yield PageImage(image=page, page=index + 1, original=original)


def render_pdf_page(page: Any, page_no: int, limits: Limits) -> PageImage:
    """Rasterise a scanned PDF page at `limits.render_dpi`, lowered if the page would exceed the pixel
    cap (hold pdf_text.PDFIUM_LOCK)."""
    width_pt, height_pt = page.get_size()
    scale = limits.render_dpi / 72
    pixels = width_pt * height_pt * scale * scale
    if pixels > limits.max_image_pixels:
        scale *= 0.99 * (limits.max_image_pixels / pixels) ** 0.5  # 1 % margin: pdfium rounds sizes up
        log.info(
            "page %d is large; rendering at %.0f dpi instead of %d", page_no, scale * 72, limits.render_dpi
        )
    if width_pt * scale < 1 or height_pt * scale < 1:
        raise UnprocessableDocument(f"page {page_no} of the PDF has no area to render")
    bitmap = page.render(scale=scale, grayscale=True)
    try:
        # A copy owns its pixels, so the bitmap is freed here, under the caller's pdfium lock,
        # and not later by the garbage collector in whatever thread it happens to run.
        image = bitmap.to_pil().copy()
    finally:
        bitmap.close()
    return PageImage(image=to_ocr_mode(image), page=page_no)

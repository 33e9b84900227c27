"""Tesseract through pytesseract: the fastest local engine here, and it keeps spaces between words."""

from __future__ import annotations

import logging
import os
from typing import TYPE_CHECKING

from ...core.errors import UnprocessableDocument
from .base import PageResult, Piece, page_result

if TYPE_CHECKING:
    from PIL.Image import Image

    from ..images import PageImage
    from ..limits import Deadline

log = logging.getLogger(__name__)

NAME = "tesseract"
# Languages of the invoices we expect; whichever of them are installed are used together.
WANTED_LANGUAGES = ("eng", "deu", "fra", "nld")
# Tesseract reads best when capitals are 20–30 px tall; small screenshots are scaled up first.
_MIN_LONG_SIDE = 1600
_TARGET_LONG_SIDE = 2200
_MAX_UPSCALE = 2.5


class TesseractEngine:
    name = NAME

    def __init__(self, languages: str | None = None, psm: int = 3) -> None:
        import pytesseract

        # Tesseract's OpenMP threads spin against each other on small machines: one thread per
        # page is about 3× faster on 2 cores (0.6 s instead of 1.9 s for a receipt). An operator's
        # own setting wins; the variable reaches the tesseract processes pytesseract starts.
        os.environ.setdefault("OMP_THREAD_LIMIT", "1")
        self._tess = pytesseract
        if languages is None:
            installed = set(pytesseract.get_languages(config=""))
            languages = "+".join(lang for lang in WANTED_LANGUAGES if lang in installed) or "eng"
        self.languages = languages
        self.config = f"--psm {psm}"
        log.info("tesseract %s ready (languages %s)", pytesseract.get_tesseract_version(), languages)

    def recognize(self, page: PageImage, deadline: Deadline, *, want_fields: bool = False) -> PageResult:
        image, scale = _prepared(page.image)
        deadline.check(f"before OCR of page {page.page}")
        try:
            data = self._tess.image_to_data(
                image,
                lang=self.languages,
                config=self.config,
                output_type=self._tess.Output.DICT,
                timeout=max(1.0, deadline.remaining()),
            )
        except RuntimeError as exc:
            # pytesseract kills the process at the timeout and raises RuntimeError("… timeout").
            if "timeout" in str(exc).lower():
                raise UnprocessableDocument(
                    f"the document took longer than the {deadline.seconds:g} s processing budget "
                    f"(OCR of page {page.page})"
                ) from exc
            raise
        return page_result(_lines(data, scale), page.page, page.image.width, page.image.height)


def _prepared(image: Image) -> tuple[Image, float]:
    """Grey image, upscaled when it is small; returns the factor so boxes map back."""
    from PIL import Image as PilImage

    grey = image if image.mode == "L" else image.convert("L")
    long_side = max(grey.size)
    if long_side >= _MIN_LONG_SIDE:
        return grey, 1.0
    factor = min(_MAX_UPSCALE, _TARGET_LONG_SIDE / long_side)
    size = (round(grey.width * factor), round(grey.height * factor))
    return grey.resize(size, PilImage.Resampling.LANCZOS), factor


def _lines(data: dict[str, list], scale: float) -> list[Piece]:
    """Tesseract's words grouped into its own lines, with the mean word confidence (0–1)."""
    lines: dict[tuple[int, int, int, int], list[int]] = {}
    for i, word in enumerate(data["text"]):
        if not str(word).strip() or float(data["conf"][i]) < 0:
            continue
        key = (data["page_num"][i], data["block_num"][i], data["par_num"][i], data["line_num"][i])
        lines.setdefault(key, []).append(i)
    pieces = []
    for indexes in lines.values():
        x0 = min(data["left"][i] for i in indexes)
        y0 = min(data["top"][i] for i in indexes)
        x1 = max(data["left"][i] + data["width"][i] for i in indexes)
        y1 = max(data["top"][i] + data["height"][i] for i in indexes)
        conf = sum(float(data["conf"][i]) for i in indexes) / len(indexes) / 100
        text = " ".join(str(data["text"][i]).strip() for i in indexes)
        pieces.append(Piece(text, conf, x0 / scale, y0 / scale, x1 / scale, y1 / scale))
    return pieces

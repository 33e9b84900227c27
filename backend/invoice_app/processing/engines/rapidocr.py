"""RapidOCR (PaddleOCR models on onnxruntime): models ship in the wheel, so it works from PyPI alone.

It tends to drop the spaces between words ("InvoiceDate"); the extractor copes with that.
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

from .base import PageResult, Piece, page_result

if TYPE_CHECKING:
    from ..images import PageImage
    from ..limits import Deadline

log = logging.getLogger(__name__)

NAME = "rapidocr"


class RapidOcrEngine:
    name = NAME

    def __init__(self) -> None:
        from rapidocr_onnxruntime import RapidOCR

        self._ocr = RapidOCR()
        # onnxruntime sessions are thread-safe, RapidOCR's Python wrapper is not documented as such,
        # and two concurrent runs on two cores gain nothing: one page at a time.
        self._lock = threading.Lock()

    def recognize(self, page: PageImage, deadline: Deadline, *, want_fields: bool = False) -> PageResult:
        import numpy as np

        image = page.image if page.image.mode == "RGB" else page.image.convert("RGB")
        deadline.check(f"before OCR of page {page.page}")
        with self._lock:
            result, _elapsed = self._ocr(np.asarray(image))
        pieces = []
        for box, text, score in result or []:
            xs = [float(point[0]) for point in box]
            ys = [float(point[1]) for point in box]
            pieces.append(Piece(str(text), float(score), min(xs), min(ys), max(xs), max(ys)))
        return page_result(pieces, page.page, image.width, image.height)

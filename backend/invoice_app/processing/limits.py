"""What one document may cost: pages, pixels and seconds. Exceeding a limit is a 422, never a crash."""

from __future__ import annotations

import time
from dataclasses import dataclass

from ..core.errors import UnprocessableDocument


@dataclass(frozen=True)
class Limits:
    # A longer document is almost certainly not one invoice, and every page costs OCR time.
    max_pages: int = 20
    # Decoded pixels per image or rendered page. A4 at 600 dpi is 35 Mpx; a "decompression bomb"
    # (a few KB that decode to gigabytes) is far above.
    max_image_pixels: int = 40_000_000
    # Resolution for scanned PDF pages sent to OCR (the issue asks for 200–300 dpi).
    render_dpi: int = 200
    # API Gateway gives up after ~30 s; stop OCR before that and say why.
    time_budget_s: float = 25.0
    # A PDF page whose text layer holds fewer visible characters than this is treated as a scan.
    scanned_page_chars: int = 20


class Deadline:
    """The per-document time budget, checked between pages and passed to engines that can time out."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._expires = time.monotonic() + seconds

    def remaining(self) -> float:
        return self._expires - time.monotonic()

    def check(self, doing: str) -> None:
        if self.remaining() <= 0:
            raise UnprocessableDocument(
                f"the document took longer than the {self.seconds:g} s processing budget ({doing})"
            )

"""RapidOCR (PaddleOCR's models): the models ship in the wheel, so it works from PyPI alone.

Two builds of the same library run the same models: `rapidocr-openvino` (OpenVINO's CPU runtime,
the default when installed) and `rapidocr-onnxruntime`. OpenVINO, held to 32-bit floats, reads a
receipt in about 0.6x onnxruntime's time with the same text (`bench/ocr_sessions.py`); left to
itself it computes in bfloat16 on CPUs that have it, faster still but with other text.
It tends to drop the spaces between words ("InvoiceDate"); the extractor copes with that.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from .base import PageResult, Piece, page_result

if TYPE_CHECKING:
    from ..images import PageImage
    from ..limits import Deadline

log = logging.getLogger(__name__)

NAME = "rapidocr"
RUNTIMES = ("openvino", "onnxruntime")
# RapidOCR builds its inference sessions itself; the options are changed while it does.
_building = threading.Lock()


def default_runtime() -> str:
    """OpenVINO when its build of RapidOCR is installed, else onnxruntime."""
    from importlib.util import find_spec

    return "openvino" if find_spec("rapidocr_openvino") else "onnxruntime"


class RapidOcrEngine:
    name = NAME

    def __init__(self, *, runtime: str | None = None, tuned_sessions: bool = True) -> None:
        """`runtime` is one of RUNTIMES (default: `default_runtime()`); `tuned_sessions=False` keeps
        RapidOCR's own session options (`bench/ocr_sessions.py` compares them)."""
        self.runtime = runtime or default_runtime()
        if self.runtime not in RUNTIMES:
            raise ValueError(f"unknown RapidOCR runtime {self.runtime!r}; expected one of {RUNTIMES}")
        with _building:
            if self.runtime == "openvino":
                from rapidocr_openvino import RapidOCR

                with _openvino_options(tuned_sessions):
                    self._ocr = RapidOCR()
            else:
                from rapidocr_onnxruntime import RapidOCR

                with _session_options(tuned_sessions):
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


@contextmanager
def _openvino_options(tuned: bool) -> Iterator[None]:
    """RapidOCR's OpenVINO models compiled to compute in 32-bit floats. OpenVINO's CPU plugin
    otherwise picks bfloat16 where the CPU has it (AVX-512 BF16, AMX): on 8 receipts 0.47x
    onnxruntime's time instead of 0.62x, but 93 lines read otherwise instead of 2."""
    from rapidocr_openvino.utils import infer_engine

    stock = infer_engine.Core
    if not tuned:
        yield
        return

    class Core(stock):  # type: ignore[misc, valid-type]
        def __init__(self) -> None:
            super().__init__()
            self.set_property("CPU", {"INFERENCE_PRECISION_HINT": "f32"})

    infer_engine.Core = Core
    try:
        yield
    finally:
        infer_engine.Core = stock


@contextmanager
def _session_options(tuned: bool) -> Iterator[None]:
    """RapidOCR's sessions, built meanwhile, with onnxruntime's memory arena on and its idle threads
    sleeping instead of spinning. RapidOCR turns the arena off (each image then allocates its
    tensors anew), and spinning threads take the core Tesseract reads the same receipt on (the
    second reading runs beside it): `bench/ocr_sessions.py` measured a receipt read by both engines
    at once in 0.80–0.82× the time it takes with the library's options, RapidOCR alone in
    0.88–0.92× (two runs). The readings themselves are the same."""
    from rapidocr_onnxruntime.utils import infer_engine

    stock = infer_engine.OrtInferSession.__dict__["_init_sess_opts"]
    if not tuned:
        yield
        return

    def options(config: dict[str, Any]) -> Any:
        opts = stock.__func__(config)
        opts.enable_cpu_mem_arena = True
        opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
        return opts

    infer_engine.OrtInferSession._init_sess_opts = staticmethod(options)
    try:
        yield
    finally:
        infer_engine.OrtInferSession._init_sess_opts = stock

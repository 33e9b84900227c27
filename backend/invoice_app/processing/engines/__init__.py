"""Text-detection engines behind one interface (`base.OcrEngine`), chosen by OCR_ENGINE.

Each engine module is imported only when the engine is first needed, so importing the app (the
Lambda cold start) loads none of numpy, Pillow, onnxruntime or pypdfium2. Local engines are built
once per process and shared by every request.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import threading
from collections.abc import Callable, Mapping
from typing import Any

from ...core.errors import EngineUnavailable
from .base import OcrEngine, PageResult

log = logging.getLogger(__name__)

LOCAL_ENGINES = ("tesseract", "rapidocr")
ENGINES = (*LOCAL_ENGINES, "textract")

_local: dict[tuple[str, str], OcrEngine] = {}
_local_lock = threading.Lock()

__all__ = ["ENGINES", "LOCAL_ENGINES", "OcrEngine", "PageResult", "create_engine", "resolve_engine_name"]


def tesseract_available() -> bool:
    """tesserocr is installed and so are Tesseract's language models (not imported here: cold start)."""
    from .tesseract_api import tessdata_dir

    return importlib.util.find_spec("tesserocr") is not None and tessdata_dir() is not None


def resolve_engine_name(setting: str, environ: Mapping[str, str] | None = None) -> str:
    """`auto` → Textract on Lambda, else tesseract when installed, else RapidOCR (PyPI only)."""
    env = os.environ if environ is None else environ
    if setting != "auto":
        if setting not in ENGINES:
            raise ValueError(f"unknown OCR engine {setting!r}; expected auto or one of {ENGINES}")
        return setting
    if env.get("AWS_LAMBDA_FUNCTION_NAME"):
        return "textract"
    return "tesseract" if tesseract_available() else "rapidocr"


def create_engine(
    name: str, textract_client: Callable[[], Any] | None = None, *, tesseract_languages: str = "all"
) -> OcrEngine:
    """The engine called `name`; local engines are process-wide singletons (their models load once),
    one per configuration (`tesseract_languages`: TESSERACT_LANGUAGES, for Tesseract)."""
    if name == "textract":
        if textract_client is None:
            raise ValueError("the Textract engine needs a client factory")
        from .textract import TextractEngine

        return TextractEngine(textract_client)
    key = (name, tesseract_languages if name == "tesseract" else "")
    with _local_lock:
        engine = _local.get(key)
        if engine is None:
            engine = _build_local(name, tesseract_languages)
            _local[key] = engine
        return engine


def _build_local(name: str, tesseract_languages: str) -> OcrEngine:
    # A missing engine is the server's configuration problem (503), not the uploader's (422).
    try:
        if name == "tesseract":
            if not tesseract_available():
                raise EngineUnavailable(
                    "OCR_ENGINE=tesseract, but tesserocr or Tesseract's language models are not installed"
                )
            from .tesseract import TesseractEngine

            return TesseractEngine(mode=tesseract_languages)
        if name == "rapidocr":
            from .rapidocr import RapidOcrEngine

            return RapidOcrEngine()
    except ImportError as exc:
        log.error("OCR engine %s cannot be loaded: %s", name, exc)
        raise EngineUnavailable(f"the {name} OCR engine is not installed on this server") from exc
    raise ValueError(f"unknown OCR engine {name!r}")

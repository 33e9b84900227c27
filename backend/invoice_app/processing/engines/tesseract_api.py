"""Tesseract's C++ API through tesserocr: the language models load once per process, not per page.

The tesseract command line (what pytesseract drives) loads its models for every image it reads:
0.6–0.8 s of CPU for `eng+deu+fra+nld` before the first pixel is read, about a third of a
receipt's time, and again for each second look. Here an API instance is initialised once per
language set and kept; a reading borrows an idle one (or makes one) and gives it back.

tesserocr's rules (its README, "Thread safety"): one instance per worker at a time, never shared
while it reads; it releases the GIL while Tesseract works, so pages read on threads run on
separate cores. Variables that are process-wide in Tesseract (`tessedit_char_blacklist` among
them) are given when an instance is made and never changed afterwards.
"""

from __future__ import annotations

import functools
import logging
import os
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from PIL.Image import Image

log = logging.getLogger(__name__)

# Where Debian (tesseract-ocr-*), Homebrew and source builds put the models; TESSDATA_PREFIX first.
_TESSDATA_DIRS = (
    "/usr/share/tesseract-ocr/5/tessdata",
    "/usr/share/tesseract-ocr/4.00/tessdata",
    "/usr/share/tessdata",
    "/usr/local/share/tessdata",
    "/opt/homebrew/share/tessdata",
)
# The TSV columns Tesseract writes (the same as `tesseract … tsv`, which pytesseract parsed).
_COLUMNS = (
    "level",
    "page_num",
    "block_num",
    "par_num",
    "line_num",
    "word_num",
    "left",
    "top",
    "width",
    "height",
    "conf",
    "text",
)
_INTS = frozenset(_COLUMNS[:10])
# Idle instances kept per language set: one per page read at once (the pipeline's OCR workers).
_IDLE_PER_LANGUAGES = 4


class ModelsUnavailable(RuntimeError):
    """The language models asked for are not installed (or cannot be loaded): the server's fault."""


class ReadingTimedOut(Exception):
    """Tesseract gave up on a page at its timeout."""


@functools.cache
def tessdata_dir() -> str | None:
    """The directory that holds the installed `.traineddata` models (with English), or None."""
    candidates = [os.environ.get("TESSDATA_PREFIX", ""), *_TESSDATA_DIRS]
    for candidate in filter(None, candidates):
        path = Path(candidate)
        for folder in (path, path / "tessdata"):
            if (folder / "eng.traineddata").is_file():
                return str(folder)
    return None


def installed_languages() -> list[str]:
    folder = tessdata_dir()
    return sorted(p.stem for p in Path(folder).glob("*.traineddata")) if folder else []


def version() -> str:
    import tesserocr

    return str(tesserocr.tesseract_version()).splitlines()[0]


class ApiPool:
    """Initialised tesserocr API instances, per language set, lent to one reading at a time."""

    def __init__(self, variables: Mapping[str, str]) -> None:
        import tesserocr

        # Tesseract's and Leptonica's notes ("Estimating resolution as 393", "invalid box") went to
        # the command line's stderr, which nobody read; in-process they would reach the server's log
        # as lines that are not JSON. A failed reading still raises.
        tesserocr.set_leptonica_log_level(tesserocr.LeptLogLevel.NONE)
        self._variables = {"debug_file": os.devnull, **variables}
        self._idle: dict[str, list[Any]] = {}
        self._lock = threading.Lock()

    @contextmanager
    def _borrowed(self, languages: str) -> Iterator[Any]:
        with self._lock:
            idle = self._idle.setdefault(languages, [])
            api = idle.pop() if idle else None
        if api is None:
            api = self._new(languages)
        try:
            yield api
        finally:
            with self._lock:
                idle = self._idle[languages]
                if len(idle) < _IDLE_PER_LANGUAGES:
                    idle.append(api)
                    api = None
            if api is not None:
                api.End()

    def _new(self, languages: str) -> Any:
        import tesserocr

        folder = tessdata_dir()
        if folder is None:
            raise ModelsUnavailable("no Tesseract language models (eng.traineddata) are installed")
        log.debug("initialising tesseract for %s", languages)
        try:
            return tesserocr.PyTessBaseAPI(path=folder, lang=languages, variables=self._variables)
        except RuntimeError as exc:  # tesserocr's word for a model that is missing or damaged
            raise ModelsUnavailable(f"Tesseract cannot load the models {languages!r} from {folder}") from exc

    def read(self, image: Image, languages: str, psm: int, timeout_s: float) -> dict[str, list[Any]]:
        """The words of `image` as `{column: [values]}` (Tesseract's TSV, what `image_to_data` gave)."""
        with self._borrowed(languages) as api:
            api.SetPageSegMode(psm)  # tesserocr.PSM values are the plain numbers
            api.SetImage(image)
            # tesserocr hands the image over with a resolution of its own; the command line read a
            # file without one and Tesseract estimated it from the text's size. Layout analysis
            # measures gaps in inches, so this decides which words form a line: keep estimating.
            api.SetSourceResolution(_credible_dpi(image))
            if not api.Recognize(timeout=max(1, int(timeout_s * 1000))):
                api.Clear()
                raise ReadingTimedOut(f"tesseract stopped after {timeout_s:.1f} s")
            tsv = api.GetTSVText(0)
            api.Clear()  # the page's image and results are not kept by an idle instance
        return parse_tsv(tsv)

    def close(self) -> None:
        with self._lock:
            apis = [api for idle in self._idle.values() for api in idle]
            self._idle.clear()
        for api in apis:
            api.End()


def _credible_dpi(image: Image) -> int:
    """The resolution the image says it has, or 0 (unknown: Tesseract estimates it)."""
    dpi = image.info.get("dpi")
    try:
        value = round(float(dpi[0])) if dpi else 0
    except (TypeError, ValueError, IndexError):
        value = 0
    return value if 70 <= value <= 2400 else 0


def parse_tsv(tsv: str) -> dict[str, list[Any]]:
    data: dict[str, list[Any]] = {column: [] for column in _COLUMNS}
    for row in tsv.splitlines():
        values = row.split("\t", len(_COLUMNS) - 1)
        if len(values) < len(_COLUMNS) - 1 or not values[0].isdigit():
            continue  # a header or a broken line
        values += [""] * (len(_COLUMNS) - len(values))
        for column, value in zip(_COLUMNS, values, strict=True):
            if column in _INTS:
                data[column].append(int(value))
            elif column == "conf":
                data[column].append(float(value))
            else:
                data[column].append(value)
    return data

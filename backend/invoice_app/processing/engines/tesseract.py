"""Tesseract through tesserocr: the fastest local engine here, and it keeps spaces between words.

What makes it fast enough for receipts (issue #13, item 5; `bench/ocr_speed.py` measures it):
- Models loaded once: Tesseract's API is called in-process (`tesseract_api.py`), so the 0.6–0.8 s
  the command line spent loading four language models for every image is spent once per process.
- Languages: with `eng+deu+fra+nld` Tesseract re-reads every doubtful word with each model, about
  3× the CPU of `eng` alone on a receipt. A page is read with English first; only when that text
  shows another expected language (its invoice words) is it read again with that language first.
- Scale: the LSTM reads each text line normalised to a fixed height, so pixels beyond what the text
  needs only cost layout analysis. Images under 1600 px are upscaled (receipts measured without it
  lost dates and totals), large scans are brought down to a pixel budget, and a page whose words
  still come out tiny is read again at the scale that brings them to the height Tesseract reads best.
- Page segmentation: chosen by measuring, not by layout rule. On SROIE receipts (English first, same
  scaling) psm 4 (one column) read 3 fewer labelled fields than psm 3 (full page analysis) over 54
  receipts, psm 6 (one block) as many as psm 3 over 24; so receipts and pages alike keep psm 3.
  Measured again with all four languages on the 150 SROIE receipts (issue #13, third round):
  psm 4 all-field F1 0.760 against psm 3 0.768, and no faster.
- Preparation, measured one lever at a time on the 150 SROIE receipts (same extractor; F1 even /
  odd ids): painting dark scanner edges white (`trim_borders`, changes 78 of the 150 inputs) or
  stretching faded print (`stretch_contrast`, 75) or scaling by the measured text-line height
  (`line_height`) each win on one half and lose on the other — Tesseract's reading flips on small
  changes of its input — so none is applied to every page. What wins on both halves is a second
  look: a first page whose reading lacks its date or total (26 of 150) is read again from the
  prepared image and the reading that yields more fields is kept (`_second_look`).
"""

from __future__ import annotations

import functools
import logging
import os
import re
import time
from dataclasses import dataclass, replace
from statistics import median
from typing import TYPE_CHECKING, Any

from ...core.errors import EngineUnavailable, UnprocessableDocument
from . import tesseract_api
from .base import PageResult, Piece, page_result

if TYPE_CHECKING:
    from PIL.Image import Image

    from ..images import PageImage
    from ..limits import Deadline

log = logging.getLogger(__name__)

NAME = "tesseract"
# Languages of the invoices we expect; whichever of them are installed are used.
WANTED_LANGUAGES = ("eng", "deu", "fra", "nld")
# Words that mark a page's language (invoice vocabulary); two distinct hits decide.
_LANGUAGE_WORDS = {
    "deu": r"rechnung|rechnungsnummer|datum|mwst|ust|steuer|betrag|summe|gesamt|zahlbar|lieferant"
    r"|netto|brutto",
    "fra": r"facture|date|tva|montant|total|ht|ttc|échéance|echeance|fournisseur|paiement|règlement",
    "nld": r"factuur|datum|btw|bedrag|totaal|vervaldatum|leverancier|betaling",
}
_ENGLISH_WORDS = r"invoice|date|tax|vat|amount|total|subtotal|due|receipt|cash|change|gst|qty"


@dataclass(frozen=True)
class Settings:
    """How pages are prepared and read; `LEGACY` are the settings before issue #13 (for the bench)."""

    # None: English first, the page's language added when its text shows one; else this string.
    languages: str | None = None
    psm: int = 3
    # More tesseract options. English alone reads a receipt font's "Y" as "¥" (MR. D.I.¥. SDN BHD,
    # and a yen currency with it) where the multi-language read did not; invoices in yen still
    # say JPY.
    extra_config: str = "-c tessedit_char_blacklist=¥"
    min_long_side: int = 1600  # upscale below this …
    target_long_side: int = 2200  # … to this
    max_upscale: float = 2.5
    max_pixels: int = 9_000_000  # larger pages are brought down to this (≈ A4 at 250 dpi)
    # Words shorter than this (median height, px) are read again scaled to `target_word_height`.
    min_word_height: float = 13.0
    target_word_height: float = 24.0
    # Scanner shadows along the edges are painted white (Tesseract's "Improving the quality of the
    # output": dark borders are read as characters; on SROIE a black edge made whole pages "empty").
    trim_borders: bool = False
    # Stretch the grey levels so the page's darkest percentile is black and its paper white (faded
    # thermal print); a page that already spans the range is left alone.
    stretch_contrast: bool = False
    # Scale by the text itself: the page's median text-line height (ink rows, measured before OCR)
    # is brought into [min_line_height, max_line_height] at `line_height`; 0 keeps the size rules
    # above. Tesseract's LSTM reads each line normalised to 36 px; thinner strokes are lost when
    # small text is binarised at its own size, larger text only costs layout time.
    line_height: float = 0.0
    min_line_height: float = 26.0
    max_line_height: float = 70.0
    # A first page whose reading lacks its date or total is read again prepared (see
    # `_second_look`); on SROIE 26 of 150 receipts, all-field F1 +0.005 on both halves.
    second_look: bool = True


LEGACY = Settings(
    languages="all",
    psm=3,
    max_pixels=0,
    min_word_height=0.0,
    extra_config="",
    trim_borders=False,
    stretch_contrast=False,
    second_look=False,
)


class TesseractEngine:
    name = NAME

    def __init__(
        self,
        languages: str | None = None,
        psm: int | None = None,
        settings: Settings | None = None,
        *,
        mode: str = "all",
    ):
        """`languages` (e.g. "eng+deu") and `psm` fix what is otherwise chosen per page; `mode` is
        TESSERACT_LANGUAGES (from the app's settings) when neither `languages` nor `settings` is given."""
        # Tesseract's OpenMP threads spin against each other on small machines: one thread per
        # page is about 3× faster on 2 cores (0.6 s instead of 1.9 s for a receipt). An operator's
        # own setting wins; OpenMP reads it when libtesseract is first loaded, below.
        os.environ.setdefault("OMP_THREAD_LIMIT", "1")
        base = settings or Settings()
        # TESSERACT_LANGUAGES (`mode`): "all" (default) reads every page with every installed
        # language at once; "auto" reads English first and a page's own language only when it shows
        # one (~2× faster, but on the 150 SROIE receipts F1 0.714 against 0.768: the other models
        # re-read digits and legal forms English alone gets wrong); anything else fixes the languages.
        configured = mode.strip() or "all"
        installed = set(tesseract_api.installed_languages())
        self.available = [lang for lang in WANTED_LANGUAGES if lang in installed] or ["eng"]
        if languages is None and settings is None and configured != "auto":
            languages = "+".join(self.available) if configured == "all" else configured
        if languages is None and base.languages == "all":
            languages = "+".join(self.available)  # every installed one at once (LEGACY)
        self.settings = replace(
            base,
            languages=base.languages if languages is None else languages,
            psm=base.psm if psm is None else psm,
        )
        self.languages = self.settings.languages or f"auto ({'+'.join(self.available)})"
        self._apis = tesseract_api.ApiPool(_variables(self.settings.extra_config))
        log.info("tesseract %s ready (languages %s)", tesseract_api.version(), self.languages)

    def recognize(self, page: PageImage, deadline: Deadline, *, want_fields: bool = False) -> PageResult:
        settings = self.settings
        started = time.perf_counter()
        result = page_result(
            self._reading(page, settings, deadline), page.page, page.image.width, page.image.height
        )
        if settings.second_look and page.page == 1:
            result = self._second_look(page, result, deadline, time.perf_counter() - started)
        return result

    def _second_look(self, page: PageImage, first: PageResult, deadline: Deadline, took: float) -> PageResult:
        """The first page of an image or scan (a receipt, mostly: one page) whose reading lacks its
        date or total is read again from the prepared image (scanner borders white, faded print stretched),
        and the reading that yields more of date, total and vendor (then more confidence) is kept.
        Tesseract's output flips on small changes of its input; a second, different look recovers
        fields the first lost, at the cost of a second read for those pages only (the later pages of a
        multi-page scan rarely print both, so they are not read twice)."""
        looked = replace(self.settings, trim_borders=True, stretch_contrast=True)
        if self.settings == looked or deadline.remaining() < 2 * took + 1:
            return first  # already the prepared image, or no time to read twice
        quality, found = reading_quality(first)
        if {"invoiceDate", "total"} <= found:
            return first
        image, _ = prepared(page.image, looked)
        plain, _ = prepared(page.image, self.settings)
        if image.tobytes() == plain.tobytes():
            return first  # nothing to prepare: the same input reads the same
        second = page_result(
            self._reading(page, looked, deadline), page.page, page.image.width, page.image.height
        )
        better, _ = reading_quality(second)
        log.debug("page %d: second look %s → %s", page.page, quality, better)
        return second if better > quality else first

    @functools.cached_property
    def reads_accents(self) -> bool:
        """Whether the Latin script model is installed, for `read_line` (`processing/accents.py`)."""
        return "Latin" in tesseract_api.installed_languages()

    def read_line(self, image: Image, languages: str = "Latin") -> str:
        """The text of an image of one line of print (a name), read with `languages`."""
        data = self._apis.read(image, languages, 7, timeout_s=5.0)  # psm 7: a single text line
        return " ".join(word for word in data["text"] if word.strip())

    def _reading(self, page: PageImage, settings: Settings, deadline: Deadline) -> list[Piece]:
        image, scale = prepared(page.image, settings)
        psm = settings.psm
        first = settings.languages or self.available[0]
        data = self._read(image, first, psm, deadline, page.page)
        pieces = _lines(data, scale)
        height = _word_height(data) if settings.min_word_height else None
        if height is not None and height < settings.min_word_height:
            # The words came out too small to read well: read again at the scale they need.
            better = min(settings.max_upscale, scale * settings.target_word_height / height)
            if better > 1.1 * scale:
                log.debug("page %d: words %.0f px high, reading again at ×%.2f", page.page, height, better)
                image, scale = _resized(cleaned(page.image.convert("L"), settings), better)
                data = self._read(image, first, psm, deadline, page.page)
                pieces = _lines(data, scale)
        if settings.languages is None:
            language = page_language(" ".join(p.text for p in pieces), self.available)
            if language is not None and language != first:
                data = self._read(image, f"{language}+{first}", psm, deadline, page.page)
                pieces = _lines(data, scale)
        return pieces

    def _read(
        self, image: Image, languages: str, psm: int, deadline: Deadline, page_no: int
    ) -> dict[str, Any]:
        deadline.check(f"before OCR of page {page_no}")
        try:
            return self._apis.read(image, languages, psm, timeout_s=max(1.0, deadline.remaining()))
        except tesseract_api.ModelsUnavailable as exc:
            # A setting or an install, not the document: 503 and the operator's log line.
            log.error("OCR of page %d: %s", page_no, exc)
            raise EngineUnavailable("the Tesseract OCR engine cannot load its language models") from exc
        except tesseract_api.ReadingTimedOut as exc:
            raise UnprocessableDocument(
                f"the document took longer than the {deadline.seconds:g} s processing budget "
                f"(OCR of page {page_no})"
            ) from exc


def _variables(extra_config: str) -> dict[str, str]:
    """`-c name=value` pairs of a Tesseract command line as the API's variables."""
    pairs = re.findall(r"-c\s+([A-Za-z_]\w*)=(\S*)", extra_config)
    return dict(pairs)


def reading_quality(result: PageResult) -> tuple[tuple[int, float], set[str]]:
    """How much a reading of a receipt yields: (how many of date, total and vendor are found, their
    summed confidence), and which fields were found."""
    from ..extraction import extract_fields
    from ..types import Detection

    detection = Detection(text=result.text, segments=result.segments, pages=1, engine=NAME)
    fields = {str(name): f for name, f in extract_fields(detection).items()}
    found = {name for name in ("invoiceDate", "total", "vendorName") if name in fields}
    return (len(found), sum(fields[name].confidence for name in found)), found


def page_language(text: str, available: list[str]) -> str | None:
    """The expected language whose invoice words the text shows most (two distinct, more than
    English words), or None: stay with English."""
    words = set(re.findall(r"[^\W\d_]+", text.casefold()))
    english = sum(1 for w in words if re.fullmatch(_ENGLISH_WORDS, w))
    best, hits = None, 1
    for language, pattern in _LANGUAGE_WORDS.items():
        if language not in available:
            continue
        count = sum(1 for w in words if re.fullmatch(pattern, w))
        if count > hits and count > english:
            best, hits = language, count
    return best


def prepared(image: Image, settings: Settings) -> tuple[Image, float]:
    """Grey image at the scale the engine needs; returns the factor so boxes map back."""
    grey = cleaned(image if image.mode == "L" else image.convert("L"), settings)
    if settings.line_height and (measured := text_line_height(grey)) is not None:
        factor = 1.0
        if not settings.min_line_height <= measured <= settings.max_line_height:
            factor = min(settings.max_upscale, settings.line_height / measured)
        pixels = grey.width * grey.height * factor * factor
        if settings.max_pixels and pixels > settings.max_pixels:
            factor *= (settings.max_pixels / pixels) ** 0.5
        return (grey, 1.0) if abs(factor - 1.0) < 0.05 else _resized(grey, factor)
    long_side = max(grey.size)
    if long_side < settings.min_long_side:
        return _resized(grey, min(settings.max_upscale, settings.target_long_side / long_side))
    pixels = grey.width * grey.height
    if settings.max_pixels and pixels > settings.max_pixels:
        return _resized(grey, (settings.max_pixels / pixels) ** 0.5)
    return grey, 1.0


def cleaned(grey: Image, settings: Settings) -> Image:
    """The page without the dark scanner borders along its edges, contrast stretched. The size is
    kept (trimmed edges become white), so boxes need no offset."""
    if not (settings.trim_borders or settings.stretch_contrast):
        return grey
    import numpy as np
    from PIL import Image as PilImage

    pixels = np.array(grey, dtype=np.uint8)
    if settings.trim_borders:
        dark = pixels < 128
        for axis in (0, 1):
            share = dark.mean(axis=1 - axis)  # per row (axis 0) or per column (axis 1)
            limit = max(1, share.size // 10)  # a border, not the page: at most a tenth per edge
            top = _dark_run(share[:limit])
            bottom = _dark_run(share[::-1][:limit])
            if axis == 0:
                pixels[:top], pixels[pixels.shape[0] - bottom :] = 255, 255
            else:
                pixels[:, :top], pixels[:, pixels.shape[1] - bottom :] = 255, 255
    if settings.stretch_contrast:
        # Measured after the borders went white: their black is no ink.
        low, high = (float(v) for v in np.percentile(pixels, (1, 90)))
        # Faded print: the darkest ink is grey, or the paper is. Black ink on white paper spans it.
        if high - low > 40 and (low > 40 or high < 215):
            lut = np.clip((np.arange(256) - low) * 255.0 / (high - low), 0, 255).astype(np.uint8)
            pixels = lut[pixels]
    return PilImage.fromarray(pixels, mode="L")


def text_line_height(grey: Image) -> float | None:
    """Median height (px) of the page's text lines from its row profile: runs of rows holding ink
    (at most the Otsu threshold). On the SROIE receipts it is 0.91× the median line box
    Tesseract reports (quartiles 0.86–0.96). None when the page shows too few lines to say."""
    import numpy as np

    pixels = np.asarray(grey, dtype=np.uint8)
    ink = pixels <= _otsu(pixels)
    on = ink.sum(axis=1) > max(2, 0.005 * pixels.shape[1])
    # Starts and ends of the runs of inked rows.
    edges = np.flatnonzero(np.diff(np.concatenate(([0], on.astype(np.int8), [0]))))
    runs = edges[1::2] - edges[0::2]
    runs = runs[(runs >= 4) & (runs <= pixels.shape[0] // 8)]
    return float(np.median(runs)) if runs.size >= 5 else None


def _otsu(pixels: Any) -> int:
    """Otsu's threshold of a grey image: the level that best separates ink from paper."""
    import numpy as np

    hist = np.bincount(pixels.ravel(), minlength=256).astype(float)
    weight = np.cumsum(hist)
    mass = np.cumsum(hist * np.arange(256))
    total, total_mass = weight[-1], mass[-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (total_mass * weight / total - mass) ** 2 / (weight * (total - weight))
    if np.isnan(between).all():
        return -1  # one grey level: no ink at all
    return int(np.nanargmax(between))


def _dark_run(share: Any) -> int:
    """How many lines from the edge belong to a dark border: the run of lines more than half dark
    that starts at the edge, plus a few lines of its fading shadow (never a rule further in)."""
    end = 0
    while end < len(share) and share[end] > 0.5:
        end += 1
    return 0 if end == 0 else min(len(share), end + max(3, end // 2))


def _resized(grey: Image, factor: float) -> tuple[Image, float]:
    from PIL import Image as PilImage

    size = (max(1, round(grey.width * factor)), max(1, round(grey.height * factor)))
    resample = PilImage.Resampling.LANCZOS if factor > 1 else PilImage.Resampling.BOX
    return grey.resize(size, resample), factor


def _word_height(data: dict[str, list]) -> float | None:
    """Median height (px) of the confidently read words of three letters or more."""
    heights = [
        float(data["height"][i])
        for i, word in enumerate(data["text"])
        if len(str(word).strip()) >= 3 and float(data["conf"][i]) >= 50
    ]
    return median(heights) if len(heights) >= 5 else None


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

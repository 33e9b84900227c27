"""A name's accents, read again: Tesseract's Latin-script model on the line the name was read from.

Pages are read with English, German, French and Dutch at once (what most documents need; every
further model slows every page), and RapidOCR's model has no accents at all. So a Spanish, Czech,
Hungarian or Danish name comes out without its marks ("Ferreteria", "MYCKA VLTAVA", "Norrebro").
Tesseract's Latin script model (Debian's `tesseract-ocr-script-latn`) knows the letters of every
language written in Latin script; reading the one line of a name with it costs 10–25 ms. Its
reading is taken only letter for letter where it says the same letters with marks added: it never
changes a word.
"""

from __future__ import annotations

import difflib
import logging
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from .types import Field, ProcessedDocument, TextSegment

if TYPE_CHECKING:
    from PIL.Image import Image

log = logging.getLogger(__name__)

LATIN = "Latin"  # the script model's name in tessdata
NAME_FIELDS = (Field.VENDOR_NAME, Field.BUYER_NAME)
# How alike a line's letters and the name's must be for the line to be the name's.
MIN_LIKENESS = 0.8
# Letters that are no base letter with a mark in Unicode, and the letter OCR reads without it.
_BASE = {"æ": "a", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "ß": "s", "œ": "o", "ı": "i", "þ": "p"}

# Marks only on words of three letters or more: an abbreviation ("GARDENIA BAKERIES (KL)") is read
# with a mark it never had ("(KŁ)") as often as with one it has.
MIN_WORD = 3
_WORD = re.compile(r"[^\W_]+")

ReadLine = Callable[["Image"], str]


def base_letter(ch: str) -> str:
    """The letter without its marks, in lower case ("Ñ" → "n", "ø" → "o")."""
    low = ch.casefold()[:1] or ch
    return _BASE.get(low) or unicodedata.normalize("NFKD", low)[:1]


def _letters(text: str) -> str:
    return "".join(base_letter(ch) for ch in text if ch.isalnum())


def with_accents(name: str, reading: str) -> str | None:
    """`name` with the marks `reading` puts on its letters, or None when the reading adds none or
    does not say the same letters ("Ferreteria Hermanos" + "FERRETERÍA HERMANOS" → "Ferretería
    Hermanos"). Each letter keeps the name's case."""
    spots = [i for i, ch in enumerate(name) if ch.isalnum()]
    target = "".join(base_letter(name[i]) for i in spots)
    read = [ch for ch in reading if ch.isalnum()]
    at = "".join(base_letter(ch) for ch in read).find(target) if target else -1
    if at < 0:
        return None
    out = list(name)
    short = {i for m in _WORD.finditer(name) if len(m.group()) < MIN_WORD for i in range(m.start(), m.end())}
    for i, mine in zip(spots, read[at : at + len(spots)], strict=True):
        if mine.isascii() or mine.casefold() == name[i].casefold() or i in short:
            continue
        out[i] = mine.upper() if name[i].isupper() else mine.lower()
    accented = "".join(out)
    return accented if accented != name else None


def _line_of(name: str, segments: Sequence[TextSegment]) -> TextSegment | None:
    """The OCR line whose letters are the name's (it may hold more, a number after the name)."""
    target = _letters(name)
    best, likeness = None, MIN_LIKENESS
    for segment in segments:
        if segment.box is None or segment.page != 1:
            continue
        letters = _letters(segment.text)
        if target and target in letters:
            score = 1.0
        else:
            score = difflib.SequenceMatcher(None, target, letters, autojunk=False).ratio()
        if score >= likeness:
            best, likeness = segment, score
    return best


def _crop(image: Image, box: tuple[float, float, float, float]) -> Image:
    width, height = image.size
    x0, y0, x1, y1 = box
    pad = max(2.0, 0.3 * (y1 - y0) * height)
    return image.crop(
        (
            max(0, int(x0 * width - pad)),
            max(0, int(y0 * height - pad)),
            min(width, int(x1 * width + pad)),
            min(height, int(y1 * height + pad)),
        )
    ).convert("L")


def _read_again(name: str, crop: Image, read_line: ReadLine) -> str | None:
    """The name with accents from the crop of its line; read once more at 1.5× when the first
    reading does not say the name's letters (Tesseract's reading of one line flips on a pixel)."""
    from PIL import Image as PILImage

    target = _letters(name)
    for attempt in (crop, crop.resize((crop.width * 3 // 2, crop.height * 3 // 2), PILImage.LANCZOS)):
        reading = read_line(attempt)
        if target in _letters(reading):
            return with_accents(name, reading)
    return None


def restore(processed: ProcessedDocument, image: Image, read_line: ReadLine) -> ProcessedDocument:
    """The document with its names' accents read again from `image` (the first page)."""
    fields = dict(processed.fields)
    for name_field in NAME_FIELDS:
        found = fields.get(name_field)
        if found is None or not isinstance(found.value, str):
            continue
        line = _line_of(found.value, processed.detection.segments)
        if line is None or line.box is None:
            continue
        accented = _read_again(found.value, _crop(image, line.box), read_line)
        if accented is not None:
            log.debug("%s read again with accents", name_field)
            fields[name_field] = replace(found, value=accented)
    return processed if fields == processed.fields else replace(processed, fields=fields)

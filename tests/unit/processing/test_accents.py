"""A name's accents read again from its line with Tesseract's Latin-script model (`accents.py`)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from invoice_app.processing import accents, engines
from invoice_app.processing.accents import base_letter, with_accents
from invoice_app.processing.engines import tesseract_api
from invoice_app.processing.pipeline import DocumentProcessor
from invoice_app.processing.types import Document

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
needs_latin = pytest.mark.skipif(
    not engines.tesseract_available() or accents.LATIN not in tesseract_api.installed_languages(),
    reason="Tesseract's Latin script model (tesseract-ocr-script-latn) is not installed",
)


@pytest.mark.parametrize(
    ("name", "reading", "expected"),
    [
        (
            "Ferreteria Hermanos Ruiz, S.L.",
            "FERRETERÍA HERMANOS RUIZ, S.L.",
            "Ferretería Hermanos Ruiz, S.L.",
        ),
        ("Cykelvarkstedet Norrebro ApS", "Cykelværkstedet Nørrebro ApS", "Cykelværkstedet Nørrebro ApS"),
        ("BELVAROSI PARKOLOHAZ KFT.", "Belvárosi Parkolóház Kft.", "BELVÁROSI PARKOLÓHÁZ KFT."),
        ("MYCKA VLTAVA", "+ Myčka Vltava s.r.o. 12", "MYČKA VLTAVA"),  # more on the line
    ],
)
def test_the_reading_puts_its_marks_on_the_names_letters(name: str, reading: str, expected: str) -> None:
    assert with_accents(name, reading) == expected


@pytest.mark.parametrize(
    ("name", "reading"),
    [
        ("Ferreteria Ruiz", "Panadería Ruiz"),  # another word: never taken
        ("Ferreteria Ruiz", "FERRETERIA RUIZ"),  # no marks to add
        ("Ferreteria Ruiz", ""),
        ("SHELL 0123", "SHELL O123"),  # a letter for a digit is no mark
    ],
)
def test_a_reading_that_does_not_say_the_same_letters_changes_nothing(name: str, reading: str) -> None:
    assert with_accents(name, reading) is None


def test_letters_without_a_mark_in_unicode_have_their_ocr_base() -> None:
    assert [base_letter(ch) for ch in "æøłđßÑé"] == ["a", "o", "l", "d", "s", "n", "e"]


@needs_latin
@pytest.mark.skipif(not FONT.exists(), reason="the DejaVu font is not installed")
def test_a_receipt_headed_by_a_spanish_name_keeps_its_accent() -> None:
    from PIL import Image, ImageDraw, ImageFont

    lines = [
        "Ferretería Hermanos Ruiz, S.L.",
        "Calle Mayor 12, Madrid",
        "Fecha: 05/03/2026",
        "TOTAL 9,30 EUR",
    ]
    font = ImageFont.truetype(str(FONT), 28)
    image = Image.new("L", (640, 60 + 50 * len(lines)), 255)
    draw = ImageDraw.Draw(image)
    for k, text in enumerate(lines):
        draw.text((30, 30 + 50 * k), text, font=font, fill=0)
    png = io.BytesIO()
    image.save(png, format="PNG")

    processed = DocumentProcessor("tesseract").process(Document(png.getvalue(), "image/png", "receipt.png"))

    # English, German, French and Dutch have no "í": the page reads "Ferreteria", the line again "í"
    assert "Ferreteria" in processed.detection.text
    assert processed.fields["vendorName"].value == "Ferretería Hermanos Ruiz, S.L."


def test_an_abbreviation_gets_no_mark() -> None:
    # The Latin model reads the L of a Malaysian "(KL)" as a Polish Ł as readily as it reads real marks.
    assert with_accents("GARDENIA BAKERIES (KL) SDN BHD", "GARDENIA BAKERIES (KŁ) SDN BHD") is None

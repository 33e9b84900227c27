"""Misread letters in the long words of a name, put right from the English word list — and the
names it must leave alone."""

from __future__ import annotations

import pytest

from invoice_app.processing.extraction.fields import extract_fields
from invoice_app.processing.extraction.spelling import correct_name
from invoice_app.processing.types import Detection, Field


@pytest.mark.parametrize(
    ("read", "meant"),
    [
        ("VERBENA CONFECTIUNERY SDN BHD", "VERBENA CONFECTIONERY SDN BHD"),  # o read as u
        ("FYEAGLE ENTERFRISE", "FYEAGLE ENTERPRISE"),  # p read as f
        ("Goardian Health And Beauty Sdn Bhd", "Guardian Health And Beauty Sdn Bhd"),  # case kept
        ("SANYU STATONERY SHOP", "SANYU STATIONERY SHOP"),  # a dropped i, in a long word
        ("KEDAI HARDWAKE", "KEDAI HARDWARE"),
    ],
)
def test_a_long_word_one_misread_from_a_dictionary_word_is_put_right(read: str, meant: str) -> None:
    assert correct_name(read) == meant


@pytest.mark.parametrize(
    "name",
    [
        "MIZU MENTAI SDN. BHD.",  # six letters: a name as often as a misread ("MENTAL")
        "Dion Realties Sdn Bhd",  # a letter is only added back to words of nine or more
        "Sanjung Realiti Sdn. Bhd.",  # i for y is no misread the engines make
        "Lieferant GmbH & Co. KG",  # not English, and no English word a misread away
        "LIAN HING STATIONERY SDN BHD",  # every long word already a word
        "Müller Bäckerei",  # letters outside ASCII split the word: nothing long is left
    ],
)
def test_names_and_words_are_left_as_read(name: str) -> None:
    assert correct_name(name) == name


def test_a_word_two_dictionary_words_away_is_left_alone() -> None:
    # "ABDUCTEC": "ABDUCTED" and "ABDUCTEE" are each one misread away; neither is surer.
    assert correct_name("ABDUCTEC LTD") == "ABDUCTEC LTD"


def _receipt(text: str, *, ocr_pages: int) -> Detection:
    return Detection(text=text, segments=[], pages=1, engine="tesseract", ocr_pages=ocr_pages)


RECEIPT = "VERBENA CONFECTIUNERY SDN BHD\n(123456-X)\nNO 1 JALAN BUNGA\nTOTAL 12.00\n"


def test_only_names_read_by_ocr_are_corrected() -> None:
    read = extract_fields(_receipt(RECEIPT, ocr_pages=1))[Field.VENDOR_NAME].value
    typed = extract_fields(_receipt(RECEIPT, ocr_pages=0))[Field.VENDOR_NAME].value
    assert read == "VERBENA CONFECTIONERY SDN BHD"
    assert typed == "VERBENA CONFECTIUNERY SDN BHD"  # a text layer prints what the seller typed

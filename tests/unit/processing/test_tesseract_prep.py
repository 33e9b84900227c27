"""How a page image is prepared for Tesseract (issue #13): scanner borders, faded print."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from invoice_app.processing.engines import tesseract_available
from invoice_app.processing.engines.base import Piece
from invoice_app.processing.engines.tesseract import LEGACY, Settings, cleaned, prepared, text_line_height
from invoice_app.processing.images import PageImage
from invoice_app.processing.limits import Deadline
from tests.helpers.samples import fixture_bytes


def _receipt() -> np.ndarray:
    return np.array(Image.open(io.BytesIO(fixture_bytes("receipt.jpg"))).convert("L"))


def test_a_dark_scanner_edge_is_painted_white_and_the_page_kept() -> None:
    page = _receipt()
    shadowed = page.copy()
    shadowed[:9] = 0  # the scanner lid's black edge …
    shadowed[9:14] = 90  # … fading into the paper
    shadowed[:, -6:] = 20
    out = np.array(cleaned(Image.fromarray(shadowed), Settings(trim_borders=True)))
    assert out.shape == page.shape  # same size: the boxes need no offset
    assert (out[:14] == 255).all() and (out[:, -6:] == 255).all()
    inside = (slice(40, -40), slice(20, -20))
    assert (out[inside] == page[inside]).all()  # the text is untouched


def test_a_rule_near_the_top_is_not_a_border() -> None:
    page = np.full((400, 300), 255, dtype=np.uint8)
    page[20:23, 10:290] = 0  # a printed rule under the letterhead, inside the top tenth
    page[60:70, 50:60] = 0
    out = np.array(cleaned(Image.fromarray(page), Settings(trim_borders=True)))
    assert (out == page).all()


def test_faded_print_is_stretched_and_black_on_white_left_alone() -> None:
    page = _receipt()
    faded = (page.astype(float) * 0.35 + 150).astype(np.uint8)  # grey ink on grey paper
    out = np.array(cleaned(Image.fromarray(faded), Settings(stretch_contrast=True)))
    ink = page < 100
    assert out[ink].mean() < 90 and np.median(out[~ink]) == 255
    assert faded[ink].mean() > 150  # it was faint before
    crisp = np.where(page < 128, 0, 255).astype(np.uint8)
    assert (
        np.array(cleaned(Image.fromarray(crisp), Settings(trim_borders=True, stretch_contrast=True))) == crisp
    ).all()


def test_legacy_settings_prepare_nothing() -> None:
    page = Image.fromarray((_receipt().astype(float) * 0.35 + 150).astype(np.uint8))
    assert cleaned(page, LEGACY) is page


@pytest.mark.skipif(not tesseract_available(), reason="tesseract is not installed")
def test_a_faded_receipt_with_a_black_edge_still_reads() -> None:
    from invoice_app.processing.engines.tesseract import TesseractEngine

    page = _receipt()
    worn = (page.astype(float) * 0.35 + 150).astype(np.uint8)
    worn[:12], worn[:, :5] = 0, 0
    engine = TesseractEngine(languages="eng", settings=Settings(trim_borders=True, stretch_contrast=True))
    result = engine.recognize(PageImage(Image.fromarray(worn), 1), Deadline(120))
    text = " ".join(s.text for s in result.segments)
    assert "TOTAL" in text and "1810.46" in text.replace(" ", "")


def test_the_text_line_height_is_measured_from_the_rows_of_ink() -> None:
    page = np.full((600, 400), 255, dtype=np.uint8)
    for top in range(40, 560, 45):  # twelve "lines" of words 18 px high
        for left in range(20, 380, 60):
            page[top : top + 18, left : left + 40] = 30
    assert text_line_height(Image.fromarray(page)) == 18
    receipt = Image.open(io.BytesIO(fixture_bytes("receipt.jpg"))).convert("L")
    full = text_line_height(receipt)
    half = text_line_height(receipt.resize((receipt.width // 2, receipt.height // 2)))
    assert full is not None and half is not None and abs(half / full - 0.5) < 0.1
    assert text_line_height(Image.new("L", (300, 300), 255)) is None  # nothing to measure


def test_small_text_is_scaled_to_the_line_height_and_readable_text_kept() -> None:
    receipt = Image.open(io.BytesIO(fixture_bytes("receipt.jpg"))).convert("L")
    settings = Settings(line_height=36, min_line_height=26, max_line_height=70)
    measured = text_line_height(receipt)
    assert measured is not None
    small = receipt.resize((round(receipt.width * 15 / measured), round(receipt.height * 15 / measured)))
    image, factor = prepared(small, settings)
    after = text_line_height(image)
    assert factor > 1.5 and after is not None and 30 <= after <= 42
    image, factor = prepared(
        receipt.resize((receipt.width * 30 // round(measured), receipt.height * 30 // round(measured))),
        settings,
    )
    assert factor == 1.0


RECEIPT_LINES = ["KEDAI RUNCIT MAJU JAYA SDN BHD", "CASH BILL", "BREAD 1 3.50"]


def _pieces(lines: list[str]) -> list[Piece]:
    return [Piece(text, 0.9, 10, 10 + 30 * i, 300, 35 + 30 * i) for i, text in enumerate(lines)]


@pytest.mark.skipif(not tesseract_available(), reason="tesseract is not installed")
@pytest.mark.parametrize(
    ("first", "second", "reads", "kept"),
    [
        # The date was lost: a second look that finds it is kept.
        ([*RECEIPT_LINES, "TOTAL RM 3.50"], [*RECEIPT_LINES, "12/01/2019 14:32", "TOTAL RM 3.50"], 2, 1),
        # A second look that finds less is dropped.
        ([*RECEIPT_LINES, "TOTAL RM 3.50"], ["KEDAI", "RM"], 2, 0),
        # Date and total read: nothing more to look for.
        ([*RECEIPT_LINES, "12/01/2019 14:32", "TOTAL RM 3.50"], [], 1, 0),
    ],
)
def test_a_receipt_that_lacks_its_date_or_total_gets_a_second_look(
    first: list[str], second: list[str], reads: int, kept: int
) -> None:
    from invoice_app.processing.engines.tesseract import TesseractEngine

    engine = TesseractEngine(languages="eng")
    readings = [_pieces(first), _pieces(second)]
    looked: list[Settings] = []

    def reading(page: PageImage, settings: Settings, deadline: Deadline) -> list[Piece]:
        looked.append(settings)
        return readings[len(looked) - 1]

    engine._reading = reading  # type: ignore[method-assign]
    worn = _receipt().copy()
    worn[:12] = 0  # something to prepare: a scanner edge
    page = PageImage(Image.fromarray(worn), 1)
    result = engine.recognize(page, Deadline(60))
    assert len(looked) == reads
    assert result.text.splitlines() == [first, second][kept]
    if reads == 2:
        assert looked[1].trim_borders and looked[1].stretch_contrast
    looked.clear()
    engine.recognize(PageImage(page.image, 2), Deadline(60))  # a later page of a scan: one reading
    assert len(looked) == 1

"""A single-page image read by Tesseract and by RapidOCR at the same time, voted field by field."""

from __future__ import annotations

import logging
import threading

import pytest
from PIL import Image

from invoice_app.core.settings import ConfigError, Settings
from invoice_app.processing import engines, second_reading
from invoice_app.processing.engines.base import PageResult
from invoice_app.processing.extraction.line_items import LINE_ITEMS_MISMATCH
from invoice_app.processing.images import PageImage
from invoice_app.processing.limits import Deadline, Limits
from invoice_app.processing.pipeline import DocumentProcessor
from invoice_app.processing.sniff import JPEG, PDF, PNG, TIFF, WEBP
from invoice_app.processing.types import (
    Detection,
    Document,
    ExtractedField,
    Field,
    Flag,
    LineItem,
    ProcessedDocument,
)
from tests.helpers.documents import image_bytes, multipage_tiff, scanned_pdf
from tests.helpers.samples import fixture_bytes


def image(media_type: str) -> bytes:
    return image_bytes(Image.new("L", (200, 120), 255), "PNG" if media_type == PNG else "JPEG")


def reading(
    engine: str,
    rows: tuple[float, ...] = (),
    flags: tuple[Flag, ...] = (),
    text: str = "",
    **fields: tuple[str | float, float],
) -> ProcessedDocument:
    detection = Detection(
        text=text or f"text by {engine}", segments=[], pages=1, engine=engine, timings={engine: 1.0}
    )
    return ProcessedDocument(
        detection=detection,
        fields={Field(name): ExtractedField(value, conf) for name, (value, conf) in fields.items()},
        accuracy=50.0,
        line_items=[LineItem(description=f"row {i}", amount=amount) for i, amount in enumerate(rows)],
        flags=list(flags),
    )


def mismatch(message: str) -> Flag:
    return Flag(LINE_ITEMS_MISMATCH, message, "subtotal")


def test_each_field_comes_from_the_more_confident_reading_and_a_tie_from_the_second() -> None:
    first = reading(
        "tesseract", total=(12.3, 0.9), vendorName=("GARDENLA", 0.6), invoiceDate=("2018-01-02", 0.7)
    )
    second = reading(
        "rapidocr", total=(12.8, 0.5), vendorName=("GARDENIA", 0.8), invoiceDate=("2018-01-03", 0.7)
    )

    voted = second_reading.vote(first, second)

    assert voted.fields[Field.TOTAL].value == 12.3  # the first was surer
    assert voted.fields[Field.VENDOR_NAME].value == "GARDENIA"  # the second was surer
    assert voted.fields[Field.INVOICE_DATE].value == "2018-01-03"  # a tie: the better receipt reader
    assert voted.detection.engine == "tesseract+rapidocr"
    assert voted.detection.text == "text by tesseract"  # the page view shows the first reading
    assert voted.detection.timings == {"tesseract": 1.0, "rapidocr": 1.0}
    assert first.detection.engine == "tesseract"  # the readings themselves are left as they were


def test_a_field_only_one_reading_found_is_kept() -> None:
    first = reading("tesseract", total=(4.4, 0.9))
    second = reading("rapidocr", invoiceDate=("2017-12-04", 0.6))

    voted = second_reading.vote(first, second)

    assert {str(k): f.value for k, f in voted.fields.items()} == {"total": 4.4, "invoiceDate": "2017-12-04"}


# Two readings of one receipt (SROIE-like): Tesseract misread TOTAL 16.00 as 15.00.
TESSERACT_TEXT = "SUB-TOTAL 16.00\nTOTAL 15.00\nCASH 25.00\nCHANGE 0.00"
RAPIDOCR_TEXT = "SUB-TOTAL(GST)\t16.00\nROUNDING\t0.00\nCASH\t16.00\nCHANGE\t0.00"


def test_a_near_tie_on_an_amount_goes_to_the_value_both_engines_printed() -> None:
    voted = second_reading.vote(
        reading("tesseract", text=TESSERACT_TEXT, total=(15.0, 0.58)),
        reading("rapidocr", text=RAPIDOCR_TEXT, total=(16.0, 0.56)),
    )

    assert voted.fields[Field.TOTAL].value == 16.0


def test_an_amount_printed_only_on_a_row_of_no_amount_due_is_no_evidence() -> None:
    # Tesseract could not read "Total Payable" and took a tax-class row for the total; RapidOCR
    # read both rows. That RapidOCR prints 31.78 too, on those rows, does not make it the total.
    tesseract = "Total 0% in: 31.78\nTotal 6% supplies (Inc. GST): 8.4\nTotal Payable: EN"
    rapidocr = "Total 0% supplies: 31.78\nTotal 6% supplies (Inc. GST): 8.40\nTotal Payable: 40.18"
    voted = second_reading.vote(
        reading("tesseract", text=tesseract, total=(31.78, 0.6208)),
        reading("rapidocr", text=rapidocr, total=(40.18, 0.6235)),
    )

    assert voted.fields[Field.TOTAL].value == 40.18


# SROIE-like: Tesseract lost "NET TOTAL 7.40" and took the only item's price, which both engines print.
NET_TESSERACT = "1 FISHBALL NOODLE 7.00\n1 SUB TO. 7.00\nGST 6% 0.42\nRCUNDING ADJ -0.02\nNET TOTAL 1,"
NET_RAPIDOCR = "1\tFTSHBALL NOODLE\t7.00\n1 SUB T01A\t7.00\nROUNDING ADJ\t-0.02\nNET TOTAL\t7.40"


def test_of_two_near_tied_totals_that_differ_by_the_tax_the_larger_wins() -> None:
    voted = second_reading.vote(
        reading("tesseract", text=NET_TESSERACT, total=(7.0, 0.34), tax=(0.42, 0.8)),
        reading("rapidocr", text=NET_RAPIDOCR, total=(7.4, 0.42), tax=(0.42, 0.8)),
    )

    assert voted.fields[Field.TOTAL].value == 7.4


def test_the_voted_total_keeps_the_subtotal_and_tax_of_the_reading_it_came_from() -> None:
    # Tesseract misread one row of the tax table ("C 13% 7,86 8,92"): its net and tax are one row's,
    # surer field by field than RapidOCR's sums, but they do not add up to the voted total.
    voted = second_reading.vote(
        reading("tesseract", total=(93.72, 0.46), subtotal=(78.1, 0.85), tax=(15.62, 0.85)),
        reading("rapidocr", total=(101.7, 0.75), subtotal=(85.16, 0.84), tax=(16.54, 0.84)),
    )

    assert [voted.fields[f].value for f in (Field.SUBTOTAL, Field.TAX, Field.TOTAL)] == [85.16, 16.54, 101.7]


def test_the_voted_total_keeps_a_readings_three_that_add_up_with_its_charges() -> None:
    # "Sub Total 2,045.00 / Service Charge @ 5% 102.25 / CGST 53.68 / SGST 53.68 / Round Off 0.39 /
    # Grand Total 2,255.00": RapidOCR's three add up with the charge and the rounding between them;
    # Tesseract lost the total and took one half of the tax, surer field by field.
    def consistent(value: float, conf: float) -> ExtractedField:
        return ExtractedField(value, conf, consistent=True)

    tesseract = reading("tesseract", total=(2098.68, 0.6), subtotal=(2045.0, 0.99), tax=(53.68, 0.95))
    rapidocr = reading("rapidocr")
    rapidocr.fields.update(
        {Field.TOTAL: consistent(2255.0, 0.99), Field.SUBTOTAL: consistent(2045.0, 0.98)}
        | {Field.TAX: consistent(107.36, 0.9)}
    )
    voted = second_reading.vote(tesseract, rapidocr)

    amounts = [voted.fields[f].value for f in (Field.SUBTOTAL, Field.TAX, Field.TOTAL)]
    assert amounts == [2045.0, 107.36, 2255.0]


def test_voted_amounts_that_add_up_are_left_as_voted() -> None:
    voted = second_reading.vote(
        reading("tesseract", total=(10.0, 0.9), subtotal=(8.0, 0.9), tax=(2.0, 0.9)),
        reading("rapidocr", total=(10.0, 0.5), subtotal=(9.0, 0.5), tax=(1.0, 0.5)),
    )

    assert [voted.fields[f].value for f in (Field.SUBTOTAL, Field.TAX)] == [8.0, 2.0]


def test_of_two_near_tied_totals_the_one_the_cash_and_change_prove_wins() -> None:
    # SROIE-like: Tesseract misread TOTAL 16.00 as 15.00 and garbled the cash; RapidOCR read the
    # cash and the change (with a dash for the decimal point) but not the total line.
    tesseract = "SUB-TOTAL (GET) 16.09\nROUNDING 3.08\nTOTAL 15.00\nCASH 2.5.00\nCHANGE 0.00"
    rapidocr = "SUB-TOTAL(GST)\t16.00\nROUNDING\t0.00\nTOTAL\t009T\nCASH\t16.00\nCHANGE\t0-00"
    voted = second_reading.vote(
        reading("tesseract", text=tesseract, total=(15.0, 0.6)),
        reading("rapidocr", text=rapidocr, total=(16.0, 0.56)),
    )

    assert voted.fields[Field.TOTAL].value == 16.0


def test_a_clearly_surer_total_is_not_overruled_by_the_tax_difference() -> None:
    # "Total inclusive of tax 11.25": the 11.89 Tesseract summed from subtotal + tax is wrong.
    voted = second_reading.vote(
        reading("tesseract", total=(11.89, 0.51), tax=(0.64, 0.75)),
        reading("rapidocr", total=(11.25, 0.99), tax=(0.64, 0.98)),
    )

    assert voted.fields[Field.TOTAL].value == 11.25


# SROIE-like: Tesseract garbled the rounding lines, RapidOCR read them (and so the rounded total).
ROUNDED_TESSERACT = "Total Sales (Inclusive GST) RM 27.28\nRounding RM 27.\nCASH RM 2\nCHANGE RM «00"
ROUNDED_RAPIDOCR = (
    "Total Sales (Inclusive GST)RM 27.28\nRounding Adjustment RM\t0.02\nCASH RM 27.30\nCHANGE RM\t0.00"
)


def test_a_total_rounded_to_cash_by_a_reading_that_saw_the_rounding_line_wins() -> None:
    voted = second_reading.vote(
        reading("tesseract", text=ROUNDED_TESSERACT, total=(27.28, 0.79)),
        reading("rapidocr", text=ROUNDED_RAPIDOCR, total=(27.30, 0.52)),
    )

    assert voted.fields[Field.TOTAL].value == 27.30


@pytest.mark.parametrize(
    ("first", "second"),
    [
        # Neither reading saw a rounding line: confidence decides.
        (("TOTAL 27.28\nCASH 30.00", 27.28), ("TOTAL 27.30\nCASH 30.00", 27.30)),
        # More than one cash step apart: not a rounding of the same total.
        (("TOTAL 27.18\nCASH 30.00", 27.18), (ROUNDED_RAPIDOCR, 27.30)),
    ],
)
def test_otherwise_a_cash_step_is_no_evidence(first: tuple[str, float], second: tuple[str, float]) -> None:
    voted = second_reading.vote(
        reading("tesseract", text=first[0], total=(first[1], 0.79)),
        reading("rapidocr", text=second[0], total=(second[1], 0.52)),
    )

    assert voted.fields[Field.TOTAL].value == first[1]


@pytest.mark.parametrize(
    ("first_total", "second_total", "expected"),
    [
        ((15.0, 0.9), (16.0, 0.56), 15.0),  # clearly surer: confidence decides
        ((16.0, 0.5), (25.0, 0.55), 25.0),  # both print both values: confidence decides
        ((15.0, 0.55), (17.0, 0.5), 15.0),  # neither value printed by the other: confidence decides
    ],
)
def test_otherwise_an_amount_comes_from_the_surer_reading(
    first_total: tuple[float, float], second_total: tuple[float, float], expected: float
) -> None:
    voted = second_reading.vote(
        reading("tesseract", text=TESSERACT_TEXT, total=first_total),
        reading("rapidocr", text=RAPIDOCR_TEXT + "\nPAID 25.00", total=second_total),
    )

    assert voted.fields[Field.TOTAL].value == expected


@pytest.mark.parametrize(
    ("surer", "other"),
    [
        ("URBAN 1DEA SDN BHD", "URBAN IDEA SDN BHD"),
        ("AEON C0.(M)BHD", "AEON CO. (M) BHD"),
        ("Broadview Marketing 5dn Bhd", "Broadview Marketing Sdn Bhd"),
        ("eCosWay.c0m SDN BHD", "eCosway.com SDN BHD"),
    ],
)
def test_a_name_with_a_digit_misread_inside_a_word_yields_to_the_other_reading(
    surer: str, other: str
) -> None:
    voted = second_reading.vote(
        reading("tesseract", vendorName=(other, 0.5)), reading("rapidocr", vendorName=(surer, 0.8))
    )

    assert voted.fields[Field.VENDOR_NAME].value == other
    assert voted.fields[Field.VENDOR_NAME].confidence == 0.8


@pytest.mark.parametrize(
    ("surer", "other"),
    [
        ("99SPEED NART S/B", "99 SPEED MART S/B"),  # other letters differ too: not the same reading
        ("OLIVE9 PHARMACY", "OLIVEG PHARMACY"),  # 9 is no look-alike here: the surer one stays
        ("MR D.I.Y.(H)SDN BHD", "MR D.T.Y. CM) SDN BHD"),
        ("7 ELEVEN 1 UTAMA", "7 ELEVEN I UTAMA"),  # digits that stand alone are printed digits
    ],
)
def test_other_names_come_from_the_surer_reading(surer: str, other: str) -> None:
    voted = second_reading.vote(
        reading("tesseract", vendorName=(other, 0.5)), reading("rapidocr", vendorName=(surer, 0.8))
    )

    assert voted.fields[Field.VENDOR_NAME].value == surer


@pytest.mark.parametrize(
    ("surer", "other"),
    [
        ("SUSHI MENTAI-MAHKOTA CHERAS MIZUMENTAI SDN. BHD.", "MIZU MENTAI SDN. BHD."),
        ("Handlo Guardian Health And Beauty Sdn Bhd", "Guardian Health And Beauty Sdn Bhd"),
        ("AEON CO. (M) BHD", "AEON TAMAN MALURI SC AEON CO. (M) BHD"),  # the shorter may be surer
    ],
)
def test_a_name_that_is_the_other_reading_with_words_added_yields_to_it(surer: str, other: str) -> None:
    voted = second_reading.vote(
        reading("tesseract", vendorName=(other, 0.5)), reading("rapidocr", vendorName=(surer, 0.8))
    )

    assert voted.fields[Field.VENDOR_NAME].value == min(surer, other, key=len)
    assert voted.fields[Field.VENDOR_NAME].confidence == 0.8


@pytest.mark.parametrize(
    ("rapid", "tess"),
    [("BrasserieduMarche", "Brasserie du Marché"), ("BACKEREI HOFMANN", "BÄCKEREI HOFMANN")],
)
def test_a_name_read_with_its_accents_wins_over_the_same_letters_without(rapid: str, tess: str) -> None:
    voted = second_reading.vote(
        reading("tesseract", vendorName=(tess, 0.42)), reading("rapidocr", vendorName=(rapid, 0.45))
    )

    assert voted.fields[Field.VENDOR_NAME].value == tess


def test_a_legal_form_alone_is_too_short_to_be_the_name_both_read() -> None:
    voted = second_reading.vote(
        reading("tesseract", vendorName=("SDN BHD", 0.5)),
        reading("rapidocr", vendorName=("KEDAI PAPAN YEW CHUAN SDN BHD", 0.8)),
    )

    assert voted.fields[Field.VENDOR_NAME].value == "KEDAI PAPAN YEW CHUAN SDN BHD"


def test_only_names_are_read_that_way() -> None:
    voted = second_reading.vote(
        reading("tesseract", invoiceNumber=("INVOI5", 0.5)),
        reading("rapidocr", invoiceNumber=("INV015", 0.8)),
    )

    assert voted.fields[Field.INVOICE_NUMBER].value == "INV015"


def test_the_line_items_flag_is_checked_against_the_voted_subtotal() -> None:
    """Tesseract misread the subtotal (8.00) and flagged its rows (4.50 + 5.50) for it; RapidOCR
    read 10.00 more surely: the rows agree with the subtotal the reviewer sees, so no flag."""
    first = reading(
        "tesseract", rows=(4.5, 5.5), flags=(mismatch("2 line items add up to 10.00"),), subtotal=(8.0, 0.5)
    )
    second = reading("rapidocr", subtotal=(10.0, 0.8))

    voted = second_reading.vote(first, second)

    assert voted.fields[Field.SUBTOTAL].value == 10.0
    assert [i.amount for i in voted.line_items] == [4.5, 5.5]
    assert voted.flags == []


def test_the_rows_that_add_up_to_the_voted_fields_are_kept() -> None:
    first = reading("tesseract", rows=(4.5, 6.5), total=(10.0, 0.5))  # a digit misread in a row
    second = reading("rapidocr", rows=(4.5, 5.5), total=(10.0, 0.9))

    voted = second_reading.vote(first, second)

    assert [i.amount for i in voted.line_items] == [4.5, 5.5]
    assert voted.flags == []


def test_rows_that_add_up_to_nothing_keep_a_flag_that_names_the_voted_subtotal() -> None:
    first = reading("tesseract", rows=(1.0, 2.0), subtotal=(9.0, 0.4))
    second = reading("rapidocr", subtotal=(7.0, 0.9))

    voted = second_reading.vote(first, second)

    assert [i.amount for i in voted.line_items] == [1.0, 2.0]
    assert [(f.code, f.message) for f in voted.flags] == [
        (LINE_ITEMS_MISMATCH, "2 line items add up to 3.00, the subtotal is 7.00")
    ]


def test_other_flags_of_the_first_reading_stay() -> None:
    other = Flag("low-contrast", "the scan is faint")
    voted = second_reading.vote(reading("tesseract", flags=(other,)), reading("rapidocr"))

    assert voted.flags == [other]


@pytest.mark.parametrize(
    ("media_type", "first", "second", "expected"),
    [
        (JPEG, "tesseract", "rapidocr", True),
        (PNG, "tesseract", "rapidocr", True),
        (WEBP, "tesseract", "rapidocr", True),
        (TIFF, "tesseract", "rapidocr", False),  # may hold many pages: read once
        (PDF, "tesseract", "rapidocr", True),  # when it is one scanned page (checked beside)
        (JPEG, "textract", "rapidocr", False),  # Textract reads with its own models
        (JPEG, "rapidocr", "rapidocr", False),
        (JPEG, "tesseract", "none", False),
    ],
)
def test_which_uploads_are_read_twice(media_type: str, first: str, second: str, expected: bool) -> None:
    assert second_reading.wanted(media_type, first, second) is expected


class Engine:
    """A named engine answering a fixed page; `meet` makes two engines prove they ran at once."""

    def __init__(
        self, name: str, text: str, meet: threading.Barrier | None = None, fail: bool = False
    ) -> None:
        self.name = name
        self.text = text
        self.meet = meet
        self.fail = fail
        self.calls = 0

    def recognize(self, page: PageImage, deadline: Deadline, *, want_fields: bool = False) -> PageResult:
        self.calls += 1
        if self.meet is not None:
            self.meet.wait(timeout=30)  # both engines must be inside recognize at the same time
        if self.fail:
            raise RuntimeError("the second engine tripped")
        return PageResult(self.text, [])


@pytest.fixture
def second_engine(monkeypatch: pytest.MonkeyPatch):
    def install(engine: Engine) -> Engine:
        monkeypatch.setitem(engines._local, ("rapidocr", ""), engine)
        return engine

    return install


def processor(first: Engine) -> DocumentProcessor:
    return DocumentProcessor("tesseract", engine=first, limits=Limits(), second_engine="rapidocr")  # type: ignore[arg-type]


def test_an_image_is_read_by_both_engines_at_once_and_voted(second_engine) -> None:
    meet = threading.Barrier(2)
    first = Engine("tesseract", "KEDAI MAJU\nDate 05/03/2018\nTOTAL 12.30", meet)
    second = second_engine(
        Engine("rapidocr", "KEDAI MAJU\nDate 05/03/2018\nTOTAL RM 12.30\nCASH 20.00", meet)
    )

    result = processor(first).process(Document(image(PNG), PNG, "receipt.png"))

    assert (first.calls, second.calls) == (1, 1)
    assert not meet.broken  # neither engine waited for the other to finish
    assert result.detection.engine == "tesseract+rapidocr"
    assert result.fields[Field.TOTAL].value == pytest.approx(12.30)
    assert result.fields[Field.INVOICE_DATE].value == "2018-03-05"


def test_a_failing_second_engine_leaves_the_first_reading(
    second_engine, caplog: pytest.LogCaptureFixture
) -> None:
    first = Engine("tesseract", "Invoice No: F-1\nTotal 10.00 EUR")
    second_engine(Engine("rapidocr", "", fail=True))

    with caplog.at_level(logging.WARNING, logger="invoice_app.processing.pipeline"):
        result = processor(first).process(Document(image(JPEG), JPEG, "photo.jpg"))

    assert result.detection.engine == "tesseract"
    assert result.fields[Field.TOTAL].value == pytest.approx(10.0)
    assert "second reading by rapidocr skipped" in caplog.text


def test_a_pdf_of_one_scanned_page_is_read_by_both_engines_at_once_and_voted(second_engine) -> None:
    meet = threading.Barrier(2)
    first = Engine("tesseract", "KEDAI MAJU\nTOTAL 12.80", meet)
    second = second_engine(Engine("rapidocr", "KEDAI MAJU\nTOTAL RM 12.30\nCASH 20.00", meet))

    result = processor(first).process(Document(scanned_pdf(image(PNG)), PDF, "receipt.pdf"))

    assert (first.calls, second.calls) == (1, 1)
    assert not meet.broken
    assert result.detection.engine == "pdf-text+tesseract+rapidocr"
    assert result.fields[Field.TOTAL].value == pytest.approx(12.30)  # RapidOCR read the surer total


BLANK = image_bytes(Image.new("L", (40, 40), 255), "PNG")


@pytest.mark.parametrize(
    ("data", "media_type"),
    [
        (multipage_tiff(2), TIFF),
        (scanned_pdf(BLANK, BLANK), PDF),
        (fixture_bytes("sample-invoice.pdf"), PDF),  # a text layer: no OCR at all
    ],
    ids=["tiff", "scanned-pdf-of-two-pages", "text-pdf"],
)
def test_scans_of_several_pages_and_text_pdfs_are_read_once(
    second_engine, data: bytes, media_type: str
) -> None:
    first = Engine("tesseract", "Invoice No: F-1\nTotal 10.00 EUR")
    second = second_engine(Engine("rapidocr", "Total 99.00"))

    result = processor(first).process(Document(data, media_type, "scan"))

    assert second.calls == 0
    assert "rapidocr" not in result.detection.engine


def test_the_setting_is_read_and_checked() -> None:
    assert Settings.from_env({"AUTH_MODE": "none"}).ocr_second_engine == "rapidocr"
    assert Settings.from_env({"AUTH_MODE": "none", "OCR_SECOND_ENGINE": "None"}).ocr_second_engine == "none"
    with pytest.raises(ConfigError, match="OCR_SECOND_ENGINE"):
        Settings.from_env({"AUTH_MODE": "none", "OCR_SECOND_ENGINE": "easyocr"})


@pytest.mark.skipif(not engines.tesseract_available(), reason="tesseract is not installed")
def test_a_real_receipt_photo_is_read_by_both_real_engines() -> None:
    processor = DocumentProcessor("tesseract", second_engine="rapidocr")
    result = processor.process(Document(fixture_bytes("receipt.jpg"), JPEG, "receipt.jpg"))
    assert result.detection.engine == "tesseract+rapidocr"
    assert set(result.detection.timings) == {"tesseract", "rapidocr"}
    assert result.fields.get(Field.TOTAL) is not None

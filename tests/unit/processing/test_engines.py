"""Each engine adapter on its own: engine choice, Textract (offline, saved responses), tesseract, RapidOCR."""

from __future__ import annotations

import io
from typing import Any

import pytest
from botocore.exceptions import ClientError
from PIL import Image

from invoice_app.core.errors import EngineUnavailable, UnprocessableDocument
from invoice_app.processing import engines
from invoice_app.processing.engines import create_engine, resolve_engine_name
from invoice_app.processing.engines.base import Piece, layout_rows, page_result, row_text
from invoice_app.processing.engines.textract import (
    TextractEngine,
    parse_blocks,
    parse_expense,
    textract_payload,
)
from invoice_app.processing.images import PageImage
from invoice_app.processing.limits import Deadline
from tests.helpers.samples import fixture_bytes, fixture_json
from tests.helpers.textract import StubTextract

needs_tesseract = pytest.mark.skipif(not engines.tesseract_available(), reason="tesseract is not installed")


load_response = fixture_json


def page_of(name: str) -> PageImage:
    data = fixture_bytes(name)
    return PageImage(image=Image.open(io.BytesIO(data)).convert("RGB"), page=1, original=data)


# --- choosing the engine -----------------------------------------------------------------------


def test_auto_picks_textract_on_lambda() -> None:
    assert resolve_engine_name("auto", {"AWS_LAMBDA_FUNCTION_NAME": "invoice-fn"}) == "textract"


def test_auto_picks_tesseract_when_installed_else_rapidocr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engines, "tesseract_available", lambda: True)
    assert resolve_engine_name("auto", {}) == "tesseract"
    monkeypatch.setattr(engines, "tesseract_available", lambda: False)
    assert resolve_engine_name("auto", {}) == "rapidocr"


def test_explicit_engine_wins_and_unknown_is_refused() -> None:
    assert resolve_engine_name("rapidocr", {"AWS_LAMBDA_FUNCTION_NAME": "fn"}) == "rapidocr"
    with pytest.raises(ValueError, match="unknown OCR engine"):
        resolve_engine_name("easyocr", {})


def test_local_engines_are_built_once() -> None:
    assert create_engine("rapidocr") is create_engine("rapidocr")


def test_a_missing_engine_is_the_servers_problem(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engines, "tesseract_available", lambda: False)
    monkeypatch.delitem(engines._local, ("tesseract", "all"), raising=False)
    with pytest.raises(EngineUnavailable, match="not installed"):
        create_engine("tesseract")


# --- layout ------------------------------------------------------------------------------------


def test_pieces_on_one_row_are_joined_left_to_right_with_a_tab_across_columns() -> None:
    pieces = [
        Piece("11/02/2019", 0.99, 630, 202, 700, 218),
        Piece("INVOICE DATE", 0.98, 443, 197, 570, 216),
        Piece("East Repair Inc.", 0.94, 52, 200, 145, 216),
        Piece("1912 Harvest Lane", 0.97, 53, 222, 160, 238),
    ]
    rows = layout_rows(pieces)
    assert [row_text(r) for r in rows] == ["East Repair Inc.\tINVOICE DATE\t11/02/2019", "1912 Harvest Lane"]
    result = page_result(pieces, 1, 750, 1061)
    assert result.text.splitlines()[0].startswith("East Repair Inc.")
    assert all(0 <= v <= 1 for s in result.segments for v in s.box or ())


# --- Textract, offline with its saved real responses ---------------------------------------------


def test_analyze_expense_fields_are_normalised_to_0_1() -> None:
    result = parse_expense(load_response("receipt.analyze_expense.json"), page_no=1)
    assert result.fields["total"].value == "$1810.46"
    assert result.fields["subtotal"].value == "$1699.96"
    assert result.fields["tax"].value == "$110.50"
    assert result.fields["invoiceDate"].value == "12/07/2019"
    assert result.fields["currency"].value == "USD"
    assert all(0.9 < f.confidence <= 1.0 for f in result.fields.values())
    assert "TOTAL" in result.text
    assert result.segments
    assert all(0 <= s.confidence <= 1 and s.page == 1 for s in result.segments)


def test_detect_document_text_blocks_become_rows() -> None:
    result = parse_blocks(load_response("sample-invoice.analyze_document.json")["Blocks"], page_no=2)
    assert "Invoice Number" in result.text
    assert "INV-3337" in result.text
    assert {s.page for s in result.segments} == {2}
    assert all(0 <= v <= 1 for s in result.segments for v in s.box or ())


def test_textract_engine_asks_for_fields_once_and_text_otherwise() -> None:
    client = StubTextract(
        load_response("receipt.analyze_expense.json"), load_response("sample-invoice.analyze_document.json")
    )
    engine = TextractEngine(lambda: client)
    with_fields = engine.recognize(page_of("receipt.jpg"), Deadline(30), want_fields=True)
    text_only = engine.recognize(page_of("invoice.png"), Deadline(30))
    assert client.calls == ["analyze_expense", "detect_document_text"]
    assert with_fields.fields
    assert not text_only.fields


@pytest.mark.parametrize(
    ("code", "error"),
    [("BadDocumentException", UnprocessableDocument), ("ThrottlingException", EngineUnavailable)],
)
def test_textract_errors_are_mapped(code: str, error: type[Exception]) -> None:
    class Failing:
        def analyze_expense(self, Document: dict[str, bytes]) -> dict[str, Any]:
            raise ClientError({"Error": {"Code": code, "Message": "no"}}, "AnalyzeExpense")

    with pytest.raises(error):
        TextractEngine(Failing).recognize(page_of("invoice.png"), Deadline(30), want_fields=True)


# --- local OCR engines (real OCR: one small image each) -----------------------------------------


@needs_tesseract
def test_textract_gets_the_upload_itself_when_it_fits() -> None:
    png = fixture_bytes("invoice.png")
    page = PageImage(image=Image.open(io.BytesIO(png)), page=1, original=png)

    assert textract_payload(page) == png


def test_textract_payload_is_shrunk_under_the_synchronous_limit() -> None:
    # GIVEN a page whose PNG is far over the limit (noise does not compress)
    noise = Image.effect_noise((1200, 1200), 90).convert("L")
    page = PageImage(image=noise, page=1, original=None)

    payload = textract_payload(page, max_bytes=200_000)

    # THEN it is re-encoded (JPEG, then smaller) until it fits, and is still a readable image
    assert len(payload) <= 200_000
    with Image.open(io.BytesIO(payload)) as image:
        assert image.format == "JPEG"
        assert image.width <= 1200


def test_tesseract_reads_the_invoice_image() -> None:
    result = create_engine("tesseract").recognize(page_of("invoice.png"), Deadline(60))
    text = result.text.upper()
    assert "INVOICE" in text
    assert "US-001" in text
    assert "154.06" in text
    assert all(0 <= s.confidence <= 1 for s in result.segments)
    assert any(s.confidence > 0.8 for s in result.segments)


@needs_tesseract
def test_tesseract_stops_at_the_time_budget() -> None:
    with pytest.raises(UnprocessableDocument, match="budget"):
        create_engine("tesseract").recognize(page_of("invoice.png"), Deadline(0))


def test_rapidocr_reads_the_invoice_image() -> None:
    result = create_engine("rapidocr").recognize(page_of("invoice.png"), Deadline(60))
    compact = result.text.replace(" ", "").upper()
    assert "US-001" in compact
    assert "154.06" in compact
    assert all(0 <= s.confidence <= 1 for s in result.segments)


def test_rapidocr_sessions_keep_their_memory_arena_and_do_not_spin() -> None:
    def options(engine: object) -> list:
        ocr = engine._ocr  # type: ignore[attr-defined]
        sessions = (ocr.text_det.infer.session, ocr.text_cls.infer.session, ocr.text_rec.session.session)
        return [s.get_session_options() for s in sessions]

    from rapidocr_onnxruntime.utils.infer_engine import OrtInferSession

    from invoice_app.processing.engines.rapidocr import RapidOcrEngine

    tuned = options(RapidOcrEngine(runtime="onnxruntime"))
    stock = options(RapidOcrEngine(runtime="onnxruntime", tuned_sessions=False))

    assert all(o.enable_cpu_mem_arena for o in tuned)
    assert {o.get_session_config_entry("session.intra_op.allow_spinning") for o in tuned} == {"0"}
    assert not any(o.enable_cpu_mem_arena for o in stock)  # the library's own options are left alone
    assert not OrtInferSession._init_sess_opts(
        {"model_path": "unused"}
    ).enable_cpu_mem_arena  # and the library's class is as it was


def test_rapidocr_on_openvino_computes_in_32_bit_floats_and_reads_as_onnxruntime_does() -> None:
    from rapidocr_openvino.utils import infer_engine

    from invoice_app.processing.engines.rapidocr import RapidOcrEngine, default_runtime

    engine = create_engine("rapidocr")
    ocr = engine._ocr  # type: ignore[attr-defined]
    requests = (ocr.text_det.infer.session, ocr.text_cls.infer.session, ocr.text_rec.session.session)

    assert default_runtime() == engine.runtime == "openvino"  # type: ignore[attr-defined]
    # bfloat16, OpenVINO's own choice on CPUs that have it, reads other text
    assert {str(r.get_compiled_model().get_property("INFERENCE_PRECISION_HINT")) for r in requests} == {
        "<Type: 'float32'>"
    }
    assert infer_engine.Core.__module__.startswith("openvino")  # the library's class is as it was
    page = page_of("invoice.png")
    onnx = RapidOcrEngine(runtime="onnxruntime").recognize(page, Deadline(60))
    assert engine.recognize(page, Deadline(60)).text == onnx.text

"""End to end through POST /receive (Flask test client on moto): real invoices in, fields out."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from invoice_app import create_app
from invoice_app.core.aws import AwsClients
from tests.helpers.documents import blank_pdf, encrypted_pdf, png_header_only, scanned_pdf
from tests.helpers.samples import FIXTURES_DIR, fixture_bytes, fixture_json
from tests.helpers.textract import StubTextract
from tests.helpers.uploads import post_file

upload = post_file


def truth(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES_DIR / f"{name}.json").read_text(encoding="utf-8"))


def test_text_layer_pdf_fields_match_ground_truth(client: Any) -> None:
    response = upload(client, fixture_bytes("zugferd_2p0_BASIC_Einfach.pdf"), "einfach.pdf")
    assert response.status_code == 200
    body = response.get_json()
    expected = truth("zugferd_2p0_BASIC_Einfach")
    # The PDF embeds ZUGFeRD XML: the core fields come from it (beside accounts-payable ones).
    assert {name: field["value"] for name, field in body["fields"].items() if name in expected} == expected
    assert all(0 < field["confidence"] <= 1 for field in body["fields"].values())
    assert body["engine"] == "e-invoice"
    assert body["pages"] == 2
    assert "Lieferant GmbH" in body["detectedText"]
    assert body["textSegments"][0].keys() >= {"text", "confidence", "page"}
    assert 90 <= body["accuracy"] <= 100


def test_image_fields_match_ground_truth(client: Any) -> None:
    response = upload(client, fixture_bytes("invoice.png"), "invoice.png")
    assert response.status_code == 200
    body = response.get_json()
    fields = {name: field["value"] for name, field in body["fields"].items()}
    expected = truth("invoice")
    for name in ("invoiceNumber", "invoiceDate", "dueDate", "subtotal", "tax", "total", "currency"):
        assert fields.get(name) == expected[name], name
    assert body["engine"] in ("tesseract+rapidocr", "tesseract", "rapidocr")  # voted when both are here
    assert 0 < body["accuracy"] <= 100


def test_scanned_pdf_goes_through_ocr(client: Any) -> None:
    response = upload(client, scanned_pdf(fixture_bytes("invoice.png")), "scan.pdf")
    assert response.status_code == 200
    body = response.get_json()
    assert body["engine"] in ("pdf-text+tesseract+rapidocr", "pdf-text+rapidocr")  # voted when both are here
    assert body["fields"]["total"]["value"] == 154.06
    assert body["fields"]["invoiceNumber"]["value"] == "US-001"


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (fixture_bytes("invoice.png")[:9000], "truncated.png"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj garbage", "corrupt.pdf"),
        (encrypted_pdf(), "locked.pdf"),
        (png_header_only(60_000, 60_000), "bomb.png"),
        (blank_pdf(25), "long.pdf"),
    ],
    ids=["truncated-png", "corrupt-pdf", "encrypted-pdf", "decompression-bomb", "too-many-pages"],
)
def test_bad_files_answer_422_and_store_nothing(client: Any, data: bytes, name: str) -> None:
    response = upload(client, data, name)
    assert response.status_code == 422
    assert response.get_json()["error"]
    assert client.get("/api/invoices").get_json()["items"] == []


def test_textract_engine_end_to_end_with_saved_response(app_config: dict[str, str], client_as) -> None:
    stub = StubTextract(expense=fixture_json("receipt.analyze_expense.json"))
    app = create_app(
        {**app_config, "OCR_ENGINE": "textract"}, aws=AwsClients("us-east-1", overrides={"textract": stub})
    )
    response = upload(client_as("admin", app), fixture_bytes("receipt.jpg"), "receipt.jpg")
    assert response.status_code == 200
    body = response.get_json()
    assert body["engine"] == "textract"
    fields = {name: field["value"] for name, field in body["fields"].items()}
    expected = truth("receipt")
    for name in ("invoiceDate", "subtotal", "tax", "total", "currency"):
        assert fields[name] == expected[name], name
    assert stub.calls == ["analyze_expense"]


def test_textract_outage_answers_503(app_config: dict[str, str], client_as) -> None:
    class Throttled:
        def analyze_expense(self, Document: dict[str, bytes]) -> dict[str, Any]:
            raise ClientError(
                {"Error": {"Code": "ThrottlingException", "Message": "slow down"}}, "AnalyzeExpense"
            )

    app = create_app(
        {**app_config, "OCR_ENGINE": "textract"},
        aws=AwsClients("us-east-1", overrides={"textract": Throttled()}),
    )
    response = upload(client_as("admin", app), fixture_bytes("receipt.jpg"), "receipt.jpg")
    assert response.status_code == 503
    assert "unavailable" in response.get_json()["error"]

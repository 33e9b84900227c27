"""E-invoices over the real upload route (Flask test client on moto): stored with lines and flags."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest

from tests.helpers.uploads import post_file

from .helpers import einfach, einvoice_bytes, embedded_xml, pdf_with_xml


def test_ubl_upload_is_stored_with_its_line_items(client: Any) -> None:
    response = post_file(client, einvoice_bytes("ubl-invoice.xml"), "invoice.xml")
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["engine"] == "e-invoice"
    assert body["mediaType"] == "application/xml"
    assert body["fields"]["total"] == {"value": 97.58, "confidence": 1.0}
    assert body["fields"]["iban"]["value"] == "DE89370400440532013000"
    assert body["fields"]["documentType"]["value"] == "invoice"
    assert body["lineItems"][1] == {
        "description": "Paper cups, pack of 50",
        "quantity": 10.0,
        "unitPrice": 4.5,
        "amount": 45.0,
        "taxRate": 19.0,
    }
    assert body["flags"] == []
    stored = client.get(f"/api/invoices/{body['invoiceId']}").get_json()
    assert stored["lineItems"] == body["lineItems"]
    assert stored["s3Key"].endswith("/original.xml")


@pytest.mark.parametrize("name", ["billion-laughs.xml", "external-entity.xml"])
def test_xml_bombs_answer_422_and_store_nothing(client: Any, name: str) -> None:
    response = post_file(client, einvoice_bytes(name), name)
    assert response.status_code == 422
    assert "DOCTYPE" in response.get_json()["error"]
    assert "root:" not in response.get_data(as_text=True)  # /etc/passwd was never read into it
    assert client.get("/api/invoices").get_json()["items"] == []


def test_xml_that_is_no_invoice_is_refused(client: Any) -> None:
    response = post_file(client, b'<?xml version="1.0"?><html><body>hi</body></html>', "page.xml")
    assert response.status_code == 415
    assert "e-invoice XML" in response.get_json()["error"]
    # The root lies beyond the sniffed bytes (a long comment first): the reader refuses it, 422.
    late = b"<?xml version='1.0'?><!--" + b"x" * 4000 + b"--><order><id>1</id></order>"
    response = post_file(client, late, "order.xml")
    assert response.status_code == 422
    assert "not a CII" in response.get_json()["error"]
    assert client.get("/api/invoices").get_json()["items"] == []


def test_a_pdf_whose_page_disagrees_with_its_xml_is_flagged_on_the_invoice(client: Any) -> None:
    xml = embedded_xml(einfach()).replace(
        b'<ram:TaxTotalAmount currencyID="EUR">37.62<', b'<ram:TaxTotalAmount currencyID="EUR">37.00<'
    )
    assert b"37.00" in xml
    response = post_file(client, pdf_with_xml(einfach(), xml), "einfach.pdf")
    assert response.status_code == 200
    body = response.get_json()
    assert body["engine"] == "e-invoice"
    assert body["fields"]["tax"]["value"] == 37.0
    assert [(f["code"], f.get("field")) for f in body["flags"]] == [("xml-text-mismatch", "tax")]
    stored = client.get(f"/api/invoices/{body['invoiceId']}").get_json()
    assert stored["flags"] == body["flags"]


def test_a_pdf_with_broken_xml_is_read_from_its_text(client: Any) -> None:
    response = post_file(client, pdf_with_xml(einfach(), b"<rsm:CrossIndustryInvoice"), "broken.pdf")
    assert response.status_code == 200
    body = response.get_json()
    assert body["engine"] == "pdf-text"
    assert body["fields"]["total"]["value"] == 235.62
    assert [f["code"] for f in body["flags"]] == ["embedded-xml-invalid"]


def test_export_carries_the_line_items(client: Any, client_as: Any) -> None:
    post_file(client, einvoice_bytes("ubl-invoice.xml"), "invoice.xml")
    viewer = client_as("viewer")
    (row,) = viewer.get("/api/export?format=json").get_json()["items"]
    assert [item["amount"] for item in row["lineItems"]] == [37.0, 45.0]
    (line,) = csv.DictReader(io.StringIO(viewer.get("/api/export?format=csv").get_data(as_text=True)))
    assert [item["description"] for item in json.loads(line["lineItems"])] == [
        "Espresso beans 1 kg",
        "Paper cups, pack of 50",
    ]

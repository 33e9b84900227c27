"""Reading CII (ZUGFeRD 1.0, 2.x, Factur-X) and UBL e-invoices: every labelled field exact."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from invoice_app.processing.einvoice import InvalidXml, read_xml
from invoice_app.processing.einvoice.parse import parse_xml
from invoice_app.processing.types import CORE_FIELDS, Field, LineItem
from tests.helpers.samples import FIXTURES_DIR

from .helpers import EINVOICE_DIR, SHARED_DATA, einvoice_bytes, embedded_xml, truth


def _matches(name: str, value: object, expected: object) -> bool:
    if isinstance(expected, float):
        return isinstance(value, float) and value == pytest.approx(expected, abs=0.005)
    return value == expected


# The dev set labels only the fields its text layer shows (its manifest's labelledFields).
_LABELLED = {
    "zugferd_2p0_modified_rabatte.pdf": {"invoiceNumber", "invoiceDate", "vendorName", "currency"}
    | {"subtotal", "tax", "total"},
}


@pytest.mark.parametrize(
    "path",
    [
        FIXTURES_DIR / "zugferd_2p0_BASIC_Einfach.pdf",
        FIXTURES_DIR / "Avoir_FR_type381_BASIC.pdf",
        FIXTURES_DIR / "Facture_UE_BASICWL.pdf",
        EINVOICE_DIR / "ZUGFeRD_1p0_COMFORT_Rabatte.pdf",
        EINVOICE_DIR / "zugferd_2p0_modified_rabatte.pdf",
        EINVOICE_DIR / "EN16931_Physiotherapeut_fx.pdf",
    ],
    ids=lambda p: p.stem,
)
def test_fixture_pdfs_embedded_xml_matches_their_truth(path: Path) -> None:
    invoice = read_xml(embedded_xml(path.read_bytes()))
    expected = truth(path)
    for name in _LABELLED.get(path.name, CORE_FIELDS):
        if expected.get(name) is None:
            assert name not in invoice.values, name
        else:
            assert _matches(name, invoice.values.get(name), expected[name]), (name, invoice.values.get(name))


def _shared_pdfs() -> list[tuple[Path, set[str]]]:
    pairs: list[tuple[Path, set[str]]] = []
    for folder, manifest in (
        ("invoices/zugferd", "invoices/manifest.json"),
        ("dev/facturx", "dev/manifest.json"),
    ):
        if not (SHARED_DATA / manifest).exists():
            continue
        entries = json.loads((SHARED_DATA / manifest).read_text(encoding="utf-8"))
        base = (SHARED_DATA / manifest).parent
        for entry in entries:
            if entry["file"].startswith(folder.split("/")[-1] + "/") and entry["file"].endswith(".pdf"):
                labelled = set(
                    entry.get("labelledFields") or set(CORE_FIELDS) - set(entry.get("unlabelledFields", []))
                )
                pairs.append((base / entry["file"], labelled))
    return pairs


@pytest.mark.skipif(not _shared_pdfs(), reason="shared/data is not beside this checkout")
def test_every_shared_e_invoice_pdf_reads_its_labelled_fields_exactly() -> None:
    wrong = []
    for path, labelled in _shared_pdfs():
        invoice = read_xml(embedded_xml(path.read_bytes()))
        expected = truth(path)
        for name in labelled:
            value, want = invoice.values.get(name), expected.get(name)
            # The truth keeps the XML's sign (credit notes), as the reader does: amounts compare exactly.
            if not (value is None and want is None) and (want is None or not _matches(name, value, want)):
                wrong.append((path.name, name, value, want))
    assert len(_shared_pdfs()) >= 90
    assert wrong == []


def test_zugferd_1_accounts_payable_fields_and_lines() -> None:
    invoice = read_xml(embedded_xml(einvoice_bytes("ZUGFeRD_1p0_COMFORT_Rabatte.pdf")))
    assert invoice.syntax == "ZUGFeRD 1.0"
    values = invoice.values
    assert values[Field.DOCUMENT_TYPE] == "invoice"
    assert values[Field.BUYER_NAME] == "Kunden AG Mitte"
    assert values[Field.VENDOR_TAX_ID] == "DE123456789"  # the VAT id (VA) before the tax number (FC)
    assert values[Field.BUYER_TAX_ID] == "DE234567890"
    assert values[Field.IBAN] == "DE08700901001234567890"
    assert values[Field.BIC] == "GENODEF1M04"
    assert values[Field.PURCHASE_ORDER] == "2013-471331"
    assert values[Field.PAYMENT_TERMS].startswith("Zahlbar innerhalb 30 Tagen netto bis 04.07.2013")
    assert invoice.line_items[0] == LineItem("Kunstrasen grün 3m breit", 3.0, 3.3333, 10.0, 19.0)
    assert invoice.line_total is not None
    assert sum(item.amount or 0 for item in invoice.line_items) == pytest.approx(invoice.line_total, abs=0.01)


def test_credit_note_type_code_381() -> None:
    invoice = read_xml(embedded_xml((FIXTURES_DIR / "Avoir_FR_type381_BASIC.pdf").read_bytes()))
    assert invoice.values[Field.DOCUMENT_TYPE] == "credit-note"


def test_ubl_invoice_every_field() -> None:
    invoice = read_xml(einvoice_bytes("ubl-invoice.xml"))
    assert invoice.syntax == "UBL"
    assert invoice.values == {
        Field.INVOICE_NUMBER: "INV-2024-0042",
        Field.INVOICE_DATE: "2024-03-15",
        Field.DUE_DATE: "2024-04-14",
        Field.DOCUMENT_TYPE: "invoice",
        Field.VENDOR_NAME: "Nordlicht Handel GmbH",  # BT-27 (legal name), not the trading name
        Field.BUYER_NAME: "Blue Harbour B.V.",
        Field.CURRENCY: "EUR",
        Field.VENDOR_TAX_ID: "DE123456789",
        Field.BUYER_TAX_ID: "NL123456789B01",
        Field.PURCHASE_ORDER: "PO-7781",
        Field.IBAN: "DE89370400440532013000",
        Field.BIC: "COBADEFFXXX",
        Field.PAYMENT_TERMS: "Net 30 days",
        Field.SUBTOTAL: 82.0,
        Field.TAX: 15.58,  # BT-110 in EUR, not the SEK amount beside it
        Field.TOTAL: 97.58,
    }
    assert invoice.line_items == [
        LineItem("Espresso beans 1 kg", 2.0, 18.5, 37.0, 19.0),
        LineItem("Paper cups, pack of 50", 10.0, 4.5, 45.0, 19.0),  # 45.00 per base quantity 10
    ]
    assert invoice.line_total == 82.0


def test_ubl_credit_note() -> None:
    invoice = read_xml(einvoice_bytes("ubl-creditnote.xml"))
    assert invoice.values[Field.DOCUMENT_TYPE] == "credit-note"
    assert invoice.values[Field.VENDOR_NAME] == "Nordlicht Coffee"  # only a trading name given
    assert invoice.values[Field.DUE_DATE] == "2024-04-19"  # PaymentMeans/PaymentDueDate
    assert invoice.values[Field.TOTAL] == 22.02
    assert invoice.line_items == [LineItem("Espresso beans 1 kg (returned)", 1.0, 18.5, 18.5, 19.0)]


@pytest.mark.parametrize("name", ["billion-laughs.xml", "external-entity.xml"])
def test_entity_declarations_are_refused_before_parsing(name: str) -> None:
    with pytest.raises(InvalidXml, match="DOCTYPE declaration"):
        parse_xml(einvoice_bytes(name))


def test_a_dtd_cannot_hide_behind_utf16() -> None:
    data = einvoice_bytes("billion-laughs.xml").decode().replace('encoding="UTF-8"', 'encoding="UTF-16"')
    with pytest.raises(InvalidXml, match="DOCTYPE"):
        parse_xml("\ufeff".encode("utf-16-le") + data.encode("utf-16-le"))


def test_an_undeclared_entity_is_not_resolved() -> None:
    # No declaration to refuse: the parser itself must not resolve or fetch it.
    with pytest.raises(InvalidXml, match="not well-formed"):
        parse_xml(b'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">&xxe;</Invoice>')


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<order><id>1</id></order>", "not a CII"),
        (b"<rsm:CrossIndustryInvoice xmlns:rsm='x'><broken", "not well-formed"),
        (b"<Invoice><ID>1</ID></Invoice>", "UBL 2 invoice namespace"),
        (b"<rsm:CrossIndustryInvoice xmlns:rsm='x'/>", "no document header"),
    ],
    ids=["other-root", "malformed", "no-namespace", "empty"],
)
def test_xml_that_is_not_an_invoice_is_refused(data: bytes, message: str) -> None:
    with pytest.raises(InvalidXml, match=message):
        read_xml(data)


def test_an_impossible_date_is_refused() -> None:
    xml = einvoice_bytes("ubl-invoice.xml").replace(b"2024-03-15", b"2024-02-30")
    with pytest.raises(InvalidXml, match="not a valid date"):
        read_xml(xml)

"""The processor with e-invoices: XML wins over the printed text, disagreements and bad XML are flagged."""

from __future__ import annotations

import json

from invoice_app.processing.extraction.fields import extract_document
from invoice_app.processing.limits import Limits
from invoice_app.processing.pipeline import DocumentProcessor
from invoice_app.processing.sniff import PDF, XML
from invoice_app.processing.types import Document, ProcessedDocument
from tests.helpers.samples import FIXTURES_DIR

from .helpers import einfach, einvoice_bytes, embedded_xml, pdf_with_xml

EINFACH_TRUTH = json.loads((FIXTURES_DIR / "zugferd_2p0_BASIC_Einfach.json").read_text())


def process(data: bytes, media_type: str = PDF, **options: bool) -> ProcessedDocument:
    processor = DocumentProcessor("auto", limits=Limits(), **options)
    return processor.process(Document(data, media_type, "upload"))


def values(result: ProcessedDocument) -> dict[str, object]:
    return {str(name): field.value for name, field in result.fields.items()}


def test_embedded_xml_wins_and_agrees_with_the_page() -> None:
    result = process(einfach())
    assert result.detection.engine == "e-invoice"
    assert {k: v for k, v in values(result).items() if k in EINFACH_TRUTH} == EINFACH_TRUTH
    assert all(field.confidence == 1.0 for field in result.fields.values())
    assert result.flags == []
    assert result.line_items  # the XML's lines
    assert "Lieferant GmbH" in result.detection.text  # the text layer is still read
    assert result.detection.pages == 2


def test_each_core_field_the_page_prints_differently_is_flagged() -> None:
    xml = embedded_xml(einfach())
    changed = xml.replace(b"<ram:GrandTotalAmount>235.62<", b"<ram:GrandTotalAmount>999.99<")
    changed = changed.replace(b"<ram:ID>471102</ram:ID>", b"<ram:ID>471199</ram:ID>")
    assert changed.count(b"999.99") == 1 and changed.count(b"471199") == 1
    result = process(pdf_with_xml(einfach(), changed))
    assert values(result)["total"] == 999.99  # the XML wins
    assert values(result)["invoiceNumber"] == "471199"
    mismatches = [f for f in result.flags if f.code == "xml-text-mismatch"]
    assert sorted(f.field for f in mismatches) == ["invoiceNumber", "total"]
    total_flag = next(f for f in mismatches if f.field == "total")
    assert "999.99" in total_flag.message and "235.62" in total_flag.message


def test_invalid_embedded_xml_falls_back_to_the_text_reader_and_says_so() -> None:
    broken = pdf_with_xml(einfach(), b"<rsm:CrossIndustryInvoice xmlns:rsm='urn:x'><rsm:Exchanged")
    result = process(broken)
    assert result.detection.engine == "pdf-text"
    assert {k: v for k, v in values(result).items() if k in EINFACH_TRUTH} == EINFACH_TRUTH
    (flag,) = result.flags
    assert flag.code == "embedded-xml-invalid"
    assert "factur-x.xml" in flag.message and "not well-formed" in flag.message


def test_an_embedded_xml_bomb_is_not_expanded_and_the_text_is_read() -> None:
    result = process(pdf_with_xml(einfach(), einvoice_bytes("billion-laughs.xml")))
    assert result.detection.engine == "pdf-text"
    assert [f.code for f in result.flags] == ["embedded-xml-invalid"]
    assert "DOCTYPE" in result.flags[0].message
    assert values(result)["total"] == EINFACH_TRUTH["total"]


def test_an_xml_attachment_that_is_no_invoice_is_ignored_quietly() -> None:
    result = process(pdf_with_xml(einfach(), b"<notes><note>hello</note></notes>", name="notes.xml"))
    assert result.detection.engine == "pdf-text"
    assert result.flags == []


def test_no_embedded_xml_option_reads_only_the_text() -> None:
    result = process(einfach(), embedded_xml=False)
    assert result.detection.engine == "pdf-text"
    assert not any(f.code == "xml-text-mismatch" for f in result.flags)
    # The line items are the text reader's table rows, not the XML's.
    assert result.line_items == extract_document(result.detection)[1]
    assert {k: v for k, v in values(result).items() if k in EINFACH_TRUTH} == EINFACH_TRUTH


def test_uploaded_ubl_xml_is_read_from_the_xml_alone() -> None:
    result = process(einvoice_bytes("ubl-invoice.xml"), XML)
    assert result.detection.engine == "e-invoice"
    assert values(result)["total"] == 97.58
    assert len(result.line_items) == 2
    assert result.flags == []
    assert "invoiceNumber: INV-2024-0042" in result.detection.text
    assert result.accuracy == 100.0


def test_line_items_that_do_not_add_up_are_flagged() -> None:
    xml = einvoice_bytes("ubl-invoice.xml").replace(
        b'<cbc:LineExtensionAmount currencyID="EUR">45.00<',
        b'<cbc:LineExtensionAmount currencyID="EUR">46.00<',
    )
    result = process(xml, XML)
    (flag,) = result.flags
    assert flag.code == "line-items-mismatch"
    assert "83.00" in flag.message and "82.00" in flag.message

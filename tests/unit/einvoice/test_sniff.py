"""XML uploads are recognised by their root element, like the other types by their magic bytes."""

from __future__ import annotations

import pytest

from invoice_app.processing.sniff import XML, sniff_media_type

from .helpers import einvoice_bytes

CII = b'<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100">'


@pytest.mark.parametrize(
    "head",
    [
        b'<?xml version="1.0" encoding="UTF-8"?>\n' + CII,
        b"\xef\xbb\xbf" + CII,  # UTF-8 byte order mark
        "\ufeff<?xml version='1.0' encoding='UTF-16'?>".encode("utf-16-le")
        + CII.decode().encode("utf-16-le"),
        b"<?xml version='1.0'?><!-- licence -->\n<?pi x?>\n<Invoice xmlns='urn:x'>",
        b"<CreditNote>",
        b"<rsm:CrossIndustryDocument xmlns:rsm='urn:x'>",  # ZUGFeRD 1.0
        b"<?xml version='1.0'?><!--" + b"a long licence comment " * 200,  # root beyond the head
    ],
    ids=["cii", "utf8-bom", "utf16", "ubl-after-prolog", "credit-note", "zugferd-1", "long-comment"],
)
def test_e_invoice_xml_is_recognised(head: bytes) -> None:
    assert sniff_media_type(head[:2048]) == XML


@pytest.mark.parametrize(
    "name", ["billion-laughs.xml", "external-entity.xml", "ubl-invoice.xml", "ubl-creditnote.xml"]
)
def test_fixtures_are_xml(name: str) -> None:
    # A DTD goes to the reader whatever the root, so that it is refused as a DTD (422).
    assert sniff_media_type(einvoice_bytes(name)[:2048]) == XML


@pytest.mark.parametrize(
    "head",
    [
        b'<?xml version="1.0"?><html><body/></html>',
        b"<svg xmlns='http://www.w3.org/2000/svg'/>",
        b"Invoice 42, total 10.00",
        b'{"invoiceNumber": 1}',
        b"",
    ],
    ids=["html", "svg", "text", "json", "empty"],
)
def test_other_content_is_not_accepted(head: bytes) -> None:
    assert sniff_media_type(head) is None

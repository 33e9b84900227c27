"""The e-invoice fixtures, and PDFs whose embedded XML is replaced (to test what a bad one does)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from tests.helpers.samples import FIXTURES_DIR, ROOT

EINVOICE_DIR = ROOT / "tests" / "fixtures" / "einvoice"
# The project's shared data sits beside the checkout (CI copies it there); tests that need it skip
# when it is missing.
SHARED_DATA = ROOT.parent / "shared" / "data"


def einvoice_bytes(name: str) -> bytes:
    return (EINVOICE_DIR / name).read_bytes()


def truth(path: Path) -> dict[str, Any]:
    return json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))


def pdf_with_xml(pdf: bytes, xml: bytes, name: str = "factur-x.xml") -> bytes:
    """`pdf` with its embedded files replaced by one XML file called `name` (pdfium writes it)."""
    import pypdfium2 as pdfium

    from invoice_app.processing.engines.pdf_text import PDFIUM_LOCK

    with PDFIUM_LOCK:
        document = pdfium.PdfDocument(pdf)
        try:
            while document.count_attachments():
                document.del_attachment(0)
            document.new_attachment(name).set_data(xml)
            out = io.BytesIO()
            document.save(out)
        finally:
            document.close()
    return out.getvalue()


def embedded_xml(pdf: bytes) -> bytes:
    """The e-invoice XML a fixture PDF embeds."""
    import pypdfium2 as pdfium

    from invoice_app.processing.einvoice.extract import xml_attachments
    from invoice_app.processing.engines.pdf_text import PDFIUM_LOCK

    with PDFIUM_LOCK:
        document = pdfium.PdfDocument(pdf)
        try:
            (first, *_) = xml_attachments(document)
        finally:
            document.close()
    assert first.data is not None
    return first.data


def einfach() -> bytes:
    return (FIXTURES_DIR / "zugferd_2p0_BASIC_Einfach.pdf").read_bytes()

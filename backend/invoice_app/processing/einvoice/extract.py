"""Take the e-invoice XML out of a PDF (Factur-X, ZUGFeRD 1.0/2.x, XRechnung attached to a PDF/A-3).

pdfium (pypdfium2, already here for the text layer) reads the document's embedded files, so no
second PDF library is needed: `factur-x` would bring pypdf and its own XML handling for what is
one name-tree lookup. Call with pdf_text.PDFIUM_LOCK held.
"""

from __future__ import annotations

import ctypes
import logging
from dataclasses import dataclass
from typing import Any

from .parse import MAX_XML_BYTES

log = logging.getLogger(__name__)

# The file names the standards prescribe (Factur-X 1.0 / ZUGFeRD 2.x, ZUGFeRD 1.0, XRechnung in a PDF).
INVOICE_NAMES = ("factur-x.xml", "zugferd-invoice.xml", "xrechnung.xml")


@dataclass(frozen=True)
class Attachment:
    name: str
    data: bytes | None  # None when the file is too large to be an invoice or unreadable
    problem: str | None = None

    @property
    def standard_name(self) -> bool:
        return self.name.casefold() in INVOICE_NAMES


def xml_attachments(pdf: Any) -> list[Attachment]:
    """The PDF's embedded XML files, the standard invoice names first (hold PDFIUM_LOCK)."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    found: list[Attachment] = []
    for index in range(pdf.count_attachments()):
        attachment = pdf.get_attachment(index)
        try:
            name = attachment.get_name() or ""
        except pdfium.PdfiumError:
            continue
        if not name.casefold().endswith(".xml"):
            continue
        size = ctypes.c_ulong()
        pdfium_c.FPDFAttachment_GetFile(attachment, None, 0, size)
        if size.value > MAX_XML_BYTES:
            found.append(Attachment(name, None, f"the embedded {name} is {size.value:,} bytes"))
            continue
        try:
            found.append(Attachment(name, bytes(attachment.get_data())))
        except pdfium.PdfiumError as exc:
            found.append(Attachment(name, None, f"the embedded {name} cannot be read ({exc})"))
    found.sort(key=lambda a: not a.standard_name)
    return found

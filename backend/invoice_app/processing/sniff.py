"""Recognise an upload's type from its first bytes, never from its name or declared type."""

from __future__ import annotations

import codecs
import re

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
TIFF = "image/tiff"
WEBP = "image/webp"
XML = "application/xml"  # a CII or UBL e-invoice (processing/einvoice/)
ACCEPTED_TYPES = (PDF, PNG, JPEG, TIFF, WEBP, XML)

# Root elements of the e-invoice syntaxes: CII (Factur-X, ZUGFeRD 2.x, XRechnung), ZUGFeRD 1.0, UBL
# (ZUGFeRD 1.0's release candidate also calls its root `Invoice`).
EINVOICE_ROOTS = frozenset({"CrossIndustryInvoice", "CrossIndustryDocument", "Invoice", "CreditNote"})
# What may stand before the root element: declaration, comments, processing instructions, a DOCTYPE
# (kept here so that the e-invoice reader, not the sniffer, refuses it with a 422), whitespace.
_PROLOG = re.compile(r"\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE(?:[^\[>]|\[.*?\])*>", re.DOTALL)
_ROOT = re.compile(r"<(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)[\s/>]")


def _xml_text(head: bytes) -> str | None:
    """The head as text when it is XML in UTF-8/ASCII-compatible or UTF-16 form, else None."""
    for bom, encoding in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if head.startswith(bom):
            return head[len(bom) :].decode(encoding, errors="ignore")
    if head.startswith(codecs.BOM_UTF8):
        head = head[len(codecs.BOM_UTF8) :]
    if not head.lstrip().startswith(b"<"):
        return None
    return head.decode("utf-8", errors="ignore")


def sniff_xml(head: bytes) -> str | None:
    """XML when the leading bytes are XML whose root is an e-invoice's, or whose root lies beyond
    them (a long licence comment first: the reader checks it); None for any other XML or text."""
    text = _xml_text(head)
    if text is None:
        return None
    position = 0
    while match := _PROLOG.match(text, position):
        if match.group().startswith("<!DOCTYPE"):
            # Whatever its root, a DTD goes to the reader to be refused as such (422, never expanded).
            return XML
        position = match.end()
    rest = text[position:]
    if not rest or rest.startswith(("<!--", "<?", "<!DOCTYPE")):
        return XML  # the prolog goes on past the sniffed bytes
    root = _ROOT.match(rest)
    if root is None:
        return XML if len(rest) < 64 and "<" in rest else None
    return XML if root.group(1) in EINVOICE_ROOTS else None


def sniff_media_type(head: bytes) -> str | None:
    """The media type of a file from its leading bytes, or None when it is not one we accept."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return TIFF
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    # PDF readers accept up to 1 KB of junk before the header; so do we.
    if b"%PDF-" in head[:1024]:
        return PDF
    return sniff_xml(head)

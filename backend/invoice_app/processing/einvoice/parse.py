"""Parse untrusted XML safely: DTDs and entities are refused before lxml sees the bytes.

Why not defusedxml: its lxml module is deprecated (and gone from newer releases), and its stdlib
parsers would mean a second XML stack. lxml with a locked-down parser does the same job: no DTD is
loaded, no entity is resolved or fetched, no network, and libxml2's own size limits stay on
(`huge_tree=False`). On top of that, any DOCTYPE or ENTITY declaration is refused up front, so a
"billion laughs" or an external-entity file is a 422 and never reaches the parser at all.
"""

from __future__ import annotations

import codecs
import re
from typing import TYPE_CHECKING

from ...core.errors import UnprocessableDocument

if TYPE_CHECKING:
    from lxml.etree import _Element

# An e-invoice is tens of KB; an XML file far beyond this is not one (and costs memory to parse).
MAX_XML_BYTES = 10 * 1024 * 1024
_DECLARATIONS = re.compile(r"<!\s*(DOCTYPE|ENTITY|ELEMENT|ATTLIST|NOTATION)\b", re.IGNORECASE)


class InvalidXml(UnprocessableDocument):
    """The XML is malformed, dangerous (DTD, entities) or not an e-invoice (a 422 for an upload)."""


def _as_text(data: bytes) -> str:
    """The document as text for the up-front check, whatever its (BOM-declared) encoding.

    ASCII-compatible encodings (UTF-8, ISO-8859-x, windows-125x) show `<!DOCTYPE` as its bytes;
    UTF-16/32 are decoded first, so the declaration cannot hide behind an encoding.
    """
    for bom, encoding in (
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace")
    if data[:2] in (b"<\x00", b"\x00<"):  # UTF-16 without a BOM
        return data.decode("utf-16-le" if data[0] == 0x3C else "utf-16-be", errors="replace")
    if data[:4] == b"\x4c\x6f\xa7\x94":  # "<?xm" in EBCDIC: libxml2 could read it, our check could not
        raise InvalidXml("the XML file uses an EBCDIC encoding; save it as UTF-8")
    return data.decode("latin-1")


def parse_xml(data: bytes) -> _Element:
    """The root element of `data`, parsed with DTDs, entities and network access all off."""
    from lxml import etree  # heavy: on first use, not at cold start

    if len(data) > MAX_XML_BYTES:
        raise InvalidXml(f"the XML file is larger than {MAX_XML_BYTES // (1024 * 1024)} MB")
    found = _DECLARATIONS.search(_as_text(data))
    if found:
        raise InvalidXml(
            f"the XML file contains a {found.group(1).upper()} declaration; e-invoices have none, "
            "and entity declarations are refused (they can expand without bound or read other files)"
        )
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise InvalidXml(f"the XML file is not well-formed ({exc})") from exc
    except ValueError as exc:  # e.g. an encoding lxml does not know
        raise InvalidXml(f"the XML file cannot be read ({exc})") from exc
    if root is None:
        raise InvalidXml("the XML file has no root element")
    # Belt and braces: the check above makes this impossible, but a DTD must never slip through.
    if root.getroottree().docinfo.doctype:
        raise InvalidXml("the XML file declares a DOCTYPE; e-invoices have none")
    return root


def local_name(element: _Element) -> str:
    """The element's name without its namespace (`{urn:…}ID` → `ID`)."""
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def namespace(element: _Element) -> str:
    tag = element.tag
    return tag[1:].split("}", 1)[0] if isinstance(tag, str) and tag.startswith("{") else ""

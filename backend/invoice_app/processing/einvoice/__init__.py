"""E-invoices read exactly: CII (Factur-X, ZUGFeRD 1.0/2.x, XRechnung) and UBL 2.1, from an uploaded
XML file or the XML embedded in a PDF. Every value comes from the XML with confidence 1.0.

lxml is imported on first use only (`parse.parse_xml`), so the Lambda cold start is unchanged.
"""

from __future__ import annotations

from . import cii, ubl
from .common import EInvoice
from .parse import InvalidXml, local_name, namespace, parse_xml

ENGINE = "e-invoice"
ROOTS = (*cii.ROOTS, *ubl.ROOTS)

__all__ = ["ENGINE", "ROOTS", "EInvoice", "InvalidXml", "read_xml"]


def read_xml(data: bytes) -> EInvoice:
    """The e-invoice in `data`; `InvalidXml` (a 422) when it is unsafe, malformed or not an invoice."""
    root = parse_xml(data)
    name = local_name(root)
    if name in cii.ROOTS or namespace(root) == cii.RC_NAMESPACE:
        invoice = cii.read(root)
    elif name in ubl.ROOTS:
        invoice = ubl.read(root)
    else:
        raise InvalidXml(
            f"the XML root element is {name!r}: not a CII (CrossIndustryInvoice) or UBL "
            "(Invoice, CreditNote) e-invoice"
        )
    if not invoice.values:
        raise InvalidXml(f"the {invoice.syntax} e-invoice holds none of the invoice's fields")
    return invoice

"""OASIS UBL 2.1 `Invoice` and `CreditNote` (Peppol BIS Billing 3.0, XRechnung UBL), EN 16931 terms."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..types import Field, LineItem
from .common import CREDIT_NOTE_CODES, EInvoice, amount, child, children, iso_date, put, text
from .parse import InvalidXml, local_name, namespace

if TYPE_CHECKING:
    from lxml.etree import _Element

ROOTS = ("Invoice", "CreditNote")
NAMESPACES = (
    "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
    "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
)


def _party_name(party: _Element | None) -> str | None:
    # BT-27/BT-44 is the legal registration name; the trading name (BT-28/45) when that is all there is.
    return text(party, "PartyLegalEntity", "RegistrationName") or text(party, "PartyName", "Name")


def _vat_id(party: _Element | None, vat: bool) -> str | None:
    """BT-31/BT-48 (the PartyTaxScheme whose scheme is VAT) or, with vat=False, BT-32 (any other)."""
    for scheme in children(party, "PartyTaxScheme"):
        is_vat = (text(scheme, "TaxScheme", "ID") or "").upper() == "VAT"
        if is_vat == vat and (value := text(scheme, "CompanyID")):
            return value
    return None


def _money(parent: _Element | None, name: str, currency: str | None, what: str) -> float | None:
    """An amount element; where several exist (TaxTotal in two currencies), the invoice currency's."""
    found = list(children(parent, name))
    chosen = next((e for e in found if currency and e.get("currencyID") == currency), None)
    if chosen is None and found:
        chosen = found[0]
    return amount(" ".join((chosen.text or "").split()) or None, what) if chosen is not None else None


def _tax_total(root: _Element, currency: str | None) -> float | None:
    """BT-110: the cac:TaxTotal/cbc:TaxAmount in the document currency (BT-111 is another one)."""
    totals = [t for tax_total in children(root, "TaxTotal") for t in children(tax_total, "TaxAmount")]
    chosen = next((t for t in totals if currency and t.get("currencyID") == currency), None)
    if chosen is None and totals:
        chosen = totals[0]
    return amount(" ".join((chosen.text or "").split()) or None, "tax total") if chosen is not None else None


def _line(line: _Element, credit: bool) -> LineItem:
    quantity = amount(text(line, "CreditedQuantity" if credit else "InvoicedQuantity"), "line quantity")
    price = amount(text(line, "Price", "PriceAmount"), "line price")
    basis = amount(text(line, "Price", "BaseQuantity"), "line price basis")
    if price is not None and basis not in (None, 0.0, 1.0):
        price = round(price / basis, 6)
    return LineItem(
        description=text(line, "Item", "Name") or text(line, "Item", "Description"),
        quantity=quantity,
        unit_price=price,
        amount=amount(text(line, "LineExtensionAmount"), "line amount"),
        tax_rate=amount(text(line, "Item", "ClassifiedTaxCategory", "Percent"), "line tax rate"),
    )


def read(root: _Element) -> EInvoice:
    """Every field the contract has, from a UBL Invoice or CreditNote root element."""
    if namespace(root) not in NAMESPACES:
        raise InvalidXml(f"the XML root {local_name(root)!r} is not in the UBL 2 invoice namespace")
    credit = local_name(root) == "CreditNote"
    values: dict[Field, str | float] = {}
    currency = text(root, "DocumentCurrencyCode")  # BT-5
    put(values, Field.INVOICE_NUMBER, text(root, "ID"))  # BT-1
    put(values, Field.INVOICE_DATE, iso_date(text(root, "IssueDate"), None, "issue date"))  # BT-2
    type_code = text(root, "CreditNoteTypeCode" if credit else "InvoiceTypeCode")  # BT-3
    values[Field.DOCUMENT_TYPE] = "credit-note" if credit or type_code in CREDIT_NOTE_CODES else "invoice"
    seller = child(root, "AccountingSupplierParty", "Party")
    buyer = child(root, "AccountingCustomerParty", "Party")
    put(values, Field.VENDOR_NAME, _party_name(seller))
    put(values, Field.BUYER_NAME, _party_name(buyer))
    put(values, Field.CURRENCY, currency.upper() if currency else None)
    put(values, Field.VENDOR_TAX_ID, _vat_id(seller, True) or _vat_id(seller, False))  # BT-31, BT-32
    put(values, Field.BUYER_TAX_ID, _vat_id(buyer, True))  # BT-48
    put(values, Field.PURCHASE_ORDER, text(root, "OrderReference", "ID"))  # BT-13

    # BT-9: cbc:DueDate on an Invoice, cac:PaymentMeans/cbc:PaymentDueDate on a CreditNote.
    due = text(root, "DueDate")
    for means in children(root, "PaymentMeans"):
        due = due or text(means, "PaymentDueDate")
        iban = text(means, "PayeeFinancialAccount", "ID")  # BT-84
        if iban and Field.IBAN not in values:
            values[Field.IBAN] = iban.replace(" ", "").upper()
            put(values, Field.BIC, text(means, "PayeeFinancialAccount", "FinancialInstitutionBranch", "ID"))
    put(values, Field.DUE_DATE, iso_date(due, None, "due date"))
    notes = [n for terms in children(root, "PaymentTerms") if (n := text(terms, "Note"))]
    put(values, Field.PAYMENT_TERMS, " ".join(notes) or None)  # BT-20

    totals = child(root, "LegalMonetaryTotal")
    line_total = _money(totals, "LineExtensionAmount", currency, "line total")  # BT-106
    exclusive = _money(totals, "TaxExclusiveAmount", currency, "total without tax")  # BT-109
    put(values, Field.SUBTOTAL, exclusive if exclusive is not None else line_total)
    put(values, Field.TAX, _tax_total(root, currency))  # BT-110
    put(values, Field.TOTAL, _money(totals, "TaxInclusiveAmount", currency, "total with tax"))  # BT-112

    line_name = "CreditNoteLine" if credit else "InvoiceLine"
    lines = [_line(line, credit) for line in children(root, line_name)]
    lines = [line for line in lines if line != LineItem()]
    return EInvoice(syntax="UBL", values=values, line_items=lines, line_total=line_total)

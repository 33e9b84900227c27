"""UN/CEFACT Cross Industry Invoice: Factur-X, ZUGFeRD 2.x and XRechnung (CII D16B/D22B), and
ZUGFeRD 1.0 (`CrossIndustryDocument`), whose elements differ in name only at the top levels.

The mapping is EN 16931's (business terms BT-n): see `read` and the development set's README.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..types import Field, LineItem
from .common import CREDIT_NOTE_CODES, EInvoice, amount, child, children, iso_date, put, text
from .parse import InvalidXml, local_name

if TYPE_CHECKING:
    from lxml.etree import _Element

ROOTS = ("CrossIndustryInvoice", "CrossIndustryDocument")
# The ZUGFeRD 1.0 release candidate: root `Invoice`, the CII 1.0 elements inside, this namespace.
RC_NAMESPACE = "urn:un:unece:uncefact:data:standard:CBFBUY:5"

# Element names of 2.x / 1.0.
_DOCUMENT = ("ExchangedDocument", "HeaderExchangedDocument")
_TRANSACTION = ("SupplyChainTradeTransaction", "SpecifiedSupplyChainTradeTransaction")
_AGREEMENT = ("ApplicableHeaderTradeAgreement", "ApplicableSupplyChainTradeAgreement")
_SETTLEMENT = ("ApplicableHeaderTradeSettlement", "ApplicableSupplyChainTradeSettlement")
_SUMMATION = ("SpecifiedTradeSettlementHeaderMonetarySummation", "SpecifiedTradeSettlementMonetarySummation")
_LINE_AGREEMENT = ("SpecifiedLineTradeAgreement", "SpecifiedSupplyChainTradeAgreement")
_LINE_DELIVERY = ("SpecifiedLineTradeDelivery", "SpecifiedSupplyChainTradeDelivery")
_LINE_SETTLEMENT = ("SpecifiedLineTradeSettlement", "SpecifiedSupplyChainTradeSettlement")
_LINE_SUMMATION = (
    "SpecifiedTradeSettlementLineMonetarySummation",
    "SpecifiedTradeSettlementMonetarySummation",
)


def _first(element: _Element | None, names: tuple[str, ...]) -> _Element | None:
    for name in names:
        found = child(element, name)
        if found is not None:
            return found
    return None


def _date(element: _Element | None, what: str) -> str | None:
    """A `…DateTime` element: `udt:DateTimeString format="102"` inside."""
    # ZUGFeRD 1.0's release candidate puts the text and its format on the element itself.
    string = child(element, "DateTimeString")
    if string is None and element is not None and (element.text or "").strip():
        string = element
    if string is None or string.text is None:
        return None
    return iso_date(string.text, string.get("format"), what)


def _tax_ids(party: _Element | None) -> dict[str, str]:
    """The party's tax registrations by scheme: VA (VAT id, BT-31/48), FC (tax number, BT-32)."""
    ids: dict[str, str] = {}
    for registration in children(party, "SpecifiedTaxRegistration"):
        value = text(registration, "ID")
        scheme = (child(registration, "ID").get("schemeID") or "").upper()  # type: ignore[union-attr]
        if value:
            ids.setdefault(scheme, value)
    return ids


def _tax_total(summation: _Element | None, currency: str | None) -> float | None:
    """BT-110: the TaxTotalAmount in the invoice currency (BT-111, in the accounting currency, may
    stand beside it with another currencyID)."""
    totals = list(children(summation, "TaxTotalAmount"))
    if not totals:
        return None
    chosen = next((t for t in totals if currency and t.get("currencyID") == currency), None)
    if chosen is None:
        chosen = next((t for t in totals if not t.get("currencyID")), totals[0])
    return amount(" ".join((chosen.text or "").split()) or None, "tax total")


def _line(item: _Element) -> LineItem:
    agreement = _first(item, _LINE_AGREEMENT)
    delivery = _first(item, _LINE_DELIVERY)
    settlement = _first(item, _LINE_SETTLEMENT)
    price = child(agreement, "NetPriceProductTradePrice")
    unit_price = amount(text(price, "ChargeAmount"), "line price")
    basis = amount(text(price, "BasisQuantity"), "line price basis")
    if unit_price is not None and basis not in (None, 0.0, 1.0):
        unit_price = round(unit_price / basis, 6)  # "12.00 per 10 pieces" → per piece
    tax = child(settlement, "ApplicableTradeTax")
    rate = text(tax, "RateApplicablePercent") or text(tax, "ApplicablePercent")
    description = text(item, "SpecifiedTradeProduct", "Name") or text(
        item, "SpecifiedTradeProduct", "Description"
    )
    return LineItem(
        description=description,
        quantity=amount(text(delivery, "BilledQuantity"), "line quantity"),
        unit_price=unit_price,
        amount=amount(text(_first(settlement, _LINE_SUMMATION), "LineTotalAmount"), "line amount"),
        tax_rate=amount(rate, "line tax rate"),
    )


def read(root: _Element) -> EInvoice:
    """Every field the contract has, from a CII root element."""
    syntax = "CII" if local_name(root) == "CrossIndustryInvoice" else "ZUGFeRD 1.0"
    document = _first(root, _DOCUMENT)
    transaction = _first(root, _TRANSACTION)
    if document is None or transaction is None:
        raise InvalidXml("the CII e-invoice has no document header or no trade transaction")
    agreement = _first(transaction, _AGREEMENT)
    settlement = _first(transaction, _SETTLEMENT)
    summation = _first(settlement, _SUMMATION)
    seller = child(agreement, "SellerTradeParty")
    buyer = child(agreement, "BuyerTradeParty")

    values: dict[Field, str | float] = {}
    currency = text(settlement, "InvoiceCurrencyCode")
    put(values, Field.INVOICE_NUMBER, text(document, "ID"))  # BT-1
    put(values, Field.INVOICE_DATE, _date(child(document, "IssueDateTime"), "issue date"))  # BT-2
    type_code = text(document, "TypeCode")  # BT-3
    if type_code:
        values[Field.DOCUMENT_TYPE] = "credit-note" if type_code in CREDIT_NOTE_CODES else "invoice"
    put(values, Field.VENDOR_NAME, text(seller, "Name"))  # BT-27
    put(values, Field.BUYER_NAME, text(buyer, "Name"))  # BT-44
    put(values, Field.CURRENCY, currency.upper() if currency else None)  # BT-5
    seller_ids, buyer_ids = _tax_ids(seller), _tax_ids(buyer)
    put(values, Field.VENDOR_TAX_ID, seller_ids.get("VA") or seller_ids.get("FC"))  # BT-31, BT-32
    put(values, Field.BUYER_TAX_ID, buyer_ids.get("VA"))  # BT-48
    order = child(agreement, "BuyerOrderReferencedDocument")
    put(values, Field.PURCHASE_ORDER, text(order, "IssuerAssignedID") or text(order, "ID"))  # BT-13

    for means in children(settlement, "SpecifiedTradeSettlementPaymentMeans"):
        iban = text(means, "PayeePartyCreditorFinancialAccount", "IBANID")  # BT-84
        if iban and Field.IBAN not in values:
            values[Field.IBAN] = iban.replace(" ", "").upper()
            put(values, Field.BIC, text(means, "PayeeSpecifiedCreditorFinancialInstitution", "BICID"))
    terms = list(children(settlement, "SpecifiedTradePaymentTerms"))
    for term in terms:  # BT-9: the first term with a due date
        due = _date(child(term, "DueDateDateTime"), "due date")
        if due:
            values[Field.DUE_DATE] = due
            break
    descriptions = [d for term in terms if (d := text(term, "Description"))]
    put(values, Field.PAYMENT_TERMS, " ".join(descriptions) or None)  # BT-20

    line_total = amount(text(summation, "LineTotalAmount"), "line total")  # BT-106
    basis = amount(text(summation, "TaxBasisTotalAmount"), "tax basis total")  # BT-109
    put(values, Field.SUBTOTAL, basis if basis is not None else line_total)
    put(values, Field.TAX, _tax_total(summation, currency))  # BT-110
    put(values, Field.TOTAL, amount(text(summation, "GrandTotalAmount"), "grand total"))  # BT-112

    lines = [_line(item) for item in children(transaction, "IncludedSupplyChainTradeLineItem")]
    lines = [line for line in lines if line != LineItem()]  # a free-text line (a note) is no item
    return EInvoice(syntax=syntax, values=values, line_items=lines, line_total=line_total)

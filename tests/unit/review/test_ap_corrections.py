"""Corrections of the accounts-payable fields: IBAN mod-97, BIC format, tax ids, documentType, text."""

from __future__ import annotations

from typing import Any

import pytest

from invoice_app.core.errors import BadRequest
from invoice_app.review.validation import EDITABLE_FIELDS, MAX_TERMS, clean_value
from tests.helpers.samples import fixture_bytes
from tests.helpers.uploads import post_file


@pytest.mark.parametrize(
    ("field", "value", "stored"),
    [
        ("iban", "de89 3704 0044 0532 0130 00", "DE89370400440532013000"),
        ("bic", " cobadeffxxx ", "COBADEFFXXX"),
        ("vendorTaxId", "DE 136 695 976", "DE136695976"),
        ("buyerTaxId", "ATU13585627", "ATU13585627"),
        ("vendorTaxId", "201/113/40209", "201/113/40209"),  # a Steuernummer: no prefix, kept as printed
        ("vendorTaxId", "US-TAXID-7890123", "US-TAXID-7890123"),  # no known check: trimmed and bounded
        ("buyerTaxId", "27AAPFU0939F1ZV", "27AAPFU0939F1ZV"),
        ("documentType", "credit-note", "credit-note"),
        ("buyerName", "  Kunden AG\n Mitte ", "Kunden AG Mitte"),
        ("purchaseOrder", "PO-2023-10-005", "PO-2023-10-005"),
        ("paymentTerms", "Zahlbar innerhalb 14 Tagen netto", "Zahlbar innerhalb 14 Tagen netto"),
    ],
)
def test_good_values_are_normalised(field: str, value: Any, stored: str) -> None:
    assert clean_value(field, value) == stored


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("iban", "DE89 3704 0044 0532 0130 01"),  # mod 97 fails
        ("iban", "DE89370400440532013"),  # too short for Germany
        ("iban", 12345),
        ("bic", "DEUT1EFF"),
        ("bic", "DEUTDEF"),
        ("vendorTaxId", "DE136695977"),  # check digit
        ("buyerTaxId", "27AAPFU0939F1ZW"),  # GSTIN check character
        ("vendorTaxId", "DE" + "1" * 60),  # too long
        ("vendorTaxId", "DE<script>"),
        ("documentType", "quote"),
        ("documentType", "Invoice"),  # the enum is exact
        ("buyerName", ""),
        ("buyerName", "x" * 201),
        ("paymentTerms", "x" * (MAX_TERMS + 1)),
        ("purchaseOrder", ["PO-1"]),
    ],
)
def test_bad_values_are_400_naming_the_field(field: str, value: Any) -> None:
    with pytest.raises(BadRequest) as err:
        clean_value(field, value)
    assert field in str(err.value)


def test_null_removes_a_field() -> None:
    assert clean_value("iban", None) is None
    assert clean_value("documentType", None) is None


def test_every_contract_field_can_be_corrected() -> None:
    from invoice_app.processing.types import FIELD_NAMES

    assert set(FIELD_NAMES) <= EDITABLE_FIELDS


def test_patch_route_stores_a_corrected_iban_and_refuses_a_bad_one(client_as) -> None:
    reviewer = client_as("reviewer")
    invoice = post_file(reviewer, fixture_bytes("sample-invoice.pdf"), "sample-invoice.pdf").get_json()
    url = f"/api/invoices/{invoice['invoiceId']}"

    bad = reviewer.patch(url, json={"fields": {"iban": "DE00 0000"}}, headers={"If-Match": "1"})
    assert bad.status_code == 400
    assert "iban" in bad.get_json()["error"]

    good = reviewer.patch(
        url,
        json={"fields": {"iban": "DE89 3704 0044 0532 0130 00", "documentType": "invoice"}},
        headers={"If-Match": "1"},
    )
    assert good.status_code == 200, good.get_json()
    fields = good.get_json()["fields"]
    assert fields["iban"]["value"] == "DE89370400440532013000"
    assert fields["iban"]["source"] == "user"
    assert fields["documentType"]["value"] == "invoice"

"""IBAN, BIC and tax-id checks against published valid numbers and near misses."""

from __future__ import annotations

import pytest

from invoice_app.processing.extraction.iban import is_valid_bic, is_valid_iban, normalize_iban
from invoice_app.processing.extraction.taxid import (
    is_valid_abn,
    is_valid_gstin,
    parse_steuernummer,
    parse_tax_id,
    parse_vat,
)


@pytest.mark.parametrize(
    "iban",
    [
        "DE89 3704 0044 0532 0130 00",  # the standard's German example
        "GB82WEST12345698765432",
        "FR14 2004 1010 0505 0001 3M02 606",
        "NL91ABNA0417164300",
        "BE68539007547034",
        "AT611904300234573201",
        "CH9300762011623852957",
        "de44 5001 0517 5407 3249 31",  # lower case
    ],
)
def test_valid_ibans(iban: str) -> None:
    assert is_valid_iban(iban)
    assert normalize_iban(iban) == iban.replace(" ", "").upper()


@pytest.mark.parametrize(
    "iban",
    [
        "DE89370400440532013001",  # one digit changed: mod 97 fails
        "DE8937040044053201300",  # one digit short for Germany
        "GB82WEST1234569876543X",
        "XX89370400440532013000",  # no such country
        "DE89-3704",
        "",
    ],
)
def test_invalid_ibans(iban: str) -> None:
    assert not is_valid_iban(iban)
    assert normalize_iban(iban) is None


@pytest.mark.parametrize("bic", ["WELADED1MST", "DEUTDEFF", "COBADEFFXXX", "BNPAFRPP", "maybmykl"])
def test_valid_bics(bic: str) -> None:
    assert is_valid_bic(bic)


@pytest.mark.parametrize("bic", ["DEUTDEF", "DEUT1EFF", "ABCDXXYY", "RECHNUNG", "DEUTDEFF1"])
def test_invalid_bics(bic: str) -> None:
    assert not is_valid_bic(bic)


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("DE136695976", "DE136695976"),
        ("DE 136 695 976", "DE136695976"),
        ("ATU13585627", "ATU13585627"),
        ("FR 11 123 456 782", "FR11123456782"),
        ("FR40303265045", "FR40303265045"),
        ("NL004495445B01", "NL004495445B01"),
        ("BE 0403.019.261", "BE0403019261"),
        ("BE403019261", "BE0403019261"),  # the old nine-digit form
        ("IT00743110157", "IT00743110157"),
        ("ESA28015865", "ESA28015865"),
        ("ES12345678Z", "ES12345678Z"),
        ("ESX5253868R", "ESX5253868R"),
        ("GB980780684", "GB980780684"),
        ("GB 123 4567 82", "GB123456782"),
    ],
)
def test_valid_vat_numbers(raw: str, normalised: str) -> None:
    assert parse_vat(raw) == normalised
    assert parse_tax_id(raw) == normalised


@pytest.mark.parametrize(
    "raw",
    [
        "DE136695977",  # check digit off by one
        "DE123456789",  # the placeholder many samples print: its check digit is wrong
        "ATU13585628",
        "FR33123456789",  # key does not match the SIREN
        "FR 32 123 456 789",  # a sample's made-up number
        "NL004495445B00",
        "BE0403019262",
        "IT00743110158",
        "ES12345678A",
        "GB980780685",
        "DE12345678",  # too short
    ],
)
def test_invalid_vat_numbers(raw: str) -> None:
    assert parse_vat(raw) is None


def test_gstin_checksum() -> None:
    assert is_valid_gstin("27AAPFU0939F1ZV")
    assert parse_tax_id("27AAPFU0939F1ZV") == "27AAPFU0939F1ZV"
    assert not is_valid_gstin("27AAPFU0939F1ZW")  # wrong check character
    assert not is_valid_gstin("27AAPXU0939F1ZV")  # X is no PAN holder type


def test_abn_checksum() -> None:
    assert is_valid_abn("51 824 753 556")
    assert parse_tax_id("51 824 753 556", context="ABN") == "51824753556"
    assert parse_tax_id("51 824 753 556") is None  # without its label a bare number is not an ABN
    assert not is_valid_abn("51 824 753 557")


def test_steuernummer_and_sst_need_their_label() -> None:
    assert parse_steuernummer("201/113/40209") == "201/113/40209"
    assert parse_tax_id("201/113/40209", context="Steuernummer") == "201/113/40209"
    assert parse_tax_id("201/113/40209") is None
    assert parse_tax_id("W10-1808-31000099", context="SST ID") == "W10-1808-31000099"
    assert parse_tax_id("000123456789", context="GST REG NO") == "000123456789"
    assert parse_tax_id("000123456789", context="Tel") is None

"""Accounts-payable fields, unusual invoice-number labels and line items, on small real-world snippets."""

from __future__ import annotations

from typing import Any

import pytest

from invoice_app.processing.extraction import extract_fields
from invoice_app.processing.extraction.fields import extract_document
from invoice_app.processing.extraction.line_items import check_against, parse_row
from invoice_app.processing.types import Detection, Field, LineItem, TextSegment


def detection(text: str) -> Detection:
    return Detection(text=text, segments=[TextSegment(text, 1.0, 1)], pages=1, engine="test")


def extract(text: str) -> dict[str, Any]:
    fields, _, _, _ = extract_document(detection(text))
    return {str(name): f.value for name, f in fields.items()}


# --- invoice number: each unusual label is its own class ------------------------------------------
@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("Bill No: 4711-B\nDate: 03/04/2024\nTotal 10.00", "4711-B"),
        ("Invoice # INV-2019/0042\nTotal 10.00", "INV-2019/0042"),
        ("Rechnungs-Nr. RE-2024/118\nGesamtbetrag 10,00 €", "RE-2024/118"),
        ("Facture n° FA-2026-0001\nTotal TTC 10,00 €", "FA-2026-0001"),
        ("Belegnummer: 20240017\nSumme 10,00 €", "20240017"),
        ("Document No. SI-000231\nTotal 10.00", "SI-000231"),
        ("Invoice-ID: RE20248731, Total: 238 EUR", "RE20248731"),
        ("Invoice No: RE 2024-118\nTotal 10.00", "RE 2024-118"),  # letters, a space, the numbered part
        ("Handelsrechnung (380) Nr. 471102 vom 05.06.2025\nSumme 10,00 €", "471102"),
        ("Teilrechnung Bau (875) Nr. 210111 vom 30.05.2025\nSumme 10,00 €", "210111"),
        ("FACTURE\n20/09/2023\nnº 2023-6013\nTotal TTC 10,00 €", "2023-6013"),  # a bare "nº" under the title
        ("INVOICE\nINV-0042\nTotal 10.00", "INV-0042"),  # beside the title, no label at all
    ],
)
def test_unusual_invoice_number_labels(text: str, number: str) -> None:
    assert extract(text)["invoiceNumber"] == number


@pytest.mark.parametrize(
    "text",
    [
        "INVOICE\nCustomer No. 552211\nTotal 10.00",  # a customer number is not the invoice number
        "INVOICE\nTel: +49 30 1234567\nTotal 10.00",
        "INVOICE\nDE89 3704 0044 0532 0130 00\nTotal 10.00",  # an IBAN
        "INVOICE\n12.03.2024\nTotal 10.00",  # a date under the title
    ],
)
def test_the_title_does_not_make_other_numbers_invoice_numbers(text: str) -> None:
    assert "invoiceNumber" not in extract(text)


def test_label_and_value_apart_in_the_text_meet_again_by_their_boxes() -> None:
    # The text layer streamed the value long before its label; on the page they share a row.
    segments = [
        TextSegment("F20220024", 1.0, 1, (0.75, 0.051, 0.83, 0.059)),
        TextSegment("LE FOURNISSEUR", 1.0, 1, (0.11, 0.10, 0.20, 0.11)),
        TextSegment("Total TTC 10,00 €", 1.0, 1, (0.11, 0.80, 0.40, 0.81)),
        TextSegment("FACTURE N° :", 1.0, 1, (0.50, 0.051, 0.58, 0.059)),
    ]
    text = "\n".join(s.text for s in segments)
    found = extract_fields(Detection(text=text, segments=segments, pages=1, engine="pdf-text"))
    assert found[Field.INVOICE_NUMBER].value == "F20220024"


# --- tax ids and whose they are -------------------------------------------------------------------
def test_vendor_and_buyer_vat_by_block() -> None:
    text = """Verkäufer
Name: Lieferant GmbH
USt.-Id.-Nr.: DE136695976
Käufer/Leistungsempfänger
Name: Kunden AG Mitte
USt.-Id.-Nr.: ATU13585627
Summe 10,00 €"""
    got = extract(text)
    assert got["vendorTaxId"] == "DE136695976"
    assert got["buyerTaxId"] == "ATU13585627"
    assert got["buyerName"] == "Kunden AG Mitte"


def test_customer_vat_label_on_the_line_makes_it_the_buyers() -> None:
    got = extract("Customer VAT ID: DE 136 695 976\nTotal 10.00\nSeller Ltd - VAT Reg No: GB 980 7806 84")
    assert got["buyerTaxId"] == "DE136695976"
    assert got["vendorTaxId"] == "GB980780684"


def test_legal_footer_is_the_sellers_and_the_other_number_the_buyers() -> None:
    text = """FACTURE
Securibox SARL
TVA : FR38500003710
Total TTC 10,00 €
SASU au capital de 200000€ - R.C.S Paris 123 456 789 – TVA FR40303265045"""
    got = extract(text)
    assert got["vendorTaxId"] == "FR40303265045"
    assert got["buyerTaxId"] == "FR38500003710"


def test_a_tax_representatives_number_is_nobodys() -> None:
    got = extract("Représentant Fiscal\nSELLER TAX REP\nTVA : FR40303265045\nTotal 10,00 €")
    assert "vendorTaxId" not in got and "buyerTaxId" not in got


def test_vat_number_preferred_over_steuernummer_and_label_needed_for_national_ids() -> None:
    got = extract("Steuernummer: 201/113/40209\nUSt-IdNr.: DE136695976\nSumme 10,00 €")
    assert got["vendorTaxId"] == "DE136695976"
    assert extract("Steuernummer: 201/113/40209\nSumme 10,00 €")["vendorTaxId"] == "201/113/40209"
    assert "vendorTaxId" not in extract("Aktenzeichen 201/113/40209\nSumme 10,00 €")


@pytest.mark.parametrize(
    ("text", "tax_id"),
    [
        ("GSTIN: 27AAPFU0939F1ZV\nTotal ₹ 1,180.00", "27AAPFU0939F1ZV"),
        ("ABN 51 824 753 556\nTotal $110.00", "51824753556"),
        ("SST ID: W10-1808-31000099\nTOTAL RM 30.90", "W10-1808-31000099"),
        ("GST REG NO : 000123456789\nTOTAL RM 30.90", "000123456789"),
    ],
)
def test_national_tax_ids_after_their_label(text: str, tax_id: str) -> None:
    assert extract(text)["vendorTaxId"] == tax_id


def test_a_vat_number_with_a_wrong_check_digit_needs_a_label_and_scores_lower() -> None:
    labelled = extract_document(detection("USt-IdNr.: DE123456789\nSumme 10,00 €"))[0]
    valid = extract_document(detection("USt-IdNr.: DE136695976\nSumme 10,00 €"))[0]
    assert labelled[Field.VENDOR_TAX_ID].value == "DE123456789"
    assert labelled[Field.VENDOR_TAX_ID].confidence < valid[Field.VENDOR_TAX_ID].confidence
    assert "vendorTaxId" not in extract("Artikel DE123456789\nSumme 10,00 €")


# --- bank account -----------------------------------------------------------------------------------
def test_iban_validated_and_compacted_bic_beside_it() -> None:
    got = extract("Bankverbindung: IBAN DE89 3704 0044 0532 0130 00, BIC COBADEFFXXX\nSumme 10,00 €")
    assert got["iban"] == "DE89370400440532013000"
    assert got["bic"] == "COBADEFFXXX"


def test_an_iban_failing_mod_97_is_not_reported() -> None:
    got = extract("IBAN: DE89 3704 0044 0532 0130 01\nSWIFT: DEUTDEFF\nTotal 10.00")
    assert "iban" not in got
    assert got["bic"] == "DEUTDEFF"


def test_words_shaped_like_a_bic_are_not_bics() -> None:
    assert "bic" not in extract("RECHNUNG\nLIEFERUNG FREIHAUS\nSumme 10,00 €")


# --- purchase order, payment terms ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "po"),
    [
        ("PO Number: 4500012345\nTotal 10.00", "4500012345"),
        ("Your order: ORD-7788\nTotal 10.00", "ORD-7788"),
        ("Bestellnummer: PO-BUYER-7788\nSumme 10,00 €", "PO-BUYER-7788"),
        ("N° BON DE COMMANDE : PO201925478\nTotal TTC 10,00 €", "PO201925478"),
    ],
)
def test_purchase_order(text: str, po: str) -> None:
    assert extract(text)["purchaseOrder"] == po


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ("Summe 10,00 €\nZahlbar innerhalb 14 Tagen netto.", "Zahlbar innerhalb 14 Tagen netto"),
        ("Total 10.00\nTerms: Net 30", "Net 30"),
        (
            "Total 10.00\nPayable within 30 days of the invoice date.",
            "Payable within 30 days of the invoice date",
        ),
        ("Total TTC 10,00 €\nConditions de règlement : 30 jours net", "30 jours net"),
        ("Summe 10,00 €\nZahlungsbedingungen:\nSofort zahlbar ohne Abzug", "Sofort zahlbar ohne Abzug"),
    ],
)
def test_payment_terms(text: str, terms: str) -> None:
    assert extract(text)["paymentTerms"] == terms


def test_payment_terms_are_bounded_and_not_penalty_boilerplate() -> None:
    long = "Zahlbar innerhalb 30 Tagen " + "und so weiter " * 40
    assert len(extract(f"Summe 10,00 €\n{long}")["paymentTerms"]) <= 200
    boiler = (
        "Total 10,00 €\nIndemnité forfaitaire pour frais de recouvrement en cas de retard de paiement : 40 €."
    )
    assert "paymentTerms" not in extract(boiler)


# --- buyer name -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "buyer"),
    [
        ("ACME Ltd\nBill To: Jane Doe Trading\nTotal 10.00", "Jane Doe Trading"),
        (
            "Rechnungsempfänger\nMusterkunde GmbH\nKundenweg 88\n40235 Düsseldorf\nSumme 10,00 €",
            "Musterkunde GmbH",
        ),
        (
            "Client :\nMa jolie boutique\n12 rue du Commerce\n75001 Paris\nTotal TTC 10,00 €",
            "Ma jolie boutique",
        ),
        # DIN 5008: the return-address line over the window, then the recipient.
        (
            "Bei Spiel GmbH ● Ecke 12 ● 12345 Stadthausen\nTheodor Est\nBahnstr. 42\n88802 Spielkreis\n"
            "Summe 10,00 €",
            "Theodor Est",
        ),
        # The address block alone near the top, salutation skipped.
        (
            "Rechnung\nHerrn\nMax Mustermann\nMusterstr. 11\n12346 Bad Musterhausen\nSumme 10,00 €",
            "Max Mustermann",
        ),
        # A second label in brackets: "Buyer (Bill to):" (Indian GST invoices).
        (
            "TAX INVOICE\nShree Ganesh Traders\nBuyer (Bill to): Kiran Enterprises\nTotal 10.00",
            "Kiran Enterprises",
        ),
        # A person over a company names the contact; the company, by its legal form, is the buyer.
        ("Acme Cloud Inc.\nBill to\nJane Doe\nBeta LLC\n12 Main St\nTotal $10.00", "Beta LLC"),
        (
            "Acme Traders Ltd\nBill To:\nAttn: Jane Smith\nHollow Oak\n5 Low Rd, York\nTotal £10.00",
            "Hollow Oak",
        ),
        # The label in one cell, the name in the next ("Bar" is German for cash, not a label here).
        ("Acme Cloud Inc.\nBill To:\tBar Inc.\nTotal $10.00", "Bar Inc."),
        ("Acme Cloud Inc.\nCustomer\t:\tBaz Ltd\nTotal $10.00", "Baz Ltd"),
        ("Nova SAS\nClient : Qux SARL\nTotal TTC 10,00 €", "Qux SARL"),
        # "Billed To" heading a column beside the invoice's own details.
        ("Acme Cloud Inc.\nBilled To\tInvoice No: 12\nBeta LLC\tDate: 01/02/2024\nTotal $10.00", "Beta LLC"),
        # The address window beside the invoice's details: a street named as one word with its number,
        # a box, a Swedish postcode.
        (
            "Van Dijk B.V.\nFACTUUR\nBakkerij De Korenschoof V.O.F.\tFactuurnummer\t2024-1187\n"
            "t.a.v. de heer R. Bos\tFactuurdatum\t04-06-2024\nDorpsstraat 88\tVervaldatum\t18-06-2024\n"
            "3732 HJ De Bilt\tKlantnummer\tK-4471\nTotaal\t€ 100,00\n",
            "Bakkerij De Korenschoof V.O.F.",
        ),
        (
            "Nordljus Bygg AB\nFAKTURA\nBrf Solgläntan\tFakturanr\t10345\n"
            "c/o Riksbyggen\tFakturadatum\t2024-04-15\n"
            "Box 1207\n411 05 Göteborg\nAtt betala\t1 000,00 SEK\n",
            "Brf Solgläntan",
        ),
        (
            "Imprimerie Lambert SRL\nFACTURE\nBrasserie du Moulin SA\nChaussée de Louvain 210\n5310 Éghezée\n"
            "Total TVAC\t1.790,80 €\n",
            "Brasserie du Moulin SA",
        ),
        # Italy's "Spett.le" heads the buyer's name; "Credit To:" a credit note's.
        (
            "Rossi S.r.l.\nSpett.le\tFATTURA N. 147/2024\nCalzaturificio Marchetti S.p.A.\nTotale 10,00 €",
            "Calzaturificio Marchetti S.p.A.",
        ),
        (
            "Acme Ltd\nCREDIT NOTE\nCredit To:\nThe Old Mill Bistro Ltd\nMill Lane, Wroxham\nTotal £10.00",
            "The Old Mill Bistro Ltd",
        ),
    ],
)
def test_buyer_name(text: str, buyer: str) -> None:
    assert extract(text)["buyerName"] == buyer


def test_a_header_row_without_a_colon_names_no_buyer_beside_it() -> None:
    got = extract("Acme Cloud Inc.\nClient\tProject\tHours\nTotal $10.00")
    assert got.get("buyerName") != "Project"


def test_a_delivery_address_is_not_the_buyer() -> None:
    assert "buyerName" not in extract("Ship to:\nWarehouse 7\nTotal 10.00")


def test_extract_fields_keeps_its_eight_fields_for_its_callers() -> None:
    got = extract_fields(detection("Invoice No: 42-A\nIBAN DE89 3704 0044 0532 0130 00\nTotal 10.00"))
    assert Field.IBAN not in got
    assert Field.IBAN in extract_fields(
        detection("Invoice No: 42-A\nIBAN DE89 3704 0044 0532 0130 00\nTotal 10.00"), all_fields=True
    )


# --- line items -------------------------------------------------------------------------------------
def test_line_items_from_a_text_table_add_up() -> None:
    text = """INVOICE
Invoice No: INV-7
Description Qty Unit price VAT Amount
Widgets 10 12.50 20% 125.00
Chambre du 09/08/2023 au 15/08/2023 6 205,90 € 10 % 1.235,40 €
Subtotal 1,360.40
VAT 187.54
Total 1,547.94"""
    _, items, flags, _ = extract_document(detection(text))
    assert items == [
        LineItem("Widgets", 10.0, 12.5, 125.0, 20.0),
        LineItem("Chambre du 09/08/2023 au 15/08/2023", 6.0, 205.9, 1235.4, 10.0),
    ]
    assert flags == []


def test_line_items_take_the_description_from_the_lines_above_and_flag_a_mismatch() -> None:
    text = """Pos Referenzen Beschreibung Nettopreis Menge Einheit Steuersatz Nettobetrag
Art-Nr-Kunde: SE_KR
4012345001235 (GTIN)
Kunstrasen grün 3m
breit
3,3333 3 m² 19% 10,00
Pfand 2,7700 20 Stk 19% 55,40
Summe netto 75,40 €
Umsatzsteuer 12,43 €
Gesamtbetrag 87,83 €"""
    _, items, flags, _ = extract_document(detection(text))
    assert items == [
        LineItem("Kunstrasen grün 3m breit", 3.0, 3.3333, 10.0, 19.0),
        LineItem("Pfand", 20.0, 2.77, 55.4, 19.0),
    ]
    assert [f.code for f in flags] == ["line-items-mismatch"]
    assert flags[0].field == "subtotal"


def test_the_vat_breakdown_is_not_a_line_item() -> None:
    text = """Désignation Qté Montant HT
Maintenance 1.00 2400.00 €
Taux TVA Prix HT TVA Montant total
20,00 % 2.400,00 € 480,00 € 2.880,00 €
Total HT 2400.00 €"""
    _, items, flags, _ = extract_document(detection(text))
    assert [i.amount for i in items] == [2400.0]
    assert flags == []


def test_a_wide_table_with_net_tax_and_gross_per_line() -> None:
    # Amazon India: the tax type ("IGST") sits in its own column; the line's net is its amount.
    text = """Sl.\tDescription\tUnit Price\tQty\tNet Amount\tTax Rate\tTax Type\tTax Amount\tTotal Amount
1\tUSB Cable\t₹254.24\t1\t₹254.24\t18%\tIGST\t₹45.76\t₹300.00
2\tCharger\t₹423.73\t2\t₹847.46\t18%\tIGST\t₹152.54\t₹1,000.00
TOTAL:\t₹198.30\t₹1,300.00"""
    _, items, flags, _ = extract_document(detection(text))
    assert items == [
        LineItem("USB Cable", 1.0, 254.24, 254.24, 18.0),
        LineItem("Charger", 2.0, 423.73, 847.46, 18.0),
    ]
    assert flags == []


def test_parse_row_without_a_product_of_quantity_and_price() -> None:
    item, own = parse_row("Consulting flat fee 450.00")
    assert item == LineItem("Consulting flat fee", None, None, 450.0, None)
    assert own
    assert parse_row("Bruttopreis :4,0000") == (None, False)  # four decimals: a price, not an amount


def test_check_against_tolerates_rounding_and_uses_the_total_without_subtotal() -> None:
    items = [LineItem(amount=33.33), LineItem(amount=33.33), LineItem(amount=33.33)]
    assert check_against(items, 99.99, None) == []
    assert check_against(items, None, 99.99) == []
    assert check_against(items, 120.0, 142.8)[0].code == "line-items-mismatch"
    assert check_against([], 10.0, 10.0) == []


def test_allowances_and_charges_in_the_table_count_towards_the_subtotal() -> None:
    text = """Désignation Qté P.U. HT Total HT
Prestation support 1,00 60,00 60,00
Fournitures diverses 3,00 10,00 30,00
REMISE : REMISE COMMERCIALE -5,00 20,00%
CHARGE : FRAIS DEPLACEMENT 10,00 20,00%
Total HT 95,00
TVA 19,00
Total TTC 114,00"""
    _, items, flags, _ = extract_document(detection(text))
    assert [(i.description, i.quantity, i.unit_price, i.amount) for i in items] == [
        ("Prestation support", 1.0, 60.0, 60.0),
        ("Fournitures diverses", 3.0, 10.0, 30.0),
    ]
    assert flags == []  # 60 + 30 − 5 + 10 = 95


def test_rows_from_pdf_text_runs_glue_split_numbers() -> None:
    from invoice_app.processing.extraction.layout import rows_from_boxes

    # pdfium split "1.235,40 €" into pieces at kerning changes; a column gap separates the quantity.
    segments = [
        TextSegment("Chambre", 1.0, 1, (0.10, 0.30, 0.16, 0.31)),
        TextSegment("6", 1.0, 1, (0.40, 0.30, 0.41, 0.31)),
        TextSegment("1.", 1.0, 1, (0.80, 0.30, 0.812, 0.31)),
        TextSegment("235", 1.0, 1, (0.813, 0.30, 0.83, 0.31)),
        TextSegment(",40 €", 1.0, 1, (0.831, 0.30, 0.86, 0.31)),
        TextSegment("Total", 1.0, 1, (0.10, 0.40, 0.14, 0.41)),
    ]
    assert rows_from_boxes(segments) == [("Chambre\t6\t1.235,40 €", 1), ("Total", 1)]


def test_a_xero_invoice_names_the_buyer_under_the_title_and_the_seller_beside_it() -> None:
    text = (
        "TAX INVOICE\tBlue Harbour Consulting Ltd\n"
        "Riverside Cafe Ltd\tInvoice Date\t12 Mar 2024\t12 Queen St\n"
        "45 Beach Rd\tInvoice Number\tINV-0042\tAuckland 1010\nAuckland 1011\tReference\tPO 7781\n"
        "Subtotal\t1,500.00\nTOTAL GST 15%\t225.00\nTOTAL NZD\t1,725.00\n"
    )
    got = extract(text)
    assert (got["vendorName"], got["buyerName"]) == ("Blue Harbour Consulting Ltd", "Riverside Cafe Ltd")


def test_an_item_row_with_a_four_digit_number_is_no_town() -> None:
    text = "KEDAI ABC SDN BHD\n1 1/2 PAINT BRUSH\nKitchen Lighter 2015\nTotal 17.95\n"
    assert "buyerName" not in extract(text)


def test_the_header_of_an_allowances_table_inside_the_items_does_not_end_them() -> None:
    # OCR of a ZUGFeRD page: "Steuer<tab>Betrag" heads the allowances, which still count.
    from invoice_app.processing.extraction.line_items import extract_table

    text = (
        "Pos\tBeschreibung\tMenge\tPreis\tBetrag\n1\tKunstrasen\t3\t3,3333\t10,00\n2\tSchweinesteak\t5\t5,5000\t27,50\n"
        "Zu- und Abschläge:\nArt % Basisbetrag Basismenge Steuer\tBetrag\n"
        "Abschlag Sondernachlass 137,30 % UST (S)\t-13,73\nZuschlag Versandkosten 137,30 % UST (S)\t5,80\n"
        "Summe\t29,57\n"
    )
    items, adjustments = extract_table(detection(text))
    assert (len(items), adjustments) == (2, pytest.approx(-7.93))

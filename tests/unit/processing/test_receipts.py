"""The failure classes of receipts and unseen invoices, one test each, on text as OCR gives it.

Day/month order without an unambiguous date, totals vs tendered/change/rounding/subtotal, vendors in
a receipt's header, currencies printed as RM / Rs. / ₹, and the document type.
"""

from __future__ import annotations

from typing import Any

import pytest

from invoice_app.processing.extraction import extract_fields
from invoice_app.processing.extraction.context import analyse
from invoice_app.processing.extraction.dates import DMY, MDY, find_dates, parse_date
from invoice_app.processing.types import Detection, TextSegment


def extract(text: str) -> dict[str, Any]:
    detection = Detection(text=text, segments=[TextSegment(text, 1.0, 1)], pages=1, engine="test")
    return {name: f.value for name, f in extract_fields(detection).items()}


MALAYSIAN_RECEIPT = """tan woon yann
KEDAI RUNCIT MAJU JAYA
(001234567-K)
NO. 12, JALAN PASAR 3, TAMAN MELATI
53100 KUALA LUMPUR
CASH BILL
Date: 12-01-19 14:32
BREAD 1 3.50 3.50
MILO 2 21.40 42.80
TOTAL: 46.30
CASH 50.00
CHANGE 3.70
THANK YOU, PLEASE COME AGAIN
"""


def test_malaysian_cash_receipt() -> None:
    fields = extract(MALAYSIAN_RECEIPT)
    assert fields["vendorName"] == "KEDAI RUNCIT MAJU JAYA"
    assert fields["invoiceDate"] == "2019-01-12"  # 12-01-19 beside a time, day first
    assert fields["total"] == 46.30  # not the 50.00 handed over, not the change
    assert fields["documentType"] == "receipt"


# --- totals ------------------------------------------------------------------------------------


def test_tendered_minus_change_gives_the_total_the_ocr_lost() -> None:
    text = "BREAD 12.00\nMILO 34.30\nT0TAI\nCASH RM 50.00\nCHANGE RM 3.70\n"
    assert extract(text)["total"] == 46.30


def test_tendered_minus_change_picks_among_labelled_totals() -> None:
    text = "Sub Total: 18.90\nTotal Due (GST inc): 18.90\nPaid: Cash 50.00\nChange: 31.10\n"
    assert extract(text)["total"] == 18.90


@pytest.mark.parametrize(
    "text",
    [
        "Total RM 30.91\nROUNDING ADJUSTMENT RM -0.01\nTOTAL ROUNDED RM 30.90\nCASH RM 51.00 CHANGE 20.10\n",
        "Total Sales (Inclusive GST) RM 30.91\nRounding Adj RM -0.01\nRounding RM 30.90\nCASH RM 40.00\n",
    ],
    ids=["total-rounded", "rounding-line"],
)
def test_a_receipt_that_rounds_is_paid_at_the_rounded_total(text: str) -> None:
    assert extract(text)["total"] == 30.90


def test_a_rounded_amount_printed_nowhere_leaves_the_printed_total() -> None:
    text = "TOTAL (GST INCL) RM 38.37\nROUNDING ADJUSTMENTS 0.02-\nCASH RM 40.35\nCHANGE DUE RM 2.00\n"
    assert extract(text)["total"] == 38.37


def test_an_invoice_that_rounds_the_amount_due_keeps_its_total() -> None:
    # EN 16931: the rounding amount (BT-114) sits between the invoice total and the amount due.
    text = "Rechnung Nr. 7\nGesamtbetrag 119,03 €\nRundungsdifferenz -0,03 €\nZahlbetrag 119,00 €\n"
    assert extract(text)["total"] == 119.03


def test_total_including_gst_is_the_total_and_excluding_is_the_subtotal() -> None:
    text = (
        "Total Sales (Excluding GST) RM 43.68\nGST 6% RM 2.62\nTotal Sales (Inclusive GST) RM 46.30\n"
        "CASH RM 100.00\nCHANGE RM 53.70\n"
    )
    fields = extract(text)
    assert (fields["subtotal"], fields["tax"], fields["total"]) == (43.68, 2.62, 46.30)


def test_a_printed_tax_rules_out_reading_the_amount_due_as_a_tax_free_total() -> None:
    # A French invoice with a prepayment: the values stand under their labels, "Net à payer" is less.
    text = "Montant TVA\n10,00\nTOTAL TTC\n110,00\nTOTAL HT\n100,00\nNET A PAYER 100,00 EUR\n"
    fields = extract(text)
    assert (fields["subtotal"], fields["tax"], fields["total"]) == (100.0, 10.0, 110.0)


def test_one_decimal_amounts_need_a_currency() -> None:
    assert extract("Total Sales (Inclusive GST) RM 141.5\n")["total"] == 141.5
    assert "total" not in extract("MwSt-Satz 19,0\n")


# --- dates -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "evidence",
    [
        "TOTAL RM 12.00",
        "TOTAL Rs. 1,250.00",
        "ABC TRADING SDN BHD",
        "Total £12.00",
        "GST Reg: 001658445824\nTEL: 03-3271 9872",
        "Printed 05 MAR 2018",
        "NO. 5, JALAN BESAR, 45600 SELANGOR",
        "Woolworths Sydney\nABN 88 000 014 675\nTOTAL $3.50",  # dollars, but Australian ones
        "Town Hall, Sydney NSW 2000\nEFTPOS $3.50",
    ],
)
def test_day_first_without_an_unambiguous_date_when_the_page_says_so(evidence: str) -> None:
    ctx = analyse(f"Receipt\nDate: 05/03/2018\n{evidence}\n")
    assert ctx.order == DMY
    assert extract(f"Receipt\nDate: 05/03/2018\n{evidence}\n")["invoiceDate"] == "2018-03-05"


def test_month_first_stays_the_reading_of_an_english_page_in_dollars() -> None:
    assert analyse("Invoice\nDate: 05/03/2018\nTotal $12.00\n").order == MDY
    assert analyse("Invoice\nDate: 05/03/2018\nAcme Inc., Springfield, IL 62701\n").order == MDY
    assert analyse("Invoice\nDate: 05/03/2018\nAcme Inc., Seattle, WA 98101\nTotal $12.00\n").order == MDY


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("18-11-18 13:58 SH01 ZJ86 T1", "2018-11-18"),  # two-digit year, dashes, a time beside it
        ("Date : 01-03-18 5:23:26 PM", "2018-03-01"),
        ("05 May 18 18:06:40", "2018-05-05"),
        ("15 Jun 18 08:34:31 PM", "2018-06-15"),
        ("CB# : 83679570478 15/Apr/2017 04:56:46", "2017-04-15"),
    ],
)
def test_receipt_date_forms(text: str, expected: str) -> None:
    assert parse_date(text, DMY) == expected


@pytest.mark.parametrize("text", ["Ref 10-05-17", "12-34-56 13:00", "5 May 18:00"])
def test_references_and_times_are_not_short_dates(text: str) -> None:
    assert find_dates(text) == []


def test_the_date_on_the_title_line_is_the_issue_date() -> None:
    text = (
        "Stylesheet-Version: 2.6 vom 10.11.2025\nHandelsrechnung (380) Nr. 471102 vom 05.06.2025\n"
        "Liefer- und Leistungsdatum: 03.06.2025\n"
    )
    assert extract(text)["invoiceDate"] == "2025-06-05"


def test_the_date_of_an_associated_invoice_is_not_the_issue_date() -> None:
    text = "DATE DE FACTURE ASSOCIÉE : 01/01/2026\nFacture N° F2026-27\n31/01/2026\n"
    assert extract(text).get("invoiceDate") != "2026-01-01"


# --- vendors -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("ABC TRADING SDN BHD (123456-X)\nNO. 3, JALAN MAJU\n", "ABC TRADING SDN BHD"),
        ("99 SPEED MART $/B (519537-X)\nLOT P.T. 2811, JALAN ANGSA,\n", "99 SPEED MART S/B"),  # OCR: $/B
        ("MR. D.I.Y. (M) SON BHD\n(CO.REG : 860671-D)\n", "MR. D.I.Y. (M) SDN BHD"),  # OCR: SON
        (
            "Aoë1q\nDI HUAN YA RESTAURANT\nCompany Reg.No: JM0681589-W\n5,JALAN PERMAS 10/5,\n",
            "DI HUAN YA RESTAURANT",
        ),
        ("Broadview Marketing Sdn Bhd (72826444) wks\nNo, 9-5, Jalan Dinar\n", "Broadview Marketing Sdn Bhd"),
        # OCR ran the name, its number and the address into one line; a middle dot for the dash.
        ("99 SPEED MART 5/2 (519837: X) LOT PT. 2811, JALAN ANSSA,\nTAMAN BERKELEY\n", "99 SPEED MART S/B"),
        ("MYNEWS RETAIL S/D(519537·X)\nTAMAN BERKELEY\n", "MYNEWS RETAIL S/B"),
        # A chain's store number is not part of its name.
        ("WALGREENS #1234\nCHICAGO IL\n", "WALGREENS"),
        ("Starbucks Store #10421\n1912 Pike Place\n", "Starbucks"),
        # The copy a card slip is, printed above the name, is no part of it.
        ("MERCHANT COPY\nTESCO EXTRA\nLONDON W1\n", "TESCO EXTRA"),
        ("Kundenbeleg\nREWE Markt GmbH\nHauptstr. 5\n", "REWE Markt GmbH"),
        # A phone number split at its dashes is no address beside the name; a branch number is no part.
        ("TARGET\nAustin North - 512-555-0100\n10107 Research Blvd\n", "TARGET"),
        ("Albert Heijn 1234\nDamrak 1\n1012 LG Amsterdam\n", "Albert Heijn"),
    ],
)
def test_receipt_vendor_in_the_header(header: str, expected: str) -> None:
    text = f"{header}TAX INVOICE\nItem Qty Price\nTOTAL RM 12.00\nCASH RM 20.00\nCHANGE RM 8.00\n"
    assert extract(text)["vendorName"] == expected


def test_an_amount_line_with_inc_is_not_a_company() -> None:
    text = "tan chay yee\nTotal 6% supplies (Inc. GST) 12.00\n"
    assert extract(text).get("vendorName") != "Total 6% supplies (Inc."


def test_a_labelled_listing_gives_the_name_without_its_label() -> None:
    text = "Verkäufer\nNummer: 549910\nName: Lieferant GmbH\nAnschrift: Lieferantenstraße 20\n"
    assert extract(text)["vendorName"] == "Lieferant GmbH"


def test_the_first_name_under_a_seller_and_buyer_header_row_is_the_sellers() -> None:
    text = (
        "SELLER TRADE NAME CLIENT :\nLE FOURNISSEUR\n35 rue d'ici\n75018 PARIS, FR\nLE CLIENT\n"
        "FOURNISSEUR F SARL au capital de 50 000 EUR\n"
    )
    assert extract(text)["vendorName"] == "LE FOURNISSEUR"
    # The buyer's column first: the name under it is not the seller.
    assert extract("BILL TO FROM\nJane Doe\n").get("vendorName") != "Jane Doe"


# --- receipts labelled in Malay or Indonesian --------------------------------------------------

MALAY_RECEIPT = """KEDAI RUNCIT MAJU JAYA
NO. 12, JALAN PASAR 3
No. Resit: R-00871
Tarikh: 03/02/2019 14:32
ROTI 1 3.50
MILO 2 42.80
Jumlah Item 3
Jumlah Besar RM 46.30
Tunai RM 50.00
Baki RM 3.70
TERIMA KASIH
"""

INDONESIAN_RECEIPT = """TOKO SUMBER REJEKI
Jl. Merdeka No. 5, Jakarta
No. Nota: 0112/KSR/19
Tanggal 03/02/2019
Teh Botol 2 Rp 10.000
Nasi Goreng 1 Rp 25.000
Total Belanja Rp 35.000
Tunai Rp 50.000
Kembalian Rp 15.000
"""


@pytest.mark.parametrize(
    ("text", "number", "total"),
    [(MALAY_RECEIPT, "R-00871", 46.30), (INDONESIAN_RECEIPT, "0112/KSR/19", 35000.0)],
    ids=["malay", "indonesian"],
)
def test_receipts_labelled_in_malay_or_indonesian(text: str, number: str, total: float) -> None:
    fields = extract(text)
    assert fields["total"] == total  # not the cash handed over, the change or the item count
    assert fields["invoiceNumber"] == number
    assert fields["invoiceDate"] == "2019-02-03"  # day first: the language and the country say so
    assert fields["vendorName"] == text.splitlines()[0]


# --- currency ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Total Rs. 1,250.00\n", "INR"),
        ("Total ₹ 1,250.00\n", "INR"),
        ("TOTAL RM 12.50\n", "MYR"),
        ("TOTAL Rp 25.000\n", "IDR"),
        ("PT. SUMBER ALFARIA TRIJAYA\nNPWP 01.336.238.9-054.000\nTOTAL 25.00\n", "IDR"),
        ("KEDAI MAJU SDN BHD\nTOTAL 25.00\n", "MYR"),  # the country's legal form, no sign
        ("TOTAL: 12.50\nCASH 20.00\n", None),  # bare amounts: no guess
    ],
)
def test_currency_of_receipts(text: str, expected: str | None) -> None:
    assert extract(text).get("currency") == expected


# --- document type -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (MALAYSIAN_RECEIPT, "receipt"),
        ("RECEIPT #: CS00051160 DATE: 04/12/2017\nTOTAL 4.40\n", "receipt"),
        ("LOGO LE FOURNISSEUR AVOIR N° :\nAV-2017-0005\nTOTAL TTC 120,00 €\n", "credit-note"),
        ("Credit Note No: CN-12\nTotal 50.00 EUR\n", "credit-note"),
        ("Invoice No: 12\nTotal -50.00 EUR\n", "credit-note"),
        (
            "Invoice No: 12\nPayment due upon receipt\nIBAN DE02120300000000202051\nTotal 50.00 EUR\n",
            "invoice",
        ),
        ("Rechnung Nr. 12\nBeitragsgutschriften aus Ihrem Vertrag erstatten wir\nSumme 50,00 €\n", "invoice"),
        ("Gutschrift (Selbst ausgestellte Rechnung)\nNr. 7\nSumme 50,00 €\n", "invoice"),
        (
            "Northern Supplies Ltd\nCREDIT NOTE\nCredit Note Number: CN-2024-015\n"
            "Original Invoice: INV-2024-233\nTotal Credit £540.00\n",
            "credit-note",
        ),
        ("Gutschrift Nr. 15\nzur Rechnung Nr. 233 vom 02.05.2024\nSumme 50,00 €\n", "credit-note"),
        # A restaurant's "Rechnung" or a fuel slip's "INVOICE" paid at the till is a receipt.
        (
            "Restaurant Alpenrose AG\nRechnung Nr. 20240216-17\nTisch 5   Bedienung: Sandra\n"
            "16.02.2024  12:48\n"
            "Total CHF\t59.30\nKreditkarte\t59.30\nBesten Dank für Ihren Besuch!\n",
            "receipt",
        ),
        (
            "SUNNY VALLEY FUEL & MART\nINVOICE #0091823\n07/04/21  14:06:33\nPUMP # 6\nTOTAL\t$35.58\n"
            "MASTERCARD\t$35.58\nAUTH # 882190\n",
            "receipt",
        ),
        ("Documento commerciale\ndi vendita o prestazione\nTOTALE COMPLESSIVO\t4,30\n", "receipt"),
        (
            "Dupont SARL\nFACTURE N° F-17\nBon de commande: BC-17\nDate: 12/03/2024 10:22\nTotal 12,00 €\n",
            "invoice",
        ),
        # A utility bill's payment received is credited to the account, not cash handed over.
        (
            "Pacific Northern Electric & Gas Co.\nBill Number\t7731009245\nStatement Date\t06/10/2024\n"
            "Previous Balance\t$398.12\nPayment Received 05/28 - Thank You\t-$398.12\n"
            "Total Amount Due\t$412.87\nDue Date\t07/01/2024\nMake checks payable to PNEG\n",
            "invoice",
        ),
        # An invoice with bank details and payment terms stays an invoice.
        (
            "ACME GmbH\nRechnung Nr. 17\nDatum: 03.02.2024\nBankverbindung IBAN DE02120300000000202051\n"
            "Zahlungsbedingungen: 14 Tage netto\nSumme 50,00 €\n",
            "invoice",
        ),
    ],
    ids=[
        "cash-bill",
        "receipt-no",
        "avoir",
        "credit-note",
        "negative",
        "due-on-receipt",
        "compound",
        "self-billed",
        "names-the-invoice-it-corrects",
        "zur-rechnung",
        "restaurant-rechnung",
        "fuel-invoice-slip",
        "documento-commerciale",
        "bon-de-commande",
        "utility-bill",
        "invoice-with-bank-details",
    ],
)
def test_document_type(text: str, expected: str) -> None:
    assert extract(text)["documentType"] == expected


# --- second round: classes from the SROIE misses (even ids) ----------------------------------------

RECEIPT_HEAD = "KEDAI RUNCIT MAJU JAYA\n(001234567-K)\nNO. 12, JALAN PASAR 3\nDate: 12/01/2019 14:32\n"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # The M of the ringgit sign read as H or N, and the decimal point read as a space.
        ("BREAD 1 RH3.50\nSUBTOTAL RN152. 00\nGST 0% RMO.00\nTOTAL RN152. 00\nCASH RM200.00\n", 152.0),
        # A zero read as the letter O after the sign: the change must not be lost as an amount.
        ("Total Sales: RM9.75\nTendered: RM10.00\nChange : RMO.25\n", 9.75),
        # The sign glued to its label: "Grand TotalRM15.40" (after "Rounding RMO.01").
        (
            "Total (Incl GST, 0%) RM15.39\nRounding RMO.01\nGrand TotalRM15.40\nTotal Paid RM50.00\n"
            "Change RM34 60\n",
            15.4,
        ),
        ("TOTAL RM34 60\nCASH RM50.00\n", 34.6),
        # "RH 141.5": a misread sign with a space, and the trailing zero dropped.
        ("Total Sales (Inclusive GST} RH 141.5\nCASH RM 150.00\ncradle RH 8,59\n", 141.5),
    ],
)
def test_ocr_damaged_ringgit_amounts(body: str, expected: float) -> None:
    assert extract(RECEIPT_HEAD + body)["total"] == pytest.approx(expected)


def test_ocr_repairs_keep_the_length_and_leave_printed_text_alone() -> None:
    from invoice_app.processing.extraction.text import repair_ocr_numbers

    for raw in ("SUBTOTAL. RN152. 00", "GST: RMO.55", "Date: 2O/O3/2018", "CASH RM152- 00"):
        assert len(repair_ocr_numbers(raw)) == len(raw)
    for printed in ("RNG. 70", "Tel 03-40211233", "Invoice 2019/0042", "ROOM 101", "Total 12.50 EUR"):
        assert repair_ocr_numbers(printed) == printed


@pytest.mark.parametrize(
    "line",
    ["TOTAL «GST INCL) 2.56", "TOTAL <GST INCL) 2.56", "TOTAL (GST INCL) 2.56", "TOTAL {GST INCLUSIVE) 2.56"],
)
def test_total_with_a_bracketed_tax_qualifier_is_one_label(line: str) -> None:
    body = "WATER 500ML 4.40\nDISCOUNT 1.84-\nSUBTOTAL 2.56\n" + line + "\nCASH 50.00\n"
    fields = extract(RECEIPT_HEAD + body)
    assert fields["total"] == pytest.approx(2.56)
    assert fields.get("tax") != pytest.approx(2.56)


def test_a_tax_as_large_as_the_subtotal_derives_no_total() -> None:
    # The total's label was garbled; its value read as a "GST" amount equal to the subtotal.
    fields = extract(RECEIPT_HEAD + "SubTotal: 635.00\nRounding Adj : 0.00\n@:! incusive GST: (635.00\n")
    assert fields["total"] == pytest.approx(635.0)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Date: 2O/03/2018 14:02", "2018-03-20"),
        ("DATE:2O/O3/2018", "2018-03-20"),
        ("Date: l2.O3.18", "2018-03-12"),
    ],
)
def test_dates_with_letters_for_digits(line: str, expected: str) -> None:
    assert extract("KEDAI RUNCIT MAJU JAYA\n" + line + "\nTOTAL 12.30\n")["invoiceDate"] == expected


def _amount_options(page: str) -> Any:
    from invoice_app.processing.extraction.families import amounts

    ctx = analyse(page)
    found: dict[Any, list[Any]] = {}
    for field, c in amounts.propose(ctx):
        found.setdefault(field, []).append(c)
    return amounts.options(ctx, found)


@pytest.mark.parametrize(
    "unit", ["$ 1 ", "Total 1.00\n", "Total 1.00\nSubtotal 0.90\nTax 0.10\n", "Item 5.00 RM5.00\n"]
)
def test_the_amount_chooser_is_bounded_on_pages_of_thousands_of_amounts(unit: str) -> None:
    from invoice_app.processing.extraction.families import amounts

    cap = amounts.MAX_LABELLED
    small, large = _amount_options(unit * 1000), _amount_options(unit * 3000)
    # The choices scored do not grow with the page: only the best-labelled candidates and the
    # largest amounts enter the search.
    assert len(large.triples) == len(small.triples)
    assert len(large.totals) <= cap
    # Per total: subtotal × tax pairs, labelled subtotals with a matching amount, unlabelled ones with a
    # matching labelled tax, and the tax-free choice.
    top = amounts.MAX_UNLABELLED_TOTALS
    per_total = (cap + 1) ** 2 + cap * (cap + amounts.MAX_SAME_VALUE) + top * cap + cap
    assert len(large.triples) <= (2 * cap + top) * per_total


def test_the_subtotal_is_not_also_the_total_of_a_tax_free_sale() -> None:
    # The GST and rounding lines were garbled; the labelled TOTAL below the subtotal is the total.
    body = "SUB-TOTAL (GST) 12,19\nDISC à. Où\nGET 9. 69\nROUNDING =. Dd\nTOTAL 12.15\nCASH 6.15\n"
    assert extract(RECEIPT_HEAD + body)["total"] == pytest.approx(12.15)


def test_a_quantity_before_a_glued_ringgit_price_is_not_an_amount() -> None:
    from invoice_app.processing.extraction.amounts import find_amounts

    assert [a.value for a in find_amounts("-Butter Sugar Bun ## 1 RM2.25 ST")] == [2.25]
    assert [a.currency for a in find_amounts("12,50 € 3")] == ["EUR"]


def test_labels_and_amounts_with_the_ringgit_sign_glued_between_them() -> None:
    # RapidOCR drops a receipt line's spaces: "CASHRM 52.00" is the cash label, then the amount.
    body = "lotal Sales(inclusive GsT) RM 11.50\nCASHRM 52.00\nCHANGE RM 40.50\n"
    assert extract(RECEIPT_HEAD + body)["total"] == pytest.approx(11.5)
    body = "ITEM\t3.00\nTOTALRM30.90\nCASHRM50.00\nCHANGERM19.10\n"
    assert extract(RECEIPT_HEAD + body)["total"] == pytest.approx(30.9)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("CHANGE 16-00", "CHANGE 16.00"),
        ("CASH RM 5-00  ", "CASH RM 5.00  "),
        ("Change: 10-50", "Change: 10.50"),
        # Elsewhere a dash between digits is no decimal point.
        ("Period 2019-01", "Period 2019-01"),
        ("TOTAL 12-2019", "TOTAL 12-2019"),
        ("Room 101-02", "Room 101-02"),
    ],
)
def test_a_dash_for_the_decimal_point_on_a_payment_line(line: str, expected: str) -> None:
    from invoice_app.processing.extraction.text import repair_ocr_numbers

    assert repair_ocr_numbers(line) == expected


def test_a_spanish_till_receipt_with_vat_included_and_cash_handed_over() -> None:
    # "IVA INCLUIDO" beside the total is no tax amount; "Entregado" / "Cambio" are tendered / change;
    # the tax table's columns are "Base Imp." and "Cuota".
    text = (
        "RESTAURANTE CASA PEPE, S.L.\nCIF: B87654321\nFACTURA SIMPLIFICADA\nFecha: 12/07/2024\n"
        "2 CAFE SOLO\t1,40\t2,80\nTOTAL (IVA INCLUIDO)\t72,80 €\nIVA\tBase Imp.\tCuota\n"
        "10,00%\t66,18\t6,62\nEntregado (Efectivo)\t80,00 €\nCambio\t7,20 €\n"
    )
    fields = extract(text)
    assert (fields["total"], fields["tax"], fields.get("subtotal")) == (72.8, 6.62, None)


@pytest.mark.parametrize(
    ("tendered", "change"),
    [("Contanti", "Resto"), ("Contant", "Wisselgeld"), ("Dinheiro", "Troco"), ("Efectivo", "Vuelto")],
)
def test_cash_and_change_in_other_languages(tendered: str, change: str) -> None:
    text = f"{RECEIPT_HEAD}CAFFE\t1,20\nPANINO\t4,50\n{tendered}\t10,00\n{change}\t4,30\n"
    assert extract(text)["total"] == pytest.approx(5.7)


def test_a_rounding_adjustment_is_no_tax() -> None:
    body = "Sub Total 94.43\nRounding Adj 0.02\nTOTAL RM 94.45\nCASH 100.00\nCHANGE 5.55\n"
    fields = extract(RECEIPT_HEAD + body)
    assert (fields["total"], fields["subtotal"], fields.get("tax")) == (94.45, 94.43, None)


def test_the_gst_a_total_includes_is_the_tax() -> None:
    # Australia: GST-free and taxable items, the GST only as what the total includes.
    body = "SUBTOTAL 68.03\nROUNDING 0.02\nTOTAL $68.05\nCASH 70.00\nCHANGE 1.95\nTOTAL INCLUDES GST 3.31\n"
    fields = extract(RECEIPT_HEAD + body)
    assert (fields["total"], fields["tax"]) == (68.05, 3.31)


def test_a_garbled_total_inclusive_of_gst_is_still_the_total() -> None:
    body = "SubTotal:\t835.00\nRounding Adj :\t0.00\nal Indusive GST:\t635.00\nMASTER\t035.00\n"
    assert extract(RECEIPT_HEAD + body)["total"] == 635.0


def test_a_net_amount_below_the_subtotal_of_a_till_receipt_is_the_total() -> None:
    # India: "Net Amount" is what is left to pay once the rounding is off, not the amount before tax.
    body = (
        "Sub Total 1,232.30\nRound Off -0.30\nNET AMOUNT ₹ 1,232.00\nPaid by UPI 1,232.00\nTotal GST 108.80\n"
    )
    assert extract(RECEIPT_HEAD + "CASH MEMO\n" + body)["total"] == 1232.0
    # With a total below it, the net amount is a step on the way there.
    body = (
        "Sub Total Rs. 442.70\nLess: Discount @10% -44.27\nNet Amount 398.43\nRound off -0.43\n"
        "AMOUNTPAYABLE\tRS.398.00\nCash Tendered 500.00\n"
    )
    assert extract(RECEIPT_HEAD + body)["total"] == 398.0


def test_a_total_above_the_cash_handed_over_is_a_misreading() -> None:
    body = (
        "Total Sales (Excluding GST) : 95.17\nTotal GST : 5.71\nRounding : 0.02\n"
        "Total Sales (Inclusive of GST) : 400.90\nCASH : 101.00\nChange : 0.10\n"
    )
    assert extract(RECEIPT_HEAD + body)["total"] == pytest.approx(100.90)


def test_a_subtotal_plus_tax_above_the_cash_handed_over_is_no_total() -> None:
    # "NET TOTAL" reads as a subtotal (on invoices it is one); 7.40 + 0.42 would be 7.80 in cash,
    # but 7.40 was handed over and no change given: that is what was paid.
    body = (
        "FISHBALL NOODLE\t7.00\nGST 6%\t0.42V\nROUNDING ADJ\t-0.02\n"
        "NET TOTAL\t7.40\nCash\t7.40\nCHANGE\t0.00\n"
    )
    assert extract(RECEIPT_HEAD + body)["total"] == pytest.approx(7.40)


def test_a_total_below_the_cash_handed_over_stays() -> None:
    body = "Total Sales (Inclusive of GST) : 100.90\nCASH : 101.00\nChange : 0.10\n"
    assert extract(RECEIPT_HEAD + body)["total"] == pytest.approx(100.90)
    card = "TOTAL 400.90\nVISA 400.90\n"
    assert extract(RECEIPT_HEAD + card)["total"] == pytest.approx(400.90)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("ITEM A 10.00\nITEM B 2.30\nT0TAL 12.30\nCASH 20.00\n", 12.30),
        ("ITEM A 10.00\nITEM B 2.30\nTOTAI 12.30\nCASH 20.00\n", 12.30),
        ("ITEM A 10.00\nSUB-T0TAL 11.60\nGST 0.70\nTOTAL 12.30\nR0UNDING 0.00\n", 12.30),
    ],
)
def test_ocr_damaged_total_labels(body: str, expected: float) -> None:
    assert extract(RECEIPT_HEAD + body)["total"] == pytest.approx(expected)


def test_a_receipts_tax_summary_rows_and_counts_are_not_the_total() -> None:
    body = (
        "O.C WHITE 2.13 4 10 3 6.39\nTotal 0% Supplies: 26.61\nTotal 6% supplies (excl. GST): -2.88\n"
        "Total 6% supplies (Inc. GST): -3.05\nTotal @& supplies: 26.61\nTotal Payable: 23.56\n"
    )
    assert extract(RECEIPT_HEAD + body)["total"] == pytest.approx(23.56)
    counted = "PEN 1.70\nTotal Qty. : 144.68\nTOTAL 153.35\n"
    assert extract(RECEIPT_HEAD + counted)["total"] == pytest.approx(153.35)


def test_a_tax_class_row_that_adds_up_with_its_tax_is_still_not_the_total() -> None:
    # Two tax classes: 30.24 + GST 1.81 = 32.05 adds up, but only for the 6 % class; the sale is
    # both classes together, and the page says so beside a weaker label.
    body = (
        "WHOLEMEAL\t2.78 5 2\t3\t8.34\nTotal 0% supplies: 19.83\nKAYA-PANDN\t2.40 3\t3\t7.20\n"
        "Total 6% supplies (excl. GST): 30.24\nGST: 1.81\nTotal 6% supplies (Inc. GST): 32.05\n"
        "Total 0% supplies: 19.83\nTotal Payable: 51.88\n"
    )
    fields = extract(RECEIPT_HEAD + body)
    assert fields["total"] == pytest.approx(51.88)
    assert fields.get("subtotal") != pytest.approx(30.24)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "SANYU STATIONERY SHOP\nNO. 31G&33G, JALAN SETIA INDAH X\n40170 SETIA ALAM\n"
            "Owned By:\nSANYU SUPPLY SDN BHD (1135772-K)\nCASH SALES COUNTER\n",
            "SANYU STATIONERY SHOP",
        ),
        ("Bäckerei Korn\nInh. Hans Korn GmbH\nHauptstr. 5, 10115 Berlin\n", "Bäckerei Korn"),
        # No other name heads the receipt: the owner is the one name there is.
        ("Owned By:\nSANYU SUPPLY SDN BHD (1135772-K)\nCASH SALES COUNTER\n", "SANYU SUPPLY SDN BHD"),
        (
            "SANYU STATIONERY SHOP\nTel: +603-3362 4137\nID No: 001531760640 TAX INVOICE wned By:\n"
            "SANYU SUPPLY SDN BHD (1135772-K)\n",
            "SANYU STATIONERY SHOP",
        ),
    ],
    ids=["owned-by", "inhaber", "owner-only", "ocr-lost-the-o"],
)
def test_the_company_that_owns_the_shop_is_not_the_name_the_receipt_heads_with(
    text: str, expected: str
) -> None:
    assert extract(text + "Date: 12/01/2019\nTOTAL 12.30\n")["vendorName"] == expected


def test_a_slogan_is_no_vendor() -> None:
    # RapidOCR read this receipt from its foot up: the slogan comes before the name, which the
    # "Cash" of "Cash & Carry" labels as tendered cash.
    text = (
        "Thank You. Please come again.\nGoods Sold.Are Not Returnable.\n011-31940284\n"
        "*REDEEM VOUCHER BEFORE POINTS EXPIRY!*\nSegi Cash & Carry Sdn.Rhd\nTOTAL 12.30\n"
    )
    assert extract(text).get("vendorName") == "Segi Cash & Carry Sdn.Bhd"


def test_notices_read_badly_are_no_vendor_and_cash_in_a_name_is_no_payment() -> None:
    # Tesseract's reading of the same receipt: the notices garbled, the "!" lost, "Bhd" read "Ehd".
    text = (
        "Thank You, Flease cose again.\n. Goods Bold Are Note Returnatde.\n011-3194 0284\n"
        "HREDEEN VOUCHER BEFORE POINTS EXPIRYEK\nen nn See! L\nSegi Cash & Carry Sdn.Ehd\n(317041-W)\n"
        "TOTAL 12.30\nCASH 20.00\nCHANGE 7.70\n"
    )
    assert extract(text).get("vendorName") == "Segi Cash & Carry Sdn.Bhd"


def test_a_country_in_a_registered_name_is_part_of_the_name() -> None:
    text = (
        "Best Denki Malaysia (308282-A)\nLot LG 26, Subang Parade\n47500 Subang Jaya, Selangor Malaysia\n"
        "Date: 01/05/16\nTotal RM 89.00\n"
    )
    assert extract(text)["vendorName"] == "Best Denki Malaysia"


def test_a_salesperson_after_sold_by_is_not_the_seller() -> None:
    text = (
        "Best Denki Malaysia (308282-A)\nLot LG 26, Subang Parade\n47500 Subang Jaya, Selangor\n"
        "Date: 01/05/16 2:51\nSold by: BDLI87 MUHAMMAD SHAFIK\nTotal RM 89.00\n"
    )
    assert extract(text)["vendorName"] == "Best Denki Malaysia"
    marketplace = (
        "Tax Invoice\nSold By: Cloudtail India Private Limited\nInvoice Number: BLR7-1234\nTotal ₹300.00\n"
    )
    assert extract(marketplace)["vendorName"] == "Cloudtail India Private Limited"


@pytest.mark.parametrize("sign_off", ["PLEASE COME AG/", "THANK YOU SDN BHD", "Terima Kasih Ltd"])
def test_a_sign_off_ending_in_a_legal_form_is_no_company(sign_off: str) -> None:
    # OCR cut "PLEASE COME AGAIN" to "AG" (the German legal form) at the foot of the receipt.
    text = "SANYU STATIONERY SHOP\nTotal 12.00\nCASH 20.00\nCHANGE 8.00\n" + f"{sign_off}\n"
    assert extract(text)["vendorName"] == "SANYU STATIONERY SHOP"


def test_a_legal_form_hyphenated_into_a_code_is_no_company() -> None:
    text = "tan woon yann\nSANYU STATIONERY SHOP\nTOTAL 12.30\nCASH 20.00\n" + "item\n" * 10
    text += "INV NO: CS-SA-0079030 Date: 18/04/2017\n"
    assert extract(text)["vendorName"] == "SANYU STATIONERY SHOP"


def test_a_bare_short_dashed_date_is_read_when_the_page_has_no_other_date() -> None:
    # The time beside it was garbled ("Oi:S7PH"), so nothing says "date" but the shape.
    text = "99 SPEED MART S/B (519537-X)\nINVOICE NO : 18028/103/10367\n| Oi:S7PH 10-05-17\nCOKE 2.85\n"
    assert extract(text)["invoiceDate"] == "2017-05-10"
    # With a real date on the page, a dashed triple stays a reference.
    dated = "SHOP\nDate: 03/02/2018\nRef 10-05-17\nTOTAL 2.85\n"
    assert extract(dated)["invoiceDate"] == "2018-02-03"


def test_a_year_split_after_the_month_name() -> None:
    assert [d.iso for d in find_dates("24 Mar-20 18 03:44:22 PM")] == ["2018-03-24"]
    assert [d.iso for d in find_dates("5 May 18 18:06:40")] == ["2018-05-05"]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        # A logo read as specks, on its own lines and before the name.
        ("Li\n: CL\n. , à i ) BILLION SIX ENTERPRISE\nNO 3, JALAN TAMAN JASA 2\n", "BILLION SIX ENTERPRISE"),
        # A handwritten note in lower case above the letterhead.
        ("tan woon yann\nKEDAI RUNCIT MAJU\nNO 3, JALAN TAMAN JASA 2\n", "KEDAI RUNCIT MAJU"),
        # A registration number whose digits the OCR split.
        ("TEI HENG STATIONERY & BOOKS (001457 657-m)\nNO. 88, JALAN BESAR\n", "TEI HENG STATIONERY & BOOKS"),
    ],
)
def test_receipt_vendor_below_logo_specks_and_notes(header: str, expected: str) -> None:
    assert extract(header + "Date: 12/01/2019\nTOTAL 12.30\n")["vendorName"] == expected


def test_specks_do_not_push_an_address_up_as_the_vendor() -> None:
    fields = extract("2278\nNG. 17-G, JALAN SETIA INAH\nSEKSYEN U13, 40170 SHAH ALAM\nTOTAL 15.00\n")
    assert fields.get("vendorName") is None


def test_an_unlabelled_negative_adjustment_is_not_the_total() -> None:
    # Every total line was lost to the OCR; the rounding line's label was cut.
    fields = extract("Guardian Health And Beauty Sdn Bhd\nSUBTOTAL\nTOTAL <G8T INCL)\nJUSTMENTS 0.02-\n")
    assert fields.get("total") is None
    credit = extract("ACME LTD\nCREDIT NOTE\nTotal -50.00\n")
    assert credit["total"] == pytest.approx(-50.0)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("GARDENIA BAKERIES\n(KL) SDN BHD (139386-X)\n", "GARDENIA BAKERIES (KL) SDN BHD"),
        ("SYARIKAT GIN KEE\nSDN. BHD.\n", "SYARIKAT GIN KEE SDN. BHD."),
        ("SYARIKAT GIN KEE\nSON BHD\n", "SYARIKAT GIN KEE SDN BHD"),
        ("KEDAI BUKU RAKYAT\nCO. (M) SDN BHD\n", "KEDAI BUKU RAKYAT CO. (M) SDN BHD"),  # CO. and branch
        ("KEDAI BUKU RAKYAT\nCO. (H) SDN BHD\n", "KEDAI BUKU RAKYAT CO. (M) SDN BHD"),  # (M) misread
        ("TAN HOLDINGS SDN BHD\nLIM TRADING SDN BHD\n", "TAN HOLDINGS SDN BHD"),  # two names: no tail
    ],
)
def test_a_vendor_name_split_over_two_lines(header: str, expected: str) -> None:
    assert extract(header + "Lot 3, Jalan Pelabur 23/1\nTOTAL 12.30\n")["vendorName"] == expected


@pytest.mark.parametrize("spelled", ["SDN, BHD", "SDN.BHD", "Sdn. Bhd.", "SENDIRIAN BERHAD"])
def test_legal_forms_of_malaysia_spelled_variously(spelled: str) -> None:
    header = f"KEDAI MAJU {spelled}\nNO 3, JALAN TAMAN JASA 2\n"
    # Spacing inside the legal form may be normalised ("SDN.BHD" → "SDN. BHD").
    name = extract(header + "TOTAL 12.30\n")["vendorName"]
    assert name.replace(" ", "") == f"KEDAI MAJU {spelled}".replace(" ", "")


def test_the_tax_summary_table_does_not_give_the_total() -> None:
    # The paid total was lost; the summary's per-rate amounts restate the sale and are not it.
    body = "LABOOST DRINKING WATER RH, St\nCASH RM 10.00\nGST Summary Amount (RM) Tax(RM)\nSR 6% 3.49 0.21\n"
    assert extract(RECEIPT_HEAD + body).get("total") is None
    # A printed total above the summary beats the summary's "Total" row.
    table = "TOTAL 12.15\nCASH 50.15\nCHANGE 38.00\nGST SUMMARY\nSR 11.50 6 0.69\nTotal 11.50 0.69\n"
    assert extract(RECEIPT_HEAD + table)["total"] == pytest.approx(12.15)


def test_an_invoice_tax_code_column_is_not_a_summary() -> None:
    text = "ACME LTD\nInvoice 42\nItem\tTax code\tAmount\nWidget\tS\t100.00\nTotal 100.00\n"
    assert extract(text)["total"] == pytest.approx(100.0)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Date : 12- 06- 2018 17: 46: 16", "2018-06-12"),  # a space after each separator
        ("REG 30 /04/2018 15:57", "2018-04-30"),
        ("Datum: 05. 03. 2018", "2018-03-05"),
    ],
)
def test_dates_with_a_space_beside_the_separator(line: str, expected: str) -> None:
    # Ringgit: the page reads day first.
    assert extract("KEDAI RUNCIT MAJU JAYA\n" + line + "\nTOTAL RM 12.30\n")["invoiceDate"] == expected


@pytest.mark.parametrize("text", ["2 x 1 - 2 - 18 PCS", "SR 6% 2.83 0.17 2018", "1 / 2 / 18"])
def test_spaced_numbers_without_a_four_digit_year_are_no_date(text: str) -> None:
    assert find_dates(text) == []


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Date\t09/01/20198:01:11PM", "2019-01-09"),  # OCR lost the space between date and time
        ("18-11-1813:58SH01Z153\tT2", "2018-11-18"),  # a short dashed year: the time says it is a date
        ("Date :19-03-201811:12:15", "2018-03-19"),
        ("30Mar201818:17", "2018-03-30"),
        ("CB#:398313\t23/03/20183:13:19", "2018-03-23"),
        ("17/01/20188.08.53", "2018-01-17"),
        ("CB#:389720\t17/01/201842153", "2018-01-17"),  # the time's colons lost too: 4:21:53
    ],
)
def test_a_time_glued_to_the_year_ends_the_date(line: str, expected: str) -> None:
    assert extract("KEDAI RUNCIT MAJU JAYA\n" + line + "\nTOTAL RM 12.30\n")["invoiceDate"] == expected


@pytest.mark.parametrize(
    "line", ["Date/Time\t20180428/191204", "Date & Time: 28/04/2018 19:12", "DATETIME 20180428 191204"]
)
def test_a_date_and_time_label_heads_the_date(line: str) -> None:
    assert extract("KEDAI RUNCIT MAJU JAYA\n" + line + "\nTOTAL RM 12.30\n")["invoiceDate"] == "2018-04-28"


@pytest.mark.parametrize(
    "text", ["Ref 12-34-5678", "CB#:389720\t17/01/2018999", "No 12/05/20181234567", "Tel 03-41318972"]
)
def test_digits_after_a_year_that_are_no_time_make_no_date(text: str) -> None:
    assert find_dates(text) == []


# --- charges beside the tax --------------------------------------------------------------------


def test_a_service_charge_is_not_the_tax_that_makes_the_sum_add_up() -> None:
    # Subtotal + service charge = total: the arithmetic alone would take the charge for the tax.
    text = """The Red Lion
12 High Street, Oxford OX1 4AA
04/07/2024 19:45
2 x Fish & Chips  £29.00
Subtotal  £37.70
Service Charge 12.5%  £4.71
Total  £42.41
Mastercard  £42.41
VAT included 20%  £7.07
"""
    out = extract(text)
    assert (out["total"], out["tax"]) == (42.41, 7.07)


def test_canadian_harmonized_sales_tax_is_a_tax() -> None:
    text = """SHELL
TORONTO ON M3J 1P3
FUEL SALE  $69.13
HST 13% INCLUDED  $7.95
TOTAL  $69.13
DEBIT  $69.13
2024/07/04  08:15
"""
    out = extract(text)
    assert (out["total"], out["tax"], out["currency"]) == (69.13, 7.95, "CAD")


def test_a_us_state_and_zip_give_dollars_to_amounts_without_a_sign() -> None:
    text = """WALMART
1200 BARTON SPRINGS RD
AUSTIN TX 78704
SUBTOTAL 7.22
TAX 1 8.250 % 0.60
TOTAL 7.82
VISA TEND 7.82
07/04/24 14:22:01
"""
    assert extract(text)["currency"] == "USD"


def test_a_tip_added_to_the_total_is_neither_total_nor_tax() -> None:
    # The total adds the tip to subtotal and tax; "Amount" before the tip is what the card was
    # first charged, not the final total.
    body = "Subtotal\t26.48\nTax\t1.75\nAmount\t28.23\nTip\t5.50\nTotal\t33.73\nVISA XXXX1234\n"
    fields = extract("JOE'S DINER\n123 MAIN ST\nAUSTIN, TX 78701\n" + body)
    assert fields["total"] == pytest.approx(33.73)
    assert fields["subtotal"] == pytest.approx(26.48)
    assert fields["tax"] == pytest.approx(1.75)


def test_the_tip_written_under_a_card_slips_total_is_paid_with_it() -> None:
    body = (
        "SUBTOTAL\t46.50\nGST 5%\t2.33\nPST 10% (Liquor)\t1.50\nTOTAL\t$50.33\nMASTERCARD ****3318\n"
        "PURCHASE\t50.33\nTIP\t8.00\nTOTAL PAID\t$58.33\nAPPROVED  AUTH 771204\n"
    )
    fields = extract("THE SALTY GULL BISTRO\nVancouver, BC V6H 3S3\n2022-08-19  6:32 PM\n" + body)
    assert (fields["total"], fields["tax"]) == pytest.approx((58.33, 3.83))


def test_one_printed_amount_is_not_both_the_tax_and_the_subtotal() -> None:
    body = "Fare\t$29.30\nExtra\t$1.00\nMTA TAX:\t$0.50\nTolls\t$0.00\nTotal Fare:\t$31.10\n"
    fields = extract("NYC TAXI\nMEDALLION 5A21\n03/14/2024 18:22\n" + body)
    assert fields["total"] == pytest.approx(31.10)  # not 1.00 = the 0.50 as subtotal + the 0.50 as tax
    assert fields.get("subtotal") is None


@pytest.mark.parametrize(
    ("body", "total", "currency"),
    [
        # Rupiah: whole units grouped by dots, the sign on some lines only, or on none.
        (
            "Kopi Susu 2\tRp 45.000\nRoti\t25.000\nTOTAL\t70.000\nTUNAI\t100.000\nKEMBALI\t30.000\n",
            70000,
            "IDR",
        ),
        ("Kopi Susu 2\t45.000\nRoti\t25.000\nTOTAL\t70.000\nTUNAI\t100.000\nKEMBALI\t30.000\n", 70000, None),
        ("Americano\t₩4,500\nLatte\t₩5,500\nTotal\t₩10,000\n", 10000, "KRW"),
        ("Onigiri\t150円\nTea\t130円\nTotal\t280円\nCash\t500円\nChange\t220円\n", 280, "JPY"),
    ],
)
def test_amounts_in_currencies_printed_in_whole_units(body: str, total: float, currency: str | None) -> None:
    fields = extract("TOKO MAKMUR\n12/03/2019 10:22\n" + body)
    assert fields["total"] == total
    assert fields.get("currency") == currency


def test_grouped_whole_numbers_are_no_amounts_where_amounts_have_cents() -> None:
    fields = extract("ACME LTD\nWidgets 1,000 pcs\t1,250.00\nTotal\t1,250.00\n")
    assert fields["total"] == 1250.00


@pytest.mark.parametrize(
    ("amount", "currency"),
    [("HK$ 120.50", "HKD"), ("₱ 120.50", "PHP"), ("฿120.50", "THB"), ("NT$120", "TWD")],
)
def test_currency_signs_of_asia(amount: str, currency: str) -> None:
    from invoice_app.processing.extraction.amounts import find_amounts

    assert [a.currency for a in find_amounts(amount)] == [currency]


# --- taxes at several rates ----------------------------------------------------------------------


def test_a_gst_summary_amount_column_is_the_net_at_the_rows_rate() -> None:
    body = (
        "MILO 1KG\t28.90 SR\nBERAS 5KG\t17.50 ZR\nTOTAL INCL GST\t73.10\nCASH\t100.00\nCHANGE\t26.90\n"
        "GST SUMMARY\tAmount\tTax\nSR 6%\t40.57\t2.43\nZR 0%\t30.10\t0.00\n"
    )
    fields = extract("PASARAYA BESTMART SDN BHD\n12/03/2019 10:22\n" + body)
    assert (fields["total"], fields["tax"]) == pytest.approx((73.10, 2.43))
    # A rate misread ("SR86.00%") says neither net nor gross: the table proposes nothing.
    misread = body.replace("SR 6%", "SR86.00%")
    assert extract("PASARAYA BESTMART SDN BHD\n12/03/2019 10:22\n" + misread)["total"] == pytest.approx(73.10)


def test_an_indian_bill_rounded_to_the_rupee_with_its_gst_in_parts() -> None:
    body = (
        "Gross Amt\t326.32\nLess Disc 10%\t32.63\nNet Amt\t293.69\nRound Off\t0.31\nBill Amount\tRs. 294.00\n"
        "GST Summary (Incl.)\tTaxable\tCGST 6%\tSGST 6%\n12%\t262.23\t15.73\t15.73\nPaid: Cash\n"
    )
    fields = extract("SHIVAM MEDICAL STORES\nBill No: SM/2023/04512\tDate: 09-06-2023\n" + body)
    assert (fields["total"], fields["tax"]) == pytest.approx((294.00, 31.46))


@pytest.mark.parametrize(
    ("body", "subtotal", "tax", "total"),
    [
        # A tax table, one row per rate, under a header that names its columns.
        (
            "SUMME EUR 34,50\nBar 50,00\nRückgeld 15,50\nMwSt\tNetto\tSteuer\tBrutto\n"
            "A 7%\t20,00\t1,40\t21,40\nB 19%\t11,01\t2,09\t13,10\n",
            None,
            3.49,
            34.50,
        ),
        (
            "TOTAL TTC\t58,00 €\nCB\t58,00 €\nTAUX\tHT\tTVA\tTTC\n"
            "5,5%\t30,00\t1,65\t31,65\n20%\t21,96\t4,39\t26,35\n",
            None,
            6.04,
            58.00,
        ),
        ("TOTAAL\t23,45\nPIN\t23,45\nBTW\tOVER\tBTW\n9%\t18,35\t1,65\n21%\t2,98\t0,63\n", None, 2.28, 23.45),
        # Nets and taxes per rate on lines of their own.
        (
            "Netto 7%\t100,00 €\nMwSt 7%\t7,00 €\nNetto 19%\t200,00 €\nMwSt 19%\t38,00 €\n"
            "Gesamtbetrag\t345,00 €\n",
            None,
            45.00,
            345.00,
        ),
        # Canada: GST and the provincial sales tax.
        ("Subtotal\t10.00\nGST 5%\t0.50\nPST 7%\t0.70\nTotal\t11.20\n", 10.00, 1.20, 11.20),
    ],
)
def test_taxes_at_several_rates_are_summed(
    body: str, subtotal: float | None, tax: float, total: float
) -> None:
    # A receipt's subtotal is only the one it prints under a label: the nets of its tax table are
    # summed for the arithmetic, not reported (`fields.py`).
    fields = extract("MARKT 24\n12.03.2024 10:22\n" + body)
    assert (fields.get("subtotal"), fields.get("tax"), fields["total"]) == pytest.approx(
        (subtotal, tax, total)
    )


@pytest.mark.parametrize(
    "line", ["Total includes GST\t$2.00", "GST included in total\t$2.00", "VAT included £2.00"]
)
def test_the_tax_a_gross_total_includes(line: str) -> None:
    fields = extract(f"WOOLWORTHS\n12/03/2024\nTOTAL\t$22.00\n{line}\n")
    assert (fields["total"], fields["tax"]) == (22.00, 2.00)


# --- more of the world's receipts ----------------------------------------------------------------


def test_a_legal_form_in_capitals_heads_the_receipt() -> None:
    text = (
        "GOLDEN SPOON FOOD CORP.\nGOLDEN SPOON - SM NORTH EDSA\nNorth Ave. cor. EDSA, Quezon City\n"
        "OFFICIAL RECEIPT\nOR No: 000123456\n03/14/2023 12:08 PM\nTotal Due\t₱254.00\nCASH\t500.00\n"
        "CHANGE\t246.00\nTHIS SERVES AS AN OFFICIAL RECEIPT\n"
    )
    assert extract(text)["vendorName"] == "GOLDEN SPOON FOOD CORP."


def test_hong_kong_dollars_are_day_first() -> None:
    text = "GOLDEN BAUHINIA CAFE\nDate: 09/07/2021 Time: 12:51\nTotal\tHK$184.80\nOctopus\t184.80\n"
    assert extract(text)["invoiceDate"] == "2021-07-09"


def test_a_state_before_its_postcode_is_no_legal_form() -> None:
    text = (
        "BUSHLINE ROADHOUSE\nStuart Hwy, Coober Pedy SA 5723\nABN 98 765 432 109\nTAX INVOICE\n"
        "02/04/2023 15:12\nTOTAL (INC GST)\t$84.54\nEFTPOS\t$84.54\n"
    )
    assert extract(text)["vendorName"] == "BUSHLINE ROADHOUSE"


def test_a_delivery_slot_is_not_the_date_of_the_order() -> None:
    text = (
        "SHIOK GROCER PTE. LTD.\nOrder No: SG-20230811-5567\nOrder Date: 11 Aug 2023, 09:14\n"
        "Delivery Slot: 12 Aug 2023, 2pm-4pm\nSubtotal\t$48.35\nTotal\t$48.35\n"
    )
    assert extract(text)["invoiceDate"] == "2023-08-11"


@pytest.mark.parametrize(
    ("line", "number"),
    [
        ("Check No: 102934    Table: 15", "102934"),
        ("Ticket #: 0482211", "0482211"),
        ("OR No: 000123456", "000123456"),
        ("12.03.2019  14:22  Bon-Nr. 4711  Kasse 2", "4711"),
        ("Ticket N° 0012-4587  Caisse 01", "0012-4587"),
        ("DOCUMENTO N. 0087-0012", "0087-0012"),
    ],
)
def test_the_numbers_of_till_slips(line: str, number: str) -> None:
    assert extract(f"CAFE NOIR\n{line}\nTOTAL 12.50\nCASH 20.00\nCHANGE 7.50\n")["invoiceNumber"] == number


def test_a_philippine_receipt_whose_peso_sign_was_read_as_p() -> None:
    text = (
        "QUICKSTOP MART CORP.\nVAT REG TIN: 009-318-442-000\n07/15/2024 10:22\nSUBTOTAL (7 items) 201.50\n"
        "TOTAL AMOUNT DUE P201.50\nCASH 500.00\nCHANGE 298.50\nVAT Amount (12%) 11.30\n"
    )
    fields = extract(text)
    assert (fields["total"], fields["currency"]) == (201.5, "PHP")


def test_a_single_name_after_a_seller_label_on_a_till_slip_is_the_salesperson() -> None:
    text = (
        "LINNEN & CO\nMeir 45\n2000 Antwerpen\nDatum: 27/12/2024 15:48\n"
        "Kassa 1 Verkoper: Lotte\tTicket 5512\nTOTAAL 143,88\n"
    )
    assert extract(text)["vendorName"] == "LINNEN & CO"


def test_the_town_line_under_a_named_company_is_no_sender_line() -> None:
    text = (
        "SUPERMERCADO BOM PRECO\nBom Preco Comercio de Alimentos Ltda\nCNPJ: 12.345.678/0001-90\n"
        "Rua das Laranjeiras, 450 - Centro\nBelo Horizonte - MG CEP 30120-040\n# CODIGO DESCRICAO\n"
        "ARROZ 5KG\t24,90\nTOTAL R$ 109,00\nDINHEIRO 120,00\nTROCO 11,00\n"
    )
    assert extract(text)["vendorName"] == "Bom Preco Comercio de Alimentos Ltda"


@pytest.mark.parametrize(
    ("header", "name"),
    [
        (
            "HANLON'S PHARMACY\nRathmines\nHanlon Pharmacy (Rathmines) Limited",
            "Hanlon Pharmacy (Rathmines) Limited",
        ),
        ("BAUPROFI KAINZ\nBau - Garten - Werkstatt\nKainz Baumarkt GmbH", "Kainz Baumarkt GmbH"),
        ("KOPI & MAKAN\nFOOD COURT BISHAN\nMakan Junction Pte. Ltd.", "Makan Junction Pte. Ltd."),
    ],
)
def test_the_branch_or_tagline_under_a_brand_is_not_part_of_the_legal_name(header: str, name: str) -> None:
    rest = "VAT No: IE 6388214W\n214 Lower Rathmines Rd\n02/04/2024 11:20 Till 1\nTOTAL 29.48\nCARD 29.48\n"
    text = f"{header}\n{rest}"
    assert extract(text)["vendorName"] == name


def test_a_letterhead_name_set_on_two_lines_is_still_joined() -> None:
    text = (
        "MVM Musterhafter\nVersicherungsverein Musterstadt a.G.\nRechnung Nr. 4711\nGesamtbetrag 119,00 €\n"
    )
    assert extract(text)["vendorName"] == "MVM Musterhafter Versicherungsverein Musterstadt a.G."


def test_ocr_spaces_after_the_decimal_separator_still_make_an_amount() -> None:
    from invoice_app.processing.extraction.amounts import find_amounts

    assert [a.value for a in find_amounts("A 20%\t78, 10\t15, 62\t93,72")] == [78.1, 15.62, 93.72]
    assert [a.value for a in find_amounts("SGST @ 2.5%\t14. 13")] == [14.13]
    assert find_amounts("1, 2, 3") == []


@pytest.mark.parametrize(
    "table",
    [
        # Tesseract: the gaps of the table read as single spaces.
        "Netto MwSt Brutto\nA 19% 67,92 12,90 80,82\nB 7% 1,12 0,08 1,20\nGesamt 69,04 12,98 82,02\n",
        # RapidOCR: two column words in one box.
        "USt\tNetto MwSt\tBrutto\nA 19%\t67,92\t12,90\t80,82\nB 7%\t1,12\t0,08\t1,20\n",
    ],
)
def test_a_tax_table_whose_columns_ocr_read_without_gaps(table: str) -> None:
    text = (
        "TANKSTELLE MAIER\nMaier Mineralöl GmbH\nSuper E10 41,30 l x 1,749\t72,23 A\nSUMME EUR 82,02\n"
        + table
    )
    fields = extract(text)
    assert (fields["subtotal"], fields["tax"], fields["total"]) == (69.04, 12.98, 82.02)


def test_a_portuguese_tax_table_under_taxa_incidencia_iva() -> None:
    text = """Estrela Dourada - Pastelaria e Café, Lda.
1 Agua 0,5L 6% 1,20
1 Coca-Cola 33cl 23% 1,80
1 Pastel de Nata 13% 10,80
TOTAL EUR 13,80
Multibanco 13,80
Taxa Incidência IVA
6% 1,13 0,07
13% 9,56 1,24
23% 1,46 0,34
Total 12,15 1,65
"""
    fields = extract(text)
    assert (fields["subtotal"], fields["tax"], fields["total"]) == (12.15, 1.65, 13.8)


def test_a_tip_outside_the_tax_summary_stays_in_the_total() -> None:
    text = """Brasserie du Marché
SOUS-TOTAL\t58,60
POURBOIRE\t4,90
TOTAL\t63,50
Carte Bancaire CB\t63,50
Taux\tHT\tTVA\tTTC
10,0%\t43,00\t4,30\t47,30
20,0%\t9,42\t1,88\t11,30
Total\t52,42\t6,18\t58,60
"""
    fields = extract(text)
    assert (fields["subtotal"], fields["tax"], fields["total"]) == (52.42, 6.18, 63.5)


@pytest.mark.parametrize(
    ("header", "vendor"),
    [
        (
            "SAHABATMART\nPT SAHABAT RITEL NUSANTARA TBK\nNPWP: 01.234.567.8-091.008",
            "PT SAHABAT RITEL NUSANTARA TBK",
        ),
        ("HARTWELL HARDWARE\n& SUPPLY CO.\n1842 N Milwaukee Ave", "HARTWELL HARDWARE & SUPPLY CO."),
        (
            "SUPERMERCADO BOA PRACA\nBOA PRACA COMERCIO DE ALIMENTOS LTDA.\nSAO PAULO - SP CEP 05406-050",
            "BOA PRACA COMERCIO DE ALIMENTOS LTDA.",
        ),
    ],
)
def test_legal_forms_of_receipt_headers(header: str, vendor: str) -> None:
    text = f"{header}\n21.02.24 10:15 KASIR 01\nTOTAL 48.900\nTUNAI 50.000\nKEMBALI 1.100\n"
    assert extract(text)["vendorName"] == vendor


def test_an_indian_bill_paid_by_upi_totals_at_its_net_amount() -> None:
    text = """Annapoorna Hospitality Pvt. Ltd.
TAX INVOICE
Bill No: 4521
TotalQty:9 Sub Total\t565.00
CGST @ 2.5%\t14.13
SGST @ 2.5%\t14. 13
Round off\t-0.26
NET AMOUNT\t593.00
Paid by UPI UPI Ref: 402713895521\t593.00
"""
    fields = extract(text)
    assert (fields["subtotal"], fields["tax"], fields["total"]) == (565.0, 28.26, 593.0)


@pytest.mark.parametrize(
    ("text", "currency"),
    [
        ("NAKHON ENERGY CO., LTD.\nTAX ID 6105556123456\nVAT 7% 76.21\nTOTAL (Baht) 1,164.88\n", "THB"),
        ("HAT MOC COFFEE\nCONG TY TNHH HAT MOC VIET\nMST: 0312345678\nTONG CONG 219.240\n", "VND"),
        ("TABERNA LOS ARCOS\nHosteleria Arcos de Triana S.L.\nCIF: B91234567\nTOTAL 50,10\n", "EUR"),
    ],
)
def test_the_currency_of_a_receipt_that_prints_no_sign(text: str, currency: str) -> None:
    assert extract(text)["currency"] == currency


def test_the_number_of_a_factura_simplificada() -> None:
    text = "TABERNA LOS ARCOS\nFACTURA SIMPLIFICADA\nNo: T1-2024-004812 Mesa: 6\nTOTAL 50,10\n"
    assert extract(text)["invoiceNumber"] == "T1-2024-004812"


def test_a_polish_paragon_fiskalny() -> None:
    text = """Koliber Polska Sp. z o.o.
PARAGON FISKALNY
Sprzedaz opodatkowana A\t12,77
PTU A 23,00%\t2,39
Suma PTU\t4,00
SUMA PLN\t37,09
Gotowka\t50,00 PLN
Reszta\t12,91 PLN
"""
    fields = extract(text)
    assert (fields["tax"], fields["total"]) == (4.0, 37.09)


def test_a_taxi_journey_from_and_to_is_no_seller() -> None:
    text = """CAPITAL CITY CABS
Capital City Cabs Limited
GST No: 123-456-789
RECEIPT
From: Wellington Airport (WLG)
To: 214 Oriental Parade, Oriental Bay
TOTAL NZD 48.60
"""
    assert extract(text)["vendorName"] == "Capital City Cabs Limited"


def test_a_tills_tot_row_under_a_vat_table() -> None:
    text = """Hanlon Pharmacy (Rathmines) Limited
5 ITEMS TOTAL\t47.88
CASH\t50.00
CHANGE\t2.12
Code\tRate\tNet\tVAT\tGross
V1\t13.5%\t8.77\t1.18\t9.95
V2\t23%\t20.72\t4.77\t25.49
TOT\t41.93\t5.95\t47.88
"""
    fields = extract(text)
    assert (fields["subtotal"], fields["tax"], fields["total"]) == (41.93, 5.95, 47.88)


def test_the_maker_of_the_till_software_and_a_sentence_with_as_are_no_vendor() -> None:
    text = """MANG ISKO'S GRILL
G/F SM City North EDSA, Quezon City
VAT REG TIN: 008-123-456-00000
SALES INVOICE
TOTAL 758.00
CASH 1,000.00
CHANGE 242.00
POS Provider: Kahera Systems Inc.
THIS SERVES AS A SALES INVOICE
"""
    assert extract(text)["vendorName"] == "MANG ISKO'S GRILL"


@pytest.mark.parametrize(
    ("text", "currency"),
    [
        (
            "Electronic Invoice Proof\nRandom No: 8841 Total: $334\nTOTAL $334\nCash $500\nChange $166\n",
            "TWD",
        ),
        ("CAFE ZAIT\nZait Coffee Ltd C.N. 514823671\n142 Dizengoff St, Tel Aviv\nTOTAL 105.00\n", "ILS"),
        ("SAHIN FIRIN\nCAFERAGA MAH. MODA CAD. NO:41\nKADIKOY V.D. 8123456789\nTOPLAM *194,00\n", "TRY"),
        ("PAGINI VII DISTRIBUTIE S.R.L.\nBON FISCAL\nTOTAL LEI 226,20\n", "RON"),
        (
            "BROASTER\nNIT 901.234.567-8\nFACTURA ELECTRONICA DE VENTA\nTOTAL $ 62.500\nEfectivo $ 70.000\n",
            "COP",
        ),
    ],
)
def test_currencies_of_set_e(text: str, currency: str) -> None:
    assert extract(text)["currency"] == currency


def test_a_turkish_fiscal_slip() -> None:
    text = """SAHIN FIRIN
SAHIN UNLU MAMULLERI GIDA
SAN. VE TIC. LTD. STI.
FIS NO: 0087
SIMIT\t%01\t*60,00
TOPKDV\t*5,08
TOPLAM\t*194,00
NAKIT\t*200,00
PARA USTU\t*6,00
"""
    fields = extract(text)
    assert (fields["tax"], fields["total"]) == (5.08, 194.0)


@pytest.mark.parametrize(
    "name", ["Porat ugostiteljstvo d.o.o.", "Linnaparkla OÜ", "Inversiones Broaster del Valle S.A.S."]
)
def test_legal_forms_of_croatia_estonia_and_colombia(name: str) -> None:
    assert extract(f"CAFFE BAR\n{name}\nOIB: 12345678901\nUKUPNO 19,40\n")["vendorName"] == name


def test_a_tax_table_whose_rate_header_and_totals_label_ocr_lost() -> None:
    text = """De Linde Retail BV
TOTAAL
BANCONTACT
ew Basis\tBTW Totaal
A 6% 25,31\t1,52 26,83
B 21% 14,00\t2,94 16,94
4,46 43,77
"""
    fields = extract(text)
    assert (fields["subtotal"], fields["tax"], fields["total"]) == (39.31, 4.46, 43.77)


# --- ninth session: set G receipts ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "number"),
    [
        ("Paragon nr 00047\t10:37", "00047"),  # Poland
        ("Nyugtaszäm: 0218/00351", "0218/00351"),  # Hungary, OCR without the model
        ("Kvitto nr 26-018834", "26-018834"),  # Sweden
        ("UCTENKA £. 26-00871", "26-00871"),  # Czechia: "ÚČTENKA č." read without its accents
        ("NFC-e n° 000087412 Série 001 27/01/2026 08:03:11", "000087412"),  # Brazil
        ("Sö HD: HD-000482 Ban: 05", "HD-000482"),  # Vietnam: "Số HĐ"
    ],
)
def test_a_tills_receipt_number_in_its_own_language(line: str, number: str) -> None:
    assert extract(f"SHOP NAME\n{line}\nTOTAL 9,30\n")["invoiceNumber"] == number


def test_a_portuguese_simplified_invoice_and_its_vat_summary() -> None:
    text = """Estrela do Bairro - Pastelaria, Lda.
Fatura Simplificada
FS A2026/3187 : Original
Data: 2026-03-11 09:41
1 Galao 1,60 13% 1,60
2 Pastel de nata 1,30 13% 2,60
TOTAL 9,30€
Taxa Incidéncia IVA Total
13% 6,55 0,85 7,40
23% 1,54 0,36 1,90
Multibanco 9,30€
Troco 0,00 €
"""
    out = extract(text)
    assert out["invoiceNumber"] == "FS A2026/3187"
    assert (out["tax"], out["total"]) == (1.21, 9.3)


def test_a_total_followed_by_its_currency_code_and_a_service_charge() -> None:
    # "totals?" read "TOTAL S" of "TOTAL SGD" and the label was lost: the total became 82.00 + 8.12.
    text = """HARBOURVIEW HOTEL
Bill No: 04-10457\tTbl: 12
Subtotal\t82.00
Service Charge 10%\t8.20
GST 9%\t8.12
TOTAL SGD\t98.32
MASTERCARD\t98.32
"""
    out = extract(text)
    assert (out["subtotal"], out["tax"], out["total"]) == (82.0, 8.12, 98.32)


def test_taxes_a_slip_prints_as_included_and_kenyan_shillings() -> None:
    swiss = extract("SBB CFF FFS\nTotal CHF 22.20\ninkl. MWST 8.1% (CHF 22.20) CHF 1.66\n")
    assert (swiss["total"], swiss["tax"]) == (22.2, 1.66)
    south_africa = extract("PARKHAVEN MALL PARKING\nTOTAL R 35.00\nIncl. VAT @ 15% R 4.57\nCARD R 35.00\n")
    assert (south_africa["total"], south_africa["tax"]) == (35.0, 4.57)
    assert extract("RUBIS NAKURU\nTOTAL KSh 5,950.00\nTOTAL VAT 820.69\n")["currency"] == "KES"


def test_a_philippine_slip_writes_the_month_first() -> None:
    text = """KUSINA NI LOLA
KNL FOOD VENTURES INC.
VAT REG TIN 123-456-789-000
Date: 03/07/2026 12:31 PM
TOTAL ₱ 546.00
VATable Sales 487.50
"""
    assert extract(text)["invoiceDate"] == "2026-03-07"


def test_a_dutch_tills_vat_over_the_gross_of_each_rate() -> None:
    text = """Van Dijk Supermarkten B.V.
HEINEKEN 6X33CL 7,49 H
TOTAAL 17,58
PINNEN 17,58
BTW OVER BTW
L 9% 8,20 0,68
H 21% 9,38 1,63
TOTAAL 17,58 2,31
"""
    out = extract(text)
    assert (out["total"], out["tax"], out.get("subtotal")) == (17.58, 2.31, None)


def test_a_net_total_after_the_taxes_is_the_total_of_a_bill_charged_to_a_room() -> None:
    text = """Bill No : RB-24-007731 Table: 14
Sub Total 8,150.00
Service Charge 10% 815.00
VAT 18% 1,613.70
NET TOTAL (Rs.) 10,578.70
Settlement: Charge to Room
"""
    out = extract(text)
    assert (out["subtotal"], out["tax"], out["total"]) == (8150.0, 1613.7, 10578.7)


def test_a_singapore_postcode_says_the_date_is_day_first() -> None:
    text = "AH SENG HAINANESE\n1 Kadayanallur Street S(069184)\n08/06/2024 12:18:55\nTOTAL $27.10\n"
    out = extract(text)
    assert (out["invoiceDate"], out["currency"]) == ("2024-06-08", "SGD")


@pytest.mark.parametrize("name", ["Drogerie Lindner GmbH & Co.KG", "Farmacia Romero C.B."])
def test_legal_forms_read_without_their_spaces_and_spains_community_of_goods(name: str) -> None:
    assert extract(f"{name}\nSUMME EUR 12,40\n")["vendorName"] == name


def test_a_thai_abbreviated_tax_invoice_number_and_korean_won_by_the_business_number() -> None:
    thai = extract("BIGMART PUBLIC CO., LTD.\nTAX INV (ABB) No. 0235R0512-081523\n7 ITEMS TOTAL 694.00\n")
    assert thai["invoiceNumber"] == "0235R0512-081523"
    korea = extract("MEGABOX COEX\nBiz Reg No. 104-81-45678\nTotal 48,000\nCard 48,000\n")
    assert korea["currency"] == "KRW"


def test_a_rates_row_run_into_the_vat_header_is_not_the_totals_row() -> None:
    # OCR joined the header "Sazba Základ DPH Celkem" and the 12 % row: net + tax = gross there too.
    text = """Trafika U Mostu
Zaokrouhleni +0,30
CELKEM 141,00 Kč
Sazba Základ DPH Celkem 12 % 89,02 10,68 99,70
21 % 33,88 7,12 41,00
Hotově 200,00 Kč Vráceno 59,00 Kč
"""
    assert extract(text)["total"] == 141.0


def test_a_total_label_that_ends_in_the_currency_code_the_amount_starts_with() -> None:
    # A Polish till's "SUMA PLN 116,48": label and amount both read "PLN". Nor do the rates' taxes add
    # up to a total: "PTU A 20,28" + "PTU B 0,59" is the sum of the taxes.
    text = """MYJNIA BLYSK
Blysk Auto Sp. z o.o.
PARAGON FISKALNY
Sprzedaz opodatk. A 108,48
PTU A 23,00% 20,28
Sprzedaz opodatk. B 8,00
PTU B 8,00% 0,59
SUMA PTU 20,87
SUMA PLN 116,48
Gotowka 120,00
"""
    out = extract(text)
    assert (out["total"], out["tax"]) == (116.48, 20.87)
    assert "subtotal" not in out


def test_a_service_charge_and_a_round_off_between_the_subtotal_and_the_total() -> None:
    text = """SPICE ROUTE KITCHEN
(A unit of Kaveri Hospitality Pvt. Ltd.)
Bill No: SRK/24-25/08812 Dt: 15/03/2025
Sub Total 2,045.00
Service Charge @ 5% 102.25
CGST @ 2.5% 53.68
SGST @ 2.5% 53.68
Round Off 0.39
Grand Total 2,255.00
"""
    out = extract(text)
    assert (out["subtotal"], out["tax"], out["total"]) == (2045.0, 107.36, 2255.0)


def test_the_company_a_brand_is_a_unit_of_without_those_words() -> None:
    text = "(A unit of Kaveri Hospitality Pvt. Ltd.)\nBengaluru - 560038\nGrand Total 2,255.00\n"
    assert extract(text)["vendorName"] == "Kaveri Hospitality Pvt. Ltd."


def test_mexicos_legal_form_broken_over_two_lines() -> None:
    text = """SUPER PRONTO
CADENA COMERCIAL PRONTO DEL CENTRO, S.A.
DE C.V.
RFC: CPC950315KA2
TOTAL $ 187.50
"""
    assert extract(text)["vendorName"] == "CADENA COMERCIAL PRONTO DEL CENTRO, S.A. DE C.V."


def test_a_serial_numbers_s_slash_n_is_no_peruvian_sol_and_a_glued_permit_date_is_no_issue_date() -> None:
    text = """KUSINA EXPRESS
VAT REG TIN: 009-482-613-00012 Makati City
MIN:25031412345678 S/N:KXP0S0192A
SALES INVOICE
Date: 03/10/2025 12:31 PM
TOTAL AMOUNT DUE 433.00
Date Issued:01/05/2023ValidUntil:01/04/2028
"""
    out = extract(text)
    assert (out["currency"], out["invoiceDate"]) == ("PHP", "2025-03-10")


def test_the_printed_sum_of_the_taxes_per_rate_is_the_tax() -> None:
    text = """Subtotal (7 items)\t¥1,884
(8% taxable\t¥1,083)
(8% tax\t¥80)
(10% taxable\t¥801)
(10% tax\t¥72)
Total\t¥1,884
(Consumption tax incl.\t¥152)
"""
    out = extract(text)
    assert (out["total"], out["tax"]) == (1884.0, 152.0)


def test_a_rate_column_printed_without_its_percent_sign() -> None:
    text = """BAR LA PARRA
HOSTELERIA LA PARRA, S.L.
TOTAL (IVA incl.)\t39,90
Base imponible\t%IVA\tCuota
36,27\t10,00\t3,63
Efectivo\t50,00
Cambio\t10,10
"""
    assert extract(text)["tax"] == 3.63


def test_a_french_legal_notice_that_puts_the_form_before_the_name() -> None:
    text = """Au Fournil de Lucie
Boulangerie - Pâtisserie artisanale
Ticket n° 000482\t15/03/2025 08:12
Total TTC 27,31 €
Merci de votre visite et à bientôt !
Fermé le mercredi
SARL FOURNIL LUCIE au capital de 8 000 €
RCS Lyon 852 317 904 : SIRET 852 317 904 00018
"""
    assert extract(text)["vendorName"] == "SARL FOURNIL LUCIE"


def test_a_sri_lankan_receipt_is_day_first_though_it_says_vatable() -> None:
    text = """GREEN LEAF SUPER
Green Leaf Retail (Pvt) Ltd
No. 45, Peradeniya Road, Kandy
TAX INVOICE
Inv No : KDY2-118734 05/11/2024
NET TOTAL Rs. 5,825.00
Vatable items (V) incl. VAT 2,920.00
"""
    assert extract(text)["invoiceDate"] == "2024-11-05"


def test_the_tills_supplier_and_its_permit_date_are_not_the_sellers() -> None:
    text = """MEDIKALINGADRUGSTORE
MediKalinga Pharma Corp.
VAT REG TIN: 009-456-781-00023
Date:\t03/18/2025 10:42 AM
TOTAL\t815.86
POS Supplier: KasaPOS Systems Inc.
VAT REG TIN: 008-771-203-00000
Accred. No. 046087712302024031234
Date Issued: 01/15/2024
"""
    out = extract(text)
    assert (out["vendorName"], out["invoiceDate"]) == ("MediKalinga Pharma Corp.", "2025-03-18")


def test_a_spanish_tax_table_whose_columns_name_their_currency_and_the_change_it_gave() -> None:
    text = """DISTRIBUCIONES ALBAMAR LEVANTE, S.L.
FACTURA SIMPLIFICADA: 3104-007-521894
TOTAL (€) 32,32
EFECTIVO ENTREGADO 40,00
DEVOLUCION 7,68
IVA BASE IMPONIBLE (€) CUOTA (€)
4% 15,94 0,64
10% 8,72 0,87
21% 5,08 1,07
TOTAL 29,74 2,58
"""
    out = extract(text)
    assert (out["total"], out["tax"]) == (32.32, 2.58)

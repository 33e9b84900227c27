"""Invoices in the languages of Europe beyond the big five, and Turkey, Brazil and Korea: the labels
of number, dates and amounts, and day-first dates where the language is not English."""

from __future__ import annotations

from typing import Any

import pytest

from invoice_app.processing.extraction import extract_fields
from invoice_app.processing.types import Detection, TextSegment


def extract(text: str) -> dict[str, Any]:
    detection = Detection(text=text, segments=[TextSegment(text, 1.0, 1)], pages=1, engine="test")
    return {name: f.value for name, f in extract_fields(detection).items()}


INVOICES = [
    pytest.param(
        (
            "Nordic Bygg AB\n"
            "Faktura\n"
            "Fakturanr: 10442\n"
            "Fakturadatum: 2024-03-05\n"
            "Förfallodatum: 2024-04-04\n"
            "Summa exkl. moms\t10 000,00\n"
            "Moms 25%\t2 500,00\n"
            "Att betala\t12 500,00 SEK\n"
        ),
        {
            "invoiceNumber": "10442",
            "invoiceDate": "2024-03-05",
            "dueDate": "2024-04-04",
            "subtotal": 10000.0,
            "tax": 2500.0,
            "total": 12500.0,
            "currency": "SEK",
        },
        id="sv",
    ),
    pytest.param(
        (
            "Fjord Konsult AS\n"
            "FAKTURA\n"
            "Fakturanummer: 2024-88\n"
            "Fakturadato: 05.03.2024\n"
            "Forfallsdato: 19.03.2024\n"
            "Sum eks. mva.\t8 000,00\n"
            "Mva 25%\t2 000,00\n"
            "Å betale\tNOK 10 000,00\n"
        ),
        {
            "invoiceNumber": "2024-88",
            "invoiceDate": "2024-03-05",
            "dueDate": "2024-03-19",
            "subtotal": 8000.0,
            "tax": 2000.0,
            "total": 10000.0,
            "currency": "NOK",
        },
        id="no",
    ),
    pytest.param(
        (
            "Hygge Design ApS\n"
            "Faktura\n"
            "Fakturanr.: 5521\n"
            "Fakturadato: 05-03-2024\n"
            "Forfaldsdato: 04-04-2024\n"
            "Subtotal\t4.000,00\n"
            "Moms (25%)\t1.000,00\n"
            "Total DKK\t5.000,00\n"
        ),
        {
            "invoiceNumber": "5521",
            "invoiceDate": "2024-03-05",
            "dueDate": "2024-04-04",
            "subtotal": 4000.0,
            "tax": 1000.0,
            "total": 5000.0,
            "currency": "DKK",
        },
        id="da",
    ),
    pytest.param(
        (
            "Sauna Tekniikka Oy\n"
            "LASKU\n"
            "Laskun numero: 30017\n"
            "Laskun päivämäärä: 05.03.2024\n"
            "Eräpäivä: 19.03.2024\n"
            "Veroton yhteensä\t1 000,00\n"
            "ALV 24 %\t240,00\n"
            "Yhteensä\t1 240,00 €\n"
        ),
        {
            "invoiceNumber": "30017",
            "invoiceDate": "2024-03-05",
            "dueDate": "2024-03-19",
            "subtotal": 1000.0,
            "tax": 240.0,
            "total": 1240.0,
            "currency": "EUR",
        },
        id="fi",
    ),
    pytest.param(
        (
            "Budex Sp. z o.o.\n"
            "Faktura VAT nr FV/2024/03/117\n"
            "Data wystawienia: 05.03.2024\n"
            "Termin płatności: 19.03.2024\n"
            "Razem netto\t1 000,00 zł\n"
            "VAT 23%\t230,00 zł\n"
            "Razem brutto\t1 230,00 zł\n"
            "Do zapłaty: 1 230,00 PLN\n"
        ),
        {
            "invoiceNumber": "FV/2024/03/117",
            "invoiceDate": "2024-03-05",
            "dueDate": "2024-03-19",
            "subtotal": 1000.0,
            "tax": 230.0,
            "total": 1230.0,
            "currency": "PLN",
        },
        id="pl",
    ),
    pytest.param(
        (
            "Stavby Novák s.r.o.\n"
            "Faktura - daňový doklad č. 2024017\n"
            "Datum vystavení: 05.03.2024\n"
            "Datum splatnosti: 19.03.2024\n"
            "Základ daně\t10 000,00 Kč\n"
            "DPH 21 %\t2 100,00 Kč\n"
            "Celkem k úhradě\t12 100,00 Kč\n"
        ),
        {
            "invoiceNumber": "2024017",
            "invoiceDate": "2024-03-05",
            "dueDate": "2024-03-19",
            "subtotal": 10000.0,
            "tax": 2100.0,
            "total": 12100.0,
            "currency": "CZK",
        },
        id="cs",
    ),
    pytest.param(
        (
            "Lisboa Serviços, Lda.\n"
            "Fatura nº FT 2024/117\n"
            "Data de emissão: 05-03-2024\n"
            "Data de vencimento: 04-04-2024\n"
            "Total ilíquido\t1.000,00 €\n"
            "IVA 23%\t230,00 €\n"
            "Total a pagar\t1.230,00 €\n"
        ),
        {
            "invoiceNumber": "FT 2024/117",
            "invoiceDate": "2024-03-05",
            "dueDate": "2024-04-04",
            "subtotal": 1000.0,
            "tax": 230.0,
            "total": 1230.0,
            "currency": "EUR",
        },
        id="pt",
    ),
    pytest.param(
        (
            "Reformas García S.L.\n"
            "FACTURA\n"
            "Nº factura: A-2024-117\n"
            "Fecha: 05/03/2024\n"
            "Vencimiento: 04/04/2024\n"
            "Base imponible\t1.000,00 €\n"
            "IVA 21%\t210,00 €\n"
            "Total factura\t1.210,00 €\n"
        ),
        {
            "invoiceNumber": "A-2024-117",
            "invoiceDate": "2024-03-05",
            "dueDate": "2024-04-04",
            "subtotal": 1000.0,
            "tax": 210.0,
            "total": 1210.0,
            "currency": "EUR",
        },
        id="es",
    ),
    pytest.param(
        (
            "Rossi Impianti S.r.l.\n"
            "FATTURA N. 117/2024\n"
            "Data: 05/03/2024\n"
            "Scadenza: 04/04/2024\n"
            "Imponibile\t1.000,00 €\n"
            "IVA 22%\t220,00 €\n"
            "Totale documento\t1.220,00 €\n"
        ),
        {
            "invoiceNumber": "117/2024",
            "invoiceDate": "2024-03-05",
            "dueDate": "2024-04-04",
            "subtotal": 1000.0,
            "tax": 220.0,
            "total": 1220.0,
            "currency": "EUR",
        },
        id="it",
    ),
    pytest.param(
        (
            "Anadolu Tekstil A.Ş.\n"
            "FATURA\n"
            "Fatura No: ANT2024000117\n"
            "Fatura Tarihi: 05.03.2024\n"
            "Son Ödeme Tarihi: 04.04.2024\n"
            "Ara Toplam\t1.000,00 TL\n"
            "KDV %20\t200,00 TL\n"
            "Genel Toplam\t1.200,00 TL\n"
        ),
        {
            "invoiceNumber": "ANT2024000117",
            "invoiceDate": "2024-03-05",
            "dueDate": "2024-04-04",
            "subtotal": 1000.0,
            "tax": 200.0,
            "total": 1200.0,
            "currency": "TRY",
        },
        id="tr",
    ),
    pytest.param(
        (
            "Jansen Installatie B.V.\n"
            "FACTUUR\n"
            "Factuurnummer: 2024-117\n"
            "Factuurdatum: 05-03-2024\n"
            "Vervaldatum: 04-04-2024\n"
            "Subtotaal\t€ 1.000,00\n"
            "BTW 21%\t€ 210,00\n"
            "Totaal te betalen\t€ 1.210,00\n"
        ),
        {
            "invoiceNumber": "2024-117",
            "invoiceDate": "2024-03-05",
            "dueDate": "2024-04-04",
            "subtotal": 1000.0,
            "tax": 210.0,
            "total": 1210.0,
            "currency": "EUR",
        },
        id="nl",
    ),
    pytest.param(
        (
            "Dupont Électricité SARL\n"
            "FACTURE N° F-2024-117\n"
            "Date de facture : 05/03/2024\n"
            "Date d'échéance : 04/04/2024\n"
            "Total HT\t1 000,00 €\n"
            "TVA 20 %\t200,00 €\n"
            "Total TTC\t1 200,00 €\n"
            "Net à payer\t1 200,00 €\n"
        ),
        {
            "invoiceNumber": "F-2024-117",
            "invoiceDate": "2024-03-05",
            "dueDate": "2024-04-04",
            "subtotal": 1000.0,
            "tax": 200.0,
            "total": 1200.0,
            "currency": "EUR",
        },
        id="fr",
    ),
    pytest.param(
        (
            "Paulista Serviços Ltda.\n"
            "NOTA FISCAL DE SERVIÇOS ELETRÔNICA\n"
            "Número da Nota: 00000117\n"
            "Data de Emissão: 05/03/2024\n"
            "Valor dos Serviços\tR$ 1.000,00\n"
            "ISS (5%)\tR$ 50,00\n"
            "Valor Líquido da Nota\tR$ 1.000,00\n"
        ),
        {"invoiceNumber": "00000117", "invoiceDate": "2024-03-05", "currency": "BRL"},
        id="br",
    ),
    pytest.param(
        (
            "(주)한빛상사\n"
            "INVOICE\n"
            "Invoice No: HB-117\n"
            "Date: 2024-03-05\n"
            "Supply amount\t₩1,000,000\n"
            "VAT\t₩100,000\n"
            "Total\t₩1,100,000\n"
        ),
        {
            "invoiceNumber": "HB-117",
            "invoiceDate": "2024-03-05",
            "subtotal": 1000000.0,
            "tax": 100000.0,
            "total": 1100000.0,
            "currency": "KRW",
        },
        id="kr",
    ),
]


@pytest.mark.parametrize(("text", "expected"), INVOICES)
def test_invoice_labels_by_language(text: str, expected: dict[str, Any]) -> None:
    got = extract(text)
    assert {k: got.get(k) for k in expected} == pytest.approx(expected)


def test_a_page_in_no_known_language_reads_numeric_dates_day_first() -> None:
    assert extract("Hygge ApS\nFakturadato 05-03-2024\nI alt DKK 5.000,00\n")["invoiceDate"] == "2024-03-05"


def test_a_danish_bill_in_kroner_with_its_last_day_to_pay() -> None:
    text = """Østkyst Energi A/S · Strandvejen 210 · 2900 Hellerup · CVR 38 21 44 67
Fakturanummer 7004512378
Fakturadato 05.03.2024
Sidste rettidige betaling 20.03.2024
I alt ekskl. moms 1.019,70
Moms 25 % 254,93
Fakturabeløb i alt inkl. moms 1.274,63
"""
    fields = extract(text)
    assert (fields["currency"], fields["dueDate"]) == ("DKK", "2024-03-20")
    assert (fields["subtotal"], fields["tax"], fields["total"]) == (1019.7, 254.93, 1274.63)


def test_a_swedish_invoice_with_labels_over_values_and_the_ore_rounding() -> None:
    text = """Björkdahl Fastighetsservice AB
Fakturanummer 24117
Fakturadatum 2024-03-12
Netto
15 005,50
Moms 25 %
3 751,38
Öresavrundning
0,12
Att betala
18 757,00 kr
Betala till bankgiro 5432-1098
"""
    fields = extract(text)
    assert (fields["subtotal"], fields["tax"], fields["total"]) == (15005.5, 3751.38, 18757.0)
    assert fields["currency"] == "SEK"


def test_a_czech_invoice_whose_tax_line_says_dph_celkem() -> None:
    text = """Novák Strojírny s.r.o.
IČO 12345678 DIČ CZ12345678
Faktura - daňový doklad č. 2024010356
Celkem bez DPH 29 730,00 Kč
DPH celkem 6 155,10 Kč
Zaokrouhlení -0,10 Kč
Celkem k úhradě 35 885,00 Kč
"""
    fields = extract(text)
    assert (fields["subtotal"], fields["tax"], fields["total"]) == (29730.0, 6155.1, 35885.0)


def test_a_polish_totals_row_with_a_filler_under_the_rate_column() -> None:
    text = """Wiśniewski i Synowie Sp. z o.o.
Faktura VAT nr FV/03/2024/0142
Wartość netto\tStawka VAT\tKwota VAT\tWartość brutto
Razem:\t4 180,00\tX\t788,90\t4 968,90
w tym\t3 030,00\t23%\t696,90\t3 726,90
Do zapłaty:\t4 968,90\tPLN
"""
    fields = extract(text)
    assert (fields["subtotal"], fields["tax"], fields["total"]) == (4180.0, 788.9, 4968.9)


def test_a_chilean_document_in_pesos_without_decimals() -> None:
    text = """COMERCIAL ANDES SUR SpA
R.U.T.: 76.543.210-K
NOTA DE CRÉDITO ELECTRÓNICA N° 4521
Santiago, 20 de Marzo del 2024
MONTO NETO $ 168.460
I.V.A. 19% $ 32.007
MONTO EXENTO $ 0
TOTAL $ 200.467
"""
    fields = extract(text)
    assert fields["currency"] == "CLP"
    assert (fields["subtotal"], fields["tax"], fields["total"]) == (168460.0, 32007.0, 200467.0)


@pytest.mark.parametrize(
    ("text", "currency"),
    [
        ("Linbro Properties (Pty) Ltd\nVAT No. 4123456789\nJohannesburg\nTotal R 79 430.93\n", "ZAR"),
        ("Lagos Advisory Ltd\nSub-Total 6,737,500.00\nTotal Invoice Value ₦7,242,812.50\n", "NGN"),
        ("Agro Pampa S.A.\nCUIT: 30712345679\nBuenos Aires\nImporte Total: $ 11.727.652,50\n", "ARS"),
        ("Lanka Pharmacy\n12 Galle Road, Colombo 03\nTotal Rs. 2,450.00\n", "LKR"),
        ("Selera Loft Food Court Sdn Bhd\n$01 2 x 4.20\nTOTAL (RM) 48.95\n", "MYR"),
    ],
)
def test_currencies_by_country_sign_and_the_totals_bracket(text: str, currency: str) -> None:
    assert extract(text)["currency"] == currency


def test_a_polish_summary_whose_first_row_is_one_rate_of_several() -> None:
    text = """Przedsiębiorstwo Handlowe Sp. z o.o.
Faktura VAT nr FV/2024/03/117
Wartość netto Stawka VAT Kwota VAT Wartość brutto
W tym 2 131,60 23% 490,27 2 621,87
W tym 1 950,00 8% 156,00 2 106,00
Razem 4 081,60 X 646,27 4 727,87
Do zapłaty: 4 727,87 zł
"""
    assert extract(text)["total"] == 4727.87


@pytest.mark.parametrize(
    ("line", "due"),
    [
        ("Fecha de Vto. para el pago: 10/07/2024", "2024-07-10"),
        ("Scadenze: 31/03/2024 € 2.275,93", "2024-03-31"),
    ],
)
def test_due_date_labels_of_argentina_and_italy(line: str, due: str) -> None:
    assert extract(f"Agro Pampa S.A.\nFecha de emisión: 10/06/2024\n{line}\n")["dueDate"] == due


def test_a_romanian_factura() -> None:
    text = """Furnizor
Carpatica Logistic Distribuție S.R.L.
CIF: RO31245780
FACTURĂ
Factura nr. CLD-0421
Data emiterii: 15.03.2024
Data scadenței: 14.04.2024
Cota TVA: 19%
Client
Agroserv Bârsa S.R.L.
Transport marfă Brașov – Constanța cursă 1,00 4.250,00 4.250,00 807,50
Total fără TVA 4.250,00
Valoarea TVA 807,50
Total de plată 5.057,50 lei
"""
    fields = extract(text)
    assert (fields["invoiceNumber"], fields["invoiceDate"], fields["dueDate"]) == (
        "CLD-0421",
        "2024-03-15",
        "2024-04-14",
    )
    assert (fields["vendorName"], fields["currency"]) == ("Carpatica Logistic Distribuție S.R.L.", "RON")
    assert (fields["subtotal"], fields["tax"], fields["total"]) == (4250.0, 807.5, 5057.5)


def test_a_hungarian_szamla_in_whole_forints() -> None:
    text = """Számla
Eladó
Balatoni Borház Kft.
8360 Keszthely, Kossuth Lajos utca 88.
Vevő
Tihanyi Panoráma Étterem Kft.
Teljesítés dátuma 2024.04.15.
Számla kelte 2024.04.16.
Fizetési határidő 2024.04.30.
Számla sorszáma BBH-2024-000312
Nettó érték: 364 300 Ft
ÁFA érték (27%): 98 361 Ft
Fizetendő: 462 661 Ft
"""
    fields = extract(text)
    assert (fields["invoiceNumber"], fields["invoiceDate"], fields["dueDate"]) == (
        "BBH-2024-000312",
        "2024-04-16",
        "2024-04-30",
    )
    assert (fields["vendorName"], fields["currency"]) == ("Balatoni Borház Kft.", "HUF")
    assert (fields["subtotal"], fields["tax"], fields["total"]) == (364300.0, 98361.0, 462661.0)


def test_a_greek_timologio() -> None:
    text = """ΑΙΓΑΙΟΝ ΕΦΑΡΜΟΓΕΣ ΛΟΓΙΣΜΙΚΟΥ Ι.Κ.Ε.
ΑΦΜ: 801234567 · ΔΟΥ: ΚΑΛΛΙΘΕΑΣ
ΤΙΜΟΛΟΓΙΟ ΠΑΡΟΧΗΣ ΥΠΗΡΕΣΙΩΝ
Αριθμός 2024-1274
Ημερομηνία έκδοσης 29/02/2024
Ημ/νία λήξης πληρωμής 30/03/2024
ΣΤΟΙΧΕΙΑ ΠΕΛΑΤΗ
Επωνυμία ΞΕΝΟΔΟΧΕΙΑ ΚΥΚΛΑΔΩΝ Α.Ε.
Καθαρή αξία 5.320,00 €
ΦΠΑ 24% 1.276,80 €
Πληρωτέο ποσό 6.596,80 €
"""
    fields = extract(text)
    assert (fields["invoiceNumber"], fields["invoiceDate"], fields["dueDate"]) == (
        "2024-1274",
        "2024-02-29",
        "2024-03-30",
    )
    assert fields["vendorName"] == "ΑΙΓΑΙΟΝ ΕΦΑΡΜΟΓΕΣ ΛΟΓΙΣΜΙΚΟΥ Ι.Κ.Ε."
    assert (fields["subtotal"], fields["tax"], fields["total"]) == (5320.0, 1276.8, 6596.8)


def test_a_swiss_invoice_with_typographic_apostrophes() -> None:
    text = """Atelier Gourmand Dufaux Sàrl
Facture N° 2024-118
Date de facturation 12.04.2024
Total hors TVA 7’006.00
TVA 2.6 % sur 4’872.00 126.67
TVA 8.1 % sur 2’134.00 172.85
Total TTC CHF 7’305.52
"""
    fields = extract(text)
    assert (fields["subtotal"], fields["tax"], fields["total"]) == (7006.0, 299.52, 7305.52)


def test_a_croatian_racun() -> None:
    text = """CAFFE BAR PORAT
Porat ugostiteljstvo d.o.o.
OIB: 45678901234
Racun br.: 1284/PP1/2
Datum: 14.08.2024. Vrijeme: 21:16
Espresso 2 2,00 4,00
UKUPNO EUR\t19,40
Nacin placanja:\tGotovina
Osnovica 15,16
PDV 25% 3,79
"""
    fields = extract(text)
    assert (fields["invoiceNumber"], fields["invoiceDate"]) == ("1284/PP1/2", "2024-08-14")
    assert (fields["subtotal"], fields["total"]) == (15.16, 19.4)


def test_a_finnish_receipts_alv_table_and_its_yht_row() -> None:
    text = """Tuuliasemat Oy
YHTEENSÄ EUR 75,74
ALV Veroton Vero Verollinen
A 25,5% 56,61 14,43 71,04
B 14% 4,12 0,58 4,70
Yht. 60,73 15,01 75,74
"""
    fields = extract(text)
    assert (fields["subtotal"], fields["tax"], fields["total"]) == (60.73, 15.01, 75.74)


BALTIC = [
    pytest.param(
        """Põhjaranniku Puit OÜ\tARVE nr 2025-0491
Maksja\tArve kuupäev\t16.04.2025
Elva Kodu ja Aed OÜ\tMaksetähtaeg\t30.04.2025
Kesk 22\tTarnekuupäev\t15.04.2025
Summa käibemaksuta\t1 789,40
Käibemaks 22%\t393,67
Arve summa kokku EUR\t2 183,07
""",
        {"invoiceNumber": "2025-0491", "invoiceDate": "2025-04-16", "dueDate": "2025-04-30"}
        | {"subtotal": 1789.4, "tax": 393.67, "total": 2183.07},
        id="estonian",
    ),
    pytest.param(
        """BALTIJAS TĪRĪŠANAS SERVISS
RĒĶINS Nr. BTS-25/0632
Rīgā, 2025. gada 12. augustā
Apmaksas termiņš\t26.08.2025.
Summa bez PVN\t1 181,55
PVN 21%\t248,13
Kopā apmaksai, EUR\t1 429,68
""",
        {"invoiceNumber": "BTS-25/0632", "invoiceDate": "2025-08-12", "dueDate": "2025-08-26"}
        | {"subtotal": 1181.55, "tax": 248.13, "total": 1429.68},
        id="latvian",
    ),
    pytest.param(
        """PVM SĄSKAITA FAKTŪRA
Serija KPU Nr. 002417
2025-09-03
Suma be PVM\t952,80
Nuolaida 3 %\t-28,58
Suma be PVM su nuolaida\t924,22
PVM 21 %\t194,09
Iš viso su PVM, EUR\t1 118,31
Apmokėti iki: 2025-09-17
""",
        {"invoiceNumber": "KPU 002417", "invoiceDate": "2025-09-03", "dueDate": "2025-09-17"}
        | {"subtotal": 924.22, "tax": 194.09, "total": 1118.31},
        id="lithuanian",
    ),
]


def test_a_romanian_number_within_its_series() -> None:
    text = "Transilvania Log Expres SRL\nFACTURĂ FISCALĂ\nSeria TLX nr. 4512\nTotal de plată 2.380,00 lei\n"
    assert extract(text)["invoiceNumber"] == "TLX 4512"


TITLED_NUMBERS = [("Fatura-Recibo FR 2025/184", "FR 2025/184"), ("Creditfactuur 25900012", "25900012")]


@pytest.mark.parametrize(("title", "number"), TITLED_NUMBERS)
def test_a_number_beside_a_portuguese_or_dutch_title(title: str, number: str) -> None:
    assert extract(f"Papelaria Central do Bonfim, Lda.\n{title}\nTotal 172,85 €\n")["invoiceNumber"] == number


def test_a_danish_receipt_with_one_english_word_is_read_day_first() -> None:
    text = "BAGERIET KORNBLOMSTEN\nDato\t11-07-2025 kl. 08:12\nKaffe to go, stor\t35,00\nHeraf moms 25 %\n"
    assert extract(text)["invoiceDate"] == "2025-07-11"


CYRILLIC = [
    pytest.param(
        """ООО «Северный ветер»
ИНН 7701234567 КПП 770101001
Счет на оплату № 145 от 12 марта 2025 г.
Покупатель: АО «Ромашка»
Итого: 12 000,00
В том числе НДС: 2 000,00
Всего к оплате: 12 000,00 руб.
Оплатить до 26.03.2025
""",
        {"invoiceNumber": "145", "invoiceDate": "2025-03-12", "dueDate": "2025-03-26"}
        | {"vendorName": "ООО «Северный ветер»", "tax": 2000.0, "total": 12000.0, "currency": "RUB"},
        id="russian",
    ),
    pytest.param(
        """ТОВ «Дніпро Софт»
Рахунок-фактура № СФ-0045
від «05» березня 2025 р.
Разом без ПДВ 10 000,00
ПДВ 20% 2 000,00
Всього до сплати 12 000,00 грн
""",
        {"invoiceNumber": "СФ-0045", "invoiceDate": "2025-03-05", "subtotal": 10000.0}
        | {"tax": 2000.0, "total": 12000.0, "currency": "UAH"},
        id="ukrainian",
    ),
    pytest.param(
        """Алфа Трейд ЕООД
ФАКТУРА
№ 0000001234
Дата на издаване: 14.03.2025
Данъчна основа 1 000,00 лв.
ДДС 20% 200,00 лв.
Сума за плащане 1 200,00 лв.
""",
        {"invoiceNumber": "0000001234", "invoiceDate": "2025-03-14", "vendorName": "Алфа Трейд ЕООД"}
        | {"subtotal": 1000.0, "tax": 200.0, "total": 1200.0, "currency": "BGN"},
        id="bulgarian",
    ),
]


@pytest.mark.parametrize(("text", "expected"), [*BALTIC, *CYRILLIC])
def test_baltic_and_cyrillic_invoices(text: str, expected: dict[str, Any]) -> None:
    out = extract(text)
    assert {k: out.get(k) for k in expected} == expected


def test_the_numero_sign_is_a_number_label() -> None:
    assert extract("Acme Ltd\nInvoice № INV-12\nTotal 12.00\n")["invoiceNumber"] == "INV-12"


def test_cyrillic_sellers_without_their_labels_and_a_vat_exempt_bill() -> None:
    upd = extract("Продавец: ООО «ПромСнаб-Урал» (2)\nВсего к оплате (9) 12 000,00\n")
    assert upd["vendorName"] == "ООО «ПромСнаб-Урал»"
    bulgarian = extract(
        "ДОСТАВЧИК\nИме: Родопа Софт ЕООД\nФактура № 0000000451\nСума за плащане 2 793,00 лв.\n"
    )
    assert bulgarian["vendorName"] == "Родопа Софт ЕООД"
    exempt = extract("ИП Климова Анна Сергеевна\nСчет № 27 от 05.03.2025\nИтого: 45 000,00\nБез НДС\n")
    assert (exempt["tax"], exempt["total"]) == (0.0, 45000.0)


@pytest.mark.parametrize(
    ("line", "currency"),
    [
        ("Валюта: наименование, код Российский рубль, 643", "RUB"),
        ("УКУПНО ЗА УПЛАТУ (РСД): 94.790,00", "RSD"),
    ],
)
def test_cyrillic_currencies_by_name_and_in_brackets(line: str, currency: str) -> None:
    assert extract(f"ООО «Альфа»\n{line}\nИтого 94.790,00\n")["currency"] == currency


def test_the_courtesy_copy_of_an_italian_e_invoice() -> None:
    text = """Studio Tecnico Bellavista
Tipologia documento Art. 73 Numero documento Data documento Codice destinatario
TD01 fattura 12/2026 15/05/2026 M5UXCR1
Totale documento 3.122,00
"""
    out = extract(text)
    assert (out["invoiceNumber"], out["invoiceDate"]) == ("12/2026", "2026-05-15")

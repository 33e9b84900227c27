"""Issue #13's failure classes on invoices, each from a small invented snippet in a real-world style.

Dates (periods, a date under the title, compact ISO dates, due dates from net terms), unusual
invoice-number labels, subtotal vs total incl. tax, and the currency of a "$" by the country.
"""

from __future__ import annotations

from typing import Any

from invoice_app.processing.extraction import extract_fields
from invoice_app.processing.types import Detection, TextSegment


def extract(text: str) -> dict[str, Any]:
    detection = Detection(text=text, segments=[TextSegment(text, 1.0, 1)], pages=1, engine="test")
    return {str(name): f.value for name, f in extract_fields(detection).items()}


# --- dates ---------------------------------------------------------------------------------------


def test_a_service_period_is_not_the_issue_date() -> None:
    text = """Lumen Services SARL
FACTURE
Prestation de maintenance
Période du 01/03/2025 au 31/03/2025
Réf. client C-88 31/03/2025
Total HT 100,00 €
"""
    assert extract(text)["invoiceDate"] == "2025-03-31"


def test_an_english_service_period_with_a_dash() -> None:
    text = """Hillside Hosting Ltd
Invoice No: HH-2291
Subscription 01/04/2025 - 30/04/2025
Tax point 30/04/2025
Total £48.00
"""
    assert extract(text)["invoiceDate"] == "2025-04-30"


def test_the_date_under_a_lone_title_is_the_issue_date() -> None:
    text = """Hôtel des Pins SAS
FACTURE
12/09/2024
Chambre du 02/09/2024 au 05/09/2024 300,00 €
Date limite de règlement : 12/10/2024
Total TTC 330,00 €
"""
    out = extract(text)
    assert out["invoiceDate"] == "2024-09-12"
    assert out["dueDate"] == "2024-10-12"  # "Date limite de règlement" is a due-date label


def test_a_compact_iso_date_after_its_label() -> None:
    text = """Atelier Nord SARL
FACTURE N° AN-17
Date : 20250415 · Échéance : 20250515
Total TTC 60,00 €
"""
    out = extract(text)
    assert (out["invoiceDate"], out["dueDate"]) == ("2025-04-15", "2025-05-15")


def test_date_due_label_us_style() -> None:
    text = """Redwood Analytics Inc.
Invoice Number INV-00452
Date of Issue 04/08/2024
Date Due 05/08/2024
Subtotal $90.00
Total $90.00
"""
    out = extract(text)
    assert (out["invoiceDate"], out["dueDate"]) == ("2024-04-08", "2024-05-08")


def test_due_date_from_german_net_terms() -> None:
    text = """Beispielwerk GmbH
Rechnung Nr. 2024-55
Datum: 12.03.2024
Zahlungsbedingungen: 30 Tage netto
Summe netto 200,00 EUR
Summe brutto 238,00 EUR
"""
    assert extract(text)["dueDate"] == "2024-04-11"


def test_due_date_from_net_30() -> None:
    text = """Northwind Supplies Ltd
Invoice No: NW-5521
Invoice Date: 15 March 2024
Terms: Net 30
Total £120.00
"""
    assert extract(text)["dueDate"] == "2024-04-14"


def test_a_discount_clause_gives_no_due_date_but_the_net_clause_does() -> None:
    skonto = """Kaffeerösterei Beispiel GmbH
Rechnung Nr. 881
Rechnungsdatum: 06.08.2024
Bei Zahlung innerhalb 14 Tagen gewähren wir 2,0% Skonto.
Gesamtbetrag 50,00 €
"""
    assert "dueDate" not in extract(skonto)
    both = skonto.replace("2,0% Skonto.", "2,0% Skonto, 30 Tage netto.")
    assert extract(both)["dueDate"] == "2024-09-05"


def test_a_printed_due_date_wins_over_the_terms() -> None:
    text = """Beispielwerk GmbH
Rechnung Nr. 2024-56
Rechnungsdatum: 12.03.2024
Zahlbar innerhalb 14 Tagen bis 20.03.2024
Summe brutto 238,00 EUR
"""
    assert extract(text)["dueDate"] == "2024-03-20"

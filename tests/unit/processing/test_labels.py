"""Labels in four languages, on text with lost spaces or umlauts; the longest overlapping label wins."""

from __future__ import annotations

import pytest

from invoice_app.processing.extraction.labels import find_labels


def kinds(text: str) -> list[tuple[str, str]]:
    return [(hit.kind, text[hit.start : hit.end]) for hit in find_labels(text)]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Invoice No.", "invoiceNumber"),
        ("Invoice #", "invoiceNumber"),
        ("INVOICE NUMBER", "invoiceNumber"),
        ("Rechnungsnummer", "invoiceNumber"),
        ("Rechnungs-Nr.", "invoiceNumber"),
        ("Facture n°", "invoiceNumber"),
        ("Numéro de facture", "invoiceNumber"),
        ("Factuurnummer", "invoiceNumber"),
        ("Invoice Date", "invoiceDate"),
        ("Rechnungsdatum", "invoiceDate"),
        ("Date de facture", "invoiceDate"),
        ("Factuurdatum", "invoiceDate"),
        ("Due Date", "dueDate"),
        ("Fälligkeitsdatum", "dueDate"),
        ("Date d'échéance", "dueDate"),
        ("Vervaldatum", "dueDate"),
        ("Lieferdatum", "otherDate"),
        ("Order Date", "otherDate"),
        ("Grand Total", "total"),
        ("Gesamtbetrag", "total"),
        ("Total TTC", "total"),
        ("Totaalbedrag", "total"),
        ("Subtotal", "subtotal"),
        ("Total HT", "subtotal"),
        ("Summe netto", "subtotal"),
        ("Subtotaal", "subtotal"),
        ("Sales Tax", "tax"),
        ("Total taxes", "tax"),
        ("MwSt.", "tax"),
        ("TVA", "tax"),
        ("BTW", "tax"),
        ("Erhaltene Anzahlungen", "ignore"),
        ("USt-IdNr", "ignore"),
        ("Verkäufer", "seller"),
        ("Bill To", "buyer"),
        ("Rechnungswährung", "currencyLabel"),
    ],
)
def test_labels(text: str, kind: str) -> None:
    assert kinds(text) == [(kind, text)]


def test_labels_match_without_spaces_or_umlauts() -> None:
    assert kinds("INVOICEDATE11/02/2019") == [("invoiceDate", "INVOICEDATE")]
    assert kinds("Verkaufer:") == [("seller", "Verkaufer")]
    assert kinds("Br uttosumme 671,15") == [("total", "Br uttosumme")]


def test_longest_label_wins_and_words_are_not_split() -> None:
    assert kinds("Subtotal 145.00") == [("subtotal", "Subtotal")]
    assert kinds("Taxifahrt") == []
    assert [k for k, _ in kinds("Steuernummer : 201/113/40209")] == ["ignore"]  # a tax number, not tax
    assert kinds("Lieferantenstraße 20") == []


def test_german_compound_titles() -> None:
    assert kinds("Handelsrechnung Nr. 471102")[0][0] == "invoiceNumber"
    assert kinds("Rechnung des Versicherers Nr. 01.234.567.8-2018-1")[0][0] == "invoiceNumber"


def test_a_label_ends_at_its_cell() -> None:
    from invoice_app.processing.extraction.labels import find_labels

    # "Date<tab>Due" is no "date due"; "TOTAL<tab>S$57.08" is "TOTAL", not "TOTALS" over the tab.
    assert [(h.kind, "Date\tDue Date"[h.start : h.end]) for h in find_labels("Date\tDue Date")] == [
        ("invoiceDate", "Date"),
        ("dueDate", "Due Date"),
    ]
    assert ["TOTAL\tS$57.08"[h.start : h.end] for h in find_labels("TOTAL\tS$57.08")] == ["TOTAL"]

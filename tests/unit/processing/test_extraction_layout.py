"""The extraction's seams: Field names in JSON, one label table per language, the scoring model."""

from __future__ import annotations

import json
from dataclasses import replace

from invoice_app.processing.extraction import labels
from invoice_app.processing.extraction.families import FAMILIES, FAMILY_OF
from invoice_app.processing.extraction.weights import WEIGHTS, AmountFeatures, score_amounts
from invoice_app.processing.types import (
    CORE_FIELDS,
    FIELD_NAMES,
    Detection,
    ExtractedField,
    Field,
    ProcessedDocument,
)


def test_fields_serialise_as_their_contract_names() -> None:
    assert FIELD_NAMES == (
        "invoiceNumber",
        "invoiceDate",
        "dueDate",
        "vendorName",
        "currency",
        "subtotal",
        "tax",
        "total",
        "documentType",
        "buyerName",
        "vendorTaxId",
        "buyerTaxId",
        "iban",
        "bic",
        "purchaseOrder",
        "paymentTerms",
    )
    assert FIELD_NAMES[:8] == CORE_FIELDS
    detection = Detection(text="", segments=[], pages=1, engine="test")
    processed = ProcessedDocument(detection, {Field.TOTAL: ExtractedField(1.0, 0.9)}, accuracy=50.0)
    out = processed.fields_json()
    assert json.dumps(out) == '{"total": {"value": 1.0, "confidence": 0.9}}'
    assert all(type(name) is str for name in out)


def test_every_field_has_one_family() -> None:
    assert set(FAMILY_OF) == set(Field)
    assert sum(len(family.FIELDS) for family in FAMILIES) == len(FAMILY_OF)


def test_every_language_module_contributes_labels() -> None:
    kinds_by_language = {
        name: {row.field for row in __import__(f"{labels.__name__}.{name}", fromlist=["LABELS"]).LABELS}
        for name in ("en", "de", "fr", "nl")
    }
    for kinds in kinds_by_language.values():
        assert {Field.INVOICE_NUMBER, Field.INVOICE_DATE, Field.DUE_DATE, Field.TOTAL, Field.TAX} <= kinds
    assert {p.kind for p in labels.LABELS} == set().union(*kinds_by_language.values())


def test_agreeing_amounts_outscore_stronger_labels() -> None:
    agree = AmountFeatures(total=0.8, subtotal=0.5, tax=0.6, largest=False, spread=2, consistent=True)
    contradict = AmountFeatures(total=1.0, subtotal=1.0, tax=1.0, largest=True, spread=2, consistent=False)
    assert score_amounts(agree) > score_amounts(contradict)
    # Adding up gains the consistency bonus and escapes the contradiction penalty.
    gain = score_amounts(agree) - score_amounts(replace(agree, consistent=False))
    assert abs(gain - (WEIGHTS.consistent + WEIGHTS.contradiction)) < 1e-9

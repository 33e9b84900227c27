"""The evaluation command's scoring and its output, on a folder laid out like the shared data."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from invoice_app.processing.evaluate import Tally, evaluate, format_report, main, score, values_match
from invoice_app.processing.pipeline import DocumentProcessor
from tests.helpers.samples import FIXTURES_DIR


def test_matching_rules() -> None:
    assert values_match("total", -233.47, 233.47)  # sign ignored, as the data README does
    assert not values_match("total", 233.48, 233.47)
    assert values_match("invoiceNumber", "fa 2017 0008", "FA-2017-0008") is False
    assert values_match("invoiceNumber", "us-001", "US-001")
    assert values_match("vendorName", "Au bon moulin SARL", "Au bon moulin")
    assert values_match("vendorName", "Sakura Mart Co., Ltd.", "SAKURA MART")  # one legal form, in two parts
    assert not values_match("vendorName", "KOSTENLIEFERANT GMBH", "MUSTERLIEFERANT GMBH")
    assert values_match("invoiceDate", "2024-03-01", "2024-03-01")


def test_outcomes_count_wrong_as_fp_and_fn() -> None:
    outcome = score(
        {"total": 10.0, "tax": 1.0, "dueDate": "2024-01-01"},
        {"total": 10.0, "tax": 2.0, "invoiceNumber": "A"},
        skip={"vendorName"},
    )
    assert outcome["total"] == "tp"
    assert outcome["tax"] == "wrong"
    assert outcome["dueDate"] == "fp"
    assert outcome["invoiceNumber"] == "fn"
    assert outcome["currency"] == "tn"
    assert "vendorName" not in outcome
    tally = Tally(tp=8, fp=2, fn=0)
    assert (tally.precision, tally.recall) == (0.8, 1.0)
    assert tally.f1 == pytest.approx(2 * 0.8 / 1.8)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    root = tmp_path / "invoices"
    (root / "zugferd").mkdir(parents=True)
    for name in ("zugferd_2p0_BASIC_Einfach", "Facture_UE_BASICWL"):
        for suffix in (".pdf", ".json"):
            shutil.copy(FIXTURES_DIR / f"{name}{suffix}", root / "zugferd" / f"{name}{suffix}")
    # A wrong ground truth must show up as an error in the figures.
    truth = root / "zugferd" / "Facture_UE_BASICWL.json"
    wrong = {**json.loads(truth.read_text()), "total": 1.0}
    truth.write_text(json.dumps(wrong))
    manifest = [{"file": "zugferd/Facture_UE_BASICWL.pdf", "unlabelledFields": ["vendorName"]}]
    (root / "manifest.json").write_text(json.dumps(manifest))
    return root


def test_evaluate_scores_and_writes_one_result_per_document(data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    report = evaluate(data_dir, DocumentProcessor("auto"), out)
    assert report.documents == 2
    assert report.failed == 0
    assert (report.fields["total"].tp, report.fields["total"].fp, report.fields["total"].fn) == (1, 1, 1)
    assert report.fields["vendorName"].tp + report.fields["vendorName"].fn == 1  # one skipped
    assert report.exact == 1
    results = sorted(out.rglob("*.result.json"))
    assert [p.name for p in results] == [
        "Facture_UE_BASICWL.pdf.result.json",
        "zugferd_2p0_BASIC_Einfach.pdf.result.json",
    ]
    first = json.loads(results[0].read_text())
    assert first["outcome"]["total"] == "wrong"
    assert first["engine"] == "e-invoice"  # both PDFs embed ZUGFeRD XML
    table = format_report(report, "test")
    assert "| total | 0.500 | 0.500 | 0.500 | 1 | 1 | 1 |" in table
    assert "time per page, pdf-text" in table


def test_cli_prints_the_table(data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(data_dir), "--out", str(tmp_path / "cli")]) == 0
    printed = capsys.readouterr().out
    assert "| invoiceNumber | 1.000 | 1.000 | 1.000 | 2 | 0 | 0 |" in printed
    assert "exact match" in printed


def test_no_embedded_xml_measures_the_text_reader(data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "text"
    evaluate(data_dir, DocumentProcessor("auto", embedded_xml=False), out)
    results = [json.loads(p.read_text()) for p in sorted(out.rglob("*.result.json"))]
    assert [r["engine"] for r in results] == ["pdf-text", "pdf-text"]

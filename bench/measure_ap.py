"""How well the text reader finds the accounts-payable fields and line items, against the e-invoice XML.

    PYTHONPATH=backend .venv/bin/python bench/measure_ap.py ../shared/data/dev/facturx \
        [--cache /work/cache/detections] [--show-misses]

Every PDF of DIR that embeds CII XML (Factur-X / ZUGFeRD) is read twice: the XML (a minimal lxml
XPath read, independent of the production e-invoice reader) gives the truth, the PDF's text layer
goes through the ordinary text reader (`extract_document`). A truth value counts only when it is
printed on the page (its compact form occurs in the text layer): the reader cannot find what the
page does not show. Prints per field precision / recall / F1, and line-item recall: XML lines whose
amount the reader returned as a line amount (each at most once), plus line-item precision.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

from lxml import etree

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "backend"))

from invoice_app.processing.types import Document, Field

FIELDS = (
    Field.BUYER_NAME,
    Field.VENDOR_TAX_ID,
    Field.BUYER_TAX_ID,
    Field.IBAN,
    Field.BIC,
    Field.PURCHASE_ORDER,
    Field.PAYMENT_TERMS,
)
# local-name() paths: CII D16B (ZUGFeRD 2 / Factur-X) and ZUGFeRD 1 use the same element names.
_L = "*[local-name()='{}']"


def _path(*names: str) -> str:
    return "//" + "/".join(_L.format(n) for n in names)


def _first(root: etree._Element, *paths: str) -> str | None:
    for path in paths:
        for node in root.xpath(path):
            text = " ".join((node.text or "").split())
            if text:
                return text
    return None


def _tax_id(root: etree._Element, party: str) -> str | None:
    regs = _path(party, "SpecifiedTaxRegistration", "ID")
    return _first(root, regs + "[@schemeID='VA']", regs + "[@schemeID='FC']", regs)


def xml_truth(xml: bytes) -> tuple[dict[Field, str], list[float]]:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    root = etree.fromstring(xml, parser)
    truth = {
        Field.BUYER_NAME: _first(root, _path("BuyerTradeParty", "Name")),
        Field.VENDOR_TAX_ID: _tax_id(root, "SellerTradeParty"),
        Field.BUYER_TAX_ID: _tax_id(root, "BuyerTradeParty"),
        Field.IBAN: _first(root, _path("PayeePartyCreditorFinancialAccount", "IBANID")),
        Field.BIC: _first(root, _path("PayeeSpecifiedCreditorFinancialInstitution", "BICID")),
        Field.PURCHASE_ORDER: _first(root, _path("BuyerOrderReferencedDocument", "IssuerAssignedID")),
        Field.PAYMENT_TERMS: _first(root, _path("SpecifiedTradePaymentTerms", "Description")),
    }
    lines = [
        float(t)
        for t in root.xpath(
            _path("IncludedSupplyChainTradeLineItem", "SpecifiedLineTradeSettlement")
            + "/"
            + _L.format("SpecifiedTradeSettlementLineMonetarySummation")
            + "/"
            + _L.format("LineTotalAmount")
            + "/text()"
        )
        if re.fullmatch(r"\s*-?\d+(?:\.\d+)?\s*", t)
    ]
    if not lines:  # ZUGFeRD 1.0 names the line settlement differently
        lines = [
            float(t)
            for t in root.xpath(
                _path("IncludedSupplyChainTradeLineItem") + "//" + _L.format("LineTotalAmount") + "/text()"
            )
            if re.fullmatch(r"\s*-?\d+(?:\.\d+)?\s*", t)
        ]
    return {k: v for k, v in truth.items() if v}, lines


def embedded_xml(data: bytes) -> bytes | None:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        for i in range(pdf.count_attachments()):
            att = pdf.get_attachment(i)
            name = att.get_name().lower()
            if name.endswith(".xml") and any(
                k in name for k in ("factur", "zugferd", "xrechnung", "invoice")
            ):
                return bytes(att.get_data())
    finally:
        pdf.close()
    return None


def _key(field: Field, value: str) -> str:
    if field in (Field.BUYER_NAME, Field.PAYMENT_TERMS):
        return " ".join(value.casefold().split()).strip(" .,:;")
    return re.sub(r"[\s.\-/]", "", value).upper()


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text).casefold()


def matches(field: Field, predicted: str, truth: str) -> bool:
    p, t = _key(field, predicted), _key(field, truth)
    if p == t:
        return True
    if field in (Field.VENDOR_TAX_ID, Field.BUYER_TAX_ID):
        return p[-9:] == t[-9:] and len(p) >= 9  # "DE123456789" printed, XML with or without prefix
    if field == Field.PAYMENT_TERMS:
        # The sentence as printed may add or drop a few words around the XML text.
        short, long_ = sorted((p, t), key=len)
        return bool(short) and short in long_ and len(short) >= 0.6 * len(long_)
    return False


def visible(field: Field, value: str, text: str) -> bool:
    if field in (Field.VENDOR_TAX_ID, Field.BUYER_TAX_ID, Field.IBAN, Field.BIC, Field.PURCHASE_ORDER):
        return re.sub(r"[\s.\-/]", "", value).upper()[-9:] in re.sub(r"[\s.\-/]", "", text).upper()
    return _compact(value)[:40] in _compact(text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--cache", type=Path, default=None, help="replay detections kept by evaluate --cache")
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args(argv)
    from invoice_app.processing.evaluate import DetectionCache
    from invoice_app.processing.extraction.fields import extract_document, extract_fields
    from invoice_app.processing.limits import Limits
    from invoice_app.processing.pipeline import DocumentProcessor

    processor = DocumentProcessor("auto", limits=Limits(time_budget_s=600))
    cache = DetectionCache(args.cache, f"{processor.engine_name}-asis") if args.cache else None
    tp, fp, fn = Counter(), Counter(), Counter()
    lines_true = lines_found = lines_returned = lines_right = docs = flagged = 0
    core_ms: list[float] = []
    all_ms: list[float] = []
    for pdf_path in sorted(args.directory.glob("*.pdf")):
        data = pdf_path.read_bytes()
        xml = embedded_xml(data)
        if xml is None:
            continue
        truth, xml_lines = xml_truth(xml)
        detection = cache.load(data) if cache else None
        if detection is None:
            detection = processor.detect(
                Document(data=data, media_type="application/pdf", filename=pdf_path.name)
            )
            if cache:
                cache.save(data, detection)
        docs += 1
        started = time.perf_counter()
        extract_fields(detection)
        core_ms.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        fields, items, flags, _ = extract_document(detection)
        all_ms.append((time.perf_counter() - started) * 1000)
        flagged += any(f.code == "line-items-mismatch" for f in flags)
        for field in FIELDS:
            want = truth.get(field)
            want = want if want and visible(field, want, detection.text) else None
            got = fields.get(field)
            got_value = str(got.value) if got else None
            if want and got_value and matches(field, got_value, want):
                tp[field] += 1
                continue
            if got_value:
                fp[field] += 1
            if want:
                fn[field] += 1
            if args.show_misses and (want or got_value):
                print(f"  {pdf_path.name[:50]:50} {field:14} want={want!r} got={got_value!r}")
        remaining = Counter(round(a, 2) for a in xml_lines)
        lines_true += len(xml_lines)
        # Precision only where the XML lists lines (BASIC WL / MINIMUM profiles carry none).
        lines_returned += len(items) if xml_lines else 0
        for item in items:
            if item.amount is not None and remaining[round(item.amount, 2)] > 0:
                remaining[round(item.amount, 2)] -= 1
                lines_right += 1
        lines_found += len(xml_lines) - sum(remaining.values())

    print(
        f"## {args.directory}: {docs} e-invoices, text reader vs. embedded XML (values printed on the page)\n"
    )
    print("| field | P | R | F1 | TP | FP | FN |\n|---|---|---|---|---|---|---|")
    for field in FIELDS:
        p = tp[field] / (tp[field] + fp[field]) if tp[field] + fp[field] else 0.0
        r = tp[field] / (tp[field] + fn[field]) if tp[field] + fn[field] else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        print(f"| {field} | {p:.3f} | {r:.3f} | {f1:.3f} | {tp[field]} | {fp[field]} | {fn[field]} |")
    recall = lines_found / lines_true if lines_true else 0.0
    precision = lines_right / lines_returned if lines_returned else 0.0
    print(
        f"\nline items: recall {recall:.3f} ({lines_found}/{lines_true} XML lines found by amount), "
        f"precision {precision:.3f} ({lines_right}/{lines_returned} rows returned on documents whose XML "
        "lists lines match one); "
        f"line-items-mismatch flagged on {flagged} documents"
    )
    if docs:
        core, full = statistics.median(core_ms), statistics.median(all_ms)
        print(
            f"extraction time per document (median, this machine as loaded): extract_fields {core:.1f} ms, "
            f"extract_document {full:.1f} ms (×{full / core:.2f})"
        )
    return 0 if docs else 1


if __name__ == "__main__":
    sys.exit(main())

"""Measure the pipeline against ground truth: `python -m invoice_app.processing.evaluate DIR`.

DIR is laid out like `shared/data/invoices/`: every document (PDF, PNG, JPEG, TIFF, WebP) next to a
ground-truth JSON of the same base name; an optional `manifest.json` (in DIR or its parent) lists per
file the `labelledFields` that are scored (the others are unknown, not absent) or the
`unlabelledFields` that are not. Prints per-field precision/recall/F1, the exact-match rate and
the time per page per engine; writes one result JSON per document to `--out` (never into DIR).

Scoring, per field and document (fields in `unlabelledFields` are skipped):
  correct prediction → TP; wrong prediction → FP and FN; prediction without truth → FP;
  truth without prediction → FN. Precision = TP/(TP+FP), recall = TP/(TP+FN).
Matching: dates and currency codes exactly; amounts within half a cent, sign ignored (as the data
README's rule: credit notes print negative amounts that some XML sources store as positive);
invoice numbers ignoring case and whitespace; vendor names ignoring case, spacing, punctuation and
a trailing legal form ("Au bon moulin" = "Au bon moulin SARL").
`--as-images` renders every PDF page to an image first, so the same documents measure the OCR path.
`--no-embedded-xml` ignores the e-invoice XML a PDF embeds, so Factur-X/ZUGFeRD PDFs measure the
text reader instead of the (exact) XML reader.
`--cache DIR` keeps each document's detection (what the engine saw) keyed by content, engine and
rendering, so a second run re-measures the extractor in seconds instead of re-running OCR.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import re
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import second_reading
from .limits import Limits
from .pipeline import DocumentProcessor
from .sniff import TIFF, XML, sniff_media_type
from .types import CORE_FIELDS, Detection, Document, ExtractedField, Field, ProcessedDocument, TextSegment

DOCUMENT_SUFFIXES = {".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".webp", ".xml"}
_LEGAL_TAIL = re.compile(
    r"(?:gmbh(?:&co\.?(?:kg)?)?|ag|kg|sarl|sas|sa|co(?:ltd|limited)|ltd|limited|llc|inc|corp|co|plc|bv|nv|ag|eurl|ev|eg)$"
)


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    fields: dict[str, Tally] = field(default_factory=lambda: {name: Tally() for name in CORE_FIELDS})
    documents: int = 0
    exact: int = 0
    failed: int = 0
    pages: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    seconds: dict[str, float] = field(default_factory=lambda: defaultdict(float))

    @property
    def overall(self) -> Tally:
        return Tally(
            sum(t.tp for t in self.fields.values()),
            sum(t.fp for t in self.fields.values()),
            sum(t.fn for t in self.fields.values()),
        )


def _vendor_key(value: str) -> str:
    key = re.sub(r"[\W_]+", "", value.casefold())
    return _LEGAL_TAIL.sub("", key) or key


def values_match(name: str, predicted: Any, truth: Any) -> bool:
    if predicted is None or truth is None:
        return False
    if name in ("subtotal", "tax", "total"):
        try:
            return abs(abs(float(predicted)) - abs(float(truth))) <= 0.005
        except (TypeError, ValueError):
            return False
    if name == "invoiceNumber":
        return re.sub(r"\s+", "", str(predicted)).casefold() == re.sub(r"\s+", "", str(truth)).casefold()
    if name == "vendorName":
        return _vendor_key(str(predicted)) == _vendor_key(str(truth))
    return str(predicted) == str(truth)


def score(predicted: dict[str, Any], truth: dict[str, Any], skip: set[str]) -> dict[str, str]:
    """Outcome per field: 'tp', 'fp' (predicted without truth), 'wrong' (fp+fn), 'fn' or 'tn'."""
    out = {}
    for name in CORE_FIELDS:
        if name in skip:
            continue
        p, t = predicted.get(name), truth.get(name)
        if p is not None and t is not None:
            out[name] = "tp" if values_match(name, p, t) else "wrong"
        elif p is not None:
            out[name] = "fp"
        elif t is not None:
            out[name] = "fn"
        else:
            out[name] = "tn"
    return out


def discover(root: Path) -> list[tuple[Path, Path]]:
    """(document, ground truth) pairs under root."""
    pairs = []
    for path in sorted(root.rglob("*")):
        if path.suffix.lower() in DOCUMENT_SUFFIXES and (truth := path.with_suffix(".json")).exists():
            pairs.append((path, truth))
    return pairs


def _unlabelled(root: Path) -> dict[str, set[str]]:
    """Per resolved document path, the fields not to score (from `labelledFields` or `unlabelledFields`)."""
    for candidate in (root / "manifest.json", root.parent / "manifest.json"):
        if candidate.exists():
            base = candidate.parent
            entries = json.loads(candidate.read_text(encoding="utf-8"))
            skip: dict[str, set[str]] = {}
            for e in entries:
                if not isinstance(e, dict) or "file" not in e:
                    continue
                if isinstance(e.get("labelledFields"), list):
                    unscored = set(CORE_FIELDS) - set(e["labelledFields"])
                else:
                    unscored = set(e.get("unlabelledFields") or [])
                skip[str((base / e["file"]).resolve())] = unscored
            return skip
    return {}


class DetectionCache:
    """Detections on disk, keyed by the document's bytes, the engine and how it was rendered."""

    def __init__(self, directory: Path, variant: str) -> None:
        self.directory = directory
        self.variant = variant
        directory.mkdir(parents=True, exist_ok=True)

    def _path(self, data: bytes) -> Path:
        key = hashlib.sha256(data).hexdigest()[:32]
        return self.directory / f"{key}-{self.variant}.json"

    def load(self, data: bytes) -> Detection | None:
        path = self._path(data)
        if not path.exists():
            return None
        raw = json.loads(path.read_text(encoding="utf-8"))
        return Detection(
            text=raw["text"],
            segments=[
                TextSegment(s["text"], s["confidence"], s["page"], tuple(s["box"]) if s.get("box") else None)
                for s in raw["segments"]
            ],
            pages=raw["pages"],
            engine=raw["engine"],
            fields={Field(k): ExtractedField(v["value"], v["confidence"]) for k, v in raw["fields"].items()},
            ocr_pages=raw["ocrPages"],
            timings=raw["timings"],
        )

    def save(self, data: bytes, detection: Detection) -> None:
        raw = {
            "text": detection.text,
            "segments": [s.to_json() for s in detection.segments],
            "pages": detection.pages,
            "engine": detection.engine,
            "fields": {str(k): v.to_json() for k, v in detection.fields.items()},
            "ocrPages": detection.ocr_pages,
            "timings": detection.timings,
        }
        self._path(data).write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")


def _process(
    processor: DocumentProcessor, document: Document, cache: DetectionCache | None
) -> ProcessedDocument:
    if cache is None or document.media_type == XML:
        return processor.process(document)
    detection = cache.load(document.data)
    if detection is None:
        detection = processor.detect(document)
        cache.save(document.data, detection)
    # The document too: a PDF's embedded XML is read again (milliseconds), it is not cached.
    processed = processor.finish(detection, document)
    if not processor.second_reading_wanted(document):
        return processor.with_accents(processed, document)
    # The second engine's reading, cached beside the first under its engine's name.
    variant = cache.variant.replace(processor.engine_name, processor.second_engine, 1)
    second_cache = DetectionCache(cache.directory, variant)
    second = second_cache.load(document.data)
    if second is None:
        second = processor.detect_with(processor.second_engine, document)
        if second is None:
            return processor.with_accents(processed, document)  # a PDF that is not one scanned page
        second_cache.save(document.data, second)
    # As the server's `process` does: the vote, then the names' accents (OCR, not cached).
    return processor.with_accents(
        second_reading.vote(processed, processor.finish(second, document)), document
    )


def pdf_as_image(data: bytes, dpi: int) -> bytes:
    """Every page of a PDF rendered into one multi-page TIFF: the document as a scanner would give it."""
    import pypdfium2 as pdfium

    from .engines.pdf_text import PDFIUM_LOCK

    with PDFIUM_LOCK:
        pdf = pdfium.PdfDocument(data)
        try:
            images = [pdf[i].render(scale=dpi / 72, grayscale=True).to_pil().copy() for i in range(len(pdf))]
        finally:
            pdf.close()
    buffer = io.BytesIO()
    images[0].save(buffer, format="TIFF", save_all=True, append_images=images[1:], compression="tiff_lzw")
    return buffer.getvalue()


def evaluate(
    root: Path,
    processor: DocumentProcessor,
    out_dir: Path,
    *,
    as_images: bool = False,
    dpi: int = 200,
    cache: DetectionCache | None = None,
) -> Report:
    report = Report()
    unlabelled = _unlabelled(root)
    for doc_path, truth_path in discover(root):
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        data = doc_path.read_bytes()
        media_type = sniff_media_type(data[:2048]) or ""
        if as_images and doc_path.suffix.lower() == ".pdf":
            data, media_type = pdf_as_image(data, dpi), TIFF
        relative = doc_path.relative_to(root)
        result: dict[str, Any] = {"file": str(relative), "groundTruth": truth}
        started = time.perf_counter()
        try:
            processed = _process(
                processor, Document(data=data, media_type=media_type, filename=doc_path.name), cache
            )
        except Exception as exc:  # noqa: BLE001 - a failed document is a result to report, not a crash
            report.failed += 1
            result.update(error=f"{type(exc).__name__}: {exc}")
            predicted: dict[str, Any] = {}
        else:
            detection = processed.detection
            predicted = {name: f.value for name, f in processed.fields.items()}
            result.update(
                engine=detection.engine,
                pages=detection.pages,
                ocrPages=detection.ocr_pages,
                seconds=round(time.perf_counter() - started, 4),
                timings={k: round(v, 4) for k, v in detection.timings.items()},
                accuracy=processed.accuracy,
                fields=processed.fields_json(),
                lineItems=[item.to_json() for item in processed.line_items],
                flags=[flag.to_json() for flag in processed.flags],
            )
            for engine, seconds in detection.timings.items():
                if engine == "e-invoice":  # reading the XML: per document, whatever its pages
                    report.pages[engine] += 1
                elif engine == "pdf-text":
                    report.pages[engine] += detection.pages - detection.ocr_pages
                else:
                    report.pages[engine] += detection.ocr_pages
                report.seconds[engine] += seconds
        outcome = score(predicted, truth, unlabelled.get(str(doc_path.resolve()), set()))
        result["outcome"] = outcome
        report.documents += 1
        if all(o in ("tp", "tn") for o in outcome.values()):
            report.exact += 1
        for name, o in outcome.items():
            tally = report.fields[name]
            tally.tp += o == "tp"
            tally.fp += o in ("fp", "wrong")
            tally.fn += o in ("fn", "wrong")
        target = out_dir / relative.with_suffix(relative.suffix + ".result.json")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    return report


def format_report(report: Report, title: str) -> str:
    lines = [f"## {title}", "", "| field | P | R | F1 | TP | FP | FN |", "|---|---|---|---|---|---|---|"]
    rows = [*report.fields.items(), ("all fields", report.overall)]
    for name, t in rows:
        lines.append(
            f"| {name} | {t.precision:.3f} | {t.recall:.3f} | {t.f1:.3f} | {t.tp} | {t.fp} | {t.fn} |"
        )
    rate = report.exact / report.documents if report.documents else 0.0
    lines += [
        "",
        f"documents: {report.documents}, exact match (every scored field right): {rate:.1%}, "
        f"failed: {report.failed}",
    ]
    for engine in sorted(report.pages):
        pages = report.pages[engine]
        if pages:
            per_page = report.seconds[engine] / pages * 1000
            unit = "document" if engine == "e-invoice" else "page"
            lines.append(f"time per {unit}, {engine}: {per_page:.1f} ms ({pages} {unit}s)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument(
        "--engine", default="auto", help="OCR engine: auto, tesseract, rapidocr (default auto)"
    )
    parser.add_argument(
        "--languages",
        default=os.environ.get("TESSERACT_LANGUAGES", "all"),
        help="Tesseract's languages: all, auto or e.g. eng+deu (default: TESSERACT_LANGUAGES, else all)",
    )
    parser.add_argument(
        "--second-engine",
        default=os.environ.get("OCR_SECOND_ENGINE", "rapidocr"),
        choices=second_reading.ENGINES,
        help="also reads a single-page image, voted per field (default: OCR_SECOND_ENGINE, else rapidocr)",
    )
    parser.add_argument("--as-images", action="store_true", help="render PDF pages and OCR them")
    parser.add_argument("--dpi", type=int, default=200, help="resolution of --as-images renders")
    parser.add_argument("--out", type=Path, default=None, help="where result JSONs go (default: a temp dir)")
    parser.add_argument("--cache", type=Path, default=None, help="keep detections here and replay them")
    parser.add_argument(
        "--no-embedded-xml",
        action="store_true",
        help="ignore a PDF's embedded e-invoice XML: measure the text reader on Factur-X/ZUGFeRD PDFs",
    )
    args = parser.parse_args(argv)

    out_dir = args.out or Path(tempfile.mkdtemp(prefix="invoice-eval-"))
    # Generous budget: the evaluation measures extraction, the upload limit is a serving concern.
    processor = DocumentProcessor(
        args.engine,
        limits=Limits(time_budget_s=600),
        embedded_xml=not args.no_embedded_xml,
        tesseract_languages=args.languages,
        second_engine=args.second_engine,
    )
    mode = "rendered pages (OCR)" if args.as_images else "as uploaded"
    if args.no_embedded_xml:
        mode += ", embedded XML ignored"
    variant = f"{processor.engine_name}-{'img' + str(args.dpi) if args.as_images else 'asis'}"
    cache = DetectionCache(args.cache, variant) if args.cache else None
    report = evaluate(args.directory, processor, out_dir, as_images=args.as_images, dpi=args.dpi, cache=cache)
    # The command's output is its report: stdout, not the log.
    sys.stdout.write(format_report(report, f"{args.directory} — {mode}, OCR engine {processor.engine_name}"))
    sys.stdout.write(f"\n\nresults: {out_dir}\n")
    return 0 if report.documents else 1


if __name__ == "__main__":
    sys.exit(main())

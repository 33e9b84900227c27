"""One interface for the upload route: bytes of a checked type in, text + fields + accuracy out."""

from __future__ import annotations

import logging

from ..errors import UnprocessableDocument
from . import sniff
from .accuracy import accuracy_score
from .extract import extract_fields
from .pdf_text import read_text_layer
from .types import Detection, Document, ProcessedDocument

log = logging.getLogger(__name__)


class DocumentProcessor:
    """Detects text with the engine chosen by OCR_ENGINE and extracts the invoice fields."""

    def __init__(self, ocr_engine: str = "auto") -> None:
        self.ocr_engine = ocr_engine

    def detect(self, document: Document) -> Detection:
        if document.media_type == sniff.PDF:
            detection = read_text_layer(document)
            if detection.text.strip():
                return detection
            raise UnprocessableDocument("the PDF has no text layer and no OCR engine is available")
        raise UnprocessableDocument(f"no OCR engine is available for {document.media_type} files")

    def process(self, document: Document) -> ProcessedDocument:
        detection = self.detect(document)
        fields = extract_fields(detection)
        return ProcessedDocument(
            detection=detection, fields=fields, accuracy=accuracy_score(detection, fields)
        )

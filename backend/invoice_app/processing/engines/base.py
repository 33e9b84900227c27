"""The one interface every OCR engine implements, and the layout step they share."""

from __future__ import annotations

from dataclasses import dataclass, field
from statistics import median
from typing import TYPE_CHECKING, Protocol

from ..types import ExtractedField, Field, TextSegment

if TYPE_CHECKING:
    from ..images import PageImage
    from ..limits import Deadline


@dataclass
class PageResult:
    """What an engine read on one page."""

    text: str
    segments: list[TextSegment]
    # Fields the engine extracted itself (Textract AnalyzeExpense), values as raw strings.
    fields: dict[Field, ExtractedField] = field(default_factory=dict)


class OcrEngine(Protocol):
    """Reads one page image. Implementations are safe to share between threads."""

    name: str

    def recognize(self, page: PageImage, deadline: Deadline, *, want_fields: bool = False) -> PageResult:
        """Text and positioned segments of one page; `want_fields` asks for engine-side fields."""
        ...


@dataclass
class Piece:
    """A recognised run of text with its box in pixels."""

    text: str
    confidence: float
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def height(self) -> float:
        return max(1.0, self.y1 - self.y0)


def layout_rows(pieces: list[Piece]) -> list[list[Piece]]:
    """Group pieces into visual rows (top to bottom), each sorted left to right.

    Engines report text per column block; a label and its value ("Invoice date  11/02/2019") are
    often in different blocks but on the same row, and the extractor reads row by row.
    """
    rows: list[list[Piece]] = []
    for piece in sorted(pieces, key=lambda p: ((p.y0 + p.y1) / 2, p.x0)):
        center = (piece.y0 + piece.y1) / 2
        if rows:
            row = rows[-1]
            top = median(p.y0 for p in row)
            bottom = median(p.y1 for p in row)
            # Same row when the centre falls inside the row's band (half a line of slack for skew).
            if top - 0.25 * (bottom - top) <= center <= bottom + 0.25 * (bottom - top):
                row.append(piece)
                continue
        rows.append([piece])
    return [sorted(row, key=lambda p: p.x0) for row in rows]


def row_text(row: list[Piece]) -> str:
    """A row's text: a tab where a wide gap separates two columns, a space otherwise."""
    parts: list[str] = []
    previous: Piece | None = None
    height = median(p.height for p in row)
    for piece in row:
        if previous is not None:
            gap = piece.x0 - previous.x1
            parts.append("\t" if gap > 1.5 * height else " ")
        parts.append(piece.text)
        previous = piece
    return "".join(parts)


def page_result(pieces: list[Piece], page_no: int, width: float, height: float) -> PageResult:
    """Rows of text plus one segment per piece, boxes as fractions of the page."""
    rows = layout_rows([p for p in pieces if p.text.strip()])
    segments = [
        TextSegment(
            text=p.text,
            confidence=min(1.0, max(0.0, p.confidence)),
            page=page_no,
            box=(p.x0 / width, p.y0 / height, p.x1 / width, p.y1 / height),
        )
        for row in rows
        for p in row
    ]
    return PageResult(text="\n".join(row_text(row) for row in rows), segments=segments)

"""The sample invoices under tests/fixtures/invoices/ and the saved AWS responses beside them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
FIXTURES_DIR = ROOT / "tests" / "fixtures" / "invoices"


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES_DIR / name).read_bytes()


def fixture_json(name: str) -> dict[str, Any]:
    """A saved JSON document of the fixtures folder (ground truth, a Textract response)."""
    return json.loads((FIXTURES_DIR / name).read_text(encoding="utf-8"))


def large_pdf(min_bytes: int, name: str = "sample-invoice.pdf") -> bytes:
    """A real invoice PDF grown past `min_bytes` with comment lines after its `%%EOF`.

    Readers (pdfium too) ignore what follows the last `%%EOF`, as they must for the trailing junk
    that scanners and mail gateways leave; the text and fields stay those of the fixture.
    """
    data = fixture_bytes(name)
    assert data.rstrip().endswith(b"%%EOF")
    line = b"%" + b"padding " * 9 + b"\n"
    return data + line * (max(0, min_bytes - len(data)) // len(line) + 1)

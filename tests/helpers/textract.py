"""A stand-in for the boto3 Textract client that answers with saved real responses."""

from __future__ import annotations

from typing import Any


class StubTextract:
    """Returns saved real responses and records the calls."""

    def __init__(self, expense: dict[str, Any] | None = None, text: dict[str, Any] | None = None) -> None:
        self.expense, self.text = expense, text
        self.calls: list[str] = []

    def analyze_expense(self, Document: dict[str, bytes]) -> dict[str, Any]:
        assert Document["Bytes"]
        self.calls.append("analyze_expense")
        assert self.expense is not None
        return self.expense

    def detect_document_text(self, Document: dict[str, bytes]) -> dict[str, Any]:
        assert Document["Bytes"]
        self.calls.append("detect_document_text")
        assert self.text is not None
        return self.text

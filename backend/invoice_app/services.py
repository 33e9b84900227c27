"""Everything a request needs, built once per process by the app factory."""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from .aws import AwsClients
from .config import Settings, management_endpoint_from_ws
from .realtime.broadcaster import Broadcaster
from .realtime.connections import ConnectionRegistry
from .storage.invoices import InvoiceRepository
from .storage.metrics import MetricsStore
from .storage.uploads import UploadStore

if TYPE_CHECKING:
    from .processing.pipeline import DocumentProcessor

EXTENSION_KEY = "invoice_app"


class FailureCounter:
    """Failures that were logged but did not fail the request (shown by /api/health)."""

    def __init__(self) -> None:
        self._counts: Counter[str] = Counter()
        self._lock = threading.Lock()

    def add(self, kind: str) -> None:
        with self._lock:
            self._counts[kind] += 1

    def snapshot(self) -> dict[str, int]:
        with self._lock:
            return dict(self._counts)


@dataclass
class Services:
    settings: Settings
    aws: AwsClients
    failures: FailureCounter = field(default_factory=FailureCounter)

    # Built on first use, so a cold start creates no boto3 client it does not need.
    @cached_property
    def invoices(self) -> InvoiceRepository:
        return InvoiceRepository(self.aws.dynamodb, self.settings.invoices_table)

    @cached_property
    def uploads(self) -> UploadStore:
        return UploadStore(self.aws.s3, self.settings.uploads_bucket)

    @cached_property
    def metrics(self) -> MetricsStore:
        return MetricsStore(
            self.aws.dynamodb,
            self.settings.metrics_table,
            retention_seconds=self.settings.metrics_retention_seconds,
        )

    @cached_property
    def connections(self) -> ConnectionRegistry:
        return ConnectionRegistry(
            self.aws.dynamodb,
            self.settings.connections_table,
            ttl_seconds=self.settings.connection_ttl_seconds,
        )

    @cached_property
    def broadcaster(self) -> Broadcaster:
        return Broadcaster(self.connections, self.aws, workers=self.settings.broadcast_workers)

    @cached_property
    def processor(self) -> DocumentProcessor:
        # The processing stack (regexes, engines) loads on the first upload, not at cold start, and
        # Textract's client is only built if a document needs it (never for text-layer PDFs).
        from .processing.pipeline import DocumentProcessor

        return DocumentProcessor(self.settings.ocr_engine, textract_client=lambda: self.aws.textract)

    def management_endpoint(self, request_context: dict[str, Any] | None = None) -> str | None:
        """WS_ENDPOINT's https twin, else the stage URL of the WebSocket event being handled."""
        if self.settings.management_endpoint:
            return self.settings.management_endpoint
        ctx = request_context or {}
        domain, stage = ctx.get("domainName"), ctx.get("stage")
        if not domain:
            return None
        host = domain.split(":")[0]
        scheme = "ws" if host in ("localhost", "127.0.0.1", "::1") else "wss"
        return management_endpoint_from_ws(
            f"{scheme}://{domain}/{stage}" if stage else f"{scheme}://{domain}"
        )

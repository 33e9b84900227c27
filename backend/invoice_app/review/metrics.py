"""What a review tells the dashboard: the backlog, and the measured accuracy of approvals.

Recorded after the correction is saved, like an upload's metrics: a failure is logged and
counted (`/api/health` → failures), never undoes the correction.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from ..core.errors import StorageUnavailable
from ..invoices.model import Invoice
from .validation import APPROVED, NEEDS_REVIEW

if TYPE_CHECKING:
    from ..services import Services

log = logging.getLogger(__name__)


def backlog_delta(before: str, after: str) -> int:
    """+1 when an invoice starts waiting for a review, -1 when it stops (legacy `processed` waits)."""
    waiting = (NEEDS_REVIEW, "processed")
    return int(after in waiting) - int(before in waiting)


def record_review_metrics(services: Services, before: Invoice, after: Invoice, at_ms: int) -> None:
    try:
        delta = backlog_delta(before.status, after.status)
        if delta:
            services.metrics.adjust_backlog(delta)
        if after.status == APPROVED and before.status != APPROVED and after.measured_accuracy is not None:
            services.metrics.record_review(after.invoice_id, after.version, after.measured_accuracy, at_ms)
    except StorageUnavailable as exc:
        log.error("review metrics of %s were not recorded: %s", after.invoice_id, exc)
        services.failures.add("metrics")

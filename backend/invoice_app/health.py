"""GET /api/health: public, reveals no data — which dependencies answer, and absorbed failures.

Each table and the bucket is checked with its store's cheap ping (`DescribeTable`, `HeadBucket`) on
the "quick" clients (`AwsClients.quick`: one attempt, 1 s to connect, 2 s to answer), so when DynamoDB
or S3 is down the answer comes at once and says which: `unreachable` for each check that failed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue

from .auth.http import public
from .core.errors import StorageUnavailable
from .core.http import services

log = logging.getLogger(__name__)
bp = Blueprint("health", __name__, url_prefix="/api")


@bp.get("/health")
@public
def health() -> ResponseReturnValue:
    # Imported here: the stores' modules are not needed to build the app (cold start).
    from .invoices.repository import InvoiceRepository
    from .metrics.store import MetricsStore
    from .realtime.registry import ConnectionRegistry
    from .review.history import ReviewStore
    from .uploads.store import UploadStore

    svc = services()
    settings = svc.settings
    # The stores' own pings, on clients that give up at once (a down dependency answers fast).
    dynamodb, s3 = svc.aws.quick("dynamodb"), svc.aws.quick("s3")
    invoices = InvoiceRepository(dynamodb, settings.invoices_table)
    checks: dict[str, Callable[[], None]] = {
        "invoicesTable": invoices.ping,
        "historyTable": ReviewStore(dynamodb, settings.history_table, invoices).ping,
        "metricsTable": MetricsStore(dynamodb, settings.metrics_table).ping,
        "connectionsTable": ConnectionRegistry(dynamodb, settings.connections_table).ping,
        "uploadsBucket": UploadStore(s3, settings.uploads_bucket).ping,
    }
    results: dict[str, str] = {}
    for name, check in checks.items():
        try:
            check()
            results[name] = "ok"
        except StorageUnavailable as exc:
            log.warning("health check %s failed: %s", name, exc)
            results[name] = "unreachable"
    healthy = all(v == "ok" for v in results.values())
    body = {
        "status": "ok" if healthy else "degraded",
        "checks": results,
        "failures": svc.failures.snapshot(),
        "broadcastMode": settings.broadcast_mode,
        "ocrEngine": settings.ocr_engine,
        "authMode": settings.auth_mode,
    }
    return jsonify(body), 200 if healthy else 503

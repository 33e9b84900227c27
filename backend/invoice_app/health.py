"""GET /api/health: public, reveals no data — which dependencies answer, and absorbed failures."""

from __future__ import annotations

import logging

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
    svc = services()
    checks = {
        "invoicesTable": svc.invoices.ping,
        "metricsTable": svc.metrics.ping,
        "connectionsTable": svc.connections.ping,
        "uploadsBucket": svc.uploads.ping,
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
        "broadcastMode": svc.settings.broadcast_mode,
        "ocrEngine": svc.settings.ocr_engine,
        "authMode": svc.settings.auth_mode,
    }
    return jsonify(body), 200 if healthy else 503

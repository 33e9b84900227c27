"""Metrics blueprint: GET /api/metrics (the live snapshot) and GET /api/health."""

from __future__ import annotations

import logging

from botocore.exceptions import BotoCoreError, ClientError
from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue

from ..errors import StorageUnavailable
from .context import services

log = logging.getLogger(__name__)
bp = Blueprint("metrics", __name__, url_prefix="/api")


@bp.get("/metrics")
def metrics() -> ResponseReturnValue:
    try:
        return jsonify(services().metrics.snapshot())
    except (ClientError, BotoCoreError) as exc:
        log.error("metrics snapshot failed: %s", exc)
        raise StorageUnavailable("metrics are unavailable right now") from exc


@bp.get("/health")
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
        except (ClientError, BotoCoreError) as exc:
            log.warning("health check %s failed: %s", name, exc)
            results[name] = "unreachable"
    healthy = all(v == "ok" for v in results.values())
    body = {
        "status": "ok" if healthy else "degraded",
        "checks": results,
        "failures": svc.failures.snapshot(),
        "broadcastMode": svc.settings.broadcast_mode,
        "ocrEngine": svc.settings.ocr_engine,
    }
    return jsonify(body), 200 if healthy else 503

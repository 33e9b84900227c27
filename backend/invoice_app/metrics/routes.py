"""GET /api/metrics: the live snapshot (the same object a `metrics-update` carries)."""

from __future__ import annotations

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue

from ..core.http import services

bp = Blueprint("metrics", __name__, url_prefix="/api")


@bp.get("/metrics")
def metrics() -> ResponseReturnValue:
    return jsonify(services().metrics.snapshot())

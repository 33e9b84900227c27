"""GET /api/me: who the token says you are, and your roles."""

from __future__ import annotations

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue

from .http import current_identity

bp = Blueprint("auth", __name__, url_prefix="/api")


@bp.get("/me")
def me() -> ResponseReturnValue:
    return jsonify(current_identity().to_api())

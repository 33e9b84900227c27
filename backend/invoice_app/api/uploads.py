"""Large uploads through S3: POST /api/uploads (a presigned POST) and POST /api/uploads/<id>/process."""

from __future__ import annotations

from flask import Blueprint, jsonify, request
from flask.typing import ResponseReturnValue

from ..large_uploads import create_upload, process_upload
from .context import services

bp = Blueprint("uploads", __name__, url_prefix="/api/uploads")


@bp.post("")
def create() -> ResponseReturnValue:
    return jsonify(create_upload(services(), request.get_json(silent=True)))


# `path`: an id with a "/" in it still reaches the handler, which refuses it with a 400.
@bp.post("/<path:upload_id>/process")
def process(upload_id: str) -> ResponseReturnValue:
    return jsonify(process_upload(services(), upload_id))

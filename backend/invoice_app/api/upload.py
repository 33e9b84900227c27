"""Upload blueprint: POST /receive (the original route) and POST /api/invoices."""

from __future__ import annotations

from flask import Blueprint, jsonify, request
from flask.typing import ResponseReturnValue

from ..errors import BadRequest
from ..ingest import ingest
from .context import services

bp = Blueprint("upload", __name__)


@bp.post("/receive")
@bp.post("/api/invoices")
def receive() -> ResponseReturnValue:
    upload = request.files.get("file")
    if upload is None:
        if request.files:
            raise BadRequest("the file must be sent in the multipart field named 'file'")
        raise BadRequest("send the invoice as multipart/form-data with a 'file' field")
    data = upload.read()
    return jsonify(ingest(services(), data, upload.filename or "upload"))

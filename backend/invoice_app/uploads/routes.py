"""Upload routes, both paths into the same pipeline (`pipeline.ingest`):

- direct: `POST /receive` (the original route) and `POST /api/invoices`, multipart field `file`,
  up to MAX_UPLOAD_BYTES (Lambda's payload limit);
- through S3: `POST /api/uploads` (a presigned POST) then `POST /api/uploads/<id>/process`,
  up to MAX_S3_UPLOAD_BYTES.

Uploading needs the reviewer role; the invoice records who uploaded it. Both uploads take an
`Idempotency-Key` (`idempotency/http.py`): a retry with the same key gets the first answer.
All three count against the caller's UPLOAD_RATE_PER_MINUTE (`ratelimit/`) before anything else.
"""

from __future__ import annotations

from flask import Blueprint, jsonify, request
from flask.typing import ResponseReturnValue

from ..auth.http import current_identity, requires
from ..auth.roles import Role
from ..core.errors import BadRequest
from ..core.http import services
from ..core.safe_json import request_json
from ..idempotency.http import idempotent
from ..ratelimit.http import rate_limited
from .pipeline import ingest
from .presigned import create_upload, process_upload

bp = Blueprint("uploads", __name__)


@bp.post("/receive")
@bp.post("/api/invoices")
@requires(Role.REVIEWER)
@rate_limited("upload")
@idempotent
def receive() -> ResponseReturnValue:
    upload = request.files.get("file")
    if upload is None:
        if request.files:
            raise BadRequest("the file must be sent in the multipart field named 'file'")
        raise BadRequest("send the invoice as multipart/form-data with a 'file' field")
    data = upload.read()
    # `ingest` cleans the name (uploads/filenames.py): control characters, paths, length.
    return jsonify(ingest(services(), data, upload.filename or "upload", by=current_identity()))


@bp.post("/api/uploads")
@requires(Role.REVIEWER)
@rate_limited("upload")
def create() -> ResponseReturnValue:
    return jsonify(create_upload(services(), request_json(request)))


# `path`: an id with a "/" in it still reaches the handler, which refuses it with a 400.
@bp.post("/api/uploads/<path:upload_id>/process")
@requires(Role.REVIEWER)
@rate_limited("upload")
@idempotent
def process(upload_id: str) -> ResponseReturnValue:
    return jsonify(process_upload(services(), upload_id, by=current_identity()))

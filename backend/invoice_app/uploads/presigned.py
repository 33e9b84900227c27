"""Uploads larger than Lambda's payload limit: the browser posts the file to S3, then asks for it.

1. `create_upload`: a presigned POST for `incoming/<uploadId>` (size bounded by the POST policy).
2. The browser posts the file straight to the uploads bucket; it never passes through Lambda.
3. `process_upload`: the function reads the object and runs the same `ingest` as a direct upload;
   the original is copied (server side) to the invoice's key.

An upload id is single use: once processed, successfully or not, its object is deleted, so a
retry starts again with a new upload. An object nobody processes (the tab was closed after the
POST) or that could not be deleted is removed by the bucket's 1-day lifecycle rule on `incoming/`.
"""

from __future__ import annotations

import re
import uuid
from typing import TYPE_CHECKING, Any

from ..core import filenames
from ..core.errors import BadRequest, PayloadTooLarge
from .pipeline import ingest
from .store import incoming_key

if TYPE_CHECKING:
    from ..auth.identity import Identity
    from ..services import Services

# Long enough for a slow connection to start a 20 MB POST, short enough to be useless if leaked.
# The browser asks for the URL just before it starts sending.
PRESIGNED_POST_EXPIRY_SECONDS = 600
# The id becomes part of an S3 key: 32 lowercase hex digits (a UUID4), nothing else.
_UPLOAD_ID = re.compile(r"[0-9a-f]{32}")
MAX_FILENAME_CHARS = filenames.MAX_CHARS


def new_upload_id() -> str:
    return uuid.uuid4().hex


def check_upload_id(upload_id: str) -> str:
    if not _UPLOAD_ID.fullmatch(upload_id):
        raise BadRequest("the upload id is not one this API issued")
    return upload_id


def create_upload(services: Services, body: Any) -> dict[str, Any]:
    """POST /api/uploads: `{"fileName", "size"}` (parsed JSON) → where and how to post the file."""
    if not isinstance(body, dict):
        raise BadRequest('send a JSON object: {"fileName": "<name>", "size": <bytes>}')
    filename = body.get("fileName")
    if not isinstance(filename, str) or not filename.strip():
        raise BadRequest("fileName must be the file's name")
    if len(filename) > MAX_FILENAME_CHARS:
        raise BadRequest(f"fileName is longer than {MAX_FILENAME_CHARS} characters")
    filename = filenames.clean(filename, default="")
    if not filename:
        raise BadRequest("fileName must be the file's name")
    size = body.get("size")
    if isinstance(size, bool) or not isinstance(size, int):
        raise BadRequest("size must be the file's size in bytes (a whole number)")
    if size <= 0:
        raise BadRequest("the file is empty")
    max_bytes = services.settings.max_s3_upload_bytes
    if size > max_bytes:
        raise PayloadTooLarge.for_size(size, max_bytes)

    upload_id = new_upload_id()
    post = services.uploads.presign_incoming(
        incoming_key(upload_id), filename, max_bytes, PRESIGNED_POST_EXPIRY_SECONDS
    )
    return {
        "uploadId": upload_id,
        "url": post["url"],
        "fields": post["fields"],
        "expiresIn": PRESIGNED_POST_EXPIRY_SECONDS,
        "maxBytes": max_bytes,
    }


def process_upload(services: Services, upload_id: str, *, by: Identity | None = None) -> dict[str, Any]:
    """POST /api/uploads/<id>/process: process the posted file; the same answer as POST /receive."""
    key = incoming_key(check_upload_id(upload_id))
    max_bytes = services.settings.max_s3_upload_bytes
    try:
        incoming = services.uploads.read_incoming(key, max_bytes)
        return ingest(services, incoming.data, incoming.filename, max_bytes=max_bytes, staged_key=key, by=by)
    finally:
        # Success or failure, the id is used up (deleting a missing key is a no-op for S3). If the
        # delete fails, the lifecycle rule on incoming/ removes the object within a day.
        services.uploads.delete_quietly(key, services.failures)

"""`@idempotent`: a retried request with the same `Idempotency-Key` gets the first answer.

    @bp.post("/api/invoices")
    @requires(Role.REVIEWER)
    @idempotent
    def receive(): ...

The view runs after the auth guard (a `before_request`), so the caller is known: keys are per
user (`sub`). Without the header the view runs as before. With it:

- the key must be 1–255 printable ASCII characters, else 400;
- the first request claims the key (a conditional put), runs, and its answer is kept for 24 h if
  it is a 2xx or a client error that the same request would get again (400, 413, 415, 422,
  428); any other answer (a 5xx, a 404 that a later upload may fix, a 409 conflict) releases the
  key, so the retry runs for real;
- the same key with the same request: the kept answer, with `Idempotent-Replayed: true`; while
  the first is still running, 409 with `Retry-After`;
- the same key with a different request (method, path, If-Match or body): 422.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import re
import time
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Request, Response, current_app, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException

from ..auth.http import current_identity
from ..core.errors import AppError, BadRequest, StorageUnavailable
from ..core.http import services
from .store import DONE, Claim

log = logging.getLogger(__name__)

F = TypeVar("F", bound=Callable[..., ResponseReturnValue])

KEY_HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
RETRY_AFTER_SECONDS = 3
MAX_KEY_LENGTH = 255
_KEY = re.compile(rf"[\x20-\x7e]{{1,{MAX_KEY_LENGTH}}}")
# Client errors the same request always gets again: kept and replayed like a success.
REPLAYED_CLIENT_ERRORS = frozenset({400, 413, 415, 422, 428})


class InvalidKey(BadRequest):
    pass


class KeyInProgress(AppError):
    status = 409

    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(RETRY_AFTER_SECONDS)}


class AnswerNotKept(AppError):
    status = 409


class KeyReused(AppError):
    status = 422


def parse_key(raw: str) -> str:
    if not _KEY.fullmatch(raw):
        raise InvalidKey(f"{KEY_HEADER} must be 1 to {MAX_KEY_LENGTH} printable ASCII characters")
    return raw


def record_key(sub: str, key: str) -> str:
    """The table's key: the caller and their key (length-prefixed, so no two pairs collide)."""
    return f"{len(sub)}#{sub}#{key}"


def _framed(data: str | bytes) -> bytes:
    raw = data.encode("utf-8", "surrogateescape") if isinstance(data, str) else data
    return len(raw).to_bytes(8, "big") + raw


def body_digest(req: Request) -> bytes:
    """SHA-256 of what the body says. A multipart body is hashed by its fields and files, not its
    bytes: a browser picks a new boundary for every attempt of the same FormData."""
    if req.mimetype != "multipart/form-data":
        return hashlib.sha256(req.get_data(cache=True)).digest()
    digest = hashlib.sha256(b"multipart")
    for name, value in sorted(req.form.items(multi=True)):
        digest.update(_framed(name) + _framed(value))
    for name, upload in sorted(req.files.items(multi=True), key=lambda pair: pair[0]):
        content = hashlib.sha256()
        stream = upload.stream
        stream.seek(0)
        while chunk := stream.read(1 << 16):
            content.update(chunk)
        stream.seek(0)  # the view reads the file next
        digest.update(_framed(name) + _framed(upload.filename or "") + content.digest())
    return digest.digest()


def request_hash(req: Request) -> str:
    """Method, path, If-Match (a correction's precondition) and the body's digest."""
    digest = hashlib.sha256()
    for part in (req.method, req.path, req.headers.get("If-Match", "")):
        digest.update(_framed(part))
    digest.update(body_digest(req))
    return digest.hexdigest()


def _status_of(exc: Exception) -> int | None:
    if isinstance(exc, AppError):
        return exc.status
    if isinstance(exc, HTTPException):
        return exc.code
    return None


def _kept(status: int) -> bool:
    return 200 <= status < 300 or status in REPLAYED_CLIENT_ERRORS


def idempotent(view: F) -> F:
    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> ResponseReturnValue:
        raw = request.headers.get(KEY_HEADER)
        if raw is None:
            return view(*args, **kwargs)
        key = parse_key(raw)
        fingerprint = request_hash(request)  # a 400/413 while reading the body claims nothing
        svc = services()
        store = svc.idempotency
        held = store.claim(record_key(current_identity().sub, key), fingerprint, int(time.time()))
        if not isinstance(held, Claim):
            if held.request_hash != fingerprint:
                raise KeyReused(f"this {KEY_HEADER} was used for a different request; use a new key")
            if held.status != DONE:
                raise KeyInProgress(f"a request with this {KEY_HEADER} is still being processed, retry later")
            if held.too_large or held.body is None:
                raise AnswerNotKept(
                    f"a request with this {KEY_HEADER} completed (status {held.response_status}), "
                    "but its answer was too large to keep; look the result up instead of retrying"
                )
            log.info("replaying the answer of an idempotent request (%s)", held.response_status)
            replay = Response(held.body, status=held.response_status, content_type=held.content_type)
            replay.headers[REPLAYED_HEADER] = "true"
            return replay
        try:
            response = current_app.make_response(view(*args, **kwargs))
        except Exception as exc:
            status = _status_of(exc)
            if status is None or not _kept(status):
                _release(svc, held)
                raise
            response = current_app.make_response(current_app.handle_user_exception(exc))
        if not _kept(response.status_code):
            _release(svc, held)
            return response
        try:
            store.complete(held, response.status_code, response.get_data(), response.content_type)
        except StorageUnavailable:
            # The work is done: answer it. The key stays in progress until its lock lapses.
            svc.failures.add("idempotency")
        return response

    return wrapper  # type: ignore[return-value]


def _release(svc: Any, claim: Claim) -> None:
    try:
        svc.idempotency.release(claim)
    except StorageUnavailable:
        svc.failures.add("idempotency")  # the key unlocks when its lock lapses

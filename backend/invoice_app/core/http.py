"""The HTTP side of the core: the request's Services, and typed errors mapped to JSON answers."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from flask import Flask, current_app, jsonify, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from .errors import AppError, BadRequest

if TYPE_CHECKING:
    from ..services import Services

log = logging.getLogger(__name__)

EXTENSION_KEY = "invoice_app"


def services() -> Services:
    """The app's Services, from inside a request."""
    return current_app.extensions[EXTENSION_KEY]


def limit_arg(default: int, most: int = 100) -> int:
    """The request's `?limit=`: a whole number from 1 to `most`, else a 400 that says so."""
    raw = request.args.get("limit", str(default))
    if not raw.isdigit() or not 1 <= int(raw) <= most:
        raise BadRequest(f"limit must be a whole number between 1 and {most}")
    return int(raw)


def register_error_handlers(app: Flask, max_upload_bytes: int) -> None:
    """Every failure becomes `{"error": message}` with its status; never a stack trace."""

    @app.errorhandler(AppError)
    def app_error(exc: AppError) -> ResponseReturnValue:
        return jsonify(error=exc.message), exc.status, exc.headers()

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(exc: RequestEntityTooLarge) -> ResponseReturnValue:
        return jsonify(error=f"the upload is larger than the {max_upload_bytes:,}-byte limit"), 413

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> ResponseReturnValue:
        return jsonify(error=exc.description or exc.name), exc.code or 500

    @app.errorhandler(Exception)
    def unexpected(exc: Exception) -> ResponseReturnValue:
        log.error("unhandled error", exc_info=exc)
        return jsonify(error="internal error; the request was not completed"), 500

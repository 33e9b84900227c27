"""The HTTP side of the core: the request's Services, and typed errors mapped to JSON answers."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from flask import Flask, current_app, jsonify
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from .errors import AppError

if TYPE_CHECKING:
    from ..services import Services

log = logging.getLogger(__name__)

EXTENSION_KEY = "invoice_app"


def services() -> Services:
    """The app's Services, from inside a request."""
    return current_app.extensions[EXTENSION_KEY]


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

"""Invoice processing service: a Flask app (HTTP) plus WebSocket and DynamoDB Stream handlers."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from typing import Any

from flask import Flask, jsonify
from flask.typing import ResponseReturnValue
from flask_cors import CORS
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from .aws import AwsClients
from .config import Settings
from .errors import AppError
from .services import EXTENSION_KEY, Services

log = logging.getLogger(__name__)

# Room for the multipart envelope around a file of exactly MAX_UPLOAD_BYTES.
_MULTIPART_OVERHEAD = 64 * 1024


def create_app(config: Mapping[str, Any] | None = None, *, aws: AwsClients | None = None) -> Flask:
    """Build the app from the environment; `config` overrides variables by name (tests use it)."""
    env = {**os.environ, **{k: str(v) for k, v in (config or {}).items()}}
    settings = Settings.from_env(env)
    logging.getLogger("invoice_app").setLevel(settings.log_level)

    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = settings.max_upload_bytes + _MULTIPART_OVERHEAD
    app.json.sort_keys = False  # type: ignore[attr-defined]
    CORS(app, origins=list(settings.cors_origins), max_age=600)

    clients = aws or AwsClients(
        settings.aws_region, settings.aws_endpoint_url, pool_size=settings.broadcast_workers
    )
    app.extensions[EXTENSION_KEY] = Services(settings=settings, aws=clients)

    from .api import invoices, metrics, upload, uploads

    app.register_blueprint(upload.bp)
    app.register_blueprint(uploads.bp)
    app.register_blueprint(invoices.bp)
    app.register_blueprint(metrics.bp)
    _register_error_handlers(app, settings)
    return app


def get_services(app: Flask) -> Services:
    return app.extensions[EXTENSION_KEY]


def _register_error_handlers(app: Flask, settings: Settings) -> None:
    @app.errorhandler(AppError)
    def app_error(exc: AppError) -> ResponseReturnValue:
        return jsonify(error=exc.message), exc.status

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(exc: RequestEntityTooLarge) -> ResponseReturnValue:
        limit = settings.max_upload_bytes
        return jsonify(error=f"the upload is larger than the {limit:,}-byte limit"), 413

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> ResponseReturnValue:
        return jsonify(error=exc.description or exc.name), exc.code or 500

    @app.errorhandler(Exception)
    def unexpected(exc: Exception) -> ResponseReturnValue:
        log.error("unhandled error", exc_info=exc)
        return jsonify(error="internal error; the request was not completed"), 500

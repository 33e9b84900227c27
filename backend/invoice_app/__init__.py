"""Invoice processing service: a Flask app (HTTP) plus WebSocket and DynamoDB Stream handlers.

Layout: `core/` (settings, AWS clients, errors, limits) under one package per feature (`auth/`,
`uploads/`, `invoices/`, `review/`, `metrics/`, `processing/`, `realtime/`); `events/` turns each
kind of Lambda event into a call of the right feature; `services.py` wires the features together.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping
from typing import Any

from flask import Flask
from flask_cors import CORS

from .auth.http import install_guard
from .core.aws import AwsClients
from .core.http import EXTENSION_KEY, register_error_handlers
from .core.logging import configure_logging, install_request_context, log_format_from
from .core.settings import Settings
from .services import Services

log = logging.getLogger(__name__)

# Room for the multipart envelope around a file of exactly MAX_UPLOAD_BYTES.
_MULTIPART_OVERHEAD = 64 * 1024


def create_app(
    config: Mapping[str, Any] | None = None,
    *,
    aws: AwsClients | None = None,
    jwks_fetch: Callable[[str], dict[str, Any]] | None = None,
) -> Flask:
    """Build the app from the environment; `config` overrides variables by name (tests use it).

    `aws` and `jwks_fetch` (how the pool's public keys are read) replace the real ones in tests.
    """
    env = {**os.environ, **{k: str(v) for k, v in (config or {}).items()}}
    settings = Settings.from_env(env)
    logging.getLogger("invoice_app").setLevel(settings.log_level)
    # JSON lines with the request/connection/invoice ids (LOG_FORMAT=text: compact, for people).
    configure_logging(log_format_from(env))

    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = settings.max_upload_bytes + _MULTIPART_OVERHEAD
    app.json.sort_keys = False  # type: ignore[attr-defined]
    CORS(
        app,
        origins=list(settings.cors_origins),
        max_age=600,
        expose_headers=["Content-Disposition", "Idempotent-Replayed", "Retry-After"],
    )

    clients = aws or AwsClients(
        settings.aws_region, settings.aws_endpoint_url, pool_size=settings.broadcast_workers
    )
    services = Services(settings=settings, aws=clients, jwks_fetch=jwks_fetch)
    app.extensions[EXTENSION_KEY] = services

    from . import health
    from .auth import routes as auth
    from .documents import routes as documents
    from .exports import routes as exports
    from .invoices import routes as invoices
    from .metrics import routes as metrics
    from .review import routes as review
    from .uploads import routes as uploads
    from .visualizations import routes as visualizations

    for blueprint in (uploads.bp, invoices.bp, review.bp, exports.bp, metrics.bp, health.bp, auth.bp):
        app.register_blueprint(blueprint)
    app.register_blueprint(documents.bp)
    app.register_blueprint(visualizations.bp)
    install_request_context(app)
    install_guard(app, services.token_verifier if settings.auth_mode == "cognito" else None)
    if settings.auth_mode == "none":
        log.warning("AUTH_MODE=none: every request is treated as an admin; use only on a private network")
    register_error_handlers(app, settings.max_upload_bytes)
    return app


def get_services(app: Flask) -> Services:
    return app.extensions[EXTENSION_KEY]

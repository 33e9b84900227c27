"""Settings read once from the environment by the app factory.

Every variable is optional; the defaults run the app against the local stack's table names.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .limits import (
    DEFAULT_MAX_S3_UPLOAD_BYTES,
    DEFAULT_MAX_UPLOAD_BYTES,
    DEFAULT_TABLES,
    DEFAULT_UPLOADS_BUCKET,
    HTTP_API_TIMEOUT_SECONDS,
    WS_CLIENT_MESSAGE_BURST,
    WS_CLIENT_MESSAGES_PER_SECOND,
    WS_MAX_CONNECTION_LIFE_SECONDS,
)

BROADCAST_MODES = ("stream", "inline")
AUTH_MODES = ("cognito", "none")
OCR_ENGINES = ("auto", "rapidocr", "tesseract", "textract")


class ConfigError(ValueError):
    """A configuration value that cannot be used."""


def _csv(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(",") if part.strip())


@dataclass(frozen=True)
class Settings:
    connections_table: str = DEFAULT_TABLES["CONNECTIONS_TABLE"]
    metrics_table: str = DEFAULT_TABLES["METRICS_TABLE"]
    invoices_table: str = DEFAULT_TABLES["INVOICES_TABLE"]
    history_table: str = DEFAULT_TABLES["HISTORY_TABLE"]
    idempotency_table: str = DEFAULT_TABLES["IDEMPOTENCY_TABLE"]
    topics_table: str = DEFAULT_TABLES["TOPICS_TABLE"]
    visualizations_table: str = DEFAULT_TABLES["VISUALIZATIONS_TABLE"]
    uploads_bucket: str = DEFAULT_UPLOADS_BUCKET
    ws_endpoint: str | None = None
    cors_origins: tuple[str, ...] = ("http://localhost:3000", "http://127.0.0.1:3000")
    ocr_engine: str = "auto"
    # Tesseract's languages: "all" installed ones at once, "auto" (English first, a page's own
    # language after), or a fixed "eng+deu" (processing/engines/tesseract.py says what each costs).
    tesseract_languages: str = "all"
    # A single-page image Tesseract reads is read by this engine too, voted field by field
    # (processing/second_reading.py): "rapidocr" or "none".
    ocr_second_engine: str = "rapidocr"
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES
    max_s3_upload_bytes: int = DEFAULT_MAX_S3_UPLOAD_BYTES
    broadcast_mode: str = "stream"
    aws_region: str = "us-east-1"
    aws_endpoint_url: str | None = None
    log_level: str = "INFO"
    # How many posts to the @connections API run at once during a broadcast.
    broadcast_workers: int = 32
    # A post answered 429, 5xx or not at all is retried: attempts in all (the first included),
    # backoff U(0, min(cap, base·2ⁿ)) before retry n+1 (exponential, full jitter).
    broadcast_retry_attempts: int = 5
    broadcast_retry_base_ms: int = 25
    broadcast_retry_cap_ms: int = 1000
    # API Gateway closes a WebSocket after 2 h; a connection record never outlives that.
    connection_ttl_seconds: int = WS_MAX_CONNECTION_LIFE_SECONDS
    # Rollup and per-invoice metric items expire (DynamoDB TTL) after this long.
    metrics_retention_seconds: int = 86_400
    # An Idempotency-Key is remembered this long (DynamoDB TTL on `expires`)...
    idempotency_ttl_seconds: int = 86_400
    # ...and a request holding one counts as still running this long: past the HTTP API's 30 s
    # (and the function's timeout) it cannot be, so its key may be claimed again.
    idempotency_lock_seconds: int = 2 * HTTP_API_TIMEOUT_SECONDS
    # Sign-in: Cognito tokens verified by the function (`none` is an explicit opt-out).
    auth_mode: str = "cognito"
    cognito_user_pool_id: str | None = None
    cognito_client_ids: tuple[str, ...] = ()
    # Where the pool's public keys are read; None: the pool's own HTTPS URL.
    cognito_jwks_url: str | None = None
    # Sharded fan-out: past `broadcast_shard_size` connections a broadcast goes to this SQS queue
    # as one message per shard (None: one invocation posts to everyone), and broadcasts are spaced
    # so that connections / interval stays under `broadcast_max_rate` posts/s (API Gateway's
    # account limit is ~10,000/s, shared with everything else).
    broadcast_queue_url: str | None = None
    broadcast_shard_size: int = 2000
    broadcast_max_rate: int = 5000
    # Abuse limits: uploads (all three upload routes together) per user per minute, counted in
    # DynamoDB across every Lambda instance (ratelimit/).
    upload_rate_per_minute: int = 30
    # WebSocket client messages per connection: a token bucket in each environment's memory.
    ws_messages_per_second: int = WS_CLIENT_MESSAGES_PER_SECOND
    ws_message_burst: int = WS_CLIENT_MESSAGE_BURST

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Settings:
        """Build settings from environment variables (names as in docs/DESIGN.md)."""
        values: dict[str, Any] = {}
        plain = {
            "CONNECTIONS_TABLE": "connections_table",
            "METRICS_TABLE": "metrics_table",
            "INVOICES_TABLE": "invoices_table",
            "HISTORY_TABLE": "history_table",
            "IDEMPOTENCY_TABLE": "idempotency_table",
            "TOPICS_TABLE": "topics_table",
            "VISUALIZATIONS_TABLE": "visualizations_table",
            "UPLOADS_BUCKET": "uploads_bucket",
            "WS_ENDPOINT": "ws_endpoint",
            "AWS_ENDPOINT_URL": "aws_endpoint_url",
            "COGNITO_USER_POOL_ID": "cognito_user_pool_id",
            "COGNITO_JWKS_URL": "cognito_jwks_url",
            "BROADCAST_QUEUE_URL": "broadcast_queue_url",
        }
        for var, attr in plain.items():
            if env.get(var):
                values[attr] = env[var]
        if env.get("CORS_ORIGINS"):
            values["cors_origins"] = _csv(env["CORS_ORIGINS"])
        if env.get("COGNITO_CLIENT_ID"):
            values["cognito_client_ids"] = _csv(env["COGNITO_CLIENT_ID"])
        if env.get("AUTH_MODE"):
            values["auth_mode"] = env["AUTH_MODE"].strip().lower()
        if env.get("OCR_ENGINE"):
            values["ocr_engine"] = env["OCR_ENGINE"].strip().lower()
        if env.get("OCR_SECOND_ENGINE", "").strip():
            values["ocr_second_engine"] = env["OCR_SECOND_ENGINE"].strip().lower()
        if env.get("TESSERACT_LANGUAGES", "").strip():
            values["tesseract_languages"] = env["TESSERACT_LANGUAGES"].strip()
        if env.get("BROADCAST_MODE"):
            values["broadcast_mode"] = env["BROADCAST_MODE"].strip().lower()
        if env.get("LOG_LEVEL"):
            values["log_level"] = env["LOG_LEVEL"].strip().upper()
        region = env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION")
        if region:
            values["aws_region"] = region
        for var, attr in (
            ("MAX_UPLOAD_BYTES", "max_upload_bytes"),
            ("MAX_S3_UPLOAD_BYTES", "max_s3_upload_bytes"),
            ("BROADCAST_WORKERS", "broadcast_workers"),
            ("BROADCAST_RETRY_ATTEMPTS", "broadcast_retry_attempts"),
            ("BROADCAST_RETRY_BASE_MS", "broadcast_retry_base_ms"),
            ("BROADCAST_RETRY_CAP_MS", "broadcast_retry_cap_ms"),
            ("CONNECTION_TTL_SECONDS", "connection_ttl_seconds"),
            ("METRICS_RETENTION_SECONDS", "metrics_retention_seconds"),
            ("BROADCAST_SHARD_SIZE", "broadcast_shard_size"),
            ("BROADCAST_MAX_RATE", "broadcast_max_rate"),
            ("UPLOAD_RATE_PER_MINUTE", "upload_rate_per_minute"),
            ("WS_MESSAGES_PER_SECOND", "ws_messages_per_second"),
            ("WS_MESSAGE_BURST", "ws_message_burst"),
        ):
            if env.get(var):
                try:
                    values[attr] = int(env[var])
                except ValueError as exc:
                    raise ConfigError(f"{var} must be an integer, got {env[var]!r}") from exc
        return cls(**values).validated()

    def validated(self) -> Settings:
        if self.broadcast_mode not in BROADCAST_MODES:
            raise ConfigError(f"BROADCAST_MODE must be one of {BROADCAST_MODES}, got {self.broadcast_mode!r}")
        if self.ocr_engine not in OCR_ENGINES:
            raise ConfigError(f"OCR_ENGINE must be one of {OCR_ENGINES}, got {self.ocr_engine!r}")
        if not re.fullmatch(r"all|auto|[a-z_]{3,20}(\+[a-z_]{3,20}){0,9}", self.tesseract_languages):
            raise ConfigError(
                'TESSERACT_LANGUAGES must be "all", "auto" or languages like "eng+deu", '
                f"got {self.tesseract_languages!r}"
            )
        if self.ocr_second_engine not in ("rapidocr", "none"):
            raise ConfigError(
                f'OCR_SECOND_ENGINE must be "rapidocr" or "none", got {self.ocr_second_engine!r}'
            )
        if self.max_upload_bytes <= 0:
            raise ConfigError("MAX_UPLOAD_BYTES must be positive")
        if self.max_s3_upload_bytes <= 0:
            raise ConfigError("MAX_S3_UPLOAD_BYTES must be positive")
        if not 0 < self.connection_ttl_seconds <= WS_MAX_CONNECTION_LIFE_SECONDS:
            raise ConfigError("CONNECTION_TTL_SECONDS must be within API Gateway's 2 h connection life")
        if self.broadcast_workers < 1:
            raise ConfigError("BROADCAST_WORKERS must be at least 1")
        if self.broadcast_retry_attempts < 1:
            raise ConfigError("BROADCAST_RETRY_ATTEMPTS must be at least 1 (1: no retries)")
        if self.broadcast_retry_base_ms < 0 or self.broadcast_retry_cap_ms < 0:
            raise ConfigError("BROADCAST_RETRY_BASE_MS and BROADCAST_RETRY_CAP_MS must not be negative")
        if self.broadcast_shard_size < 1 or self.broadcast_max_rate < 1:
            raise ConfigError("BROADCAST_SHARD_SIZE and BROADCAST_MAX_RATE must be at least 1")
        if self.upload_rate_per_minute < 1:
            raise ConfigError("UPLOAD_RATE_PER_MINUTE must be at least 1")
        if self.ws_messages_per_second < 1 or self.ws_message_burst < 1:
            raise ConfigError("WS_MESSAGES_PER_SECOND and WS_MESSAGE_BURST must be at least 1")
        if self.auth_mode not in AUTH_MODES:
            raise ConfigError(f"AUTH_MODE must be one of {AUTH_MODES}, got {self.auth_mode!r}")
        if self.auth_mode == "cognito":
            # Fail closed: without a pool to check tokens against, the app would be open.
            if not self.cognito_user_pool_id or "_" not in self.cognito_user_pool_id:
                raise ConfigError(
                    "AUTH_MODE=cognito needs COGNITO_USER_POOL_ID (e.g. us-east-1_AbC123); "
                    "set AUTH_MODE=none only for a private network"
                )
            if not self.cognito_client_ids:
                raise ConfigError("AUTH_MODE=cognito needs COGNITO_CLIENT_ID (the app client id)")
        return self

    @property
    def jwks_url(self) -> str:
        """COGNITO_JWKS_URL, else the pool's public key document on Cognito itself."""
        if self.cognito_jwks_url:
            return self.cognito_jwks_url
        pool = self.cognito_user_pool_id or ""
        region = pool.split("_", 1)[0]
        return f"https://cognito-idp.{region}.amazonaws.com/{pool}/.well-known/jwks.json"

    @property
    def management_endpoint(self) -> str | None:
        """The @connections API base URL: WS_ENDPOINT with its scheme swapped to HTTP(S)."""
        return management_endpoint_from_ws(self.ws_endpoint) if self.ws_endpoint else None


def management_endpoint_from_ws(ws_url: str) -> str:
    """`wss://id.execute-api.region.amazonaws.com/prod` → `https://…/prod` (and ws → http)."""
    url = ws_url.strip().rstrip("/")
    if url.startswith("wss://"):
        return "https://" + url[len("wss://") :]
    if url.startswith("ws://"):
        return "http://" + url[len("ws://") :]
    return url

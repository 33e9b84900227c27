"""Structured logs that survive many instances: one JSON object per line, with the ids of the work.

Every record carries the ids of what is being handled — `requestId` (Lambda's), `connectionId`
(WebSocket), `invoiceId`, `route` — from a context variable that the entrypoint (`app.py`) sets per
invocation and the Flask hooks extend (`invoiceId` from the URL). They are added at record
creation (a log record factory), so every handler sees them, also pytest's and the local stack's.

    {"timestamp": "2026-12-01T17:00:00.123Z", "level": "WARNING", "logger": "invoice_app.x",
     "message": "…", "requestId": "…", "connectionId": "…", "invoiceId": "…"}

`LOG_FORMAT=text` (or an unset LOG_FORMAT on a terminal, outside Lambda) prints a compact line
for people instead: `17:00:00.123 WARNING x [req=1a2b conn=L0SM inv=inv_3c] message`.

Secrets never reach a line: both formats pass the message and any traceback through `redact`
(bearer tokens and any JWT, `token=` / `password=` / `secret=` values, Authorization/Cookie
headers, JSON `"password": …`), whatever a caller passed in.

Metrics go out as CloudWatch Embedded Metric Format (`emit_metric`): one JSON document per line on
stdout, which CloudWatch Logs turns into metrics without an API call (no client, no latency).
A small stdlib implementation rather than Powertools `Logger`/`Metrics`: see the README
("Observability") for the cold-start comparison (`bench/coldstart.py --powertools`).
"""

from __future__ import annotations

import contextlib
import contextvars
import json
import logging
import re
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import IO, Any

CONTEXT_KEYS = ("requestId", "connectionId", "invoiceId", "route")
_EMPTY: Mapping[str, str] = MappingProxyType({})
_context: contextvars.ContextVar[Mapping[str, str]] = contextvars.ContextVar("log_context", default=_EMPTY)

REDACTED = "<redacted>"
_SECRET_NAMES = r"(?:token|access_token|id_token|refresh_token|password|passwd|secret|api_key|apikey)"
_PATTERNS = (
    # a JWT wherever it appears: three base64url parts, the first two starting with '{"' (eyJ)
    (re.compile(r"eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*"), REDACTED),
    (re.compile(r"\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+", re.IGNORECASE), rf"\1 {REDACTED}"),
    # header lines and dict reprs: Authorization: …, 'authorization': '…', Cookie: …
    (
        re.compile(r"((?:authorization|cookie|x-amz-security-token)[\"']?\s*[:=]\s*[\"']?)[^\"',}\n]+", re.I),
        rf"\1{REDACTED}",
    ),
    # query strings and forms: ?token=…, &password=…
    (re.compile(rf"(\b{_SECRET_NAMES}=)[^&\s\"'#]+", re.IGNORECASE), rf"\1{REDACTED}"),
    # JSON and dict reprs: "password": "…", 'token': '…'
    (re.compile(rf"([\"']{_SECRET_NAMES}[\"']\s*:\s*[\"'])[^\"']*", re.IGNORECASE), rf"\1{REDACTED}"),
)


def redact(text: str) -> str:
    """`text` with every credential-shaped part replaced by `<redacted>`."""
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


# -- the ids of the work being done -----------------------------------------------------------


def current_context() -> dict[str, str]:
    return dict(_context.get())


@contextlib.contextmanager
def log_context(**ids: str | None) -> Iterator[None]:
    """The ids of one invocation (unset ones dropped), for every line logged inside the block."""
    token = _context.set({k: v for k, v in ids.items() if v})
    try:
        yield
    finally:
        _context.reset(token)


def bind(**ids: str | None) -> None:
    """Add ids to the current invocation's context (e.g. the invoice id once it is known)."""
    _context.set({**_context.get(), **{k: v for k, v in ids.items() if v}})


_previous_factory = logging.getLogRecordFactory()


def _record_with_context(*args: Any, **kwargs: Any) -> logging.LogRecord:
    record = _previous_factory(*args, **kwargs)
    ctx = _context.get()
    for key in CONTEXT_KEYS:
        if key in ctx and not hasattr(record, key):
            setattr(record, key, ctx[key])
    return record


# -- formats ----------------------------------------------------------------------------------


def _exception_text(formatter: logging.Formatter, record: logging.LogRecord) -> str | None:
    if record.exc_info and not record.exc_text:
        record.exc_text = formatter.formatException(record.exc_info)
    return redact(record.exc_text) if record.exc_text else None


class JsonFormatter(logging.Formatter):
    """One JSON object per record (CloudWatch Logs Insights reads the fields as they are)."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage()),
        }
        for key in CONTEXT_KEYS:
            value = getattr(record, key, None)
            if value:
                line[key] = value
        exception = _exception_text(self, record)
        if exception:
            line["exception"] = exception
        return json.dumps(line, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """A compact line for the local console."""

    _SHORT: Mapping[str, str] = MappingProxyType(
        {"requestId": "req", "connectionId": "conn", "invoiceId": "inv", "route": "route"}
    )

    def format(self, record: logging.LogRecord) -> str:
        stamp = time.strftime("%H:%M:%S", time.localtime(record.created)) + f".{int(record.msecs):03d}"
        name = record.name.removeprefix("invoice_app.")
        ids = " ".join(
            f"{short}={str(getattr(record, key))[:8]}"
            for key, short in self._SHORT.items()
            if getattr(record, key, None)
        )
        text = f"{stamp} {record.levelname} {name}{f' [{ids}]' if ids else ''} {redact(record.getMessage())}"
        exception = _exception_text(self, record)
        return f"{text}\n{exception}" if exception else text


def choose_format(env: Mapping[str, str], stream: IO[str] | None = None) -> str:
    """`json` or `text`: LOG_FORMAT when set, else text on a terminal outside Lambda, else json."""
    wanted = (env.get("LOG_FORMAT") or "").strip().lower()
    if wanted in ("json", "text"):
        return wanted
    if env.get("AWS_LAMBDA_FUNCTION_NAME"):
        return "json"
    out = stream or sys.stderr
    return "text" if hasattr(out, "isatty") and out.isatty() else "json"


_configured_lock = threading.Lock()


def configure_logging(log_format: str) -> None:
    """Ids on every record, and the root logger's handlers (Lambda's own included) in `log_format`.

    Lambda's runtime installs one handler on the root logger; it gets our formatter, so each line
    it writes is one of ours. Without any handler (a plain script), one on stderr is added.
    Safe to call again (each app built in a process calls it).
    """
    with _configured_lock:
        if logging.getLogRecordFactory() is not _record_with_context:
            logging.setLogRecordFactory(_record_with_context)
        root = logging.getLogger()
        if not root.handlers:
            root.addHandler(logging.StreamHandler(sys.stderr))
        formatter = TextFormatter() if log_format == "text" else JsonFormatter()
        for handler in root.handlers:
            # pytest's capture handlers keep their own format (tests read caplog.text)
            if type(handler).__module__.startswith("_pytest"):
                continue
            handler.setFormatter(formatter)


def install_request_context(app: Any) -> None:
    """Flask hooks: every line of a request carries its route and, in /invoices/<id>, the invoice id."""
    from flask import request

    @app.before_request
    def _bind_request() -> None:
        args = request.view_args or {}
        invoice_id = args.get("invoice_id")
        bind(
            route=f"{request.method} {request.url_rule.rule if request.url_rule else request.path}"[:200],
            invoiceId=invoice_id if isinstance(invoice_id, str) else None,
        )


def log_format_from(env: Mapping[str, str]) -> str:
    """LOG_FORMAT must be `json`, `text` or unset (auto); anything else is a configuration error."""
    wanted = (env.get("LOG_FORMAT") or "").strip().lower()
    if wanted not in ("", "json", "text"):
        from .settings import ConfigError

        raise ConfigError(f"LOG_FORMAT must be json or text, got {env.get('LOG_FORMAT')!r}")
    return choose_format(env)


# -- Embedded Metric Format -------------------------------------------------------------------

# The alarms in the template read this namespace.
NAMESPACE = "InvoiceApp"
_emit_lock = threading.Lock()


def emf_document(
    metrics: Mapping[str, float], dimensions: Mapping[str, str], *, unit: str = "Count"
) -> dict[str, Any]:
    """An EMF document: `metrics` (name → value) under one dimension set."""
    return {
        "_aws": {
            "Timestamp": int(time.time() * 1000),
            "CloudWatchMetrics": [
                {
                    "Namespace": NAMESPACE,
                    "Dimensions": [sorted(dimensions)],
                    "Metrics": [{"Name": name, "Unit": unit} for name in metrics],
                }
            ],
        },
        **dict(dimensions),
        **dict(metrics),
        **{k: v for k, v in current_context().items() if k in ("requestId", "connectionId", "invoiceId")},
    }


def emit_metric(
    metrics: Mapping[str, float],
    dimensions: Mapping[str, str],
    *,
    unit: str = "Count",
    stream: IO[str] | None = None,
) -> None:
    """Write one EMF line to stdout (CloudWatch Logs extracts the metrics); never raises."""
    if not metrics:
        return
    line = json.dumps(emf_document(metrics, dimensions, unit=unit), default=str)
    try:
        with _emit_lock:
            out = stream or sys.stdout
            out.write(line + "\n")
            out.flush()
    except (OSError, ValueError):  # a closed stream must not fail the request that counted
        logging.getLogger(__name__).debug("could not write a metric line")

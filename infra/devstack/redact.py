"""Keep tokens out of the local stack's logs.

uvicorn logs a WebSocket's path with its query string (`/ws?token=…`), and error messages may
quote an event or a header. A logging filter on the stack's handlers rewrites every record:
`token=` values in query strings, `Bearer` credentials and anything shaped like a JWT.
"""

from __future__ import annotations

import logging
import re

REDACTED = "<redacted>"
_PATTERNS = (
    # ?token=… / &token=… (also URL-encoded inside a larger string, and JSON "token": "…")
    (re.compile(r"((?:^|[?&\s\"'])token=)[^&\s\"'#]+", re.IGNORECASE), rf"\1{REDACTED}"),
    (re.compile(r"(\"token\"\s*:\s*\")[^\"]+(\")", re.IGNORECASE), rf"\1{REDACTED}\2"),
    (re.compile(r"(Bearer\s+)[A-Za-z0-9._~+/=-]+", re.IGNORECASE), rf"\1{REDACTED}"),
    # a JWT wherever it appears: three base64url parts, the first two starting with '{"' (eyJ)
    (re.compile(r"eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*"), REDACTED),
)


def redact(text: str) -> str:
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class RedactingFilter(logging.Filter):
    """Rewrites a record's message (and its formatted traceback) with tokens redacted."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


_FILTER = RedactingFilter()
# uvicorn configures handlers of its own on these loggers (they do not propagate to the root).
_LOGGERS = ("", "uvicorn", "uvicorn.error", "uvicorn.access")


def install() -> None:
    """Put the filter on every handler of the root and uvicorn loggers (idempotent)."""
    for name in _LOGGERS:
        for handler in logging.getLogger(name).handlers:
            if _FILTER not in handler.filters:
                handler.addFilter(_FILTER)

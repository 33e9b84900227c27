"""The one JSON decoder for everything that enters from outside: bounded in size and depth.

`json.loads` recurses once per nesting level, so `[[[[…]]]]` ten thousand levels deep (20 KB)
raises `RecursionError`, which no `except ValueError` catches. This decoder measures the depth
first (a linear scan, no recursion), refuses documents that are too large or too deep, refuses
what is not strict JSON (`NaN`, `Infinity`, numbers that overflow to infinity), and raises one
error type, `InvalidJson` — a `BadRequest` (400) whose message says what was wrong.

    payload = loads(body, max_bytes=32 * 1024)         # str or bytes
    payload = request_json(request)                     # a Flask request's JSON body, or None
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from .errors import BadRequest

# No document this API accepts nests deeper than a few levels.
DEFAULT_MAX_DEPTH = 32
# The largest JSON body the API takes (an upload request is well under 1 KB).
DEFAULT_MAX_BYTES = 64 * 1024

# A JSON string (with its escapes) or one bracket; everything else cannot change the depth.
_TOKENS = re.compile(rb'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)


class InvalidJson(BadRequest):
    """The input is not JSON this API accepts (400)."""


def nesting_depth(data: bytes) -> int:
    """The deepest nesting of arrays and objects in `data` (strings skipped), without recursion."""
    depth = deepest = 0
    for match in _TOKENS.finditer(data):
        token = match.group()
        if token in (b"[", b"{"):
            depth += 1
            deepest = max(deepest, depth)
        elif token in (b"]", b"}"):
            depth -= 1
    return deepest


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"the number {text[:20]} is too large")
    return value


def loads(
    data: str | bytes | bytearray,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_depth: int = DEFAULT_MAX_DEPTH,
    what: str = "the body",
) -> Any:
    """Decode one JSON document; `InvalidJson` (400) for anything this API does not accept."""
    if isinstance(data, str):
        try:
            raw = data.encode("utf-8")
        except UnicodeEncodeError as exc:  # a lone surrogate cannot come from real UTF-8 text
            raise InvalidJson(f"{what} is not valid UTF-8 text") from exc
    elif isinstance(data, bytes | bytearray):
        raw = bytes(data)
    else:
        raise InvalidJson(f"{what} must be JSON text")
    if len(raw) > max_bytes:
        raise InvalidJson(f"{what} is larger than {max_bytes:,} bytes")
    if nesting_depth(raw) > max_depth:
        raise InvalidJson(f"{what} nests deeper than {max_depth} levels")
    try:
        text = raw.decode("utf-8")
        return json.loads(text, parse_constant=_reject_constant, parse_float=_finite_float)
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        # RecursionError cannot happen after the depth check; caught anyway as the last guard.
        raise InvalidJson(f"{what} is not valid JSON") from exc


def request_json(request: Any, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Any:
    """A Flask request's JSON body; None when it is not sent as JSON (like `get_json(silent=True)`)."""
    if not request.is_json:
        return None
    if request.content_length is not None and request.content_length > max_bytes:
        raise InvalidJson(f"the body is larger than {max_bytes:,} bytes")
    return loads(request.get_data(cache=True), max_bytes=max_bytes)

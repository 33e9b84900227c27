"""Hypothesis strategies for every event kind the Lambda entrypoint accepts, and what goes in them."""

from __future__ import annotations

import base64
import copy
import json
import uuid
from typing import Any

from hypothesis import strategies as st
from PIL import Image

from tests.helpers.documents import blank_pdf, encrypted_pdf, image_bytes, png_header_only
from tests.helpers.events import load_event
from tests.helpers.samples import fixture_bytes

# -- values -------------------------------------------------------------------------------------

SPECIAL_NUMBERS = ["Infinity", "-Infinity", "NaN", "1e400", "-1e400", "1" * 45, "-0", "1e-400", "0.1"]
DEEP = ["[" * 10_000 + "]" * 10_000, '{"a":' * 5000 + "1" + "}" * 5000, "[" * 100_000]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)

# Text with what breaks parsers and headers: controls, CR/LF, NUL, bidi, lone surrogates, quotes.
nasty_chars = st.sampled_from(
    [
        "\r",
        "\n",
        "\r\n",
        "\x00",
        "\x7f",
        "\x85",
        "\u202e",
        "\u2028",
        "\ud800",
        '"',
        "\\",
        "%0A",
        "%",
        ";",
        "/",
    ]
)
nasty_text = st.lists(st.text(max_size=8) | nasty_chars, max_size=8).map("".join)


def dumps(value: Any) -> str:
    return json.dumps(value, allow_nan=True)


json_bodies = st.one_of(
    json_values.map(dumps),
    st.sampled_from(DEEP),
    st.sampled_from(SPECIAL_NUMBERS).map(lambda n: f'{{"fileName": "a.pdf", "size": {n}}}'),
    st.builds(lambda name, size: dumps({"fileName": name, "size": size}), nasty_text, json_values),
    st.text(max_size=40),
)

# `{"action": "cursor", "topic", "x", "y"}` with every kind of topic and coordinate.
cursor_actions = st.builds(
    lambda topic, x, y: dumps({"action": "cursor", "topic": topic, "x": x, "y": y}),
    st.sampled_from(["visualization:abc", "invoice:inv_x", "visualization:", "nope"])
    | nasty_text
    | json_values,
    st.floats() | st.integers() | json_values,
    st.floats() | st.integers() | json_values,
) | st.sampled_from(SPECIAL_NUMBERS).map(
    lambda n: f'{{"action": "cursor", "topic": "visualization:a", "x": {n}, "y": 1}}'
)

# -- cursors and query strings --------------------------------------------------------------------


def b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode("utf-8", "surrogatepass")).decode()


cursors = st.one_of(
    st.text(max_size=40),
    st.sampled_from(DEEP[:2]).map(b64),
    st.sampled_from(SPECIAL_NUMBERS).map(
        lambda n: b64(f'{{"invoiceId":"inv_x","listKey":"invoice","createdAt":{n}}}')
    ),
    json_values.map(dumps).map(b64),
    st.builds(
        lambda i, k, c: b64(dumps({"invoiceId": i, "listKey": k, "createdAt": c})),
        json_values,
        st.sampled_from(["invoice", "other"]) | json_values,
        json_values,
    ),
)

query_params = st.dictionaries(
    st.sampled_from(["limit", "cursor", "q", "x"]),
    st.one_of(cursors, st.integers().map(str), nasty_text),
    max_size=3,
)

# -- files -----------------------------------------------------------------------------------------

_PDF = fixture_bytes("sample-invoice.pdf")
_PNG = image_bytes(Image.new("L", (40, 40), 255), "PNG")


def _polyglot() -> bytes:
    return _PDF[:1024] + _PNG + _PDF[1024:]


FILES = {
    "sample pdf": _PDF,
    "blank pdf": blank_pdf(1),
    "encrypted pdf": encrypted_pdf(),
    "bomb png": png_header_only(100_000, 100_000),
    "white png": _PNG,
    "polyglot": _polyglot(),
    "png in pdf clothing": b"%PDF-1.4\n" + _PNG,
    "empty": b"",
}
files = st.one_of(
    st.sampled_from(sorted(FILES)).map(FILES.__getitem__),
    st.builds(lambda n: _PDF[:n], st.integers(0, len(_PDF))),  # truncated PDFs
    st.builds(lambda n: _PNG[:n], st.integers(0, len(_PNG))),  # truncated PNGs
    st.binary(max_size=64).map(lambda b: b"\x89PNG\r\n\x1a\n" + b),
    st.binary(max_size=64).map(lambda b: b"%PDF-" + b),
    st.binary(max_size=64),
)

file_names = st.one_of(
    nasty_text,
    st.sampled_from(["a\nb.pdf", "a\rb.pdf", "C:\\fakepath\\x.pdf", "../../x.pdf", "x" * 5000 + ".pdf", ""]),
    st.text(max_size=300),
)


def multipart(data: bytes, name: str, *, star: bool, field: str = "file") -> tuple[bytes, str]:
    """A browser's multipart body; `star` sends the name as RFC 2231 `filename*=UTF-8''…`."""
    from urllib.parse import quote

    boundary = uuid.uuid4().hex
    raw = name.encode("utf-8", "surrogatepass")
    disposition = (
        f"filename*=UTF-8''{quote(raw, safe='')}"
        if star
        else 'filename="' + raw.decode("latin-1").replace('"', "%22") + '"'
    )
    head = f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; {disposition}\r\n'
    body = (
        head.encode("latin-1", "replace")
        + b"Content-Type: application/octet-stream\r\n\r\n"
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


# -- events ---------------------------------------------------------------------------------------

HTTP_TEMPLATES = {
    "v2": "http_v2_get_metrics",
    "v1": "rest_v1_get_metrics",
    "alb": "alb_get_health",
    "function-url": "function_url_list_invoices",
}
ROUTES = [
    ("GET", "/api/invoices"),
    ("GET", "/api/invoices/inv_x"),
    ("GET", "/api/metrics"),
    ("GET", "/api/health"),
    ("POST", "/api/uploads"),
    ("POST", "/api/uploads/0123456789abcdef0123456789abcdef/process"),
    ("POST", "/api/uploads/../x/process"),
    ("POST", "/receive"),
    ("POST", "/api/invoices"),
    ("GET", "/nope"),
    ("GET", "/api/visualizations"),
    ("POST", "/api/visualizations"),
    ("PUT", "/api/visualizations/0123456789abcdef0123456789abcdef"),
    ("POST", "/api/visualizations/0123456789abcdef0123456789abcdef/parameters"),
    ("GET", "/api/visualizations/0123456789abcdef0123456789abcdef/history"),
]
methods = st.sampled_from(["GET", "POST", "PUT", "DELETE", "OPTIONS", "HEAD", "PATCH"])


def http_event(
    flavour: str,
    method: str,
    path: str,
    *,
    token: str | None,
    query: dict[str, str] | None = None,
    body: str | bytes | None = None,
    content_type: str | None = None,
    base64_body: bool = False,
    extra_headers: dict[str, str] | None = None,
) -> dict[str, Any]:
    """A well-formed HTTP event of one flavour for `method path`, signed in with `token`."""
    from urllib.parse import urlencode

    event = load_event(HTTP_TEMPLATES[flavour])
    headers = {k: v for k, v in (event.get("headers") or {}).items() if k.lower() != "authorization"}
    if token is not None:
        headers["authorization"] = f"Bearer {token}"
    if content_type is not None:
        headers["content-type"] = content_type
    headers.update(extra_headers or {})
    if isinstance(body, bytes):
        body, base64_body = base64.b64encode(body).decode(), True
    elif body is not None and base64_body:
        body = base64.b64encode(body.encode("utf-8", "surrogatepass")).decode()
    event.update(headers=headers, body=body, isBase64Encoded=base64_body)
    query = query or {}
    if flavour in ("v2", "function-url"):
        event["rawPath"] = path
        event["rawQueryString"] = urlencode(query, errors="surrogatepass")
        event["queryStringParameters"] = query or None
        event["requestContext"]["http"].update(method=method, path=path)
    else:
        event.update(httpMethod=method, path=path, queryStringParameters=query or None)
        if "multiValueHeaders" in event:
            event["multiValueHeaders"] = {k: [v] for k, v in headers.items()}
        if "multiValueQueryStringParameters" in event:
            event["multiValueQueryStringParameters"] = {k: [v] for k, v in query.items()} or None
    return event


def mutate(event: dict[str, Any], path: tuple[str, ...], value: Any) -> dict[str, Any]:
    """A copy of `event` with the value at `path` replaced (created if missing)."""
    event = copy.deepcopy(event)
    target = event
    for key in path[:-1]:
        if not isinstance(target.get(key), dict):
            target[key] = {}
        target = target[key]
    target[path[-1]] = value
    return event

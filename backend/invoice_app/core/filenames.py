"""File names from browsers, made safe once: `clean()` where a name enters, encoders where it leaves.

A name is whatever the client sent: `filename*=UTF-8''a%0Ab.pdf`, `"fileName": "a\\rb.pdf"`, a
Windows path, bidi overrides, a lone surrogate from a JSON escape, 10,000 characters. `clean()`
gives the one form stored and shown everywhere (the invoice's `fileName`, S3 metadata, log lines):

- the last path component only (`C:\\fakepath\\a.pdf` → `a.pdf`);
- no control or format characters (C0/C1 controls incl. CR/LF/TAB, DEL, bidi overrides, zero-width
  characters, line/paragraph separators, lone surrogates), Unicode NFC, spaces collapsed;
- at most `MAX_CHARS` characters, keeping the extension;
- never empty (`DEFAULT_NAME`).

A cleaned name is safe in a log line as it is. For HTTP headers, CSV and S3 use the encoders:
`metadata_value` (percent-encoded ASCII for S3 user metadata), `ascii_name` (a readable ASCII
fallback), `content_disposition` (RFC 6266 with `filename*=`), `csv_cell` (no formula injection).
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

MAX_CHARS = 255
DEFAULT_NAME = "upload"
# S3: all user metadata of an object must fit in 2 KB; one percent-encoded name gets at most 1 KB.
MAX_METADATA_CHARS = 1024
_META_SAFE = " ()+,-._"
# Control (Cc), format (Cf: bidi overrides, zero-width…), surrogate (Cs), line/paragraph separators.
_DROPPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
_SPACES = re.compile(r"\s+")
_ASCII_UNSAFE = re.compile(r"[^A-Za-z0-9 ()+,\-._\[\]!#$&\'@^`{}~=]")
_CSV_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def clean(name: object, default: str = DEFAULT_NAME) -> str:
    """The safe form of a client's file name (see the module's doc); `default` when nothing is left."""
    if not isinstance(name, str):
        return default
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch) not in _DROPPED_CATEGORIES)
    name = unicodedata.normalize("NFC", name)
    name = _SPACES.sub(" ", name).strip().rstrip(". ")
    if len(name) > MAX_CHARS:
        stem, dot, ext = name.rpartition(".")
        if dot and 0 < len(ext) <= 16 and stem:
            name = stem[: MAX_CHARS - len(ext) - 1].rstrip(" .") + "." + ext
        else:
            name = name[:MAX_CHARS].rstrip(" .")
    return name or default


def metadata_value(name: str) -> str:
    """A name as an S3 metadata value: percent-encoded UTF-8 (ASCII only), shortened to fit 1 KB."""
    name = clean(name)
    encoded = quote(name, safe=_META_SAFE)
    while len(encoded) > MAX_METADATA_CHARS:
        name = name[:-1]
        encoded = quote(name, safe=_META_SAFE)
    return encoded


def ascii_name(name: str, limit: int = 200) -> str:
    """A readable ASCII version (`Rechnung März.pdf` → `Rechnung Marz.pdf`), safe in any header."""
    decomposed = unicodedata.normalize("NFKD", clean(name))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    ascii_only = _ASCII_UNSAFE.sub("_", plain)
    return ascii_only[:limit].strip(" .") or DEFAULT_NAME


def content_disposition(name: str, disposition: str = "attachment") -> str:
    """A `Content-Disposition` header value (RFC 6266): an ASCII `filename` and the UTF-8 `filename*`."""
    cleaned = clean(name)
    fallback = ascii_name(cleaned).replace("\\", "_").replace('"', "_")
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quote(cleaned, safe='')}"


def formula_safe(text: str) -> str:
    """Text as a CSV cell a spreadsheet will not run as a formula (OWASP: prefix with `'`);
    a plain number (`-12.50`, a credit note's amount) stays a number."""
    if text.startswith(_CSV_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def csv_cell(name: str) -> str:
    """A file name as a CSV cell: cleaned, then formula-safe."""
    return formula_safe(clean(name))

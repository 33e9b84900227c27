"""IBAN (ISO 13616) and BIC (ISO 9362) checks: pure functions, no I/O.

An IBAN is valid when its length is the one registered for its country and the number, with the
first four characters moved to the end and letters as 10..35, is 1 modulo 97. A BIC is 8 or 11
characters: bank (4 letters), country (2 letters, an ISO 3166 code), location (2) and an
optional branch (3).
"""

from __future__ import annotations

import re

# Registered IBAN lengths (SWIFT IBAN registry), by country code.
IBAN_LENGTHS: dict[str, int] = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BI": 27,
    "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27, "DK": 18, "DO": 28,
    "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23,
    "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27,
    "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "LY": 25,
    "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MN": 20, "MR": 27, "MT": 31, "MU": 30, "NI": 28, "NL": 18,
    "NO": 15, "OM": 23, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "RU": 33,
    "SA": 24, "SC": 31, "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25, "SV": 28,
    "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20, "YE": 30,
}  # fmt: skip

_IBAN_SHAPE = re.compile(r"[A-Z]{2}\d{2}[A-Z0-9]{11,30}")
_BIC_SHAPE = re.compile(r"[A-Z]{4}([A-Z]{2})[A-Z0-9]{2}(?:[A-Z0-9]{3})?")
# Country codes a BIC may carry: the IBAN countries plus the big non-IBAN banking countries.
_BIC_COUNTRIES = frozenset(IBAN_LENGTHS) | frozenset(
    ("US", "CA", "AU", "NZ", "JP", "CN", "HK", "SG", "MY", "IN", "ID", "TH", "PH", "VN",
     "KR", "TW", "ZA", "NG", "KE", "MA", "DZ", "AR", "CL", "CO", "MX", "PE", "UY", "VE")
)  # fmt: skip


def compact(raw: str) -> str:
    """Upper case without spaces, dots or dashes: "de89 3704-0044" → "DE8937040044"."""
    return re.sub(r"[\s.\-]", "", raw).upper()


def mod97(text: str) -> int:
    """The remainder modulo 97 of a string of digits and letters (A=10 … Z=35)."""
    remainder = 0
    for ch in text:
        value = int(ch, 36)
        remainder = (remainder * (100 if value > 9 else 10) + value) % 97
    return remainder


def is_valid_iban(raw: str) -> bool:
    """Country length and the mod-97 check; spaces and case do not matter."""
    iban = compact(raw)
    if not _IBAN_SHAPE.fullmatch(iban):
        return False
    if IBAN_LENGTHS.get(iban[:2]) != len(iban):
        return False
    return mod97(iban[4:] + iban[:4]) == 1


def normalize_iban(raw: str) -> str | None:
    """The IBAN without spaces in upper case, or None when it is not a valid IBAN."""
    iban = compact(raw)
    return iban if is_valid_iban(iban) else None


def is_valid_bic(raw: str) -> bool:
    """ISO 9362 shape with a known country code (a format check: BICs carry no check digit)."""
    bic = re.sub(r"\s", "", raw).upper()
    m = _BIC_SHAPE.fullmatch(bic)
    return m is not None and m.group(1) in _BIC_COUNTRIES


def normalize_bic(raw: str) -> str | None:
    bic = re.sub(r"\s", "", raw).upper()
    return bic if is_valid_bic(bic) else None


_IBAN_START = re.compile(r"(?<![A-Za-z0-9])([A-Z]{2})(\d{2})")


def find_ibans(text: str) -> list[tuple[int, int, str, bool]]:
    """IBAN-shaped runs in `text`: (start, end, compact IBAN, mod-97 valid).

    Printed IBANs are grouped by four ("DE89 3704 0044 0532 0130 00"); the run is read up to the
    country's registered length, skipping single spaces, so the words after it are not taken in.
    """
    found: list[tuple[int, int, str, bool]] = []
    for m in _IBAN_START.finditer(text):
        length = IBAN_LENGTHS.get(m.group(1))
        if length is None or (found and m.start() < found[-1][1]):
            continue
        chars = [m.group(1), m.group(2)]
        count, j = 4, m.end()
        while count < length and j < len(text):
            ch = text[j]
            if ch.isalnum() and ch.isascii():
                chars.append(ch.upper())
                count += 1
            elif not (ch in " -" and j + 1 < len(text) and text[j + 1].isalnum() and text[j - 1] != " "):
                break
            j += 1
        if count != length or (j < len(text) and text[j].isalnum() and text[j].isascii()):
            continue
        iban = "".join(chars)
        if sum(c.isdigit() for c in iban) < length // 2:
            continue  # a run of words that happens to start like an IBAN
        found.append((m.start(), j, iban, is_valid_iban(iban)))
    return found

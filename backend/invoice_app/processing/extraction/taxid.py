"""Tax identifiers: EU VAT numbers with their check digits, German Steuernummer, GB VAT, Malaysian
SST/GST ids, Indian GSTIN and Australian ABN. Pure functions, no I/O.

`parse_tax_id(raw)` returns the normalised id ("DE136695976", "201/113/40209") or None. A VAT
number is returned with its country prefix and without spaces; a format without a check digit
(Steuernummer, SST) is returned as printed (trimmed) when its shape is unambiguous.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_SPACES = re.compile(r"[\s.\-]")


def _digits(text: str) -> list[int]:
    return [int(c) for c in text]


def _luhn(number: str) -> bool:
    total = 0
    for i, d in enumerate(reversed(_digits(number))):
        if i % 2:
            d *= 2
            d -= 9 if d > 9 else 0
        total += d
    return total % 10 == 0


def _de(n: str) -> bool:
    """ISO 7064 MOD 11,10 over the 9 digits."""
    if not re.fullmatch(r"[1-9]\d{8}", n):
        return False
    product = 10
    for d in _digits(n[:8]):
        s = (d + product) % 10 or 10
        product = (2 * s) % 11
    return (11 - product) % 10 == int(n[8])


def _at(n: str) -> bool:
    """U + 8 digits; the last is a Luhn-like check over the first seven, offset by 4."""
    if not re.fullmatch(r"U\d{8}", n):
        return False
    d = _digits(n[1:])
    s = 0
    for i, v in enumerate(d[:7]):
        s += v if i % 2 == 0 else (2 * v) // 10 + (2 * v) % 10
    return (10 - (s + 4) % 10) % 10 == d[7]


def _fr(n: str) -> bool:
    """2-character key + SIREN (9 digits, Luhn); a numeric key is (12 + 3 × (SIREN mod 97)) mod 97."""
    if not re.fullmatch(r"[0-9A-HJ-NP-Z]{2}\d{9}", n):
        return False
    siren = n[2:]
    # Monaco's numbers (000…) are not SIRENs; La Poste's SIREN is the one exception to Luhn.
    if siren[:3] != "000" and not _luhn(siren) and siren != "356000000":
        return False
    if n[:2].isdigit():
        return int(n[:2]) == (12 + 3 * (int(siren) % 97)) % 97
    # The letter keys of the new scheme: a check over the key's positions in the alphabet.
    alphabet = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    a, b = alphabet.index(n[0]), alphabet.index(n[1])
    check = a * 24 + b - 10 if n[0].isdigit() else a * 34 + b - 100
    return (int(siren) + 1 + check // 11) % 11 == check % 11


def _nl(n: str) -> bool:
    """9 digits, B, 2 digits: the mod-11 check (companies) or mod-97 over NL+number (since 2020)."""
    if not re.fullmatch(r"\d{9}B\d{2}", n) or n.endswith("B00"):
        return False
    d = _digits(n[:9])
    eleven = sum(v * w for v, w in zip(d[:8], range(9, 1, -1), strict=True)) % 11 == d[8]
    from .iban import mod97

    return eleven or mod97("NL" + n) == 1


def _be(n: str) -> bool:
    """10 digits starting 0 or 1: the last two are 97 − (first eight mod 97)."""
    if not re.fullmatch(r"[01]\d{9}", n):
        return False
    return (int(n[:8]) + int(n[8:])) % 97 == 0


def _it(n: str) -> bool:
    """11 digits: company number, office code, Luhn check digit."""
    if not re.fullmatch(r"\d{11}", n) or int(n[:7]) == 0:
        return False
    office = n[7:10]  # the issuing provincial office
    return ("001" <= office <= "100" or office in ("120", "121", "888", "999")) and _luhn(n)


_ES_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"


def _es(n: str) -> bool:
    """NIF (8 digits + letter), NIE (X/Y/Z + 7 digits + letter) or CIF (letter + 7 digits + control)."""
    if re.fullmatch(r"\d{8}[A-Z]", n):
        return _ES_LETTERS[int(n[:8]) % 23] == n[8]
    if re.fullmatch(r"[XYZ]\d{7}[A-Z]", n):
        return _ES_LETTERS[int(str("XYZ".index(n[0])) + n[1:8]) % 23] == n[8]
    if re.fullmatch(r"[A-HJNP-SUVW]\d{7}[0-9A-J]", n):
        d = _digits(n[1:8])
        odd = sum((2 * v) // 10 + (2 * v) % 10 for v in d[0::2])
        control = (10 - (odd + sum(d[1::2])) % 10) % 10
        return n[8] in (str(control), "JABCDEFGHI"[control])
    if re.fullmatch(r"[KLM]\d{7}[A-Z]", n):
        return _ES_LETTERS[int(n[1:8]) % 23] == n[8]
    return False


def _gb(n: str) -> bool:
    """9 digits (12 with a branch): weights 8..2 plus the last two, 0 or 55 modulo 97."""
    if re.fullmatch(r"(?:GD[0-4]\d{2}|HA[5-9]\d{2})", n):
        return True  # government departments and health authorities
    if not re.fullmatch(r"\d{9}(?:\d{3})?", n):
        return False
    d = _digits(n[:9])
    s = sum(v * w for v, w in zip(d[:7], range(8, 1, -1), strict=True)) + int(n[7:9])
    # 0 for the old series; 42 (≡ −55) or 55 for the "9755" series issued since 2010 (from 100 on).
    return s % 97 == 0 if int(n[:3]) < 100 else s % 97 in (0, 42, 55)


EU_VAT: dict[str, Callable[[str], bool]] = {
    "DE": _de,
    "AT": _at,
    "FR": _fr,
    "NL": _nl,
    "BE": _be,
    "IT": _it,
    "ES": _es,
    "GB": _gb,
    "XI": _gb,  # Northern Ireland
}
# Member states whose checks are not implemented: the shape alone (prefix + 8-12 characters).
_OTHER_EU = frozenset(
    ("BG", "CY", "CZ", "DK", "EE", "EL", "FI", "HR", "HU", "IE",
     "LT", "LU", "LV", "MT", "PL", "PT", "RO", "SE", "SI", "SK")
)  # fmt: skip


def parse_vat(raw: str) -> str | None:
    """An EU / GB VAT number with its country prefix, normalised ("DE 136 695 976" → "DE136695976")."""
    vat = _SPACES.sub("", raw).upper()
    if vat.startswith("BE") and len(vat) == 11:
        vat = "BE0" + vat[2:]  # the old 9-digit form
    country, number = vat[:2], vat[2:]
    check = EU_VAT.get(country)
    if check is not None:
        return vat if check(number) else None
    shaped = re.fullmatch(r"[0-9A-Z]{8,12}", number) and sum(c.isdigit() for c in number) >= 7
    if country in _OTHER_EU and shaped:
        return vat
    return None


# The fourth letter of a PAN says who holds it (company, person, firm, trust, …).
_PAN_HOLDERS = frozenset("ABCFGHJKLPT")


def is_valid_gstin(raw: str) -> bool:
    """Indian GSTIN: state (2 digits), PAN (5 letters, 4 digits, 1 letter), entity, Z, base-36 check."""
    g = raw.strip().upper()
    if not re.fullmatch(r"\d{2}[A-Z]{5}\d{4}[A-Z][1-9A-Z]Z[0-9A-Z]", g) or g[5] not in _PAN_HOLDERS:
        return False
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    total = 0
    for i, ch in enumerate(g[:14]):
        product = alphabet.index(ch) * (2 if i % 2 else 1)
        total += product // 36 + product % 36
    return alphabet[(36 - total % 36) % 36] == g[14]


def is_valid_abn(raw: str) -> bool:
    """Australian Business Number: 11 digits, weighted sum (first digit minus one) divisible by 89."""
    n = re.sub(r"\s", "", raw)
    if not re.fullmatch(r"[1-9]\d{10}", n) or int(n[:2]) < 11:  # the check digits run 11..99
        return False
    d = _digits(n)
    d[0] -= 1
    return sum(v * w for v, w in zip(d, (10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19), strict=True)) % 89 == 0


# German Steuernummer as printed: "201/113/40209", "12/345/67890", "143/234/56789"; or the 13-digit
# federal form "2893081508152". Its check digit depends on the Land, so only the shape is checked.
_STEUERNUMMER = re.compile(r"\d{2,3}/\d{3,4}/\d{4,5}")
_STEUERNUMMER_13 = re.compile(r"[1-9]\d{12}")
# Malaysian SST registration ("W10-1808-31000099", "B16-1809-32000124") and GST ids (12 digits).
_MY_SST = re.compile(r"[A-Z]\d{2}-\d{4}-\d{8}")
_MY_GST = re.compile(r"\d{12}")


def parse_steuernummer(raw: str) -> str | None:
    s = raw.strip()
    return s if _STEUERNUMMER.fullmatch(s) or _STEUERNUMMER_13.fullmatch(s) else None


def parse_tax_id(raw: str, *, context: str = "") -> str | None:
    """Any of the supported ids in `raw` (one token, spaces allowed inside a VAT number), normalised.

    `context` is the label it followed ("steuernummer", "gst", "sst", "abn"): the formats without a
    country prefix are only accepted after their label.
    """
    text = raw.strip().strip(".,;:()")
    if not text:
        return None
    vat = parse_vat(text)
    if vat:
        return vat
    upper = _SPACES.sub("", text).upper()
    if is_valid_gstin(upper):
        return upper
    label = context.lower()
    if "abn" in label and is_valid_abn(upper):
        return upper
    if ("steuer" in label or "st.-nr" in label or "stnr" in label) and (s := parse_steuernummer(text)):
        return s
    if ("sst" in label or "gst" in label or "tax" in label) and _MY_SST.fullmatch(text.upper()):
        return text.upper()
    if "gst" in label and _MY_GST.fullmatch(upper):
        return upper
    return None

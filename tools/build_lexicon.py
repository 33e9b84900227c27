"""Writes the English word list the name spelling correction looks words up in.

    apt-get install wamerican wbritish && python tools/build_lexicon.py

From SCOWL's American and British lists as Debian ships them (size 50, the packages' default):
lower-case ASCII words of six letters or more, one per line, gzip-compressed and reproducible
(no timestamp in the header). Words of that length are the only ones `spelling.py` corrects or
corrects to. SCOWL's copyright notice goes with the file (`lexicon/SCOWL-LICENSE.txt`).
"""

from __future__ import annotations

import gzip
import io
import sys
from pathlib import Path

SOURCES = (Path("/usr/share/dict/american-english"), Path("/usr/share/dict/british-english"))
TARGET = (
    Path(__file__).resolve().parent.parent / "backend/invoice_app/processing/extraction/lexicon/en.txt.gz"
)
MIN_LETTERS = 6


def words() -> list[str]:
    found: set[str] = set()
    for source in SOURCES:
        for line in source.read_text(encoding="utf-8").splitlines():
            word = line.strip()
            if len(word) >= MIN_LETTERS and word.isascii() and word.isalpha() and word.islower():
                found.add(word)
    return sorted(found)


def main() -> None:
    listed = words()
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0, filename="") as out:
        out.write(("\n".join(listed) + "\n").encode("ascii"))
    TARGET.write_bytes(buffer.getvalue())
    sys.stdout.write(f"{TARGET}: {len(listed)} words, {len(buffer.getvalue()) / 1024:.0f} KiB\n")


if __name__ == "__main__":
    main()

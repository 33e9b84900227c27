"""Words of a name that OCR misread by one letter, put right from an English word list.

`VERBENA CONFECTIUNERY SDN BHD` → `CONFECTIONERY`, `Goardian Health` → `Guardian`, `SANYU
STATONERY SHOP` → `STATIONERY`: both engines misread the same shapes (o/u, f/p, a dropped i), and a
long word outside the dictionary with exactly one dictionary word a misread away is almost always
that word. Short words and the near misses of proper names stay as read: only words of seven
letters or more are touched (`MENTAI` is a name, not a misread `MENTAL`), a letter is only added
back to words of nine or more (`Realties` is not `Realities`), only letters OCR confuses are
swapped, and a word with two dictionary neighbours is left alone. Used on names read by OCR only:
a text layer prints what the seller typed.

The list (`lexicon/en.txt.gz`, SCOWL's American and British words, `tools/build_lexicon.py`) is read
on the first name that needs it.
"""

from __future__ import annotations

import gzip
import re
from functools import cache
from pathlib import Path

_LEXICON = Path(__file__).with_name("lexicon") / "en.txt.gz"
MIN_LETTERS = 7  # a shorter word outside the dictionary is as likely a name as a misread
MIN_LETTERS_TO_GROW = 9  # a dropped letter is only restored in words this long
# Letters the engines read for one another on receipt print (each group: any for any).
_CONFUSABLE = "iljt oudqc ce cg ef fp hmn rk bh uv vy gq ao ae"
_CONFUSED = {
    a: "".join(sorted({b for g in _CONFUSABLE.split() if a in g for b in g} - {a}))
    for a in "abcdefghijklmnopqrstuvwxyz"
}
_THIN = "ilt"  # letters an engine adds or drops (a stroke taken for a letter, or lost)
_WORD = re.compile(r"[A-Za-z]+")


@cache
def _words() -> frozenset[str]:
    with gzip.open(_LEXICON, "rt", encoding="ascii") as f:
        return frozenset(f.read().split())


def _neighbours(word: str) -> set[str]:
    """Dictionary words one misread away from `word` (lower case)."""
    out: set[str] = set()
    for i, ch in enumerate(word):
        out.update(word[:i] + c + word[i + 1 :] for c in _CONFUSED.get(ch, ""))
        if ch in _THIN:
            out.add(word[:i] + word[i + 1 :])
    if len(word) >= MIN_LETTERS_TO_GROW:
        out.update(word[:i] + c + word[i:] for i in range(len(word) + 1) for c in _THIN)
    return out & _words()


def _same_case(word: str, like: str) -> str:
    if like.isupper():
        return word.upper()
    return word.capitalize() if like[:1].isupper() else word


def _correct_word(m: re.Match[str]) -> str:
    token = m.group(0)
    low = token.lower()
    if len(low) < MIN_LETTERS or low in _words():
        return token
    found = _neighbours(low)
    return _same_case(found.pop(), token) if len(found) == 1 else token


def correct_name(name: str) -> str:
    """`name` with each long misread word replaced by its one dictionary neighbour."""
    return _WORD.sub(_correct_word, name)

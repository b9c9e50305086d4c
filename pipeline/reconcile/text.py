"""Fold printed text into comparable words: typography, case, accents and punctuation set aside.

Two outlets print the same name or remark with curly or straight marks, dashes or hyphens, '…' or
'...', 'N.K.' or 'NK', and 'Jong-un' or 'Jong Un'. Every comparison in reconciliation is made on
``words(text)``, never on the printed string.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# fmt: off
_TYPOGRAPHY = str.maketrans(
    {
        "‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "`": "'",
        "“": '"', "”": '"', "„": '"', "‟": '"', "″": '"',
        "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "−": "-",
        "…": "...", "\u00a0": " ",
    }
)
# fmt: on
_POSSESSIVE = re.compile(r"'[sS]\b")
_INNER_MARKS = re.compile(r"['.]")  # 'U.S.' -> 'US', "O'Brien" -> 'OBrien'; not word breaks
_WORD = re.compile(r"[^\W_]+")
ELLIPSIS = re.compile(r"\.\.\.+")


def fold(text: str) -> str:
    """Lower case, accents off, typographic marks made plain: 'Türkiye’s' -> "turkiye's"."""
    return _plain(text).casefold()


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.translate(_TYPOGRAPHY))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _split(plain: str) -> tuple[str, ...]:
    plain = _POSSESSIVE.sub("", plain)
    # A dot between letters joins an abbreviation; a dot before a space ends a sentence.
    plain = _INNER_MARKS.sub("", plain.replace(". ", " "))
    return tuple(_WORD.findall(plain))


@lru_cache(maxsize=65536)
def words(text: str) -> tuple[str, ...]:
    """The words of a printed text: "N.K.'s Kim Jong-un" -> ('nk', 'kim', 'jong', 'un')."""
    return _split(fold(text))


def cased_words(text: str) -> tuple[str, ...]:
    """``words`` with their printed case, to tell proper nouns: ('NK', 'Kim', 'Jong', 'un')."""
    return _split(_plain(text))


def lookup_key(text: str) -> str:
    """Words of a name joined by spaces, a leading 'the' set aside: 'The Kremlin' -> 'kremlin'."""
    found = words(text)
    if len(found) > 1 and found[0] == "the":
        found = found[1:]
    return " ".join(found)


def slug(text: str) -> str:
    """An id-safe form of a name: 'Kim Jong Un' -> 'kim-jong-un'."""
    return "-".join(words(text)) or "unnamed"

"""Whether a word is someone's given name, by the name list that gender-guesser ships.

The list (Jörg Michael's dictionary of some 40,000 first names from every region) tells a real
given name ('Nawaz', beside his brother 'Shehbaz Sharif') from a misprint ('Manhole' for 'Robert'
Wood): only the second may be read as a misprint of a name in the same article.
"""

from __future__ import annotations

from functools import lru_cache

from gender_guesser.detector import Detector  # type: ignore[import-untyped]  # no type stubs


@lru_cache(maxsize=1)
def _detector() -> Detector:
    return Detector(case_sensitive=False)


@lru_cache(maxsize=4096)
def is_listed_given_name(word: str) -> bool:
    """'nawaz' -> True, 'manhole' -> False."""
    return bool(word) and _detector().get_gender(word) != "unknown"

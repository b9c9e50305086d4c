"""Whether a word is someone's given name, by the name list that gender-guesser ships and the
names of Faker's person providers that it lacks (``given_names.v1.toml``, generated).

The lists (Jörg Michael's dictionary of some 40,000 first names from every region; Faker's first
names of 86 locales) tell a real given name ('Nawaz', beside his brother 'Shehbaz Sharif';
'Jarosław' beside 'Lech') from a misprint ('Manhole' for 'Robert' Wood): only the second may be
read as a misprint of a name in the same article.
"""

from __future__ import annotations

from functools import lru_cache

from gender_guesser.detector import Detector  # type: ignore[import-untyped]  # no type stubs

from pipeline.datafiles import load_toml_model
from pipeline.errors import ReconcileError
from pipeline.reconcile.knowledge import KNOWLEDGE_DIR
from schemas.knowledge import GivenNameList

GIVEN_NAMES_FILE = KNOWLEDGE_DIR / "given_names.v1.toml"  # by `python -m scripts.knowledge`


@lru_cache(maxsize=1)
def _detector() -> Detector:
    return Detector(case_sensitive=False)


@lru_cache(maxsize=1)
def _other_names() -> frozenset[str]:
    return frozenset(load_toml_model(GIVEN_NAMES_FILE, GivenNameList, error=ReconcileError).names)


@lru_cache(maxsize=4096)
def is_listed_given_name(word: str) -> bool:
    """'nawaz' -> True, 'manhole' -> False."""
    return bool(word) and _detector().get_gender(word) != "unknown"


@lru_cache(maxsize=65536)
def given_name_gender(word: str) -> str | None:
    """'male' or 'female' where gender-guesser is sure of the name ('carlos'), else None."""
    found: str = _detector().get_gender(word)
    return found if found in ("male", "female") else None


def is_given_name(word: str) -> bool:
    """Listed by gender-guesser or by Faker: 'jaroslaw' -> True, 'manhole' -> False."""
    return is_listed_given_name(word) or word in _other_names()

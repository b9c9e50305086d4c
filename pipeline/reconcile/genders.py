"""Whether two printed person names are a man's and a woman's, so never one person.

'Mrs Mendes' is not the only 'Carlos Mendes' of a corpus, and 'Mr Ortega' is not 'Mrs Ortega':
the honorific says so (``honorific_genders.v1.toml``, from Faker's person providers), and a given
name says so where gender-guesser is sure of it. Actor and quote reconciliation both ask here.
"""

from __future__ import annotations

from functools import lru_cache

from pipeline.datafiles import load_toml_model
from pipeline.errors import ReconcileError
from pipeline.reconcile.given_names import given_name_gender
from pipeline.reconcile.knowledge import KNOWLEDGE_DIR
from pipeline.reconcile.names import ActorName
from pipeline.reconcile.text import words
from schemas.knowledge import HonorificGenders

# By `python -m scripts.honorific_genders`, from Faker's person providers.
HONORIFIC_GENDERS_FILE = KNOWLEDGE_DIR / "honorific_genders.v1.toml"


@lru_cache(maxsize=1)
def _honorific_genders() -> dict[str, str]:
    genders = load_toml_model(HONORIFIC_GENDERS_FILE, HonorificGenders, error=ReconcileError)
    return {**dict.fromkeys(genders.male, "male"), **dict.fromkeys(genders.female, "female")}


def honorific_gender(title: str | None) -> str | None:
    """'male' or 'female' by an honorific among the title's words ('Mrs'), else None."""
    honorifics = _honorific_genders()
    for word in words(title or ""):
        if word in honorifics:
            return honorifics[word]
    return None


def person_gender(name: ActorName) -> str | None:
    """By the honorific printed before the name, else by its first given name where
    gender-guesser is sure of it ('Carlos'); None where neither tells."""
    found = honorific_gender(name.title)
    if found is None and name.given and len(name.given[0]) > 1:
        found = given_name_gender(name.given[0])
    return found


def genders_differ(left: ActorName, right: ActorName) -> bool:
    """Both names tell a gender, and not the same one."""
    gender_left = person_gender(left)
    if gender_left is None:
        return False
    gender_right = person_gender(right)
    return gender_right is not None and gender_right != gender_left

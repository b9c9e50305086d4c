"""Given names of every language Faker's person providers cover, beside gender-guesser's list.

gender-guesser's dictionary tells a real given name from a misprint; it lacks many names of Central
and Eastern Europe, Africa and Asia ('Jarosław'), so two brothers of one article could be read as
one name and its misprint. Faker (``faker.providers.person``, one provider per locale) lists the
first names each locale's generator draws from; the names gender-guesser already knows are left
out of the file.
"""

from __future__ import annotations

import importlib
import pkgutil

from pipeline.reconcile.given_names import is_listed_given_name
from pipeline.reconcile.text import lookup_key

_LISTS = ("first_names", "first_names_male", "first_names_female", "first_names_nonbinary")
_SURNAME_LISTS = ("last_names", "last_names_male", "last_names_female")


def _faker_names(lists: tuple[str, ...]) -> tuple[set[str], int]:
    import faker.providers.person as person

    found: set[str] = set()
    locales = 0
    for module in pkgutil.iter_modules(person.__path__):
        provider = importlib.import_module(f"{person.__name__}.{module.name}").Provider
        locales += 1
        for attribute in lists:
            names = provider.__dict__.get(attribute)  # some locales build them in a property
            if isinstance(names, (list, tuple, dict)):
                found |= {lookup_key(str(name)) for name in names}
    return found, locales


def faker_given_names() -> tuple[list[str], int]:
    """(folded given names gender-guesser lacks, how many locales were read)."""
    found, locales = _faker_names(_LISTS)
    return sorted(n for n in found if n and " " not in n and not is_listed_given_name(n)), locales


def faker_surnames() -> frozenset[str]:
    """Folded family names of Faker's locales: 'khan', 'shah' (titles too, but surnames first)."""
    return frozenset(_faker_names(_SURNAME_LISTS)[0])

"""Write pipeline/knowledge/honorific_genders.v<N>.toml: honorifics that name a man or a woman.

    pip install 'faker>=40.0'
    python -m scripts.honorific_genders [--version 1]

'Mr Ortega' and 'Mrs Ortega' are two people, however alike the rest of the name; which honorifics
say so is each language's, not ours to type: Faker's person providers list, per locale, the
prefixes of men's and of women's names ('Mr.', 'Mrs.', 'Ms.', 'Frau', 'Sra.'). A prefix listed for
one only names that one; one listed for both ('Dr.', military ranks) names neither.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
from importlib.metadata import version as package_version
from pathlib import Path

import faker.providers.person as person_providers
import tomli_w

from pipeline.reconcile.text import words

KNOWLEDGE = Path(__file__).resolve().parent.parent / "pipeline" / "knowledge"
HEADER = """# Honorifics that name a man or a woman, version {version}. GENERATED: never edit;
# run `python -m scripts.honorific_genders --version {next}` for the next version. From Faker's
# person providers' male and female prefixes ({locales} locales), one word of two letters or
# more; a prefix of both names neither.

"""


def honorific_genders() -> tuple[list[str], list[str], int]:
    """(male, female, how many locales list prefixes), folded, one word each."""
    male: set[str] = set()
    female: set[str] = set()
    locales = 0
    for module in pkgutil.iter_modules(person_providers.__path__):
        provider = getattr(
            importlib.import_module(f"{person_providers.__name__}.{module.name}"), "Provider", None)
        found = False
        for attribute, into in (("prefixes_male", male), ("prefixes_female", female)):
            prefixes = getattr(provider, attribute, None) or ()
            for prefix in prefixes:
                folded = words(prefix)
                # One word of two letters or more: 'D.' or 'T.' would read as an initial.
                if len(folded) == 1 and len(folded[0]) > 1:
                    into.add(folded[0])
                    found = True
        locales += found
    return sorted(male - female), sorted(female - male), locales


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--version", type=int, default=1)
    args = parser.parse_args()
    male, female, locales = honorific_genders()
    data = {
        "version": args.version,
        "generated_by": "python -m scripts.honorific_genders",
        "sources": {"faker": package_version("faker")},
        "male": male,
        "female": female,
    }
    path = KNOWLEDGE / f"honorific_genders.v{args.version}.toml"
    header = HEADER.format(version=args.version, next=args.version + 1, locales=locales)
    path.write_text(header + tomli_w.dumps(data), encoding="utf-8")
    print(f"wrote {path} ({len(male)} male, {len(female)} female)")


if __name__ == "__main__":
    main()

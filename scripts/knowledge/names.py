"""Which strings of the data packages may stand as a name: Latin script, not a bare code."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from pipeline.reconcile.text import lookup_key, slug


def is_latin(text: str) -> bool:
    """Letters of the Latin script only (accents allowed): native scripts are never printed in
    English-language news as an actor's name."""
    return all("LATIN" in unicodedata.name(char, "") for char in text if char.isalpha())


def is_inverted(text: str) -> bool:
    """'Korea, Republic of': a catalogue's sort form, never how news prints a name."""
    return "," in text or "(" in text


def usable(text: str) -> bool:
    return bool(text.strip()) and is_latin(text) and not is_inverted(text)


def distinct_names(names: list[str], *, besides: str) -> list[str]:
    """Names in first-seen order, one per lookup key, none equal to ``besides``."""
    seen = {lookup_key(besides)}
    kept: list[str] = []
    for name in names:
        key = lookup_key(name)
        if key and key not in seen:
            seen.add(key)
            kept.append(name.strip())
    return kept


def common_english_words(wordnet: Path) -> frozenset[str]:
    """Folded lemmas that WordNet 3.0 (Debian ``wordnet-base``) prints in lower case in any part
    of speech: common words ('pristine', 'soul'), not proper names ('Paris')."""
    found: set[str] = set()
    for part in ("noun", "verb", "adj", "adv"):
        for line in (wordnet / f"data.{part}").read_text(encoding="utf-8").splitlines():
            if line.startswith(" "):
                continue
            fields = line.split()
            count = int(fields[3], 16)
            for lemma in fields[4 : 4 + 2 * count : 2]:
                lemma = lemma.split("(")[0].replace("_", " ")
                if lemma.islower():
                    found.add(lookup_key(lemma))
    return frozenset(found)


__all__ = [
    "common_english_words",
    "distinct_names",
    "is_inverted",
    "is_latin",
    "lookup_key",
    "slug",
    "usable",
]

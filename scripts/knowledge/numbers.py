"""Cardinal number words from WordNet 3.0: the adjective synsets that hold one numeral lemma.

'twenty, 20, xx' gives 'twenty' -> '20'; roman numerals and one-letter lemmas ('k') are left out.
"""

from __future__ import annotations

from pathlib import Path

ROMAN = frozenset("ivxlcdm")


def number_words(wordnet: Path) -> dict[str, str]:
    """Folded number word -> its digits, from ``data.adj`` (Debian ``wordnet-base``)."""
    found: dict[str, str] = {}
    for line in (wordnet / "data.adj").read_text(encoding="utf-8").splitlines():
        if line.startswith(" "):
            continue
        fields = line.split()
        count = int(fields[3], 16)
        lemmas = [lemma.split("(")[0] for lemma in fields[4 : 4 + 2 * count : 2]]
        digits = [lemma for lemma in lemmas if lemma.isdigit()]
        if len(digits) != 1:
            continue
        for lemma in lemmas:
            if lemma.isalpha() and lemma.islower() and len(lemma) > 2 and set(lemma) - ROMAN:
                found.setdefault(lemma, digits[0])
    return dict(sorted(found.items(), key=lambda item: (int(item[1]), item[0])))

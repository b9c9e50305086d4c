"""Words for a state's government, from WordNet 3.0: the lemmas of the synset 'government'.

'the Nigerian government', 'Syrian authorities', 'the Iranian regime', printed as a state, stand
for that state: WordNet's synset 08050678 ('the organization that is the governing authority of a
political unit') holds 'government', 'authorities' and 'regime'.
"""

from __future__ import annotations

from pathlib import Path

GOVERNMENT = "08050678"  # government, authorities, regime (WordNet 3.0 noun offset)


def government_words(data_noun: Path) -> list[str]:
    """The folded single-word lemmas of WordNet's 'government' synset, from ``data.noun``."""
    with data_noun.open(encoding="utf-8") as handle:
        for line in handle:
            if line.startswith(GOVERNMENT + " "):
                fields = line.split()
                count = int(fields[3], 16)
                lemmas = fields[4 : 4 + 2 * count : 2]
                return sorted({lemma.casefold() for lemma in lemmas if lemma.isalpha()})
    raise ValueError(f"synset {GOVERNMENT} not in {data_noun}")

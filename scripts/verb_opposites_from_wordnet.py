"""Write pipeline/knowledge/verb_opposites.v1.json: which news verbs state the opposite act.

    apt-get install -y wordnet-base
    python -m scripts.verb_opposites_from_wordnet

"The ECB raised rates by 0.25 points" and "the ECB cut rates by 0.25 points" share agent, object
and number, and a model codes both as one event type with one theme: only the verb tells them
apart. WordNet says which verbs are opposites (its antonym pointer '!': increase / decrease, raise
/ lower, approve / reject), between senses or their hypernyms ('cut' is a kind of 'reduce', a kind
of 'decrease'). Each verb the predicate lexicon knows keeps the synsets of its first senses and
their hypernyms that take part in an antonym pair (``poles``) and the synsets opposite to those
(``against``): two verbs oppose when one's poles meet the other's against.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from scripts.wordnet_db import WordNet, debian_version

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE = ROOT / "pipeline" / "knowledge"
PREDICATES = KNOWLEDGE / "predicates.v3.json"
# A verb's senses that count (WordNet lists them most frequent first) and how far up their
# hypernyms an opposite is sought: 'slash' -> 'cut' -> 'reduce' -> 'decrease'. Checked on about
# a hundred verb pairs of one act ('supply' / 'send', 'fire' / 'launch', 'cut' / 'slash', 'raise'
# / 'hike', 'approve' / 'ratify', 'carry out' / 'launch'): none opposes at these depths; with
# four senses 'carry out' (complete) opposes 'launch' (begin).
SENSES = 3
UP = 3


def _up(wordnet: WordNet, offsets: set[str], steps: int) -> set[str]:
    found, frontier = set(offsets), set(offsets)
    for _ in range(steps):
        frontier = {h for o in frontier for h in wordnet.synsets[o].related("@")}
        found |= frontier
    return found


def closure(wordnet: WordNet, lemma: str) -> set[str]:
    """The first senses of a verb and their hypernyms up to ``UP`` steps, and the first sense
    (and its hypernym) of each word of its first sense and that sense's hypernym: 'hike' (boost)
    is a kind of 'raise' (lift), whose first sense is a kind of 'increase', the opposite of
    'decrease' that 'cut' is a kind of."""
    senses = wordnet.lemma_senses(lemma)
    found = _up(wordnet, {s.offset for s in senses[:SENSES]}, UP)
    near = _up(wordnet, {senses[0].offset}, 1) if senses else set()
    firsts = {
        wordnet.lemma_senses(word)[0].offset
        for offset in near
        for word in wordnet.synsets[offset].lemmas
        if wordnet.lemma_senses(word)
    }
    return found | _up(wordnet, firsts, 1)


def build() -> dict[str, object]:
    wordnet = WordNet("v")
    verbs = sorted(json.loads(PREDICATES.read_text(encoding="utf-8"))["verbs"])
    opposite = {o: set(s.related("!")) for o, s in wordnet.synsets.items() if s.related("!")}
    for offset, others in list(opposite.items()):
        for other in others:  # antonymy is symmetric; WordNet lists most pairs both ways
            opposite.setdefault(other, set()).add(offset)
    entries: dict[str, dict[str, list[str]]] = {}
    for lemma in verbs:
        poles = closure(wordnet, lemma.replace(" ", "_")) & opposite.keys()
        if poles:
            entries[lemma] = {
                "poles": sorted(poles),
                "against": sorted(set().union(*(opposite[p] for p in poles))),
            }
    return {
        "version": 1,
        "source": f"WordNet 3.0 verbs (Debian wordnet-base {debian_version()}), antonym pointers",
        "generated_by": "scripts/verb_opposites_from_wordnet.py; do not edit: run the script",
        "senses": SENSES,
        "up": UP,
        "verbs": entries,
    }


def main() -> None:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    document = build()
    out = KNOWLEDGE / "verb_opposites.v1.json"
    out.write_text(json.dumps(document, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{out}: {len(document['verbs'])} verbs")  # type: ignore[arg-type]


if __name__ == "__main__":
    main()

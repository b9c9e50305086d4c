"""Write pipeline/knowledge/theme_senses.v<N>.json: each English noun's senses and its nearest kin.

    apt-get install -y wordnet-base
    python -m scripts.theme_senses_from_wordnet [--version 1]

Two event themes can name one thing with head words that are no synonyms: a kind and its kind
("output" is a kind of "production"), a part and its whole ("a weapon" is part of "arms"), or
nouns of verbs that are one act or one a kind of the other ("an embargo": to embargo is to ban).
Which nouns are so related is English, not ours to type: WordNet 3.0 (Debian wordnet-base)
says it. For each one-word noun (lowercased, hyphens dropped) the file keeps, over its two most
frequent senses (rarer ones join words a news reader keeps apart: "ban" is also a Moldovan coin):

- ``senses``: the synsets;
- ``broader``: their direct hypernyms (one step only) and the wholes they are a part or member of;
- ``verbs``: the verbs WordNet derives from this very noun ('ban' -> to ban, not the synset's
  'prohibition' -> to prohibit), with the two most frequent senses of each of those verbs and of
  the verb spelled as the noun (English makes verbs of nouns unchanged: 'an embargo', 'to
  embargo' a publication is to ban it; 'production' is of 'produce', which is to make);
- ``verb_broader``: those verbs' direct hypernyms.

Since version 2, a noun WordNet lists only beside another one-word noun (every synset of
'defence' also holds 'defense') also takes that noun's two most frequent senses: WordNet keeps
its frequencies on one spelling, and 'defence' alone would start with 'defence mechanism'.

Since version 3, the file also keeps ``hypernyms``: each noun synset's direct hypernyms (of a
class, of an instance), so that a reader can climb further than one step ('car' is a kind of
'vehicle' four steps up) and decide itself how far to go.

Synsets are written as their offsets in WordNet's noun or verb data file (integers).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from scripts.wordnet_db import WordNet, debian_version

KNOWLEDGE = Path(__file__).resolve().parent.parent / "pipeline" / "knowledge"
SENSES = 2
# Hypernyms (of a class, of an instance) and the wholes a thing is a part ('#p') or a member
# ('#m') of; substance holonyms are left out: water is in tears and in ice, which are no water.
BROADER = ("@", "@i", "#p", "#m")
HYPERNYMS = ("@", "@i")


def variant_of(nouns: WordNet, lemma: str, offsets: list[str]) -> list[str]:
    """The one-word nouns every synset of ``lemma`` also holds ('defence' -> 'defense')."""
    shared = set.intersection(*(set(nouns.synsets[o].lemmas) for o in offsets)) - {lemma}
    return sorted(other for other in shared if other.replace("-", "").isalpha())


def kin(
    nouns: WordNet, verbs: WordNet, lemma: str, offsets: list[str], *, version: int = 1
) -> list[list[int]]:
    """[senses, broader, verbs, verb_broader] of one lemma, each sorted."""
    senses = [nouns.synsets[o] for o in offsets[:SENSES]]
    if version >= 2:
        for other in variant_of(nouns, lemma, offsets):
            senses += [s for s in nouns.lemma_senses(other)[:SENSES] if s not in senses]
    broader = {o for s in senses for symbol in BROADER for o in s.related(symbol, "n")}
    pointed = [(o, t) for s in senses for o, t in s.related_from(lemma, "+", "v")]
    lemmas = {verbs.synsets[o].lemmas[t - 1] for o, t in pointed if t} | {lemma}
    derived = {o for o, _ in pointed} | {
        s.offset for verb in lemmas for s in verbs.lemma_senses(verb)[:SENSES]
    }
    verb_broader = {h for o in derived for h in verbs.synsets[o].related("@", "v")}
    return [sorted(int(s.offset) for s in senses), sorted(map(int, broader)),
            sorted(map(int, derived)), sorted(map(int, verb_broader))]  # fmt: skip


def build(nouns: WordNet, verbs: WordNet, *, version: int = 1) -> dict[str, list[list[int]]]:
    found: dict[str, list[list[int]]] = {}
    for lemma, offsets in sorted(nouns.senses.items()):
        key = lemma.replace("-", "")
        if key.isalpha() and key not in found:  # 'cease-fire' is 'ceasefire'
            found[key] = kin(nouns, verbs, lemma, offsets, version=version)
    return found


def hypernyms(nouns: WordNet) -> dict[str, list[int]]:
    """Each noun synset that has one -> its direct hypernyms, sorted (version 3)."""
    found = {}
    for offset, synset in sorted(nouns.synsets.items()):
        up = sorted({int(o) for symbol in HYPERNYMS for o in synset.related(symbol, "n")})
        if up:
            found[str(int(offset))] = up
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--version", type=int, default=1)
    args = parser.parse_args()
    nouns = WordNet("n")
    built = build(nouns, WordNet("v"), version=args.version)
    document = {
        "version": args.version,
        "source": f"WordNet 3.0 nouns and verbs, Debian package wordnet-base {debian_version()}",
        "generated_by": "scripts/theme_senses_from_wordnet.py; do not edit: run the script",
        "senses_per_noun": SENSES,
        "broader_pointers": list(BROADER),
        "fields": ["senses", "broader", "verbs", "verb_broader"],
        "nouns": built,
    }
    if args.version >= 3:
        document["hypernym_pointers"] = list(HYPERNYMS)
        document["hypernyms"] = hypernyms(nouns)
    out = KNOWLEDGE / f"theme_senses.v{args.version}.json"
    out.write_text(json.dumps(document, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{out}: {len(built)} nouns")


if __name__ == "__main__":
    main()

"""Write pipeline/knowledge/actor_nouns.v<N>.json: nouns that name a kind of actor, from WordNet.

    apt-get install -y wordnet-base
    python -m scripts.actor_nouns_from_wordnet [--version 1]

News names an actor again by what it is: "the bloc", "the country", "the minister". Which nouns
name a state, an organisation or a person is English, not ours to type: a one-word noun whose most
frequent WordNet 3.0 sense (Debian wordnet-base) is, through its hypernyms, a state ('state,
nation, country', noun 08168978), else an organisation (08008335), else a person (00007846).
Only the first sense counts: "the union" is a labour union before it is a state.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from scripts.wordnet_db import WordNet, debian_version

KNOWLEDGE = Path(__file__).resolve().parent.parent / "pipeline" / "knowledge"
# Actor kinds (schemas.extraction.ActorKind values) by the WordNet synset that heads them, the
# most specific first: a state is also an organisation in WordNet.
KINDS = (("country", "08168978"), ("organization", "08008335"), ("person", "00007846"))


def ancestors(nouns: WordNet, offset: str) -> set[str]:
    found, frontier = {offset}, [offset]
    while frontier:
        synset = nouns.synsets[frontier.pop()]
        for hypernym in synset.related("@", "n") + synset.related("@i", "n"):
            if hypernym not in found:
                found.add(hypernym)
                frontier.append(hypernym)
    return found


def build(nouns: WordNet) -> dict[str, list[str]]:
    kinds: dict[str, list[str]] = {kind: [] for kind, _ in KINDS}
    for lemma, offsets in sorted(nouns.senses.items()):
        if not lemma.isalpha():
            continue
        closure = ancestors(nouns, offsets[0])
        kind = next((kind for kind, head in KINDS if head in closure), None)
        if kind is not None:
            kinds[kind].append(lemma)
    return kinds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--version", type=int, default=1)
    args = parser.parse_args()
    kinds = build(WordNet("n"))
    document = {
        "version": args.version,
        "source": f"WordNet 3.0 nouns, Debian package wordnet-base {debian_version()}",
        "generated_by": "scripts/actor_nouns_from_wordnet.py; do not edit: run the script",
        "heads": dict(KINDS),
        "kinds": kinds,
    }
    out = KNOWLEDGE / f"actor_nouns.v{args.version}.json"
    out.write_text(json.dumps(document, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{out}: " + ", ".join(f"{len(v)} {k}" for k, v in kinds.items()))


if __name__ == "__main__":
    main()

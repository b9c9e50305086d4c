"""Write pipeline/knowledge/synonyms.v<N>.json: verbs, adjectives (v2: nouns) and their senses.

    apt-get install -y wordnet-base && pip install 'lemminflect>=0.2.3'
    python -m scripts.synonyms_from_wordnet [--version 2]

Outlets retelling a remark change its verbs ("allow" / "let", "surrender" / "give up", "begin" /
"start") and adjectives ("vital" / "critical"). Which words share a sense is English, not ours to
type: WordNet 3.0 (Debian wordnet-base) lists each lemma's synsets, most frequent first. A lemma
keeps its first ``MAIN_SENSES`` synsets as its main senses and, unless it has more than
``MAX_SENSES`` (words like "go" or "cut" mean too many things), all of them; two words are
synonyms when a main sense of one is a sense of the other ("surrender" means first what
"give up" means ninth). Only synsets of two lemmas or more count. Phrasal verbs are kept whole
("give up"), and inflected forms, from lemminflect, point to their lemma ("gave up", "taken").
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from importlib.metadata import version
from pathlib import Path

from lemminflect import getAllInflections

from scripts.wordnet_db import WordNet, debian_version

KNOWLEDGE = Path(__file__).resolve().parent.parent / "pipeline" / "knowledge"
MAIN_SENSES = 2
MAX_SENSES = 15
# Parts of speech by file version: v1 verbs and adjectives, what a retelling swaps most; v2 nouns
# too (the sense rule keeps topic nouns apart: 'ceasefire' / 'talks' share no sense).
PARTS = {1: ("v", "a"), 2: ("v", "a", "n")}


def _usable(lemma: str, *, hyphens: bool) -> bool:
    parts = lemma.replace("-", "_").split("_") if hyphens else lemma.split("_")
    return all(part.isalpha() for part in parts) and len(parts) <= 3


def _noun_forms(lemma: str) -> set[str]:
    """Plurals of a noun lemma, a compound's last word inflected: 'peace_talk' -> 'peace talks'."""
    *rest, head = lemma.split("_")
    heads = {form for forms in getAllInflections(head, upos="NOUN").values() for form in forms}
    return {" ".join([*rest, form]) for form in heads if form.isalpha()}


def _verb_forms(lemma: str) -> set[str]:
    """Inflected forms of a verb lemma, a phrasal verb's head inflected: 'give_up' -> 'gave up'."""
    head, *rest = lemma.split("_")
    heads = {form for forms in getAllInflections(head, upos="VERB").values() for form in forms}
    return {" ".join([form, *rest]) for form in heads if form.isalpha()}


def build(args: argparse.Namespace) -> dict[str, object]:
    numbers: dict[str, int] = {}
    lemmas: dict[str, list[list[int]]] = {}
    forms: defaultdict[str, set[str]] = defaultdict(set)
    hyphens = args.version >= 2
    for pos in PARTS[args.version]:
        wordnet = WordNet(pos)
        shared = {o for o, s in wordnet.synsets.items() if len({*s.lemmas}) >= 2}
        for lemma, offsets in sorted(wordnet.senses.items()):
            if not _usable(lemma, hyphens=hyphens):
                continue
            kept = [o for o in offsets if o in shared]
            main = [o for o in offsets[:MAIN_SENSES] if o in shared]
            if not kept:
                continue
            every = kept if len(offsets) <= MAX_SENSES else main
            name = lemma.replace("_", " ").replace("-", " ")
            if "-" in lemma:  # 'cease-fire' is printed 'ceasefire' too
                forms[lemma.replace("_", " ").replace("-", "")].add(name)
            entry = lemmas.setdefault(name, [[], []])
            for column, chosen in ((0, main), (1, every)):
                for offset in chosen:
                    number = numbers.setdefault(f"{pos}{offset}", len(numbers))
                    if number not in entry[column]:
                        entry[column].append(number)
            if pos == "v":
                for form in _verb_forms(lemma):
                    if form != name:
                        forms[form].add(name)
            elif pos == "n" and "-" not in lemma:
                for form in _noun_forms(lemma):
                    if form != name:
                        forms[form].add(name)
                        if form.replace(" ", "_") in wordnet.senses:  # 'talks': a noun itself
                            forms[form].add(form)
        for form, lemma in wordnet.exceptions.items():  # irregular forms WordNet lists
            name = lemma.replace("_", " ")
            if name in lemmas and form.isalpha() and form != name:
                forms[form].add(name)
    parts = "verbs and adjectives" if args.version == 1 else "verbs, adjectives and nouns"
    return {
        "version": args.version,
        "source": f"WordNet 3.0 {parts} (Debian wordnet-base "
        f"{debian_version()}); forms from lemminflect {version('lemminflect')}",
        "generated_by": "scripts/synonyms_from_wordnet.py; do not edit: run the script",
        "main_senses": MAIN_SENSES,
        "max_senses": MAX_SENSES,
        # lemma -> [its main senses, every sense that counts], senses numbered in this file
        "lemmas": {name: [sorted(a), sorted(b)] for name, (a, b) in sorted(lemmas.items())},
        # a plural that is a noun of its own points to itself only where that noun is kept
        "forms": {
            form: sorted(kept)
            for form, names in sorted(forms.items())
            if (kept := names & lemmas.keys())
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--version", type=int, choices=sorted(PARTS), default=2)
    args = parser.parse_args()
    document = build(args)
    out = KNOWLEDGE / f"synonyms.v{args.version}.json"
    out.write_text(json.dumps(document, separators=(",", ":")) + "\n", encoding="utf-8")
    lemmas, forms = document["lemmas"], document["forms"]
    assert isinstance(lemmas, dict) and isinstance(forms, dict)
    print(f"{len(lemmas)} lemmas, {len(forms)} inflected forms -> {out}")


if __name__ == "__main__":
    main()

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
from collections.abc import Container
from importlib.metadata import version
from pathlib import Path

from lemminflect import getAllInflections

from scripts.wordnet_db import WordNet, debian_version

KNOWLEDGE = Path(__file__).resolve().parent.parent / "pipeline" / "knowledge"
MAIN_SENSES = 2
MAX_SENSES = 15
# Parts of speech by file version: v1 verbs and adjectives, what a retelling swaps most; v2 nouns
# too (the sense rule keeps topic nouns apart: 'ceasefire' / 'talks' share no sense).
PARTS = {1: ("v", "a"), 2: ("v", "a", "n"), 3: ("v", "a", "n")}
# v3: a noun and the verb it is derived from ('intention' / 'intend', 'response' / 'respond':
# WordNet's lexical pointer '+'), and an adverb and its adjective ('firmly' / 'firm': '\\'), are
# one word retold: a translation turns one into the other ("has no intention of stepping down" /
# "does not intend to step down").
DERIVED = {3: (("n", "+", "v"), ("v", "+", "n"), ("r", "\\", "a"))}


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


def _add_forms(
    forms: defaultdict[str, set[str]], pos: str, lemma: str, name: str,
    nouns: Container[str] = (),
) -> None:
    """Each inflected form of ``lemma`` read as ``name``; a noun form that ``nouns`` holds as a
    noun of its own ('talks') is read as itself too."""
    if pos == "v":
        for form in _verb_forms(lemma):
            if form != name:
                forms[form].add(name)
    elif pos == "n" and "-" not in lemma:
        for form in _noun_forms(lemma):
            if form != name:
                forms[form].add(name)
                if form.replace(" ", "_") in nouns:
                    forms[form].add(form)


def _add_derived(
    version: int,
    lemmas: dict[str, list[list[int]]],
    numbers: dict[str, int],
    forms: defaultdict[str, set[str]],
) -> None:
    """Each derivation between two lemmas' senses is a sense both hold (numbered once per pair
    of synsets), a main sense of a lemma where it starts from one of its main senses: so
    'intend' and 'intention' are alike by the sense rule, and topic words stay as they were."""
    wordnets = {pos: WordNet(pos) for pos in ("n", "v", "a", "r")}
    for pos, symbol, other in DERIVED.get(version, ()):
        wordnet, target_net = wordnets[pos], wordnets[other]
        for lemma, offsets in sorted(wordnet.senses.items()):
            if not _usable(lemma, hyphens=True):
                continue
            for rank, offset in enumerate(offsets):
                synset = wordnet.synsets[offset]
                parts = ("a", "s") if other == "a" else (other,)  # 's': an adjective satellite
                found = [
                    (o, number)
                    for part in parts
                    for o, number in synset.related_from(lemma, symbol, part)
                ]
                for target_offset, number in found:
                    target = target_net.synsets.get(target_offset)
                    if target is None or not number:
                        continue
                    target_lemma = target.lemmas[number - 1]
                    target_offsets = target_net.senses.get(target_lemma, [])
                    if not _usable(target_lemma, hyphens=True) or target_offset not in (
                        target_offsets
                    ):
                        continue
                    pair = "d" + "-".join(sorted((f"{pos}{offset}", f"{other}{target_offset}")))
                    sense = numbers.setdefault(pair, len(numbers))
                    for word, at, count, part in (
                        (lemma, rank, len(offsets), pos),
                        (target_lemma, target_offsets.index(target_offset), len(target_offsets),
                         other),
                    ):
                        name = word.replace("_", " ").replace("-", " ")
                        if name not in lemmas:
                            _add_forms(forms, part, word, name)
                        entry = lemmas.setdefault(name, [[], []])
                        main, kept = at < MAIN_SENSES, count <= MAX_SENSES
                        columns = (0, 1) if main else (1,) if kept else ()
                        for column in columns:
                            if sense not in entry[column]:
                                entry[column].append(sense)


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
            _add_forms(forms, pos, lemma, name, nouns=wordnet.senses)
        for form, lemma in wordnet.exceptions.items():  # irregular forms WordNet lists
            name = lemma.replace("_", " ")
            if name in lemmas and form.isalpha() and form != name:
                forms[form].add(name)
    _add_derived(args.version, lemmas, numbers, forms)
    parts = "verbs and adjectives" if args.version == 1 else "verbs, adjectives and nouns"
    if args.version in DERIVED:
        parts += ", nouns and verbs derived one from the other, adverbs from adjectives"
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
    parser.add_argument("--version", type=int, choices=sorted(PARTS), default=max(PARTS))
    args = parser.parse_args()
    document = build(args)
    out = KNOWLEDGE / f"synonyms.v{args.version}.json"
    out.write_text(json.dumps(document, separators=(",", ":")) + "\n", encoding="utf-8")
    lemmas, forms = document["lemmas"], document["forms"]
    assert isinstance(lemmas, dict) and isinstance(forms, dict)
    print(f"{len(lemmas)} lemmas, {len(forms)} inflected forms -> {out}")


if __name__ == "__main__":
    main()

"""Write pipeline/knowledge/predicates.v<N>.json: news verbs -> PLOVER event types, from WordNet.

    apt-get install -y wordnet-base && pip install 'lemminflect>=0.2.3'
    python -m scripts.predicates_from_wordnet [--version 1]

A statement-only claim is read back by its verb. Which verbs state one act is English, not ours to
type: the PLOVER types are anchored on the verbs of this project's codebook glosses
(scripts/plover_glosses.toml: "use physical violence: attack, kill, bomb, shell, kidnap or
destroy"), and WordNet 3.0 (Debian wordnet-base) spreads each anchor to its synonyms and troponyms
("bomb" -> "bombard", "carpet-bomb"). A verb two types reach at the same distance is left out.

Every verb also keeps its sense keys (its most frequent synsets and their hypernyms), so that
verbs no type reaches can still be compared ("cut", "reduce", "trim" share a synset); and
``undo`` marks verbs that end or reverse an act (troponyms of WordNet's end, stop, cancel, remove,
annul), so that "lifted its ban" is never read as banning. Since version 2, ``gerund`` marks verbs
whose frequent senses take a verb's -ing form (WordNet's frame 33, "Somebody ----s VERB-ing":
'began releasing'), so that the act is read from that form. Since version 3, two-word phrasal verbs
are listed too ('shoot_down', which shares a sense with 'down'). Inflected forms come from
lemminflect.
"""

from __future__ import annotations

import argparse
import json
import re
import tomllib
from collections import defaultdict
from importlib.metadata import version
from pathlib import Path

from lemminflect import getAllInflections

from scripts.wordnet_db import WordNet, debian_version

ROOT = Path(__file__).resolve().parent.parent
GLOSSES = ROOT / "scripts" / "plover_glosses.toml"
KNOWLEDGE = ROOT / "pipeline" / "knowledge"
# Senses that count for a lemma (WordNet lists them most frequent first): rarer ones join words
# a news reader keeps apart ("fire" an employee is not "fire" a missile).
TYPE_SENSES = 2
KEY_SENSES = 3
# How far down the troponym tree an anchor spreads.
DEPTH = 2
# Anchors with more senses than this are too vague to name an act ("use", "hold", "give").
MAX_ANCHOR_SENSES = 12
# WordNet's verbs of ending or reversing an act, spread to their troponyms ("lift", "scrap").
UNDO_ANCHORS = ("end", "stop", "cancel", "remove", "annul", "abolish", "discontinue")
# PLOVER's types of deeds, not words: a verb of saying (WordNet's verb.communication) never
# states one ("announce" is no coercion, though 'declare emergency rule' is).
DEEDS = frozenset({"AID", "COOPERATE", "RETREAT", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
                   "PROTEST"})  # fmt: skip
COMMUNICATION = 32
GERUND_FRAME = 33
_LIST_SPLIT = re.compile(r",\s*|\s+or\s+|\s+and\s+")


def anchor_phrases(text: str) -> list[str]:
    """The verbs a gloss names: its head ('penalise a party') and each item after the colon."""
    head, _, items = text.partition(":") if ":" in text else ("", "", text)
    phrases = [head.strip()] + [p.strip() for p in _LIST_SPLIT.split(items) if p.strip()]
    return [p for p in phrases if p]


def anchor_verbs(phrase: str, verbs: WordNet, nouns: WordNet) -> list[str]:
    """The WordNet verb a phrase starts with: a phrasal verb first ('pull out', 'step down').
    A word English uses more as a noun ('troops', 'riots', 'manned') is not taken for a verb."""
    words = phrase.lower().split()
    for width in (3, 2, 1):
        if len(words) < width:
            continue
        lemma = "_".join(words[:width])
        lemma = verbs.exceptions.get(lemma, lemma)
        for candidate in dict.fromkeys((lemma, _british(lemma))):
            senses = verbs.senses.get(candidate)
            if not senses or (width == 1 and len(senses) > MAX_ANCHOR_SENSES):
                continue
            if width == 1 and words[0].endswith(("s", "ed")) and words[0] != candidate:
                continue  # 'troops', 'riots', 'manned': the gloss names a thing, not an act
            return [candidate]
    return []


def _phrasal(lemma: str) -> bool:
    """A verb and one particle or object word: 'shoot_down', 'pull_out', 'give_way'."""
    parts = lemma.split("_")
    return len(parts) == 2 and all(part.isalpha() for part in parts)


def _british(word: str) -> str:
    return word.replace("ise", "ize") if word.endswith(("ise", "ised")) else word


def spread(
    seeds: dict[str, list[str]], verbs: WordNet, senses: int, depth: int = DEPTH
) -> dict[str, tuple[str, int]]:
    """Each synset reached from a label's anchor lemmas -> (label, depth), closest first; a
    synset two labels reach at the same depth is marked ambiguous ('')."""
    reached: dict[str, tuple[str, int]] = {}
    for label, lemmas in seeds.items():
        frontier = [s.offset for lemma in lemmas for s in verbs.lemma_senses(lemma)[:senses]]
        for level in range(depth + 1):
            following = []
            for offset in frontier:
                known = reached.get(offset)
                if known is None or level < known[1]:
                    reached[offset] = (label, level)
                elif known[1] == level and known[0] != label:
                    reached[offset] = ("", level)
                following += verbs.synsets[offset].related("~", "v")
            frontier = following
    return reached


def build(
    verbs: WordNet, nouns: WordNet, glosses: dict[str, dict[str, object]], *, version: int = 1
) -> dict[str, object]:
    seeds: dict[str, list[str]] = defaultdict(list)
    for name, entry in glosses["types"].items():
        # The type's definition only: mode glosses name instruments and settings ('impose a
        # curfew'), whose verbs are no act of the type.
        for phrase in anchor_phrases(str(entry["definition"])):
            seeds[name] += anchor_verbs(phrase, verbs, nouns)
    typed = spread(dict(seeds), verbs, TYPE_SENSES)
    undo = spread({"undo": list(UNDO_ANCHORS)}, verbs, 1, depth=1)
    lemmas: dict[str, dict[str, object]] = {}
    for lemma, offsets in sorted(verbs.senses.items()):
        if not lemma.replace("-", "").isalpha() and not (version >= 3 and _phrasal(lemma)):
            continue  # before version 3, phrasal verbs ('pull_out') are read word by word
        frequent = [verbs.synsets[o] for o in offsets[:TYPE_SENSES]]
        found = sorted(
            (typed[s.offset][1], typed[s.offset][0])
            for s in frequent
            if s.offset in typed
            and not (typed[s.offset][0] in DEEDS and s.lexfile == COMMUNICATION)
        )
        best = [label for depth, label in found if depth == found[0][0]] if found else []
        plover = best[0] if best and len(set(best)) == 1 and best[0] else None
        kept = [verbs.synsets[o] for o in offsets[:KEY_SENSES]]
        entry: dict[str, object] = {
            "senses": [s.offset for s in kept],
            "hypernyms": sorted({h for s in kept for h in s.related("@", "v")}),
        }
        if plover:
            entry["type"] = plover
        if any(o in undo for o in offsets):  # any sense: 'lift' a ban is its 9th
            entry["undo"] = True
        if all(s.lexfile == COMMUNICATION for s in frequent):
            entry["saying"] = True  # 'said', 'told': the act is in the clause they report
        if version >= 2 and any(
            number == GERUND_FRAME and word in (0, s.lemmas.index(lemma) + 1)
            for s in frequent
            for number, word in s.frames
        ):
            entry["gerund"] = True
        lemmas[lemma] = entry
    forms: dict[str, str] = {}
    for lemma in lemmas:
        if "_" in lemma:
            continue  # a phrasal verb is found by its verb's forms and its particle
        for found_forms in getAllInflections(lemma, upos="VERB").values():
            for form in found_forms:
                form = form.lower()
                if form != lemma and form not in lemmas:
                    forms.setdefault(form, lemma)
    for form, lemma in verbs.exceptions.items():
        if lemma in lemmas and form not in lemmas:
            forms.setdefault(form, lemma)
    return {"anchors": {k: sorted(set(v)) for k, v in sorted(seeds.items())},
            "verbs": lemmas, "forms": dict(sorted(forms.items()))}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--version", type=int, default=1)
    args = parser.parse_args()
    glosses = tomllib.loads(GLOSSES.read_text(encoding="utf-8"))
    built = build(WordNet("v"), WordNet("n"), glosses, version=args.version)
    document = {
        "version": args.version,
        "source": f"WordNet 3.0 verbs (Debian wordnet-base {debian_version()}), anchored on "
        f"{GLOSSES.name}; forms from lemminflect {version('lemminflect')}",
        "generated_by": "scripts/predicates_from_wordnet.py; do not edit: run the script",
        "type_senses": TYPE_SENSES, "key_senses": KEY_SENSES, "depth": DEPTH,
        "undo_anchors": list(UNDO_ANCHORS),
        **built,
    }  # fmt: skip
    out = KNOWLEDGE / f"predicates.v{args.version}.json"
    out.write_text(json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n",
                   encoding="utf-8")  # fmt: skip
    typed = sum(1 for v in built["verbs"].values() if "type" in v)  # type: ignore[union-attr]
    print(f"{out}: {len(built['verbs'])} verbs ({typed} typed), {len(built['forms'])} forms")


if __name__ == "__main__":
    main()

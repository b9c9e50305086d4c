"""Write pipeline/knowledge/theme_synonyms.v1.json from Debian's WordNet (package wordnet-base).

Two event themes agree when their head nouns are synonyms: "truce" and "cease-fire" stand in one
WordNet synset. Only each noun's two most frequent senses count (index.noun lists them in order),
so that a rare sense ("sanction" as approval) does not join words a news reader keeps apart; only
one-word lemmas are kept, lowercased. It also writes theme_nouns.v1.json, every one-word WordNet
noun, so that a compound theme meets its head ("wastewater" is "waste" + "water"). Run once when
the source changes:

    apt-get install -y wordnet-base
    python scripts/theme_synonyms_from_wordnet.py
"""

from __future__ import annotations

import argparse
import json
import subprocess
from pathlib import Path

WORDNET = Path("/usr/share/wordnet")
OUT = Path(__file__).resolve().parent.parent / "pipeline" / "knowledge" / "theme_synonyms.v1.json"
NOUNS = OUT.with_name("theme_nouns.v1.json")
SENSES = 2


def _frequent_senses(index: Path) -> dict[str, set[str]]:
    senses: dict[str, set[str]] = {}
    for line in index.read_text(encoding="utf-8").splitlines():
        if line.startswith(" "):
            continue
        fields = line.split()
        lemma, synset_count = fields[0], int(fields[2])
        offsets = fields[-synset_count:]
        senses[lemma] = set(offsets[:SENSES])
    return senses


def _groups(data: Path, senses: dict[str, set[str]]) -> list[list[str]]:
    groups = []
    for line in data.read_text(encoding="utf-8").splitlines():
        if line.startswith(" "):
            continue
        fields = line.split()
        offset, count = fields[0], int(fields[3], 16)
        lemmas = {fields[4 + 2 * i].lower() for i in range(count)}
        kept = sorted(
            lemma for lemma in lemmas
            if "_" not in lemma and lemma.replace("-", "").isalpha()
            and offset in senses.get(lemma, set())
        )  # fmt: skip
        if len(kept) >= 2:
            groups.append(kept)
    return sorted(groups)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wordnet", type=Path, default=WORDNET)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    version = subprocess.run(
        ["dpkg-query", "-W", "-f=${Version}", "wordnet-base"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    senses = _frequent_senses(args.wordnet / "index.noun")
    groups = _groups(args.wordnet / "data.noun", senses)
    document = {
        "version": 1,
        "source": f"WordNet 3.0 nouns, Debian package wordnet-base {version}",
        "senses_per_noun": SENSES,
        "groups": groups,
    }
    args.out.write_text(json.dumps(document, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"{len(groups)} synonym groups -> {args.out}")
    nouns = sorted(lemma for lemma in senses if lemma.isalpha())
    listing = {"version": 1, "source": document["source"], "nouns": nouns}
    NOUNS.write_text(json.dumps(listing, ensure_ascii=False, separators=(",", ":")) + "\n",
                     encoding="utf-8")  # fmt: skip
    print(f"{len(nouns)} nouns -> {NOUNS}")


if __name__ == "__main__":
    main()

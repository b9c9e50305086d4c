"""Read Princeton WordNet 3.0 from Debian's wordnet-base files (no NLTK, no download).

The generators in scripts/ take English word knowledge from here: which synsets a lemma has (in
WordNet's frequency order), their lemmas, and the pointers between them (hypernym ``@``,
troponym/hyponym ``~``, derivation ``+``).
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path

WORDNET = Path("/usr/share/wordnet")


@dataclass
class Synset:
    offset: str
    pos: str
    lemmas: tuple[str, ...]
    pointers: list[tuple[str, str, str]] = field(default_factory=list)  # (symbol, offset, pos)
    # Per pointer, the number (from 1) of the lemma it starts from; 0 for the whole synset
    # (derivation '+' is lexical: 'ban' -> to ban, 'prohibition' -> to prohibit).
    sources: list[int] = field(default_factory=list)
    targets: list[int] = field(default_factory=list)  # the same, of the lemma it points to
    gloss: str = ""
    lexfile: int = 0  # WordNet's lexicographer file: 32 is verb.communication
    # A verb's sentence frames: (frame number, number of the lemma from 1, 0 for all of them);
    # frame 33 is "Somebody ----s VERB-ing" ('began releasing').
    frames: list[tuple[int, int]] = field(default_factory=list)

    def related(self, symbol: str, pos: str | None = None) -> list[str]:
        return [o for s, o, p in self.pointers if s == symbol and (pos is None or p == pos)]

    def related_from(
        self, lemma: str, symbol: str, pos: str | None = None
    ) -> list[tuple[str, int]]:
        """The pointers of one lemma of the synset and of the whole synset: (offset, number of
        the lemma pointed to, from 1; 0 for the whole synset)."""
        return [
            (o, target)
            for (s, o, p), source, target in zip(
                self.pointers, self.sources, self.targets, strict=True
            )
            if s == symbol and (pos is None or p == pos)
            and (source == 0 or self.lemmas[source - 1] == lemma)
        ]


class WordNet:
    """One part of speech's index and data files, and its exception list (irregular forms)."""

    def __init__(self, pos: str, root: Path = WORDNET) -> None:
        name = {"v": "verb", "n": "noun", "a": "adj", "r": "adv"}[pos]
        self.pos = pos
        self.senses: dict[str, list[str]] = {}
        self.tagged: dict[str, int] = {}  # how often the lemma's senses are tagged in SemCor
        for line in (root / f"index.{name}").read_text(encoding="utf-8").splitlines():
            if line.startswith(" "):
                continue
            fields = line.split()
            count = int(fields[2])
            self.senses[fields[0]] = fields[-count:]
            self.tagged[fields[0]] = int(fields[-count - 1])
        self.synsets: dict[str, Synset] = {}
        for line in (root / f"data.{name}").read_text(encoding="utf-8").splitlines():
            if line.startswith(" "):
                continue
            head, _, gloss = line.partition(" | ")
            fields = head.split()
            count = int(fields[3], 16)
            lemmas = tuple(fields[4 + 2 * i].lower().split("(")[0] for i in range(count))
            at = 4 + 2 * count
            pointers, sources, targets = [], [], []
            for i in range(int(fields[at])):
                symbol, offset, ppos, ends = fields[at + 1 + 4 * i : at + 5 + 4 * i]
                pointers.append((symbol, offset, "v" if ppos == "v" else ppos))
                sources.append(int(ends[:2], 16))
                targets.append(int(ends[2:], 16))
            frames = []
            if pos == "v":
                after = at + 1 + 4 * len(pointers)
                for i in range(int(fields[after])):
                    _, number, word = fields[after + 1 + 3 * i : after + 4 + 3 * i]
                    frames.append((int(number), int(word, 16)))
            self.synsets[fields[0]] = Synset(
                fields[0], pos, lemmas, pointers, sources, targets, gloss.strip(), int(fields[1]),
                frames,
            )
        self.exceptions: dict[str, str] = {}
        for line in (root / f"{name}.exc").read_text(encoding="utf-8").splitlines():
            form, *lemmas = line.split()
            if lemmas:
                self.exceptions.setdefault(form, lemmas[0])

    def lemma_senses(self, lemma: str) -> list[Synset]:
        return [self.synsets[o] for o in self.senses.get(lemma.replace(" ", "_"), [])]


def debian_version(package: str = "wordnet-base") -> str:
    return subprocess.run(
        ["dpkg-query", "-W", "-f=${Version}", package], capture_output=True, text=True, check=True
    ).stdout

"""Paraphrased printings of one remark: a verifier and a candidate source for ``cluster_quotes``.

Outlets that paraphrase keep the speaker and most of the content words, in order, and change
the glue ("will not allow" / "won't let"). Once contractions are spelt out and words stemmed, two
printings of one speaker are one remark when they share a long run of words, or when most content
words of the shorter align in order with the longer's (rapidfuzz's alignment of word sequences),
with negations agreeing. Two remarks of one speaker on one subject share topic words ('load
shedding') but few of the rest, so they stay apart. Every merge lists the aligned words.
"""

from __future__ import annotations

import itertools
import re
import tomllib
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rapidfuzz.distance import Indel

from pipeline.errors import ReconcileError
from pipeline.reconcile.claims import stem
from pipeline.reconcile.knowledge import KNOWLEDGE_DIR
from pipeline.reconcile.quotes import CandidateSource, QuoteText, QuoteVerdict
from pipeline.reconcile.text import words
from schemas.clusters import Evidence, MergeRule

PARAPHRASE_FILE = KNOWLEDGE_DIR / "paraphrase.v5.toml"


@dataclass(frozen=True)
class ParaphraseRules:
    min_shared_run: int
    min_run_content_words: int  # content words the shared run itself holds (v4); older files: 0
    negations_count_as_run_content: bool  # v4 counted 'not' in a run; v5 does not
    min_aligned_content_words: int
    min_aligned_share: float
    min_shared_content_words: int  # in any order (v3); v2 files: never
    min_shared_content_share: float
    rare_features: int
    contractions: tuple[tuple[str, str], ...]  # longest first
    negations: frozenset[str]
    function_words: frozenset[str]


@lru_cache(maxsize=4)
def load_paraphrase_rules(path: Path = PARAPHRASE_FILE) -> ParaphraseRules:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        return ParaphraseRules(
            min_shared_run=int(data["min_shared_run"]),
            min_run_content_words=int(data.get("min_run_content_words", 0)),
            negations_count_as_run_content=bool(data.get("negations_count_as_run_content", True)),
            min_aligned_content_words=int(data["min_aligned_content_words"]),
            min_aligned_share=float(data["min_aligned_share"]),
            min_shared_content_words=int(data.get("min_shared_content_words", 10**6)),
            min_shared_content_share=float(data.get("min_shared_content_share", 1.0)),
            rare_features=int(data["rare_features"]),
            contractions=tuple(
                sorted(data["contractions"].items(), key=lambda item: -len(item[0]))
            ),
            negations=frozenset(data["words"]["negations"]),
            function_words=frozenset(data["words"]["function"]),
        )
    except (OSError, tomllib.TOMLDecodeError, KeyError, TypeError, ValueError) as exc:
        raise ReconcileError(f"cannot read the paraphrase rules: {exc}", path=path) from exc


_APOSTROPHE = re.compile(r"[’‘`]")


@dataclass(frozen=True)
class ReadRemark:
    words: tuple[str, ...]  # contractions spelt out, stemmed
    content: tuple[str, ...]  # the content words among them, in order
    negated: bool  # holds a negation


@lru_cache(maxsize=65536)
def read_remark(text: str, rules: ParaphraseRules | None = None) -> ReadRemark:
    rules = rules or load_paraphrase_rules()
    plain = _APOSTROPHE.sub("'", text.casefold())
    for short, long in rules.contractions:
        plain = plain.replace(short, long)
    stems = tuple(stem(word) for word in words(plain))
    content = tuple(
        s for s, w in zip(stems, words(plain), strict=True) if w not in rules.function_words
    )
    # Negated or not: a remark retold keeps its denial ('no access' / 'without access ... cannot').
    return ReadRemark(stems, content, any(w in rules.negations for w in words(plain)))


def paraphrase_features(text: QuoteText) -> list[tuple[str, str]]:
    """Candidate features: consecutive pairs of content words ('load', 'shed'), which a
    paraphrase keeps where it changes the glue between them, in either order ('trade
    fragmentation' / 'fragmentation of trade')."""
    content = [c for c in read_remark(text.text).content if c not in _NEGATION_STEMS]
    return [(a, b) if a <= b else (b, a) for a, b in itertools.pairwise(content)]


_NEGATION_STEMS = frozenset({"not", "no", "never"})


def paraphrase_candidates() -> CandidateSource:
    """The candidate source ``cluster_quotes`` takes: content-word pairs, several rarest."""
    return CandidateSource(paraphrase_features, rare=load_paraphrase_rules().rare_features)


def _longest_run(left: tuple[str, ...], right: tuple[str, ...]) -> tuple[str, ...]:
    best: tuple[str, ...] = ()
    for block in Indel.opcodes(left, right).as_matching_blocks():
        if block.size > len(best):
            best = left[block.a : block.a + block.size]
    return best


def _aligned(left: tuple[str, ...], right: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(
        word
        for block in Indel.opcodes(left, right).as_matching_blocks()
        for word in left[block.a : block.a + block.size]
    )


def paraphrase_verifier(left: QuoteText, right: QuoteText) -> QuoteVerdict | None:
    """One remark in other words: a long shared run, or most content words aligned in order."""
    rules = load_paraphrase_rules()
    a, b = read_remark(left.text, rules), read_remark(right.text, rules)
    if a.negated != b.negated or not a.content or not b.content:
        return None
    run = _longest_run(a.words, b.words)
    aligned = _aligned(a.content, b.content)
    shorter = min(len(a.content), len(b.content))
    share = len(aligned) / shorter
    shared = sorted((Counter(a.content) & Counter(b.content)).elements())
    shared_share = len(shared) / shorter
    run_content = [
        w
        for w in run
        if w in a.content and (rules.negations_count_as_run_content or w not in _NEGATION_STEMS)
    ]
    if (
        len(run) >= rules.min_shared_run
        and len(run_content) >= rules.min_run_content_words
        and len(aligned) >= rules.min_aligned_content_words - 1
    ):
        how = f"they share the run '{' '.join(run)}' ({len(run)} words)"
    elif len(aligned) >= rules.min_aligned_content_words and share >= rules.min_aligned_share:
        how = (
            f"{len(aligned)} content words align in order ({share:.0%} of the shorter): "
            f"{', '.join(aligned)}"
        )
    elif (
        len(shared) >= rules.min_shared_content_words
        and shared_share >= rules.min_shared_content_share
    ):
        share = shared_share
        how = (
            f"{len(shared)} content words shared in another order ({share:.0%} of the "
            f"shorter): {', '.join(shared)}"
        )
    else:
        return None
    evidence = (
        Evidence(what="speaker", detail="one speaker"),
        Evidence(what="paraphrase", detail=f"'{left.text}' / '{right.text}': {how}"),
    )
    return MergeRule.PARAPHRASE, round(0.6 + 0.35 * share, 3), evidence

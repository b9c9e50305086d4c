"""Cluster quotes: the same remark printed by several outlets is one cluster with every source.

Outlets retype a remark (curly or straight marks, dashes, '…' or '...', a trailing comma) and
print more or less of it. Texts are compared as words (``text.words``), so typography never counts;
a printing whose words all stand, in order, inside another's is a fragment of the same remark
(an ellipsis marks words left out, so each part must stand there, in order). Different remarks of
one speaker share few words in a row and stay apart; remarks of different speakers never join.

Candidate pairs come from shared runs of words (shingles): cost grows with the quotes that share a
run, never with all pairs. rapidfuzz serves here rather than Splink: a remark is one long text,
and whole-string similarities (Jaro-Winkler, Levenshtein) give a fragment of 8 words out of 40 a low
score, where containment of the words is the evidence that matters.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

from rapidfuzz import fuzz

from pipeline.reconcile.graph import MergeLog, split_components
from pipeline.reconcile.ids import assign_ids
from pipeline.reconcile.knowledge import load_linkage_settings
from pipeline.reconcile.speakers import ActorLookup, fallback_speaker_key
from pipeline.reconcile.text import ELLIPSIS, fold, slug, words
from schemas.clusters import ActorCluster, Evidence, MergeRule, QuoteCluster
from schemas.knowledge import LinkageSettings, QuoteLinkage
from schemas.mentions import QuoteMention


@dataclass(frozen=True)
class _ReadQuote:
    tokens: tuple[str, ...]
    parts: tuple[tuple[str, ...], ...]  # the words between ellipses
    speaker_key: str
    speaker: str  # canonical name, or the printed one without actors
    speaker_id: str | None

    @property
    def padded(self) -> str:
        return f" {' '.join(self.tokens)} "


def cluster_quotes(
    quotes: Iterable[QuoteMention],
    *,
    actors: Sequence[ActorCluster] = (),
    previous: Mapping[str, str] | None = None,
    linkage: LinkageSettings | None = None,
) -> list[QuoteCluster]:
    """One cluster per remark, largest first.

    With ``actors`` (from ``reconcile_actors`` over the same corpus), speakers are compared as
    reconciled actors; without them, by the last word of the speaker's name.
    """
    items = list(quotes)
    settings = (linkage or load_linkage_settings()).quotes
    lookup = ActorLookup(actors)
    read = [_read(quote, lookup) for quote in items]
    log = MergeLog(len(items))
    for left, right in sorted(_candidate_pairs(read, settings)):
        if log.same(left, right):
            continue
        judged = _judge(read[left], read[right], settings)
        if judged is not None:
            rule, score, evidence = judged
            log.union(right, left, rule, score, evidence)
    components = split_components(log)
    drafts = [
        _draft([items[i] for i in c.members], [read[i] for i in c.members]) for c in components
    ]
    ids = assign_ids(
        [draft[0] for draft in drafts],
        [[items[i].key for i in component.members] for component in components],
        previous,
    )
    clusters = [
        QuoteCluster(
            quote_id=quote_id,
            text=text,
            speaker=speaker,
            speaker_id=speaker_id,
            mentions=tuple(items[i] for i in component.members),
            merges=component.merges,
        )
        for (_, text, speaker, speaker_id), component, quote_id in zip(
            drafts, components, ids, strict=True
        )
    ]
    return sorted(clusters, key=lambda c: (-len(c.mentions), c.quote_id))


def _read(quote: QuoteMention, lookup: ActorLookup) -> _ReadQuote:
    parts = tuple(
        part_words for part in ELLIPSIS.split(fold(quote.text)) if (part_words := words(part))
    )
    tokens = tuple(token for part in parts for token in part)
    actor = lookup.find(quote.article_id, quote.speaker, quote.speaker_local_id)
    if actor is not None:
        return _ReadQuote(tokens, parts, f"actor:{actor.actor_id}", actor.name, actor.actor_id)
    return _ReadQuote(tokens, parts, fallback_speaker_key(quote.speaker), quote.speaker, None)


def _candidate_pairs(read: Sequence[_ReadQuote], settings: QuoteLinkage) -> set[tuple[int, int]]:
    """Pairs of quotes of one speaker that share a run of ``shingle_words`` words (or, when
    shorter, all their words)."""
    width = settings.shingle_words
    postings: dict[tuple[str, tuple[str, ...]], list[int]] = {}
    for i, quote in enumerate(read):
        tokens = quote.tokens
        shingles = {tokens[k : k + width] for k in range(max(1, len(tokens) - width + 1))}
        for shingle in shingles:
            postings.setdefault((quote.speaker_key, shingle), []).append(i)
    pairs: set[tuple[int, int]] = set()
    for members in postings.values():
        if 1 < len(members) <= settings.max_shingle_postings:
            pairs.update(combinations(members, 2))
    return pairs


def _judge(
    left: _ReadQuote, right: _ReadQuote, settings: QuoteLinkage
) -> tuple[MergeRule, float, tuple[Evidence, ...]] | None:
    if left.tokens == right.tokens:
        return (
            MergeRule.SAME_TEXT,
            1.0,
            (
                Evidence(
                    what="text",
                    detail=f"the same {len(left.tokens)} words once typography is set aside",
                ),
            ),
        )
    short, long = sorted((left, right), key=lambda q: (len(q.tokens), q.tokens))
    if len(short.tokens) >= settings.min_fragment_words and _inside(short, long):
        score = min(0.99, 0.8 + 0.02 * len(short.tokens))
        return (
            MergeRule.FRAGMENT,
            score,
            (
                Evidence(
                    what="text",
                    detail=f"all {len(short.tokens)} words of the shorter printing stand, in "
                    f"order, in the longer one ({len(long.tokens)} words)"
                    + (" around its ellipsis" if len(short.parts) > 1 else ""),
                ),
            ),
        )
    ratio = fuzz.ratio(" ".join(left.tokens), " ".join(right.tokens))
    if ratio >= settings.near_text_ratio:
        return (
            MergeRule.NEAR_TEXT,
            ratio / 100,
            (
                Evidence(
                    what="text",
                    detail=f"the words agree but for a retyped word or a "
                    f"typo (similarity {ratio:.0f}%)",
                ),
            ),
        )
    if len(short.tokens) >= 2 * settings.min_fragment_words:
        partial = fuzz.partial_ratio(" ".join(short.tokens), " ".join(long.tokens))
        if partial >= settings.near_text_ratio:
            return (
                MergeRule.NEAR_TEXT,
                partial / 100,
                (
                    Evidence(
                        what="text",
                        detail=f"the shorter printing stands in the longer one "
                        f"but for a retyped word (similarity {partial:.0f}%)",
                    ),
                ),
            )
    return None


def _inside(short: _ReadQuote, long: _ReadQuote) -> bool:
    """Each part of ``short`` stands in ``long`` as whole words, parts in order."""
    text, position = long.padded, 0
    for part in short.parts:
        found = text.find(f" {' '.join(part)} ", position)
        if found < 0:
            return False
        position = found + len(" ".join(part)) + 1
    return True


def _draft(
    mentions: list[QuoteMention], read: list[_ReadQuote]
) -> tuple[str, str, str, str | None]:
    """(proposed id, fullest text, speaker, speaker id)."""
    fullest = max(range(len(mentions)), key=lambda i: (len(read[i].tokens), -i))
    speakers = Counter((r.speaker, r.speaker_id) for r in read)
    (speaker, speaker_id), _ = speakers.most_common(1)[0]
    digest = hashlib.sha256(" ".join(read[fullest].tokens).encode()).hexdigest()[:10]
    return f"quote/{slug(speaker)}/{digest}", mentions[fullest].text, speaker, speaker_id

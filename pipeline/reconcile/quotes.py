"""Cluster quotes: the same remark printed by several outlets is one cluster with every source.

Outlets retype a remark (curly or straight marks, dashes, '…' or '...', a trailing comma) and
print more or less of it. Texts are compared as words (``text.words``), so typography never counts;
a printing whose words all stand, in order, inside another's is a fragment of the same remark
(an ellipsis marks words left out, so each part must stand there, in order). Different remarks of
one speaker share few words in a row and stay apart; remarks of different speakers never join.

Repeated printings are collapsed first (``distinct``): a remark reprinted by 10,000 outlets is one
text of weight 10,000. Candidate pairs of distinct printings come from their rarest shared runs of
words (``blocking``), so cost grows with the distinct printings, never with all pairs, and no
popular remark is cut off. Each candidate pair goes to the verifiers (``text_verifier`` by default;
another, such as a paraphrase judge, can be added), and accepted pairs join by union-find.
rapidfuzz serves here rather than Splink: a remark is one long text, and whole-string
similarities (Jaro-Winkler, Levenshtein) give a fragment of 8 words out of 40 a low score, where
containment of the words is the evidence that matters.
"""

from __future__ import annotations

import hashlib
import itertools
from collections import Counter
from collections.abc import Callable, Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, partial
from typing import TYPE_CHECKING

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

from pipeline.reconcile.blocking import BlockingStats, SharedFeatureIndex
from pipeline.reconcile.distinct import Distinct, collapse, join_copies
from pipeline.reconcile.graph import MergeLog, split_components
from pipeline.reconcile.ids import assign_ids
from pipeline.reconcile.knowledge import load_linkage_settings
from pipeline.reconcile.speaker_names import (
    SpeakerNames,
    speaker_names,
    speakers_with_namesakes,
)
from pipeline.reconcile.speakers import ActorLookup, fallback_speaker_key
from pipeline.reconcile.text import ELLIPSIS, fold, slug, words
from schemas.clusters import ActorCluster, Evidence, MergeRule, QuoteCluster
from schemas.extraction import ActorKind
from schemas.knowledge import LinkageSettings, QuoteLinkage
from schemas.mentions import QuoteMention

if TYPE_CHECKING:
    from pipeline.reconcile.paraphrase import ReadRemark


@dataclass(frozen=True)
class QuoteText:
    """One distinct printing of a remark by one speaker: what a verifier compares.

    ``weight`` is how many mentions print exactly these words (typography set aside)."""

    tokens: tuple[str, ...]
    parts: tuple[tuple[str, ...], ...]  # the words between ellipses
    speaker_key: str
    text: str  # its first printing
    weight: int

    @property
    def padded(self) -> str:
        return f" {' '.join(self.tokens)} "

    @cached_property
    def remark(self) -> ReadRemark:
        """Its words as the paraphrase rules read them (``paraphrase.read_remark``), read once:
        one printing meets many, and a 100k corpus holds more printings than any bounded cache
        (the cache goes with the printing, when its run ends)."""
        from pipeline.reconcile.paraphrase import read_remark_uncached  # builds on this module

        return read_remark_uncached(self.text)


QuoteVerdict = tuple[MergeRule, float, tuple[Evidence, ...]]
QuoteVerifier = Callable[[QuoteText, QuoteText], QuoteVerdict | None]
"""Judges one candidate pair of one speaker's distinct printings: (rule, score, evidence) or None.
Verifiers are tried in order; the first verdict joins the two."""


@dataclass(frozen=True)
class CandidateSource:
    """More candidate pairs, for a verifier the shared runs of words would not feed: each
    printing's ``features`` (within its speaker), and how many of its rarest shared ones count."""

    features: Callable[[QuoteText], Sequence[Hashable]]
    rare: int


@dataclass(frozen=True)
class OneRemarkOnly:
    """A verifier for printings too short to show a remark by their words alone (a partial quote
    of two or three words): its verdicts are kept until every pair is judged, and join only
    where the short printing meets one remark. Standing in two remarks of its speaker that
    stay apart, it shows neither, so it joins neither."""

    check: QuoteVerifier

    def __call__(self, left: QuoteText, right: QuoteText) -> QuoteVerdict | None:
        return self.check(left, right)


def text_verifier(settings: QuoteLinkage) -> QuoteVerifier:
    """The default verifier: the same words, a fragment of them, or near text."""
    return partial(_judge, settings=settings)


def cluster_quotes(
    quotes: Iterable[QuoteMention],
    *,
    actors: Sequence[ActorCluster] = (),
    previous: Mapping[str, str] | None = None,
    linkage: LinkageSettings | None = None,
    verifiers: Sequence[QuoteVerifier] | None = None,
    candidates: Sequence[CandidateSource] = (),
    stats: BlockingStats | None = None,
    only_with: Collection[int] | None = None,
) -> list[QuoteCluster]:
    """One cluster per remark, largest first.

    With ``actors`` (from ``reconcile_actors`` over the same corpus), speakers are compared as
    reconciled actors; without them, by the last word of the speaker's name. Identical printings
    are collapsed first; candidate pairs of distinct printings (``blocking``) go to ``verifiers``
    (default: ``text_verifier``), and accepted pairs join by union-find. ``stats``, when given,
    receives what blocking did. ``candidates`` add candidate pairs beside the shared runs of
    words (``paraphrase.paraphrase_candidates()``: pairs of content words a paraphrase keeps).
    With ``only_with`` (indices of ``quotes``), only pairs holding a printing of one of those are
    judged, those a full pass would judge (``SharedFeatureIndex.paired``; an incremental run: the
    others stand for stored clusters that were judged already).
    """
    items = list(quotes)
    settings = (linkage or load_linkage_settings()).quotes
    checks = list(verifiers) if verifiers is not None else [text_verifier(settings)]
    lookup = ActorLookup(actors)
    speakers = [_speaker(quote, lookup) for quote in items]
    parts_of: dict[str, tuple[tuple[str, ...], ...]] = {}
    keys = []
    for quote, (speaker_key, _, _) in zip(items, speakers, strict=True):
        parts = parts_of.get(quote.text)
        if parts is None:
            parts = parts_of[quote.text] = printing_key(quote.text)
        keys.append((speaker_key, parts))
    del parts_of
    distinct = collapse(keys)
    del keys
    log = MergeLog(len(items))
    join_copies(distinct, log, MergeRule.SAME_TEXT, _same_text_evidence)
    texts = [
        QuoteText(
            tokens=tuple(token for part in parts for token in part),
            parts=parts,
            speaker_key=speaker_key,
            text=items[d.first].text,
            weight=d.weight,
        )
        for d in distinct
        for speaker_key, parts in (d.key,)
    ]
    index = SharedFeatureIndex(
        rare=settings.rare_shingles,
        max_candidates=settings.max_candidates,
        stats=stats if stats is not None else BlockingStats(),
    )
    extra = [
        SharedFeatureIndex(
            rare=source.rare, max_candidates=settings.max_candidates, stats=index.stats
        )
        for source in candidates
    ]
    for text in texts:
        index.add(text.speaker_key, _shingles(text, settings.shingle_words))
        for source, source_index in zip(candidates, extra, strict=True):
            source_index.add(text.speaker_key, source.features(text))

    def priority(number: int) -> tuple[int, int, int]:
        """Fullest printings first: the likeliest to hold a fragment."""
        return (-len(texts[number].tokens), -texts[number].weight, number)

    pairs: Iterable[tuple[int, int]] = itertools.chain(
        index.pairs(priority), *(e.pairs(priority) for e in extra))
    if only_with is not None:
        new = set(only_with)
        fresh = sorted((number for number, d in enumerate(distinct)
                        if any(member in new for member in d.members)), key=priority)
        pairs = ((number, other) for found in (index, *extra) for number in fresh
                 for other in found.paired(number, priority))
    held: list[tuple[int, int, QuoteVerdict]] = []  # OneRemarkOnly's verdicts, judged last
    for left, right in pairs:
        first_left, first_right = distinct[left].first, distinct[right].first
        if log.same(first_left, first_right):
            continue
        index.stats.verified_pairs += 1
        for check in checks:
            verdict = check(texts[left], texts[right])
            if verdict is None:
                continue
            if isinstance(check, OneRemarkOnly):
                held.append((first_left, first_right, verdict))
                continue
            rule, score, evidence = verdict
            log.union(first_right, first_left, rule, score, evidence)
            index.stats.accepted_pairs += 1
            break
    index.stats.accepted_pairs += _join_where_one_remark(held, texts, distinct, log)
    fresh_texts = None if only_with is None else {
        number for number, d in enumerate(distinct) if any(member in new for member in d.members)}
    index.stats.accepted_pairs += _join_across_speakers(
        _Across(texts, distinct, log, checks, _speaker_names(items, speakers, lookup)),
        [(partial(_shingles, width=settings.shingle_words), settings.rare_shingles),
         *((source.features, source.rare) for source in candidates)],
        settings=settings, priority=priority, fresh=fresh_texts, stats=index.stats,
    )
    text_of = [0] * len(items)
    for number, d in enumerate(distinct):
        for member in d.members:
            text_of[member] = number
    components = split_components(log)
    drafts = [
        _draft({text_of[i] for i in c.members}, texts, [speakers[i] for i in c.members])
        for c in components
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


def _join_where_one_remark(
    held: list[tuple[int, int, QuoteVerdict]],
    texts: list[QuoteText],
    distinct: Sequence[Distinct[tuple[str, tuple[tuple[str, ...], ...]]]],
    log: MergeLog,
) -> int:
    """Join each held pair whose shorter printing (with what it has joined) meets one remark
    only, once every other pair is judged; how many joined."""
    size = {d.first: len(text.tokens) for d, text in zip(distinct, texts, strict=True)}
    ordered = [
        (short, long, verdict)
        for left, right, verdict in held
        for short, long in (sorted((left, right), key=lambda first: (size[first], first)),)
    ]
    met: dict[int, set[int]] = {}  # root of a short printing -> roots of the remarks it meets
    for short, long, _ in ordered:
        met.setdefault(log.find(short), set()).add(log.find(long))
    unique = [
        (short, long, verdict) for short, long, verdict in ordered if len(met[log.find(short)]) == 1
    ]
    return sum(
        log.union(short, long, rule, score, evidence)
        for short, long, (rule, score, evidence) in unique
    )


# Across speakers only printings of the same words join: a paraphrase shares its topic words
# with another remark on the subject, which a namesake may have made.
_TEXT_RULES = frozenset({MergeRule.SAME_TEXT, MergeRule.FRAGMENT, MergeRule.NEAR_TEXT})


@dataclass(frozen=True)
class _Across:
    """What joining across speakers works on: the distinct printings, their union-find, the
    verifiers, and each speaker's names (None: a speaker that meets only itself)."""

    texts: list[QuoteText]
    distinct: Sequence[Distinct[tuple[str, tuple[tuple[str, ...], ...]]]]
    log: MergeLog
    checks: Sequence[QuoteVerifier]
    names: Mapping[str, SpeakerNames | None]
    _fits: dict[tuple[str, str], bool] = field(default_factory=dict)

    def fit(self, a: str, b: str) -> bool:
        """Whether speakers ``a`` and ``b`` can be one person (one speaker is)."""
        if a == b:
            return True
        found = self._fits.get((a, b))
        if found is None:
            left, right = self.names[a], self.names[b]
            found = left is not None and right is not None and left.fits(right)
            self._fits[(a, b)] = self._fits[(b, a)] = found
        return found


def _speaker_names(
    items: Sequence[QuoteMention],
    speakers: Sequence[tuple[str, str, str | None]],
    lookup: ActorLookup,
) -> dict[str, SpeakerNames | None]:
    """Each speaker key's person names: its actor's printed names, or the printed name."""
    printed: dict[str, set[str] | None] = {}
    for quote, (key, _, _) in zip(items, speakers, strict=True):
        if key in printed:
            continue
        actor = lookup.find(quote.article_id, quote.speaker, quote.speaker_local_id)
        if actor is None:
            printed[key] = {quote.speaker}
        elif actor.kind is ActorKind.PERSON:
            printed[key] = set(actor.names)
        else:
            printed[key] = None
    return {key: None if found is None else speaker_names(sorted(found))
            for key, found in printed.items()}


def _join_across_speakers(
    work: _Across,
    sources: Sequence[tuple[Callable[[QuoteText], Sequence[Hashable]], int]],
    *,
    settings: QuoteLinkage,
    priority: Callable[[int], tuple[int, int, int]],
    fresh: set[int] | None,
    stats: BlockingStats,
) -> int:
    """Join printings of one remark under two speakers whose names fit ('Mr Lee' / 'Lee
    Jae-myung'), once each speaker's own remarks are joined; how many joined. A speaker that
    meets two people who are not one ('Lee Jae-myung', 'Lee Jae-yong') joins neither, and no
    cluster ever holds two speakers whose names do not fit. Pairs come from the rarest shared
    features within a sound key of the surname, of the keys two speakers whose names fit share
    (``_live_keys``); partial quotes (``OneRemarkOnly``) never join across speakers: two or
    three words do not show a person."""
    texts, names = work.texts, work.names
    involved = speakers_with_namesakes(names)
    live = _live_keys(work, involved)
    found: dict[tuple[int, int], None] = {}
    for features, rare in sources:
        index = SharedFeatureIndex(rare=rare, max_candidates=settings.max_candidates)
        owner: list[int] = []
        for number, text in enumerate(texts):
            speaker = names.get(text.speaker_key)
            if speaker is None or text.speaker_key not in involved:
                continue
            keys = sorted(speaker.family_keys() & live)
            if not keys:
                continue
            own = features(text)
            for key in keys:
                index.add(key, own)
                owner.append(number)
        for left, right in index.pairs(partial(_owner_priority, owner=owner, priority=priority)):
            pair = (owner[left], owner[right])
            if texts[pair[0]].speaker_key != texts[pair[1]].speaker_key:
                found.setdefault(pair)
    held: list[tuple[int, int, QuoteVerdict]] = []
    for left, right in found:
        first_left, first_right = work.distinct[left].first, work.distinct[right].first
        if work.log.same(first_left, first_right) or not work.fit(
                texts[left].speaker_key, texts[right].speaker_key):
            continue
        stats.verified_pairs += 1
        for check in work.checks:
            if isinstance(check, OneRemarkOnly):
                continue
            verdict = check(texts[left], texts[right])
            if verdict is not None:
                if verdict[0] in _TEXT_RULES or _same_words_read(
                        texts[left], texts[right], settings):
                    held.append((left, right, verdict))
                break
    return _join_held_across(work, held, fresh)


def _live_keys(work: _Across, involved: Collection[str]) -> set[str]:
    """The family keys shared by two speakers whose names fit: the only blocks a pair to judge
    can come from. A key's postings are its own, so leaving the others out of the index changes
    no candidate of these (a key of many speakers is kept unchecked: ``_MANY_SPEAKERS``)."""
    holders: dict[str, list[str]] = {}
    for speaker in sorted(involved):
        read = work.names.get(speaker)
        if read is not None:
            for key in read.family_keys():
                holders.setdefault(key, []).append(speaker)
    return {
        key for key, speakers in holders.items()
        if len(speakers) > _MANY_SPEAKERS
        or any(work.fit(a, b) for a, b in itertools.combinations(speakers, 2))
    }


# Above this many speakers of one family key, checking every two of them for a fit would cost
# more than indexing the key's remarks; the key is indexed as if two fit.
_MANY_SPEAKERS = 64


def _same_words_read(left: QuoteText, right: QuoteText, settings: QuoteLinkage) -> bool:
    """Whether one printing's words, contractions spelt out and numbers read in digits, stand
    in a row in the other's ('we won't hire three thousand welders' / 'we will not hire 3,000
    welders'): the same words, which a paraphrase verdict alone does not show."""
    a, b = sorted((left.remark.words, right.remark.words), key=len)
    if len(a) < settings.min_fragment_words:
        return False
    padded = f" {' '.join(b)} "
    return f" {' '.join(a)} " in padded


def _owner_priority(
    at: int, *, owner: list[int], priority: Callable[[int], tuple[int, int, int]]
) -> tuple[int, int, int]:
    return priority(owner[at])


def _join_held_across(
    work: _Across, held: list[tuple[int, int, QuoteVerdict]], fresh: set[int] | None
) -> int:
    """The held verdicts of speakers that meet one person only, joined where no cluster would
    hold two speakers whose names do not fit; how many joined. With ``fresh`` (an incremental
    run), every pair counts for whom a speaker meets, as in a full run, and only pairs holding
    a fresh printing join (the others were judged when they were stored)."""
    texts, names, log = work.texts, work.names, work.log
    met: dict[str, set[str]] = {}
    for left, right, _ in held:
        a, b = texts[left].speaker_key, texts[right].speaker_key
        met.setdefault(a, set()).add(b)
        met.setdefault(b, set()).add(a)

    fit = work.fit
    ambiguous = {
        speaker for speaker, others in met.items()
        if any(not fit(x, y) for x in others for y in others)
    }
    speakers_of: dict[int, set[str]] = {}
    for number, d in enumerate(work.distinct):
        speakers_of.setdefault(log.find(d.first), set()).add(texts[number].speaker_key)
    joined = 0
    for left, right, (rule, score, evidence) in held:
        a, b = texts[left].speaker_key, texts[right].speaker_key
        if a in ambiguous or b in ambiguous:
            continue
        if fresh is not None and left not in fresh and right not in fresh:
            continue
        first_left, first_right = work.distinct[left].first, work.distinct[right].first
        root_left, root_right = log.find(first_left), log.find(first_right)
        if root_left == root_right:
            continue
        together = speakers_of[root_left] | speakers_of[root_right]
        if any(not fit(x, y) for x in together for y in together):
            continue
        left_names, right_names = names[a], names[b]
        assert left_names is not None and right_names is not None
        why = Evidence(
            what="speaker",
            detail=f"'{left_names.printed}' and '{right_names.printed}' can be one person's "
            "names, and the corpus quotes no other person of those names with these words",
        )
        kept = tuple(e for e in evidence if e.what != "speaker")
        log.union(first_right, first_left, rule, score, (*kept, why))
        speakers_of[log.find(first_left)] = together
        joined += 1
    return joined


def printing_key(text: str) -> tuple[tuple[str, ...], ...]:
    """A printing's words between ellipses, typography set aside: equal for copies of it."""
    return tuple(part_words for part in ELLIPSIS.split(fold(text)) if (part_words := words(part)))


def _speaker(quote: QuoteMention, lookup: ActorLookup) -> tuple[str, str, str | None]:
    """(speaker key, canonical or printed name, actor id)."""
    actor = lookup.find(quote.article_id, quote.speaker, quote.speaker_local_id)
    if actor is not None:
        return f"actor:{actor.actor_id}", actor.name, actor.actor_id
    return fallback_speaker_key(quote.speaker), quote.speaker, None


def _shingles(text: QuoteText, width: int) -> list[tuple[str, ...]]:
    """Runs of ``width`` words inside each part (a run never spans an ellipsis, so that every
    run of a fragment stands in the fuller printing); a text shorter than that is its own run."""
    found = [
        part[k : k + width]
        for part in text.parts
        if len(part) >= width
        for k in range(len(part) - width + 1)
    ]
    return found or [text.tokens]


def _same_text_evidence(text: Distinct[tuple[str, tuple[tuple[str, ...], ...]]]) -> Evidence:
    count = sum(len(part) for part in text.key[1])
    return Evidence(what="text", detail=f"the same {count} words once typography is set aside")


def _judge(left: QuoteText, right: QuoteText, *, settings: QuoteLinkage) -> QuoteVerdict | None:
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
    if (
        len(short.tokens) >= settings.min_fragment_words
        and _inside(short, long)
        and not _negation_before(short, long)
    ):
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
    if _negated(left) != _negated(right):
        return None  # 'we will allow' is not 'we will not allow', however alike the letters
    ratio = fuzz.ratio(" ".join(left.tokens), " ".join(right.tokens))
    if (
        ratio >= settings.near_text_ratio
        and _negations_align(short, long, every=True)
        and not figures_differ(_numbers(short), _numbers(long))
    ):
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
        if (
            partial >= settings.near_text_ratio
            and _negations_align(short, long, every=False)
            and not _numbers(short) - _numbers(long)
        ):
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


def _negated(quote: QuoteText) -> bool:
    """Whether a printing holds a negation, contractions spelt out ('won't' counts): the
    paraphrase rules' test, so that near text and paraphrase judge a denial alike."""
    return quote.remark.negated


def _negations_align(short: QuoteText, long: QuoteText, *, every: bool) -> bool:
    """Whether each negation of ``short`` (and, with ``every``, of ``long``) aligns with one of
    the other, word by word, contractions spelt out: "we will defend ... and we will not back
    down" / "we will not defend ... and we will back down" are alike letter by letter but deny
    other things; "won't" / "will not" is one negation spelt two ways."""
    # Imported here: the paraphrase module builds on this one's types.
    from pipeline.reconcile.paraphrase import load_paraphrase_rules

    denials = load_paraphrase_rules().negation_stems
    a, b = short.remark.words, long.remark.words
    aligned = sum(
        word in denials
        for block in Indel.opcodes(a, b).as_matching_blocks()
        for word in a[block.a : block.a + block.size]
    )
    need = sum(word in denials for word in a)
    return aligned == need and (not every or aligned == sum(word in denials for word in b))


def _numbers(quote: QuoteText) -> Counter[str]:
    """The numbers a printing gives, in digits ('three thousand' is '3000'): a retyped word
    may be a typo, a retyped number is another figure ('3,000' / '2,000 welders')."""
    return Counter(word for word in quote.remark.words if word.isdigit())


def figures_differ(left: Counter[str], right: Counter[str]) -> bool:
    """Each gives a number the other lacks (``paraphrase.figures_differ``)."""
    return bool(left - right) and bool(right - left)


def _negation_before(short: QuoteText, long: QuoteText) -> bool:
    """Whether the longer printing denies what the shorter one prints, right before it: 'every
    child will be vaccinated' does not stand in 'not every child will be vaccinated'."""
    from pipeline.reconcile.paraphrase import load_paraphrase_rules

    found = long.padded.find(f" {' '.join(short.parts[0])} ")
    before = long.padded[:found].split()
    return bool(before) and before[-1] in load_paraphrase_rules().negations


def _inside(short: QuoteText, long: QuoteText) -> bool:
    """Each part of ``short`` stands in ``long`` as whole words, parts in order."""
    text, position = long.padded, 0
    for part in short.parts:
        found = text.find(f" {' '.join(part)} ", position)
        if found < 0:
            return False
        position = found + len(" ".join(part)) + 1
    return True


def _draft(
    numbers: set[int], texts: list[QuoteText], speakers: list[tuple[str, str, str | None]]
) -> tuple[str, str, str, str | None]:
    """(proposed id, fullest text, speaker, speaker id); the speaker most mentions give."""
    fullest = min(numbers, key=lambda n: (-len(texts[n].tokens), -texts[n].weight, n))
    votes = Counter((name, actor_id) for _, name, actor_id in speakers)
    (speaker, speaker_id), _ = votes.most_common(1)[0]
    digest = hashlib.sha256(" ".join(texts[fullest].tokens).encode()).hexdigest()[:10]
    return f"quote/{slug(speaker)}/{digest}", texts[fullest].text, speaker, speaker_id

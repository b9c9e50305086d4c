"""Paraphrased printings of one remark: a verifier and a candidate source for ``cluster_quotes``.

Outlets that paraphrase keep the speaker and most of the content words, in order, and change
the glue ("will not allow" / "won't let"). Once contractions are spelt out and words stemmed, two
printings of one speaker are one remark when they share a long run of words, or when most content
words of the shorter align in order with the longer's (rapidfuzz's alignment of word sequences),
with negations agreeing. Two remarks of one speaker on one subject share topic words ('load
shedding') but few of the rest, so they stay apart. Words of stock phrases (``StockPhrases``,
learnt from the corpus: 'at the end of the day') are no content of a remark, so two remarks
strung from them stay apart too. Every merge lists the aligned words.
"""

from __future__ import annotations

import itertools
import json
import re
import tomllib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache, partial
from pathlib import Path

from rapidfuzz.distance import Indel

from pipeline.errors import ReconcileError
from pipeline.reconcile.claims import stem
from pipeline.reconcile.knowledge import KNOWLEDGE_DIR, load_numbers
from pipeline.reconcile.quotes import (
    CandidateSource,
    OneRemarkOnly,
    QuoteText,
    QuoteVerdict,
    QuoteVerifier,
    text_verifier,
)
from pipeline.reconcile.text import words
from schemas.clusters import Evidence, MergeRule
from schemas.knowledge import QuoteLinkage

PARAPHRASE_FILE = KNOWLEDGE_DIR / "paraphrase.v10.toml"


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
    feature_window: int  # candidate pairs of content words this far apart at most (v7: 2; older: 1)
    stock_phrase_words: int  # v6; older files: 0, no stock phrases
    stock_min_neighbours: int
    fragment_min_own_words: int  # a fragment holding stock phrases needs this many more (v6)
    min_clause_aligned_words: int  # clauses in another order (v7); older files: never
    min_clause_aligned_share: float
    max_clauses: int
    synonyms_file: str | None  # v6: WordNet's verbs, adjectives (v8: nouns too); older: none
    contractions: tuple[tuple[str, str], ...]  # longest first
    word_contractions: tuple[tuple[str, str], ...]  # whole words only (v6: "it's"); older: none
    negations: frozenset[str]
    negation_stems: frozenset[str]  # the negations as ``read_remark`` stems them
    glue_negation_stems: frozenset[str]  # set aside from runs and candidate pairs (v6: the file)
    function_words: frozenset[str]
    clause_openers: frozenset[str] = frozenset()  # v7; older files: none (one clause a printing)
    denials_keep_their_words: bool = False  # v8: refuse two printings that deny other things
    other_negations_out_of_shares: bool = False  # v8: 'not' = 'neither' counts in no share
    partial_quote_min_words: int = 10**6  # v9: a partial quote this short joins; older: never
    partial_quote_min_content_words: int = 0
    numbers_file: str | None = None  # v9: number words read as digits; older files: as words


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
            feature_window=int(data.get("feature_window", 1)),
            stock_phrase_words=int(data.get("stock_phrase_words", 0)),
            stock_min_neighbours=int(data.get("stock_min_neighbours", 0)),
            fragment_min_own_words=int(data.get("fragment_min_own_words", 0)),
            min_clause_aligned_words=int(data.get("min_clause_aligned_words", 10**6)),
            min_clause_aligned_share=float(data.get("min_clause_aligned_share", 1.0)),
            max_clauses=int(data.get("max_clauses", 0)),
            synonyms_file=data.get("synonyms"),
            contractions=tuple(
                sorted(data["contractions"].items(), key=lambda item: -len(item[0]))
            ),
            word_contractions=tuple(
                sorted(data.get("word_contractions", {}).items(), key=lambda item: -len(item[0]))
            ),
            negations=frozenset(data["words"]["negations"]),
            negation_stems=frozenset(stem(word) for word in data["words"]["negations"]),
            # v5 and older files: the three that v5 set aside, from its code.
            glue_negation_stems=frozenset(
                stem(word) for word in data["words"].get("glue_negations", ("not", "no", "never"))
            ),
            function_words=frozenset(data["words"]["function"]),
            clause_openers=frozenset(data["words"].get("clause_openers", ())),
            denials_keep_their_words=bool(data.get("denials_keep_their_words", False)),
            other_negations_out_of_shares=bool(data.get("other_negations_out_of_shares", False)),
            partial_quote_min_words=int(data.get("partial_quote_min_words", 10**6)),
            partial_quote_min_content_words=int(data.get("partial_quote_min_content_words", 0)),
            numbers_file=data.get("numbers"),
        )
    except (OSError, tomllib.TOMLDecodeError, KeyError, TypeError, ValueError) as exc:
        raise ReconcileError(f"cannot read the paraphrase rules: {exc}", path=path) from exc


_APOSTROPHE = re.compile(r"[’‘`]")
# Where a clause ends in print: a mark before a space or the end ('U.S.' and '3,000' go on), a
# dash between spaces, a bracket, an ellipsis.
_CLAUSE_BREAK = re.compile(r"[,;:.!?]+(?=\s|$)|\s[-–—]+\s|[()\[\]]|\.\.\.+|…")


@dataclass(frozen=True, eq=False)  # hashed by identity: one table per file
class Synonyms:
    """Verbs, adjectives and (v2 file) nouns with their WordNet senses
    (``scripts/synonyms_from_wordnet.py``): two words are synonyms when a main sense of one is
    a sense of the other."""

    senses: Mapping[str, tuple[frozenset[int], frozenset[int]]]  # lemma -> (main, every)
    forms: Mapping[str, tuple[str, ...]]  # inflected form -> its lemmas ('gave up' -> 'give up')
    longest: int  # words in the longest lemma
    heads: frozenset[str]  # first words of the phrases ('gave' of 'gave up')

    def lemma(self, phrase: str) -> str | None:
        """The one lemma a word or phrase is a form of ('taken': 'take', before the adjective
        'taken'), or the lemma it is."""
        lemmas = self.forms.get(phrase, ())
        if len(lemmas) == 1:
            return lemmas[0]
        return phrase if phrase in self.senses else None

    def every_sense(self, lemma: str) -> frozenset[int]:
        return self.senses[lemma][1] if lemma in self.senses else frozenset()

    def alike(self, left: str, right: str) -> bool:
        """Whether a main sense of one lemma is a sense of the other."""
        nothing = (frozenset[int](), frozenset[int]())
        left_main, left_every = self.senses.get(left, nothing)
        right_main, right_every = self.senses.get(right, nothing)
        return bool(left_main & right_every or right_main & left_every)


@lru_cache(maxsize=2)
def load_synonyms(name: str) -> Synonyms:
    path = KNOWLEDGE_DIR / name
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        senses = {
            lemma: (frozenset(main), frozenset(every))
            for lemma, (main, every) in data["lemmas"].items()
        }
        forms = {form: tuple(lemmas) for form, lemmas in data["forms"].items()}
    except (OSError, json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
        raise ReconcileError(f"cannot read the synonyms: {exc}", path=path) from exc
    longest = max(lemma.count(" ") + 1 for lemma in senses)
    heads = frozenset(phrase.split()[0] for phrase in [*senses, *forms] if " " in phrase)
    return Synonyms(senses, forms, longest, heads)


_stem = lru_cache(maxsize=1 << 17)(stem)


@lru_cache(maxsize=4)
def _word_contraction_pattern(
    contractions: tuple[tuple[str, str], ...],
) -> tuple[re.Pattern[str], dict[str, str]]:
    """One pattern for the contractions that are whole words ("it's", never the end of
    "summit's"), longest first."""
    alternatives = [rf"(?<!\w){re.escape(short)}(?!\w)" for short, _ in contractions]
    return re.compile("|".join(alternatives)), dict(contractions)


@dataclass(frozen=True)
class ReadRemark:
    words: tuple[str, ...]  # contractions spelt out, stemmed
    content: tuple[str, ...]  # the content words among them, in order
    negated: bool  # holds a negation
    content_at: tuple[int, ...] = ()  # where each content word stands in ``words``
    lemmas: tuple[str | None, ...] = ()  # each word's lemma in the synonyms, where it has one
    # Every sense of its content words' lemmas, sorted: a tuple holds a 100k corpus's 200k
    # printings' senses in a fifth of a frozenset's memory (about 1 KiB for 6 KiB each).
    senses: tuple[int, ...] = ()
    spans: tuple[int, ...] = ()  # words each lemma covers from where it stands ('gave up': 2)
    clauses: tuple[int, ...] = ()  # each word's clause, 0, 1, ... (v7; older rules: all 0)


def read_remark_uncached(text: str, rules: ParaphraseRules | None = None) -> ReadRemark:
    """A printing's words as the rules read them: contractions spelt out, numbers in digits,
    stemmed, with their lemmas and clauses (``read_remark`` caches it; ``QuoteText.remark``
    keeps it with the printing)."""
    rules = rules or load_paraphrase_rules()
    plain = _APOSTROPHE.sub("'", text.casefold())
    for short, long in rules.contractions:
        plain = plain.replace(short, long)
    if rules.word_contractions:
        pattern, spelt = _word_contraction_pattern(rules.word_contractions)
        plain = pattern.sub(lambda found: spelt[found.group(0)], plain)
    surface = _as_digits(words(plain), rules.numbers_file)
    synonyms = load_synonyms(rules.synonyms_file) if rules.synonyms_file else None
    # The words are read as before (stems); the synonyms only add a lemma to a verb or an
    # adjective, whole phrasal verbs at their first word ('gave up': 'give up'), for
    # ``_synonyms_as_in`` to match: they never change what the words themselves share.
    stems = tuple(_stem(w) for w in surface)
    content_at = tuple(k for k, w in enumerate(surface) if w not in rules.function_words)
    lemmas: list[str | None] = [None] * len(surface)
    spans = [1] * len(surface)
    k = 0
    while synonyms is not None and k < len(surface):
        longest = synonyms.longest if surface[k] in synonyms.heads else 1
        for size in range(min(longest, len(surface) - k), 0, -1):
            phrase = surface[k : k + size]
            lemma = synonyms.lemma(" ".join(phrase))
            if lemma is not None and any(w not in rules.function_words for w in phrase):
                lemmas[k], spans[k] = lemma, size
                break
        k += spans[k]
    # Negated or not: a remark retold keeps its denial ('no access' / 'without access ... cannot').
    return ReadRemark(
        stems,
        tuple(stems[k] for k in content_at),
        any(w in rules.negations for w in surface),
        content_at,
        tuple(lemmas),
        tuple(sorted({
            sense
            for k in content_at
            if synonyms is not None and (lemma := lemmas[k]) is not None
            for sense in synonyms.every_sense(lemma)
        })),
        tuple(spans),
        _clauses(plain, surface, rules),
    )


read_remark = lru_cache(maxsize=65536)(read_remark_uncached)


def _as_digits(surface: tuple[str, ...], numbers_file: str | None) -> tuple[str, ...]:
    """``surface`` with each number in digits, one word a number: 'three thousand', '3,000'
    (printed '3', '000') and '3000' are all '3000', 'twelve' is '12'. A word for one ('one',
    'ane') is a number only beside another ('one million'): alone it is mostly a pronoun ('no
    one', 'the one who'), which the synonyms read."""
    if numbers_file is None or not surface:
        return surface
    values = _number_words(numbers_file)
    read: list[str] = []
    run: list[tuple[int, str | None]] = []  # (value, its digits as printed, if so printed)
    for k, word in enumerate((*surface, "")):
        digits = word.isdigit()
        value = word if digits else values.get(word)
        beside = run or (
            k + 1 < len(surface) and (surface[k + 1].isdigit() or surface[k + 1] in values)
        )
        if value is not None and (int(value) > 1 or digits or beside):
            run.append((int(value), word if digits else None))
            continue
        if run:
            read.extend(_numbers(run))
            run = []
        if word:
            read.append(word)
    return tuple(read)


@lru_cache(maxsize=2)
def _number_words(name: str) -> dict[str, str]:
    return load_numbers(KNOWLEDGE_DIR / name)


def _numbers(run: list[tuple[int, str | None]]) -> list[str]:
    """A run of numbers as English prints one: (3, 1000) 'three thousand' and (3, 0) '3,000'
    are 3000, (20, 5) 'twenty-five' is 25, (3, 100) 'three hundred' is 300. A run that is no one
    number (two years side by side, '1990 2000') stays a number a word."""
    total = current = 0
    for k, (value, printed) in enumerate(run):
        digits = printed is not None
        after = run[k - 1][1] if k else None  # the digits before, if so printed
        if printed is not None and len(printed) == 3 and after is not None and len(after) <= 3:
            current = current * 1000 + value  # a thousands group after its comma
        elif not digits and value == 100:
            current = max(current, 1) * value
        elif not digits and value >= 1000:
            total, current = total + max(current, 1) * value, 0
        elif not current and not (digits and total):
            current = value
        elif not digits and (
            (value < 100 and current % 100 == 0)  # 'three hundred' 'twenty'
            or (value < 10 and current % 10 == 0 and current % 100 >= 20)  # 'twenty' 'five'
        ):
            current += value
        else:
            return [str(value) for value, _ in run]
    return [str(total + current)]


def _clauses(plain: str, surface: tuple[str, ...], rules: ParaphraseRules) -> tuple[int, ...]:
    """Each word's clause: a new one after a break in print (``_CLAUSE_BREAK``) and at a word
    that opens one ('and', 'because'). Where the pieces' words are not the text's (a mark inside
    a word), the printing is one clause."""
    if not rules.clause_openers:
        return (0,) * len(surface)
    pieces = [_as_digits(words(piece), rules.numbers_file) for piece in _CLAUSE_BREAK.split(plain)]
    if tuple(w for piece in pieces for w in piece) != surface:
        return (0,) * len(surface)
    clauses: list[int] = []
    clause = -1
    for piece in pieces:
        for k, w in enumerate(piece):
            if k == 0 or w in rules.clause_openers:
                clause += 1
            clauses.append(clause)
    return tuple(clauses)


@dataclass(frozen=True)
class StockPhrases:
    """Runs of words a corpus prints in many contexts: 'at the end of the day', 'i think that'.

    A phrase that many remarks hold shows many different words before it or after it; every
    printing of one remark shows that remark's neighbours (a cut or a typo adds one or two).
    Learnt from the corpus itself, because which phrases are stock depends on who is quoted."""

    ngrams: frozenset[tuple[str, ...]]
    width: int
    # What ``covered`` found, per printing's words: one printing meets many. Held by the
    # phrases of one run, so it goes when the run does (a 100k corpus outgrows a bounded cache).
    _found: dict[tuple[str, ...], frozenset[int]] = field(
        default_factory=dict, compare=False, hash=False, repr=False)

    @classmethod
    def learn(cls, texts: Iterable[str], rules: ParaphraseRules | None = None) -> StockPhrases:
        rules = rules or load_paraphrase_rules()
        width, least = rules.stock_phrase_words, rules.stock_min_neighbours
        if width <= 0:
            return cls(frozenset(), 0)
        # Hashes of (neighbour, run) seen, and per run how many neighbours: sets of words per
        # run would hold every neighbour of every run of a 100k-article corpus.
        seen: set[int] = set()
        before: Counter[int] = Counter()
        after: Counter[int] = Counter()
        runs: dict[int, tuple[str, ...]] = {}
        for text in set(texts):
            remark = read_remark_uncached(text, rules)  # each text once
            stems, content = remark.words, set(remark.content_at)
            for k in range(1, len(stems) - width):
                if not content.intersection(range(k, k + width)):
                    continue
                run = stems[k : k + width]
                key = hash(run)
                runs.setdefault(key, run)
                for side, neighbour, counts in (
                    (0, stems[k - 1], before),
                    (1, stems[k + width], after),
                ):
                    pair = hash((side, neighbour, key))
                    if pair not in seen:
                        seen.add(pair)
                        counts[key] += 1
        # Either side: inside a longer phrase a run has one neighbour on one side ('at the end'
        # is always followed by 'of'), and many on the other.
        return cls(
            frozenset(
                run for key, run in runs.items() if before[key] >= least or after[key] >= least
            ),
            width,
        )

    def covered(self, stems: tuple[str, ...]) -> frozenset[int]:
        """Positions of ``stems`` that stand inside a stock phrase."""
        if not self.ngrams:
            return frozenset()
        found = self._found.get(stems)
        if found is None:
            found = self._found[stems] = _covered(self, stems)
        return found


def _covered(stock: StockPhrases, stems: tuple[str, ...]) -> frozenset[int]:
    return frozenset(
        position
        for k in range(len(stems) - stock.width + 1)
        if stems[k : k + stock.width] in stock.ngrams
        for position in range(k, k + stock.width)
    )


NO_STOCK_PHRASES = StockPhrases(frozenset(), 0)


def paraphrase_features(text: QuoteText) -> list[tuple[str, str]]:
    """Candidate features: pairs of content words near each other ('load', 'shed'), which a
    paraphrase keeps where it changes the glue between them, in either order ('trade
    fragmentation' / 'fragmentation of trade'); a word apart too (v7), because a retelling puts
    a word between them ('withdraw its troops from our territory' / 'pull its troops out of our
    territory')."""
    rules = load_paraphrase_rules()
    content = [
        c for c in text.remark.content if c not in rules.glue_negation_stems
    ]
    return [
        (a, b) if a <= b else (b, a)
        for distance in range(1, rules.feature_window + 1)
        for a, b in zip(content, content[distance:], strict=False)
    ]


def synonym_features(text: QuoteText) -> list[tuple[int, str]]:
    """Candidate features for a retelling with a synonym ('keep' / 'continue fighting'): each
    sense of a verb or adjective beside the next or previous content word. A source of their
    own, so that they never take the place of a word pair among a printing's rarest."""
    rules = load_paraphrase_rules()
    if not rules.synonyms_file:
        return []
    synonyms = load_synonyms(rules.synonyms_file)
    remark = text.remark
    kept = [k for k in remark.content_at if remark.words[k] not in rules.glue_negation_stems]
    features: list[tuple[int, str]] = []
    for left, right in itertools.pairwise(kept):
        for this, other in ((left, remark.words[right]), (right, remark.words[left])):
            lemma = remark.lemmas[this]
            if lemma is not None:
                features.extend((sense, other) for sense in synonyms.every_sense(lemma))
    return features


def paraphrase_candidates() -> CandidateSource:
    """The candidate source ``cluster_quotes`` takes: content-word pairs, several rarest."""
    return CandidateSource(paraphrase_features, rare=load_paraphrase_rules().rare_features)


def corpus_candidates() -> list[CandidateSource]:
    """Every candidate source of the paraphrase rules: content-word pairs, and the same pairs
    with a verb or adjective as its senses."""
    rare = load_paraphrase_rules().rare_features
    return [CandidateSource(paraphrase_features, rare), CandidateSource(synonym_features, rare)]


def _longest_run(left: tuple[str, ...], right: tuple[str, ...]) -> tuple[int, int, int]:
    """(start in left, start in right, length) of the longest run of words both hold."""
    best = (0, 0, 0)
    for block in Indel.opcodes(left, right).as_matching_blocks():
        if block.size > best[2]:
            best = (block.a, block.b, block.size)
    return best


def _aligned(left: tuple[str, ...], right: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(
        word
        for block in Indel.opcodes(left, right).as_matching_blocks()
        for word in left[block.a : block.a + block.size]
    )


def corpus_verifiers(texts: Iterable[str], settings: QuoteLinkage) -> list[QuoteVerifier]:
    """The verifiers for a corpus of quote ``texts``: the same words (``text_verifier``), then one
    remark in other words (``paraphrase_verifier``), the corpus's stock phrases set aside by both.
    """
    return stock_verifiers(StockPhrases.learn(texts), settings)


def stock_verifiers(stock: StockPhrases, settings: QuoteLinkage) -> list[QuoteVerifier]:
    """``corpus_verifiers`` with the stock phrases learnt already (an incremental run keeps the
    ones its full run learnt from the whole corpus)."""
    return [
        partial(_unless_stock, check=text_verifier(settings), stock=stock),
        partial(paraphrase_verifier, stock=stock),
        OneRemarkOnly(partial(partial_quote_verifier, stock=stock)),
    ]


def figures_differ(left: Sequence[str], right: Sequence[str]) -> bool:
    """Whether each of two printings, numbers read in digits, gives a number the other lacks:
    another figure ('hire 3,000 welders' / 'hire 2,000 welders'), where leaving a number out
    is only a shorter retelling."""
    a = Counter(word for word in left if word.isdigit())
    b = Counter(word for word in right if word.isdigit())
    return bool(a - b) and bool(b - a)


def partial_quote_verifier(
    left: QuoteText, right: QuoteText, *, stock: StockPhrases = NO_STOCK_PHRASES
) -> QuoteVerdict | None:
    """A partial quote: every word of the shorter printing stands, in a row, in the longer one
    once contractions are spelt out and numbers read ('a historic betrayal', too short for the
    fragment rule of the words as printed; "we won't be intimidated" in "we will not be
    intimidated by anyone"), and enough of them are content words of its own, outside stock
    phrases, negations aside. Meant for ``OneRemarkOnly``: a few words can stand in two remarks
    of one speaker."""
    rules = load_paraphrase_rules()
    short, long = sorted((left, right), key=lambda text: (len(text.tokens), text.tokens))
    if len(short.tokens) < rules.partial_quote_min_words:
        return None
    a, b = short.remark, long.remark
    at = _run_at(a.words, b.words)
    if at is None or (at > 0 and b.words[at - 1] in rules.negation_stems):
        return None  # 'every child will be vaccinated' does not stand in 'not every child ...'
    stock_a, stock_b = stock.covered(a.words), stock.covered(b.words)
    own = [
        a.words[k]
        for k in a.content_at
        if k not in stock_a and at + k not in stock_b and a.words[k] not in rules.negation_stems
    ]
    if len(own) < rules.partial_quote_min_content_words:
        return None
    evidence = (
        Evidence(what="speaker", detail="one speaker"),
        Evidence(
            what="text",
            detail=f"a partial quote: '{short.text}' stands, in a row, in '{long.text}' "
            f"(its own words: {', '.join(own)}), and in no other remark of the speaker",
        ),
    )
    return MergeRule.FRAGMENT, round(0.7 + 0.05 * len(own), 3), evidence


def _run_at(run: tuple[str, ...], words: tuple[str, ...]) -> int | None:
    """Where ``run`` first stands, whole words, inside the longer ``words``."""
    if len(run) >= len(words):
        return None
    inside, part = f" {' '.join(words)} ", f" {' '.join(run)} "
    found = inside.find(part)
    return None if found < 0 else inside.count(" ", 0, found)


def _unless_stock(
    left: QuoteText, right: QuoteText, *, check: QuoteVerifier, stock: StockPhrases
) -> QuoteVerdict | None:
    """``check``'s verdict, unless it rests on a short printing that is mostly stock phrases
    ('At the end of the day we,'): such a printing stands inside many remarks, so it shows none.
    """
    verdict = check(left, right)
    if verdict is None or verdict[0] not in (MergeRule.FRAGMENT, MergeRule.NEAR_TEXT):
        return verdict
    rules = load_paraphrase_rules()
    short = min(left, right, key=lambda text: (len(text.tokens), text.tokens))
    remark = short.remark
    covered = stock.covered(remark.words)
    own = [
        k for k in remark.content_at
        if k not in covered and remark.words[k] not in rules.negation_stems
    ]  # fmt: skip
    return None if covered and len(own) < rules.fragment_min_own_words else verdict


def paraphrase_verifier(
    left: QuoteText, right: QuoteText, *, stock: StockPhrases = NO_STOCK_PHRASES
) -> QuoteVerdict | None:
    """One remark in other words: a long shared run, most content words aligned in order, or
    aligned clause by clause with the clauses in another order. Words of ``stock`` phrases are
    glue: they neither count nor align."""
    rules = load_paraphrase_rules()
    a, b = left.remark, right.remark
    if a.negated != b.negated or figures_differ(a.words, b.words):
        return None
    if a.negated and rules.denials_keep_their_words and _deny_other_things(a, b, rules):
        return None
    stock_a, stock_b = stock.covered(a.words), stock.covered(b.words)
    a, b, swapped = _synonyms_as_in(a, b, rules)
    at_a = [k for k in a.content_at if k not in stock_a]
    at_b = [k for k in b.content_at if k not in stock_b]
    own_a, own_b = tuple(a.words[k] for k in at_a), tuple(b.words[k] for k in at_b)
    if not own_a or not own_b:
        return None
    run_a, run_b, length = _longest_run(a.words, b.words)
    run = a.words[run_a : run_a + length]
    aligned = _aligned(own_a, own_b)
    # A stock phrase's words never count for a match; they count against it where the other
    # printing lacks them, so that a printing made mostly of stock phrases aligns its few own
    # words with a long remark no more easily than before.
    glue_a = Counter(a.words[k] for k in a.content_at if k in stock_a)
    glue_b = Counter(b.words[k] for k in b.content_at if k in stock_b)
    # v8: one negation written as another ('neither' as 'not') says only that both printings
    # deny, which they must anyway: it counts in the number of words aligned, in no share.
    other_negations = (
        sum(x in rules.negation_stems for x, _ in swapped)
        if rules.other_negations_out_of_shares
        else 0
    )
    weigh = partial(_weigh, rules=rules, other_negations=other_negations)
    shorter = min(
        weigh(own_a) + (glue_a - glue_b).total(), weigh(own_b) + (glue_b - glue_a).total()
    )
    if not shorter:
        return None
    share = weigh(aligned) / shorter
    shared = sorted((Counter(own_a) & Counter(own_b)).elements())
    shared_share = weigh(shared) / shorter
    content_a = set(a.content_at)
    run_content = [
        a.words[k]
        for offset, k in enumerate(range(run_a, run_a + length))
        if k in content_a
        and k not in stock_a
        and run_b + offset not in stock_b
        and (rules.negations_count_as_run_content or a.words[k] not in rules.glue_negation_stems)
    ]
    has_run = (
        length >= rules.min_shared_run
        and len(run_content) >= rules.min_run_content_words
        and len(aligned) >= rules.min_aligned_content_words - 1
    )
    in_order = len(aligned) >= rules.min_aligned_content_words and share >= rules.min_aligned_share
    # Clause by clause aligns no more words than the two share, so most pairs skip it.
    clauses = (
        _clauses_aligned(a, at_a, b, at_b, rules)
        if not (has_run or in_order)
        and len(shared) >= rules.min_aligned_content_words
        and shared_share >= rules.min_aligned_share
        else []
    )
    clause_words = sum(map(len, clauses))
    clause_share = sum(map(weigh, clauses)) / shorter
    if has_run:
        how = f"they share the run '{' '.join(run)}' ({length} words)"
    elif in_order:
        how = (
            f"{len(aligned)} content words align in order ({share:.0%} of the shorter): "
            f"{', '.join(aligned)}"
        )
    elif (
        len(clauses) >= 2
        and clause_words >= rules.min_aligned_content_words
        and clause_share >= rules.min_aligned_share
    ):
        share = clause_share
        how = (
            f"{clause_words} content words align clause by clause, the clauses in another "
            f"order ({share:.0%} of the shorter): "
            + " / ".join(f"'{' '.join(clause)}'" for clause in clauses)
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
    if swapped:
        pairs = (f"{x} = {y}" if x != y else f"two forms of {x}" for x, y in swapped)
        how += f"; synonyms (WordNet): {', '.join(pairs)}"
    set_aside = _stock_words(a.words, stock_a) + _stock_words(b.words, stock_b)
    if set_aside:
        how += f"; stock phrases set aside: {', '.join(dict.fromkeys(set_aside))}"
    evidence = (
        Evidence(what="speaker", detail="one speaker"),
        Evidence(what="paraphrase", detail=f"'{left.text}' / '{right.text}': {how}"),
    )
    return MergeRule.PARAPHRASE, round(0.6 + 0.35 * share, 3), evidence


def _weigh(stems: Iterable[str], *, rules: ParaphraseRules, other_negations: int) -> int:
    """How many of ``stems`` count in a share: all but ``other_negations`` of their negations
    (negations another printing spells otherwise, v8)."""
    found = list(stems)
    return len(found) - min(other_negations, sum(w in rules.negation_stems for w in found))


def _denied(remark: ReadRemark, rules: ParaphraseRules) -> tuple[set[str], set[str]]:
    """(content words a negation denies, from it to the end of its clause; the other content
    words), negations aside."""
    denied = {
        k
        for k in remark.content_at
        if any(
            remark.words[n] in rules.negation_stems
            and n < k
            and remark.clauses[n] == remark.clauses[k]
            for n in remark.content_at
        )
    }
    kept = [k for k in remark.content_at if remark.words[k] not in rules.negation_stems]
    return (
        {remark.words[k] for k in kept if k in denied},
        {remark.words[k] for k in kept if k not in denied},
    )


def _deny_other_things(a: ReadRemark, b: ReadRemark, rules: ParaphraseRules) -> bool:
    """Whether each printing denies a word the other affirms ('we will defend ... and we will
    not back down' / 'we will not defend ... and we will back down'). One way only is a denial
    moved within one thought ("I don't think it will hold" / "I think it will not hold")."""
    denied_a, free_a = _denied(a, rules)
    denied_b, free_b = _denied(b, rules)
    return bool((denied_a - denied_b) & free_b and (denied_b - denied_a) & free_a)


def _clauses_aligned(
    a: ReadRemark, at_a: list[int], b: ReadRemark, at_b: list[int], rules: ParaphraseRules
) -> list[tuple[str, ...]]:
    """The content words (at ``at_a`` / ``at_b``) that align clause by clause, one printing's
    clauses in the order that aligns most with the other's: one tuple a clause pair, only the
    pairs with evidence of their own (``min_clause_aligned_words``, most of the shorter clause)."""
    best: list[tuple[str, ...]] = []
    for fixed, at_fixed, moved, at_moved in ((a, at_a, b, at_b), (b, at_b, a, at_a)):
        groups: dict[int, list[int]] = {}
        for k in at_moved:
            groups.setdefault(moved.clauses[k], []).append(k)
        if not 2 <= len(groups) <= rules.max_clauses:
            continue
        fixed_words = tuple(fixed.words[k] for k in at_fixed)
        fixed_sizes = Counter(fixed.clauses[k] for k in at_fixed)
        for order in itertools.permutations(groups.values()):
            at = [k for group in order for k in group]
            found: dict[tuple[int, int], list[str]] = {}
            for block in Indel.opcodes(
                fixed_words, tuple(moved.words[k] for k in at)
            ).as_matching_blocks():
                for i, j in zip(
                    range(block.a, block.a + block.size),
                    range(block.b, block.b + block.size),
                    strict=True,
                ):
                    key = (fixed.clauses[at_fixed[i]], moved.clauses[at[j]])
                    found.setdefault(key, []).append(fixed_words[i])
            counted = [
                tuple(aligned)
                for (one, other), aligned in found.items()
                if len(aligned) >= rules.min_clause_aligned_words
                and len(aligned) / min(fixed_sizes[one], len(groups[other]))
                >= rules.min_clause_aligned_share
            ]
            if sum(map(len, counted)) > sum(map(len, best)):
                best = counted
    return best


def _synonyms_as_in(
    a: ReadRemark, b: ReadRemark, rules: ParaphraseRules
) -> tuple[ReadRemark, ReadRemark, list[tuple[str, str]]]:
    """``a`` and ``b`` with each content word of ``b`` that ``a`` lacks written as ``a``'s
    synonym or other form of it ('let' as 'allow', 'taken' as 'took'), one for one, the other
    words of a phrasal verb so matched no longer content ('gave up' / 'surrendered'); and the
    lemmas matched."""
    if not rules.synonyms_file:
        return a, b, []
    mine, theirs = set(a.content), set(b.content)
    used = {k for k in a.content_at if a.words[k] in theirs}  # a's words b has already
    written = list(b.words)
    swapped: list[tuple[str, str]] = []
    # One negation for another ('never' / 'not'): both printings are negated, or no pair.
    denials = [k for k in a.content_at if a.words[k] in rules.negation_stems and k not in used]
    for j in b.content_at:
        if denials and b.words[j] in rules.negation_stems and b.words[j] not in mine:
            k = denials.pop(0)
            written[j] = a.words[k]
            swapped.append((a.words[k], b.words[j]))
            used.add(k)
    if frozenset(a.senses).isdisjoint(b.senses):  # no sense in common: the usual case
        if not swapped:
            return a, b, []
        return a, _without(b, written, set()), swapped
    synonyms = load_synonyms(rules.synonyms_file)
    by_main, by_every = _sense_index(a, synonyms)
    dropped_a: set[int] = set()
    dropped_b: set[int] = set()
    for j in b.content_at:
        lemma = b.lemmas[j]
        if lemma is None or (b.words[j] in mine and b.spans[j] == 1):
            continue
        main, every = synonyms.senses[lemma]
        found = sorted(
            {k for sense in every for k in by_main.get(sense, ())}
            | {k for sense in main for k in by_every.get(sense, ())}
        )
        for k in found:
            other = a.lemmas[k]
            if k in used or other is None:
                continue
            if other == lemma or synonyms.alike(other, lemma):
                written[j] = a.words[k]
                dropped_a.update(range(k + 1, k + a.spans[k]))
                dropped_b.update(range(j + 1, j + b.spans[j]))
                swapped.append((other, lemma))
                used.add(k)
                break
    if not swapped:
        return a, b, []
    return _without(a, list(a.words), dropped_a), _without(b, written, dropped_b), swapped


def _without(remark: ReadRemark, words: list[str], dropped: set[int]) -> ReadRemark:
    """``remark`` with these words, those at ``dropped`` no longer content."""
    content_at = tuple(k for k in remark.content_at if k not in dropped)
    return ReadRemark(
        tuple(words),
        tuple(words[k] for k in content_at),
        remark.negated,
        content_at,
        remark.lemmas,
        remark.senses,
        remark.spans,
        remark.clauses,
    )


@lru_cache(maxsize=65536)
def _sense_index(
    remark: ReadRemark, synonyms: Synonyms
) -> tuple[dict[int, list[int]], dict[int, list[int]]]:
    """Where a remark's content words stand, by main sense and by every sense: 'alike' is a
    main sense of one word among every sense of the other, so each side is looked up in the
    other's index. Cached: one printing meets many."""
    by_main: dict[int, list[int]] = {}
    by_every: dict[int, list[int]] = {}
    for k in remark.content_at:
        lemma = remark.lemmas[k]
        if lemma is None:
            continue
        main, every = synonyms.senses[lemma]
        for sense in main:
            by_main.setdefault(sense, []).append(k)
        for sense in every:
            by_every.setdefault(sense, []).append(k)
    return by_main, by_every


def _stock_words(stems: tuple[str, ...], covered: frozenset[int]) -> list[str]:
    """The stock phrases of a remark as runs of its words: ['at the end of the day']."""
    found: list[list[str]] = []
    for k in sorted(covered):
        if found and k - 1 in covered:
            found[-1].append(stems[k])
        else:
            found.append([stems[k]])
    return [" ".join(run) for run in found]

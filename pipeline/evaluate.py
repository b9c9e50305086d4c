"""Score extraction results against the gold annotations: precision, recall and F1 per task.

Quotes are matched as the Gender Gap Tracker evaluates quote extraction (Asr et al. 2021,
PLoS ONE 16(1): e0245533; its NLP/evaluation/src/eval/evaluate_quotes.py on GitHub):

- The *overlap* of a predicted span with a gold span is the share of the gold span's characters
  that the prediction covers, ``|gold ∩ predicted| / |gold|``. It is asymmetric on purpose, the
  human annotation being the reference: a prediction that takes in words around the gold passage
  loses nothing, one that covers only part of it loses the rest.
- Each gold quote, in article order, takes the not yet matched predicted quote with the highest
  overlap, provided that overlap is *more than* the threshold: 0.3 and 0.8, the two GGT reports.
  So a prediction covering half of a gold quote matches at 30% but not at 80%.
- Unmatched gold quotes are false negatives, unmatched predictions false positives; an aggregate
  adds the counts of its articles before dividing (micro average).
- Speaker accuracy is the share of matched quotes whose speaker is right. GGT asks for overlapping
  speaker spans; here the predicted speaker must be the actor aligned with the gold speaker.

Claims are matched the same way on their evidence, at one threshold, ``CLAIM_THRESHOLD`` (more than
half of the gold evidence): evidence extents vary more than quote extents (a clause or the sentence
around it), and with the asymmetric overlap a whole sentence still matches the clause it contains.
Asserter accuracy counts a matched claim as right when both say "the outlet" (``None``) or when the
predicted asserter is aligned with the gold one.

Events (prompt versions that code claims as events): of the matched claims the gold codes, event
type accuracy counts those whose PLOVER type equals the gold's; source/target accuracy those whose
source and target are the aligned actors (or both none). A matched claim without an event is
wrong on both. Versions that ask for no events score nothing here (shown as '-').

Actors are aligned one to one: a predicted actor can stand for a gold actor when one of its mention
spans overlaps one of the gold actor's mention spans by a character, or when a name of one (its name
or a mention's text) equals a name of the other after ``comparable_name``. Among those pairs the
alignment is a maximum matching, each gold actor preferring the predicted actor with the most
overlapping mentions. A predicted actor that is left unaligned (a duplicate such as 'Kirby' next to
'John Kirby') is a false positive, but a quote attributed to it still names the right speaker.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from pydantic import ValidationError
from rich.table import Table

from pipeline.batch.corpus import (
    DEFAULT_CONCURRENCY,
    ArticleOutcome,
    ProgressListener,
    extract_corpus,
)
from pipeline.errors import AnnotationError, ArticleError
from pipeline.extract.prompting import available_versions, load_prompt
from pipeline.extract.versions import EXTRACT_TASK, asks_for_events
from pipeline.ingest.articles import read_article
from pipeline.settings import Settings
from schemas.extraction import name_key
from schemas.gold import GoldActor, GoldAnnotation
from schemas.records import Actor, ExtractionResult

QUOTE_THRESHOLDS = (0.3, 0.8)
CLAIM_THRESHOLD = 0.5
GOLD_DIR = "gold"

Interval = tuple[int, int]
_G = TypeVar("_G")
_P = TypeVar("_P")


# --- counts ----------------------------------------------------------------------------------


def _ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


@dataclass(frozen=True)
class Counts:
    """Matches of one task: true positives, false positives, false negatives."""

    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0

    @property
    def precision(self) -> float | None:
        """None when nothing was predicted: there is nothing to be precise about."""
        return _ratio(self.true_positives, self.true_positives + self.false_positives)

    @property
    def recall(self) -> float | None:
        """None when the gold has nothing to find."""
        return _ratio(self.true_positives, self.true_positives + self.false_negatives)

    @property
    def f1(self) -> float | None:
        """2TP / (2TP + FP + FN): the harmonic mean of P and R, and 0 when either is 0 or None."""
        tp, fp, fn = self.true_positives, self.false_positives, self.false_negatives
        return _ratio(2 * tp, 2 * tp + fp + fn)

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.true_positives + other.true_positives,
            self.false_positives + other.false_positives,
            self.false_negatives + other.false_negatives,
        )


@dataclass(frozen=True)
class Accuracy:
    """How many of the matched items were attributed to the right actor."""

    correct: int = 0
    total: int = 0

    @property
    def value(self) -> float | None:
        """None when nothing was matched."""
        return _ratio(self.correct, self.total)

    def __add__(self, other: Accuracy) -> Accuracy:
        return Accuracy(self.correct + other.correct, self.total + other.total)


@dataclass(frozen=True)
class SpanScore:
    """Span matching at one threshold, and the attribution (speaker, asserter) of the matches."""

    counts: Counts
    attribution: Accuracy

    def __add__(self, other: SpanScore) -> SpanScore:
        return SpanScore(self.counts + other.counts, self.attribution + other.attribution)


@dataclass(frozen=True, kw_only=True)
class TaskScores:
    """The scores of every task, for one article or summed over many."""

    actors: Counts
    quotes_30: SpanScore
    quotes_80: SpanScore
    claims: SpanScore
    # Of the matched claims the gold codes as events (prompt versions that ask for events only):
    event_type: Accuracy = Accuracy()  # the same PLOVER event type
    event_parties: Accuracy = Accuracy()  # source and target the aligned actors (or both none)

    def metrics(self) -> dict[str, float | None]:
        """Flat names for baselines and reports: 'actors.f1', 'quotes@0.3.speaker', ..."""
        low, high = QUOTE_THRESHOLDS
        values = _ratios("actors", self.actors)
        for task, score, attribution in [(f"quotes@{low}", self.quotes_30, "speaker"),
                                         (f"quotes@{high}", self.quotes_80, "speaker"),
                                         ("claims", self.claims, "asserter")]:
            values |= _ratios(task, score.counts)
            values[f"{task}.{attribution}"] = score.attribution.value
        values["claims.event_type"] = self.event_type.value
        values["claims.source_target"] = self.event_parties.value
        return values


    def false_positives(self) -> dict[str, int]:
        """Predictions that match no gold item, per task: 'actors.false_positives', ... An
        invention that grounding lets through is one, whatever the model's other scores."""
        low, high = QUOTE_THRESHOLDS
        return {
            "actors.false_positives": self.actors.false_positives,
            f"quotes@{low}.false_positives": self.quotes_30.counts.false_positives,
            f"quotes@{high}.false_positives": self.quotes_80.counts.false_positives,
            "claims.false_positives": self.claims.counts.false_positives,
        }


def _ratios(task: str, counts: Counts) -> dict[str, float | None]:
    return {f"{task}.precision": counts.precision, f"{task}.recall": counts.recall,
            f"{task}.f1": counts.f1}


@dataclass(frozen=True, kw_only=True)
class ArticleScore(TaskScores):
    """The scores of one article, named as its gold annotation names it."""

    article_id: str


@dataclass(frozen=True, kw_only=True)
class CorpusScore(TaskScores):
    """Counts summed over articles (micro average): long articles weigh more, as in GGT."""

    article_ids: tuple[str, ...]


def aggregate(scores: Iterable[ArticleScore]) -> CorpusScore:
    """Sum the counts of several articles; no articles gives zero counts and None ratios."""
    scores = list(scores)
    nothing = SpanScore(Counts(), Accuracy())
    return CorpusScore(
        article_ids=tuple(score.article_id for score in scores),
        actors=sum((score.actors for score in scores), Counts()),
        quotes_30=sum((score.quotes_30 for score in scores), nothing),
        quotes_80=sum((score.quotes_80 for score in scores), nothing),
        claims=sum((score.claims for score in scores), nothing),
        event_type=sum((score.event_type for score in scores), Accuracy()),
        event_parties=sum((score.event_parties for score in scores), Accuracy()),
    )


# --- matching --------------------------------------------------------------------------------


def overlap(gold: Interval, predicted: Interval) -> float:
    """The share of the gold span's characters that the predicted span covers (GGT's score)."""
    gold_start, gold_end = gold
    if gold_end <= gold_start:
        return 0.0
    shared = min(gold_end, predicted[1]) - max(gold_start, predicted[0])
    return max(shared, 0) / (gold_end - gold_start)


def match_spans(gold: Sequence[Interval], predicted: Sequence[Interval],
                threshold: float) -> list[tuple[int, int]]:
    """GGT's greedy matching: (gold index, predicted index) pairs, each prediction used once."""
    remaining = list(range(len(predicted)))
    pairs: list[tuple[int, int]] = []
    for g, gold_span in enumerate(gold):
        best: int | None = None
        best_overlap = threshold
        for p in remaining:
            score = overlap(gold_span, predicted[p])
            if score > best_overlap:
                best, best_overlap = p, score
        if best is not None:
            remaining.remove(best)
            pairs.append((g, best))
    return pairs


def comparable_name(name: str) -> str:
    """Names a reader takes as one compare equal: 'U.S.' and 'US', 'Kim Jong-un', 'Kim Jong Un'."""
    folded = name_key(name).removeprefix("the ")
    return "".join(char for char in folded if char.isalnum())


def _names(texts: Iterable[str]) -> set[str]:
    return {key for key in map(comparable_name, texts) if key}


def _affinity(predicted: Actor, gold: GoldActor) -> int:
    """0 when the two cannot be the same actor; else the overlapping mention pairs, plus one for a
    shared name, so that the alignment prefers the closest candidate."""
    overlapping = sum(
        1
        for p in predicted.mentions
        for g in gold.mentions
        if p.span.start < g.end and g.start < p.span.end
    )
    predicted_names = _names([predicted.name, *(m.text for m in predicted.mentions)])
    gold_names = _names([gold.name, *(m.text for m in gold.mentions)])
    return overlapping + (1 if predicted_names & gold_names else 0)


@dataclass(frozen=True)
class ActorAlignment:
    """Which predicted actor stands for which gold actor."""

    gold_of: Mapping[str, str]  # predicted actor_id -> gold actor_id, one to one
    compatible: frozenset[tuple[str, str]]  # every (predicted, gold) pair that could match

    def same(self, predicted_id: str | None, gold_id: str | None) -> bool:
        """Whether a predicted attribution names the gold one; None stands for the outlet."""
        if predicted_id is None or gold_id is None:
            return predicted_id is None and gold_id is None
        if predicted_id in self.gold_of:
            return self.gold_of[predicted_id] == gold_id
        return (predicted_id, gold_id) in self.compatible


def align_actors(predicted: Sequence[Actor], gold: Sequence[GoldActor]) -> ActorAlignment:
    """A maximum one-to-one matching of compatible pairs (Kuhn's augmenting paths)."""
    candidates: dict[str, list[str]] = {}
    compatible: set[tuple[str, str]] = set()
    for gold_actor in gold:
        scored = [(_affinity(p, gold_actor), i, p.actor_id) for i, p in enumerate(predicted)]
        ranked = sorted((-score, i, pid) for score, i, pid in scored if score > 0)
        candidates[gold_actor.actor_id] = [pid for _, _, pid in ranked]
        compatible.update((pid, gold_actor.actor_id) for _, _, pid in ranked)

    gold_of: dict[str, str] = {}

    def augment(gold_id: str, visited: set[str]) -> bool:
        for predicted_id in candidates[gold_id]:
            if predicted_id in visited:
                continue
            visited.add(predicted_id)
            holder = gold_of.get(predicted_id)
            if holder is None or augment(holder, visited):
                gold_of[predicted_id] = gold_id
                return True
        return False

    for gold_id in candidates:
        augment(gold_id, set())
    return ActorAlignment(gold_of=gold_of, compatible=frozenset(compatible))


def _score_spans(gold: Sequence[_G], predicted: Sequence[_P], threshold: float, *,
                 gold_span: Callable[[_G], Interval], predicted_span: Callable[[_P], Interval],
                 attributed_right: Callable[[_G, _P], bool]) -> SpanScore:
    pairs = match_spans([gold_span(g) for g in gold], [predicted_span(p) for p in predicted],
                        threshold)
    counts = Counts(len(pairs), len(predicted) - len(pairs), len(gold) - len(pairs))
    right = sum(1 for g, p in pairs if attributed_right(gold[g], predicted[p]))
    return SpanScore(counts, Accuracy(right, len(pairs)))


# --- scoring ---------------------------------------------------------------------------------


def score_article(result: ExtractionResult, gold: GoldAnnotation) -> ArticleScore:
    """Score one article's result against its gold annotation."""
    if result.content_sha256 != gold.sha256:
        raise AnnotationError(
            f"the result for {result.article_id!r} was extracted from a text with sha256 "
            f"{result.content_sha256[:12]}…, but the gold annotates {gold.article} "
            f"({gold.sha256[:12]}…); score each result against the gold of its own article"
        )
    alignment = align_actors(result.actors, gold.actors)
    matched = len(alignment.gold_of)
    actors = Counts(matched, len(result.actors) - matched, len(gold.actors) - matched)

    def quotes(threshold: float) -> SpanScore:
        return _score_spans(
            gold.quotes, result.quotes, threshold,
            gold_span=lambda g: (g.span.start, g.span.end),
            predicted_span=lambda p: (p.span.start, p.span.end),
            attributed_right=lambda g, p: alignment.same(p.speaker_id, g.speaker),
        )

    claims = _score_spans(
        gold.claims, result.claims, CLAIM_THRESHOLD,
        gold_span=lambda g: (g.evidence.start, g.evidence.end),
        predicted_span=lambda p: (p.span.start, p.span.end),
        attributed_right=lambda g, p: alignment.same(p.asserted_by_id, g.asserted_by),
    )
    event_type, event_parties = _score_events(result, gold, alignment)
    low, high = QUOTE_THRESHOLDS
    return ArticleScore(article_id=gold.article_id, actors=actors, quotes_30=quotes(low),
                        quotes_80=quotes(high), claims=claims, event_type=event_type,
                        event_parties=event_parties)


def _score_events(result: ExtractionResult, gold: GoldAnnotation,
                  alignment: ActorAlignment) -> tuple[Accuracy, Accuracy]:
    """Event type and parties of the matched claims; nothing to score when the prompt version
    asks for no events (v1). A matched claim whose event was not given counts as wrong."""
    if not asks_for_events(result.prompt.version):
        return Accuracy(), Accuracy()
    pairs = match_spans([(g.evidence.start, g.evidence.end) for g in gold.claims],
                        [(p.span.start, p.span.end) for p in result.claims], CLAIM_THRESHOLD)
    coded = [(gold.claims[g].event, result.claims[p].event) for g, p in pairs
             if gold.claims[g].event is not None]
    types = sum(1 for g, p in coded if p is not None and g is not None
                and p.event_type == g.event_type)
    parties = sum(1 for g, p in coded if p is not None and g is not None
                  and alignment.same(p.source_id, g.source)
                  and alignment.same(p.target_id, g.target))
    return Accuracy(types, len(coded)), Accuracy(parties, len(coded))


def score_unanswered(gold: GoldAnnotation) -> ArticleScore:
    """An article the model gave no valid answer for: everything the gold marks was missed."""
    def missed(count: int) -> SpanScore:
        return SpanScore(Counts(0, 0, count), Accuracy(0, 0))

    return ArticleScore(
        article_id=gold.article_id, actors=Counts(0, 0, len(gold.actors)),
        quotes_30=missed(len(gold.quotes)), quotes_80=missed(len(gold.quotes)),
        claims=missed(len(gold.claims)),
    )


def score_results(results: Iterable[ExtractionResult],
                  gold: Mapping[str, GoldAnnotation], *,
                  unanswered: Iterable[str] = ()) -> CorpusScore:
    """Score results of several articles, each against the gold of the text it was read from.

    ``unanswered``: sha256s of articles that gave no result (the model never answered validly);
    they count as everything missed, so that a failing model does not score as a careful one.
    """
    by_hash = {annotation.sha256: annotation for annotation in gold.values()}
    scores = [score_unanswered(by_hash[sha]) for sha in unanswered if sha in by_hash]
    for result in results:
        annotation = by_hash.get(result.content_sha256)
        if annotation is None:
            raise AnnotationError(
                f"no gold annotation for {result.article_id!r} (sha256 "
                f"{result.content_sha256[:12]}…); annotate it in seeds/{GOLD_DIR}/ or leave it "
                "out of the evaluation"
            )
        scores.append(score_article(result, annotation))
    return aggregate(scores)


# --- loading ---------------------------------------------------------------------------------


def _validation_summary(exc: ValidationError, shown: int = 5) -> str:
    problems = [
        f"{'.'.join(str(part) for part in error['loc']) or 'file'}: {error['msg']}"
        for error in exc.errors()
    ]
    more = f" (and {len(problems) - shown} more)" if len(problems) > shown else ""
    return "; ".join(problems[:shown]) + more


def load_gold(path: Path, *, seeds_dir: Path | None = None) -> GoldAnnotation:
    """Read one gold file and check it against its article, found in ``seeds_dir`` (default: the
    folder above the file's): same sha256, and every span's text printed at its offsets."""
    seeds_dir = seeds_dir if seeds_dir is not None else path.parent.parent
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise AnnotationError(f"cannot read the gold file: {exc.strerror}", path=path) from exc
    try:
        gold = GoldAnnotation.model_validate_json(raw)
    except ValidationError as exc:
        raise AnnotationError(
            f"not a valid gold annotation: {_validation_summary(exc)}", path=path
        ) from exc
    if path.stem != gold.article_id:
        raise AnnotationError(
            f"annotates {gold.article!r}; name the file {gold.article_id}.json", path=path
        )
    try:
        article = read_article(seeds_dir / gold.article)
    except ArticleError as exc:
        raise AnnotationError(f"its article cannot be read: {exc}", path=path) from exc
    if article.content_sha256 != gold.sha256:
        raise AnnotationError(
            f"sha256 {gold.sha256} is not that of {article.path} ({article.content_sha256}): the "
            "article changed since it was annotated; re-check every span, then update sha256 "
            "(python seeds/gold/offsets.py checks and fills them)",
            path=path,
        )
    for label, span in gold.spans():
        printed = article.text[span.start : span.end]
        if printed != span.text:
            raise AnnotationError(
                f"{label} says {span.text!r} at {span.start}-{span.end}, but the article prints "
                f"{printed!r} there",
                path=path,
            )
    return gold


def load_gold_dir(seeds_dir: Path) -> dict[str, GoldAnnotation]:
    """Every gold file in ``seeds_dir/gold/``, checked, keyed by article id."""
    gold_dir = seeds_dir / GOLD_DIR
    paths = sorted(gold_dir.glob("*.json"))
    if not paths:
        raise AnnotationError(
            f"no gold annotations (*.json) in {gold_dir}; see seeds/gold/README.md", path=gold_dir
        )
    return {gold.article_id: gold for gold in (load_gold(p, seeds_dir=seeds_dir) for p in paths)}


# --- the evaluation loop ---------------------------------------------------------------------


def versions_to_score(requested: Sequence[int] = (), *, all_versions: bool = False,
                      prompts_dir: Path | None = None) -> list[int | None]:
    """The prompt versions asked for; every one on disk with ``all_versions``; else the newest
    (None)."""
    if all_versions:
        return [*available_versions(EXTRACT_TASK, prompts_dir=prompts_dir)]
    return [*requested] if requested else [None]


@dataclass(frozen=True)
class Evaluation:
    """One model and prompt version scored, and the articles that gave no result on the way."""

    row: ScoreRow
    failures: list[ArticleOutcome]


def evaluate_prompt(seeds_dir: Path, *, settings: Settings, db: str | Path = ":memory:",
                    concurrency: int = DEFAULT_CONCURRENCY,
                    progress: ProgressListener | None = None) -> Evaluation:
    """Every annotated article of ``seeds_dir``, extracted with ``settings``, and its scores.

    Answers go through the store like a batch run's, so scoring an unchanged prompt again costs
    no call. An article without a result (the model never answered validly) counts as
    everything missed, so that a failing model does not score as a careful one.
    """
    gold = load_gold_dir(seeds_dir)
    paths = [seeds_dir / annotation.article for annotation in gold.values()]
    report = extract_corpus(paths, settings=settings, db=db, concurrency=concurrency,
                            progress=progress)
    unanswered = [outcome.content_sha256 for outcome in report.failures if outcome.content_sha256]
    score = score_results(report.results, gold, unanswered=unanswered)
    prompt = load_prompt(EXTRACT_TASK, settings.prompt_version, prompts_dir=settings.prompts_dir)
    return Evaluation(ScoreRow(settings.model, prompt.ref.version, score), report.failures)


# --- rendering (no scoring below this line) ---------------------------------------------------


@dataclass(frozen=True)
class ScoreRow:
    """One line of the comparison table: a model, a prompt version and their scores."""

    model: str
    prompt_version: int
    score: CorpusScore


def _number(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def _prf(counts: Counts) -> str:
    return " / ".join(_number(v) for v in (counts.precision, counts.recall, counts.f1))


def _accuracy(accuracy: Accuracy) -> str:
    return f"{_number(accuracy.value)} ({accuracy.correct}/{accuracy.total})"


def score_table(rows: Sequence[ScoreRow], *, title: str = "Scores against the gold") -> Table:
    """A rich table with one column per (model, prompt version), side by side, in the order given;
    metrics run down the rows, so that a few versions fit a narrow terminal."""
    low, high = QUOTE_THRESHOLDS
    table = Table(
        title=title,
        caption=(
            f"P / R / F1, counts summed over articles. A quote matches when a prediction covers "
            f"more than {low:.0%} or {high:.0%} of its characters (Gender Gap Tracker), a claim "
            f"when it covers more than {CLAIM_THRESHOLD:.0%} of its evidence. Speaker and "
            "asserter: share of matches attributed to the right actor. Event type and "
            "source/target: share of matched claims whose event has the gold's PLOVER type, and "
            "its source and target (prompt versions that ask for events)."
        ),
    )
    table.add_column("")
    for row in rows:
        table.add_column(f"{row.model}\nv{row.prompt_version}", justify="right", overflow="fold")
    metrics: list[tuple[str, Callable[[CorpusScore], str]]] = [
        ("articles", lambda score: str(len(score.article_ids))),
        ("actors", lambda score: _prf(score.actors)),
        (f"quotes >{low:.0%}", lambda score: _prf(score.quotes_30.counts)),
        (f"speaker >{low:.0%}", lambda score: _accuracy(score.quotes_30.attribution)),
        (f"quotes >{high:.0%}", lambda score: _prf(score.quotes_80.counts)),
        (f"speaker >{high:.0%}", lambda score: _accuracy(score.quotes_80.attribution)),
        ("claims", lambda score: _prf(score.claims.counts)),
        ("asserter", lambda score: _accuracy(score.claims.attribution)),
        ("event type", lambda score: _accuracy(score.event_type)),
        ("source/target", lambda score: _accuracy(score.event_parties)),
    ]
    for label, cell in metrics:
        table.add_row(label, *(cell(row.score) for row in rows))
    return table

"""Score the trust-signal rules against the gold: the audit, attribution, modality and dates.

The gold annotations are turned into an extraction a perfect model would return (its actors,
quotes and claims at the gold offsets), and the rules run on it:

- audit: a gold direct quote is found when speech passages cover more than 80% of it (recall); a
  speech passage is right when more than half of it lies inside a gold quote, direct or indirect
  (a mixed quote's fragment sits inside an indirect one) (precision);
- attribution: every gold quote with its gold speaker should be supported (recall); the same
  quote given to another actor of the article (the one of the same kind named nearest to it, the
  hardest wrong answer) should not be (precision = right speakers among the supported);
- modality: against hand labels of the gold claims (``labels``), per label, and against labelled
  sentences of other news (``score_modality_items``);
- dates: the date expressions in the gold evidence, how many resolve with a reference date.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from pydantic import BaseModel, ConfigDict

from pipeline.audit.attribution import attribute_quotes
from pipeline.audit.dates import claim_dates
from pipeline.audit.modality import claim_modality
from pipeline.audit.quote_audit import audit_quotes
from pipeline.audit.text import sentences
from pipeline.audit.vocabulary import default_vocabulary
from schemas.extraction import ActorKind, QuoteKind
from schemas.gold import GoldAnnotation
from schemas.records import (
    Actor,
    Claim,
    ExtractionResult,
    LLMCall,
    MatchKind,
    Mention,
    PromptRef,
    Quote,
    Span,
    Usage,
)
from schemas.signals import AttributionStatus, Modality, PassageKind, SignalVocabulary

FOUND_ABOVE = 0.8  # share of a gold quote the speech passages must cover
RIGHT_ABOVE = 0.5  # share of a passage that must lie inside gold quotes
_GOLD_PROMPT = PromptRef(id="gold", version=1, sha256="0" * 64)


def gold_result(gold: GoldAnnotation) -> ExtractionResult:
    """The gold as an extraction: what a model that made no mistake would have stored."""
    aid = gold.article_id
    actors = [
        Actor(actor_id=f"{aid}/{actor.actor_id}", name=actor.name, kind=actor.kind,
              mentions=[Mention(text=m.text, span=_span(m.start, m.end)) for m in actor.mentions])
        for actor in gold.actors
    ]
    names = {actor.actor_id: actor.name for actor in gold.actors}
    quotes = [
        Quote(quote_id=f"{aid}/q{k}", text=q.span.text, span=_span(q.span.start, q.span.end),
              speaker_id=f"{aid}/{q.speaker}", speaker=names[q.speaker], kind=q.kind, cue=q.cue)
        for k, q in enumerate(gold.quotes)
    ]
    claims = [
        Claim(claim_id=f"{aid}/c{k}", statement=c.statement,
              asserted_by_id=f"{aid}/{c.asserted_by}" if c.asserted_by else None,
              asserted_by=names[c.asserted_by] if c.asserted_by else None,
              evidence=c.evidence.text, span=_span(c.evidence.start, c.evidence.end))
        for k, c in enumerate(gold.claims)
    ]
    call = LLMCall(model="gold", mode="gold", prompt=_GOLD_PROMPT, input_sha256=gold.sha256,
                   schema_sha256="0" * 64, request_messages=[], answers=[], reask_errors=[],
                   usage=Usage(), latency_ms=0.0)
    return ExtractionResult(article_id=aid, content_sha256=gold.sha256, model="gold",
                            prompt=_GOLD_PROMPT, actors=actors, quotes=quotes, claims=claims,
                            rejected=[], call=call)


def _span(start: int, end: int) -> Span:
    return Span(start=start, end=end, match=MatchKind.EXACT)


def _covered(start: int, end: int, spans: Sequence[tuple[int, int]]) -> int:
    marks = bytearray(end - start)
    for low, high in spans:
        for k in range(max(low, start), min(high, end)):
            marks[k - start] = 1
    return sum(marks)


@dataclass
class Tally:
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0

    @property
    def precision(self) -> float | None:
        predicted = self.true_positives + self.false_positives
        return self.true_positives / predicted if predicted else None

    @property
    def recall(self) -> float | None:
        expected = self.true_positives + self.false_negatives
        return self.true_positives / expected if expected else None


@dataclass
class SignalScores:
    """Tally over a corpus; ``failures`` say where a rule went wrong, for the closing note."""

    audit: Tally = field(default_factory=Tally)  # speech passages: right (tp) or not (fp)
    gold_direct: int = 0  # gold direct quotes
    gold_direct_found: int = 0  # of them, covered by speech passages
    non_speech: Counter[str] = field(default_factory=Counter)  # scare/title: right or a quote
    attribution: Tally = field(default_factory=Tally)
    wrong_speakers: int = 0  # quotes given to another actor, to be flagged
    cue_agrees: int = 0
    cues_compared: int = 0
    modality: dict[Modality, Tally] = field(default_factory=dict)
    modality_right: int = 0
    modality_total: int = 0
    dates_found: int = 0
    dates_resolved: int = 0
    failures: list[str] = field(default_factory=list)

    @property
    def audit_recall(self) -> float | None:
        return self.gold_direct_found / self.gold_direct if self.gold_direct else None


def score_signals(
    texts: Mapping[str, str],
    golds: Mapping[str, GoldAnnotation],
    *,
    modality_labels: Mapping[str, Sequence[str]] | None = None,
    reference_dates: Mapping[str, dt.date] | None = None,
    vocabulary: SignalVocabulary | None = None,
) -> SignalScores:
    """Score the rules on every article of ``golds`` (keyed by article id, texts likewise)."""
    vocabulary = vocabulary or default_vocabulary()
    scores = SignalScores()
    for article_id, gold in sorted(golds.items()):
        text = texts[article_id]
        result = gold_result(gold)
        _score_audit(text, result, gold, vocabulary, scores)
        _score_attribution(text, result, vocabulary, scores)
        labels = (modality_labels or {}).get(article_id)
        if labels is not None:
            _score_modality(text, result, labels, vocabulary, scores)
        reference = (reference_dates or {}).get(article_id)
        for claim in result.claims:
            for date in claim_dates(text, claim, vocabulary.dates, reference=reference):
                scores.dates_found += 1
                scores.dates_resolved += date.value is not None
    return scores


def _score_audit(text: str, result: ExtractionResult, gold: GoldAnnotation,
                 vocabulary: SignalVocabulary, scores: SignalScores) -> None:
    audit = audit_quotes(text, [], vocabulary.quotes)
    direct = [(q.span.start, q.span.end) for q in gold.quotes if q.kind is QuoteKind.DIRECT]
    every = [(q.span.start, q.span.end) for q in gold.quotes]
    speech = [(p.span.start, p.span.end) for p in audit.speech]
    for passage in audit.passages:
        inside = _covered(passage.span.start, passage.span.end, every)
        right = inside / len(passage.span.text) > RIGHT_ABOVE
        if passage.kind is PassageKind.SPEECH:
            if right:
                scores.audit.true_positives += 1
            else:
                scores.audit.false_positives += 1
                scores.failures.append(f"audit {result.article_id[:3]}: speech passage not in "
                                       f"the gold quotes: {passage.span.text[:60]!r}")
        else:
            in_direct = _covered(passage.span.start, passage.span.end, direct)
            is_quote = in_direct / len(passage.span.text) > RIGHT_ABOVE and any(
                low == passage.span.start for low, _ in direct)
            verdict = "a gold direct quote" if is_quote else "right"
            scores.non_speech[f"{passage.kind.value}: {verdict}"] += 1
            if is_quote:
                scores.failures.append(f"audit {result.article_id[:3]}: {passage.kind.value} "
                                       f"that the gold quotes: {passage.span.text!r}")
    for low, high in direct:
        scores.gold_direct += 1
        if _covered(low, high, speech) / (high - low) > FOUND_ABOVE:
            scores.gold_direct_found += 1
            continue
        scores.failures.append(f"audit {result.article_id[:3]}: gold direct quote not found as "
                               f"speech: {text[low:high][:60]!r}")


def _score_attribution(text: str, result: ExtractionResult, vocabulary: SignalVocabulary,
                       scores: SignalScores) -> None:
    passages = audit_quotes(text, result.quotes, vocabulary.quotes).passages
    bounds = sentences(text)
    right = attribute_quotes(text, result, vocabulary.attribution, passages=passages,
                             bounds=bounds)
    wrong_quotes = [q for q in (_misattributed(result, quote) for quote in result.quotes) if q]
    wrong = attribute_quotes(text, result.model_copy(update={"quotes": wrong_quotes}),
                             vocabulary.attribution, passages=passages, bounds=bounds)
    for quote, found in zip(result.quotes, right, strict=True):
        if found.status is AttributionStatus.SUPPORTED:
            scores.attribution.true_positives += 1
            if quote.cue:
                scores.cues_compared += 1
                agrees = found.cue is not None and (
                    found.cue.text.lower() in quote.cue.lower()
                    or quote.cue.lower() in found.cue.text.lower())
                scores.cue_agrees += agrees
        else:
            scores.attribution.false_negatives += 1
            scores.failures.append(f"attribution {result.article_id[:3]}: {quote.speaker}'s "
                                   f"{quote.text[:50]!r} unsupported: {found.reason}")
    scores.wrong_speakers += len(wrong_quotes)
    for quote, found in zip(wrong_quotes, wrong, strict=True):
        if found.status is AttributionStatus.SUPPORTED:
            scores.attribution.false_positives += 1
            scores.failures.append(f"attribution {result.article_id[:3]}: {quote.text[:50]!r} "
                                   f"given to {quote.speaker} is supported by "
                                   f"{found.speaker.text if found.speaker else '?'!r}")


def _misattributed(result: ExtractionResult, quote: Quote) -> Quote | None:
    """The quote given to the other actor of the speaker's kind named nearest to it."""
    speaker = result.actor(quote.speaker_id)
    best: tuple[int, Actor] | None = None
    for actor in result.actors:
        if actor.actor_id == speaker.actor_id or actor.kind is not speaker.kind:
            continue
        for mention in actor.mentions:
            distance = abs(mention.span.start - quote.span.start)
            if best is None or distance < best[0]:
                best = (distance, actor)
    if best is None:
        return None
    return quote.model_copy(update={"quote_id": quote.quote_id + "-wrong",
                                    "speaker_id": best[1].actor_id, "speaker": best[1].name})


def _score_modality(text: str, result: ExtractionResult, labels: Sequence[str],
                    vocabulary: SignalVocabulary, scores: SignalScores) -> None:
    if len(labels) != len(result.claims):
        raise ValueError(f"{result.article_id}: {len(labels)} modality labels for "
                         f"{len(result.claims)} gold claims")
    bounds = sentences(text)
    speech = [p.span for p in audit_quotes(text, [], vocabulary.quotes).speech]
    for claim, label in zip(result.claims, labels, strict=True):
        expected = Modality(label)
        found = claim_modality(text, claim, vocabulary.modality, bounds=bounds,
                               speech_cues=vocabulary.attribution.cues, quoted=speech).modality
        scores.modality_total += 1
        scores.modality_right += found is expected
        for modality in Modality:
            counts = scores.modality.setdefault(modality, Tally())
            if found is modality and expected is modality:
                counts.true_positives += 1
            elif found is modality:
                counts.false_positives += 1
            elif expected is modality:
                counts.false_negatives += 1
        if found is not expected:
            where = f"{claim.claim_id[:3]}#{claim.claim_id.rsplit('/c', 1)[-1]}"
            scores.failures.append(f"modality {where}: {found.value}, gold {expected.value}: "
                                   f"{claim.evidence[:60]!r}")


def score_modality_items(items: Sequence[tuple[str, str, str]], *,
                         vocabulary: SignalVocabulary | None = None) -> SignalScores:
    """Modality of labelled (sentence, evidence, label) items, each its own text."""
    vocabulary = vocabulary or default_vocabulary()
    scores = SignalScores()
    for k, (sentence, evidence, label) in enumerate(items):
        start = sentence.index(evidence)
        claim = Claim(claim_id=f"held-out/c{k}", statement=evidence, asserted_by_id=None,
                      asserted_by=None, evidence=evidence,
                      span=_span(start, start + len(evidence)))
        result = gold_result_of_claims(sentence, [claim])
        _score_modality(sentence, result, [label], vocabulary, scores)
    return scores


def gold_result_of_claims(text: str, claims: list[Claim]) -> ExtractionResult:
    call = LLMCall(model="gold", mode="gold", prompt=_GOLD_PROMPT, input_sha256="0" * 64,
                   schema_sha256="0" * 64, request_messages=[], answers=[], reask_errors=[],
                   usage=Usage(), latency_ms=0.0)
    return ExtractionResult(article_id="held-out", content_sha256="0" * 64, model="gold",
                            prompt=_GOLD_PROMPT, actors=[], quotes=[], claims=claims,
                            rejected=[], call=call)


class AttributionItem(BaseModel):
    """A labelled passage: its actors (name, kind) and quotes (words, speaker's name)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    text: str
    actors: list[tuple[str, ActorKind]]
    quotes: list[tuple[str, str]]


def score_attribution_items(items: Sequence[Mapping[str, object]], *,
                            vocabulary: SignalVocabulary | None = None) -> SignalScores:
    """Attribution on labelled passages (``AttributionItem``); each name grounded at its first
    printing."""
    vocabulary = vocabulary or default_vocabulary()
    scores = SignalScores()
    for k, raw in enumerate(items):
        item = AttributionItem.model_validate(raw)
        text = item.text
        actors = [
            Actor(actor_id=f"held-out-{k}/a{n}", name=name, kind=kind, mentions=[
                Mention(text=name, span=_span(text.index(name), text.index(name) + len(name)))])
            for n, (name, kind) in enumerate(item.actors)
        ]
        ids = {actor.name: actor.actor_id for actor in actors}
        quotes = [
            Quote(quote_id=f"held-out-{k}/q{n}", text=words,
                  span=_span(text.index(words), text.index(words) + len(words)),
                  speaker_id=ids[speaker], speaker=speaker, kind=QuoteKind.DIRECT)
            for n, (words, speaker) in enumerate(item.quotes)
        ]
        result = gold_result_of_claims(text, []).model_copy(update={
            "article_id": f"held-out-{k}", "actors": actors, "quotes": quotes})
        _score_attribution(text, result, vocabulary, scores)
    return scores

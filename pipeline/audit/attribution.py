"""Attribution evidence: does the text tie each quote to its speaker, and where?

A quote is supported when, in the sentences it spans or the one before or after (outside any
quoted passage, so a "said" inside someone's words does not count):

- the text refers to the speaker: a name or alias of the speaker's actor, a person's surname, a
  pronoun ("he", "they") whose last compatible actor before it is the speaker, or a description
  "the <word of a title>" ("the secretary") whose last actor with that title word is the speaker;
- and prints a speech cue of the vocabulary ("said", "told reporters", "according to").

A quote with neither on its own is still supported when it continues the quote just before it
(the next sentence or paragraph, same speaker, supported): the gold's "a quoted paragraph with no
attribution continues the previous speaker". Anything else is ``unsupported``, with the reason.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.audit.text import Match, Sentence, find_phrases, sentence_index, sentences
from schemas.records import Actor, ExtractionResult, Quote
from schemas.signals import (
    Attribution,
    AttributionStatus,
    AttributionWords,
    QuotedPassage,
    SpeakerReference,
    TextSpan,
)

_TITLE_WORD = re.compile(r"[^\W\d_]{3,}")
_NOT_DESCRIPTIONS = frozenset({"the", "and", "for", "from", "with", "of", "to"})


@dataclass(frozen=True)
class _Reference:
    start: int
    end: int
    actor_id: str
    how: SpeakerReference


def attribute_quotes(text: str, result: ExtractionResult, words: AttributionWords, *,
                     passages: Sequence[QuotedPassage] = (),
                     bounds: Sequence[Sentence] | None = None) -> list[Attribution]:
    """One ``Attribution`` per stored quote, in the result's order."""
    bounds = list(bounds) if bounds is not None else sentences(text)
    finder = _ReferenceFinder(text, result.actors, words, passages)
    found: list[Attribution] = []
    previous: tuple[Quote, Attribution] | None = None
    for quote in sorted(result.quotes, key=lambda q: q.span.start):
        attribution = _attribute(text, quote, bounds, finder, words)
        if attribution.status is AttributionStatus.UNSUPPORTED and previous is not None:
            attribution = _continuation(text, quote, previous, bounds) or attribution
        found.append(attribution)
        previous = (quote, attribution)
    order = {quote.quote_id: k for k, quote in enumerate(result.quotes)}
    return sorted(found, key=lambda a: order[a.quote_id])


class _ReferenceFinder:
    """Names, pronouns and descriptions of the extraction's actors, found in the text."""

    def __init__(self, text: str, actors: Sequence[Actor], words: AttributionWords,
                 passages: Sequence[QuotedPassage]) -> None:
        self.text = text
        self.quoted = [(p.span.start, p.span.end) for p in passages]
        self.kinds = {actor.actor_id: actor.kind.value for actor in actors}
        self.names: list[_Reference] = []
        for actor in actors:
            for match in find_phrases(text, _names(actor)):
                self.names.append(_Reference(match.start, match.end, actor.actor_id,
                                             SpeakerReference.NAME))
        self.names.sort(key=lambda r: (r.start, -r.end))
        self.pronoun_kinds: dict[str, frozenset[str]] = {
            word: frozenset(group.kinds) for group in words.pronoun for word in group.words
        }
        # Words of a name ('North' of North Korea) are not descriptions: 'the North' is a name.
        named = {w.lower() for actor in actors for name in _names(actor)
                 for w in _TITLE_WORD.findall(name)}
        self.title_words: dict[str, set[str]] = {}
        for actor in actors:
            for word in _TITLE_WORD.findall((actor.title or "").lower()):
                if word not in _NOT_DESCRIPTIONS and word not in named:
                    self.title_words.setdefault(word, set()).add(actor.actor_id)

    def outside_quotes(self, start: int, end: int) -> bool:
        return not any(low <= start and end <= high for low, high in self.quoted)

    def references(self, low: int, high: int) -> list[_Reference]:
        """Every reference to an actor in ``text[low:high]`` outside quoted passages."""
        found = [r for r in self.names if low <= r.start and r.end <= high
                 and self.outside_quotes(r.start, r.end)]
        for match in find_phrases(self.text, tuple(self.pronoun_kinds), low, high):
            if not self.outside_quotes(match.start, match.end):
                continue
            actor = self._last_before(match.start, self.pronoun_kinds[match.phrase])
            if actor is not None:
                found.append(_Reference(match.start, match.end, actor, SpeakerReference.PRONOUN))
        if self.title_words:
            pattern = r"\bthe\s+(?:[\w-]+\s+){0,2}(" + "|".join(
                re.escape(w) for w in sorted(self.title_words)) + r")\b"
            for described in re.finditer(pattern, self.text[low:high], re.IGNORECASE):
                start, end = low + described.start(), low + described.end()
                if not self.outside_quotes(start, end):
                    continue
                holders = self.title_words[described.group(1).lower()]
                actor = self._last_before(start, None, among=holders)
                if actor is not None:
                    found.append(_Reference(start, end, actor, SpeakerReference.DESCRIPTION))
        return found

    def _last_before(self, position: int, kinds: frozenset[str] | None, *,
                     among: set[str] | None = None) -> str | None:
        """The actor named last before ``position`` (outside quotes) that fits."""
        for reference in reversed(self.names):
            if reference.end > position or not self.outside_quotes(reference.start,
                                                                   reference.end):
                continue
            if kinds is not None and self.kinds[reference.actor_id] not in kinds:
                continue
            if among is not None and reference.actor_id not in among:
                continue
            return reference.actor_id
        if among is not None and len(among) == 1:
            return next(iter(among))  # the only actor with that title, named after it
        return None


def _names(actor: Actor) -> tuple[str, ...]:
    names = {actor.name, *(mention.text for mention in actor.mentions)}
    if actor.kind.value == "person" and len(actor.name.split()) > 1:
        names.add(actor.name.split()[-1])  # the surname: 'Kirby' for John Kirby
    return tuple(name for name in names if name.strip())


def _attribute(text: str, quote: Quote, bounds: list[Sentence], finder: _ReferenceFinder,
               words: AttributionWords) -> Attribution:
    first = sentence_index(bounds, quote.span.start)
    last = sentence_index(bounds, quote.span.end - 1)
    low = bounds[max(first - 1, 0)].start if bounds else 0
    high = bounds[min(last + 1, len(bounds) - 1)].end if bounds else len(text)
    regions = [(low, quote.span.start), (quote.span.end, high)]
    cues = [m for a, b in regions for m in find_phrases(text, words.cues, a, b)
            if finder.outside_quotes(m.start, m.end)]
    references = [r for a, b in regions for r in finder.references(a, b)]
    speaker = [r for r in references if r.actor_id == quote.speaker_id]
    # A cue speaks for the actor referred to nearest it: in "X met Y. 'Quote,' Y said." the
    # quote is Y's. Other actors of the speaker's sort (people for a person) compete for it.
    person = finder.kinds.get(quote.speaker_id) == "person"
    rivals = [r for r in references if r.actor_id != quote.speaker_id
              and (finder.kinds[r.actor_id] == "person") == person]
    pairs = sorted(((_gap(cue, ref), cue, ref) for cue in cues for ref in speaker),
                   key=lambda p: (_distance(p[2].start, p[2].end, quote), p[0]))
    won = next(((cue, ref) for gap, cue, ref in pairs
                if all(_gap(cue, rival) > gap for rival in rivals
                       if _same_sentence(bounds, cue.start, rival.start))), None)
    if won is not None:
        cue, nearest = won
        return Attribution(
            quote_id=quote.quote_id, status=AttributionStatus.SUPPORTED,
            speaker=TextSpan.of(text, nearest.start, nearest.end), reference=nearest.how,
            cue=TextSpan.of(text, cue.start, cue.end),
        )
    if not cues:
        reason = "no speech cue in the quote's sentence or the ones beside it"
    elif speaker:
        closer = sorted({r.actor_id for r in rivals})
        reason = (f"the speech cue is closer to {', '.join(closer)} than to {quote.speaker}")
    else:
        others = sorted({r.actor_id for r in references} - {quote.speaker_id})
        reason = (f"nothing near the quote refers to {quote.speaker}"
                  + (f"; it refers to {', '.join(others)}" if others else ""))
    cue_span = TextSpan.of(text, cues[0].start, cues[0].end) if cues else None
    return Attribution(quote_id=quote.quote_id, status=AttributionStatus.UNSUPPORTED,
                       cue=cue_span, reason=reason)


def _continuation(text: str, quote: Quote, previous: tuple[Quote, Attribution],
                  bounds: list[Sentence]) -> Attribution | None:
    before, attribution = previous
    if attribution.status is not AttributionStatus.SUPPORTED:
        return None
    if before.speaker_id != quote.speaker_id:
        return None
    gap = text[before.span.end : quote.span.start]
    adjacent = sentence_index(bounds, quote.span.start) - sentence_index(
        bounds, before.span.end - 1) <= 1
    if not adjacent or any(char.isalnum() for char in gap):
        return None  # words between them: not a quote running on from the last
    return Attribution(quote_id=quote.quote_id, status=AttributionStatus.SUPPORTED,
                       speaker=attribution.speaker, reference=SpeakerReference.CONTINUATION,
                       cue=attribution.cue)


def _same_sentence(bounds: list[Sentence], left: int, right: int) -> bool:
    return sentence_index(bounds, left) == sentence_index(bounds, right)


def _distance(start: int, end: int, quote: Quote) -> int:
    return quote.span.start - end if end <= quote.span.start else start - quote.span.end


def _gap(cue: Match, reference: _Reference) -> int:
    return max(cue.start - reference.end, reference.start - cue.end, 0)

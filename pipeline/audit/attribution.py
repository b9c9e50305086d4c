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
    possessive: bool = False  # "Putin’s aide": the name of someone else's speaker


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
                possessive = text[match.end : match.end + 2] in {"'s", "’s"}
                self.names.append(_Reference(match.start, match.end, actor.actor_id,
                                             SpeakerReference.NAME, possessive))
        self.names.sort(key=lambda r: (r.start, -r.end))
        self.pronoun_kinds: dict[str, frozenset[str]] = {
            word: frozenset(group.kinds) for group in words.pronoun for word in group.words
        }
        self.description_kinds: dict[str, frozenset[str]] = {
            word: frozenset(group.kinds) for group in words.description for word in group.words
        }
        # Words of a name ('North' of North Korea) are not descriptions: 'the North' is a name.
        named = {w.lower() for actor in actors for name in _names(actor)
                 for w in _TITLE_WORD.findall(name)}
        self.title_words: dict[str, set[str]] = {}
        for actor in actors:
            for word in _TITLE_WORD.findall((actor.title or "").lower()):
                if word not in _NOT_DESCRIPTIONS and word not in named:
                    self.title_words.setdefault(word, set()).add(actor.actor_id)

    def passages_of(self, quote: Quote) -> list[tuple[int, int]]:
        """The quoted passages the quote's words stand in."""
        return [(low, high) for low, high in self.quoted
                if low < quote.span.end and quote.span.start < high]

    def reports_speech(self, sentence: Sentence, passages: Sequence[tuple[int, int]]) -> bool:
        """The sentence prints part of the quote's own passage, or follows it on its line with
        only marks and punctuation between (a quote closed with '”.' before its attribution),
        or introduces it with a colon. Another quote's attribution does not count: that quote
        is someone's, maybe not this one's speaker's."""
        if self.text[sentence.start : sentence.end].rstrip().endswith(":"):
            return True
        for low, high in passages:
            if low < sentence.end and sentence.start < high:
                return True
            if high <= sentence.start:
                between = self.text[high : sentence.start]
                if "\n" not in between and not any(char.isalnum() for char in between):
                    return True
        return False

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
        if self.description_kinds:
            pattern = r"\bthe\s+(" + "|".join(
                re.escape(w) for w in sorted(self.description_kinds)) + r")\b"
            for described in re.finditer(pattern, self.text[low:high], re.IGNORECASE):
                start, end = low + described.start(), low + described.end()
                if not self.outside_quotes(start, end):
                    continue
                kinds = self.description_kinds[described.group(1).lower()]
                actor = self._last_before(start, kinds)
                if actor is not None:
                    found.append(_Reference(start, end, actor, SpeakerReference.DESCRIPTION))
        return found

    def _last_before(self, position: int, kinds: frozenset[str] | None, *,
                     among: set[str] | None = None) -> str | None:
        """The actor named last before ``position`` (outside quotes) that fits."""
        for reference in reversed(self.names):
            if reference.end > position or reference.possessive or not self.outside_quotes(
                    reference.start, reference.end):
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
    last = actor.name.split()[-1]
    # The surname: 'Kirby' for John Kirby; not a short last part ('Un' of Kim Jong Un would
    # match 'UN', and there the family name comes first).
    if actor.kind.value == "person" and len(actor.name.split()) > 1 and len(last) > 2:
        names.add(last)
    return tuple(name for name in names if name.strip())


def _attribute(text: str, quote: Quote, bounds: list[Sentence], finder: _ReferenceFinder,
               words: AttributionWords) -> Attribution:
    first = sentence_index(bounds, quote.span.start)
    last = sentence_index(bounds, quote.span.end - 1)
    low = bounds[max(first - 1, 0)].start if bounds else 0
    high = bounds[min(last + 1, len(bounds) - 1)].end if bounds else len(text)
    regions = [(low, quote.span.start), (quote.span.end, high)]
    # A cue in the sentence before or after counts when that sentence reports speech itself
    # (it prints a quoted passage, or ends in a colon): "Kirby told reporters:" before a quoted
    # paragraph. "... an agreement with Kim in which they agreed ..." does not attribute the
    # quote that follows.
    own = range(first, last + 1)
    mine = finder.passages_of(quote)
    cues = [m for a, b in regions for m in find_phrases(text, words.cues, a, b)
            if finder.outside_quotes(m.start, m.end)
            and (sentence_index(bounds, m.start) in own
                 or finder.reports_speech(bounds[sentence_index(bounds, m.start)], mine))]
    # "Lind replied: “...”", "Sala shrugged: “...”": a colon right before the opening mark
    # introduces the quote as a reporting verb would.
    opening = min([low for low, _ in mine] + [quote.span.start]) - 1
    colon = re.search(r":\s*$", text[max(0, opening - 3) : max(0, opening)])
    if colon is not None:
        at = max(0, opening - 3) + colon.start()
        cues.append(Match(at, at + 1, ":"))
    references = [r for a, b in regions for r in finder.references(a, b)]
    speaker = [r for r in references if r.actor_id == quote.speaker_id]
    # A cue speaks for the actor referred to nearest it: in "X met Y. 'Quote,' Y said." the
    # quote is Y's. Other actors of the speaker's sort (people for a person) compete for it.
    person = finder.kinds.get(quote.speaker_id) == "person"
    rivals = [r for r in references if r.actor_id != quote.speaker_id and not r.possessive
              and (finder.kinds[r.actor_id] == "person") == person]
    # The cue and the reference must share a sentence: "Kim visited. 'Quote,' Wood told
    # Reuters" ties the quote to Wood, not to Kim named the sentence before.
    pairs = sorted(((_gap(cue, ref), cue, ref) for cue in cues for ref in speaker
                    if _same_sentence(bounds, cue.start, ref.start)),
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
        closer = sorted({r.actor_id for r in rivals for cue in cues
                         if _same_sentence(bounds, cue.start, r.start)})
        reason = (f"the speech cue is closer to {', '.join(closer)} than to {quote.speaker}"
                  if closer else f"no speech cue shares a sentence with {quote.speaker}")
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
    # A quote opening with its own mark in the speaker's last quote's paragraph or the next
    # one, the attribution of that quote between them: "“A,” Kirby said. “B.”"
    lead = text[: quote.span.start]
    opens_with_mark = bool(re.search(r"[\"“‘'«„]\s*$", lead))
    at_most_next_paragraph = len(re.findall(r"\n+", gap)) <= 1
    runs_on = not any(char.isalnum() for char in gap) and adjacent
    if not (runs_on or (opens_with_mark and at_most_next_paragraph)):
        return None
    return Attribution(quote_id=quote.quote_id, status=AttributionStatus.SUPPORTED,
                       speaker=attribution.speaker, reference=SpeakerReference.CONTINUATION,
                       cue=attribution.cue)


def _same_sentence(bounds: list[Sentence], left: int, right: int) -> bool:
    return sentence_index(bounds, left) == sentence_index(bounds, right)


def _distance(start: int, end: int, quote: Quote) -> int:
    return quote.span.start - end if end <= quote.span.start else start - quote.span.end


def _gap(cue: Match, reference: _Reference) -> int:
    return max(cue.start - reference.end, reference.start - cue.end, 0)

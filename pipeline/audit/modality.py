"""How the article presents each claim: asserted, hedged, attributed, negated or denied.

Read from the claim's grounded evidence and the rest of its sentence, by the vocabulary file.
Inside the evidence every cue counts; around it, in the same sentence and clause, denials, hedges
and attributions count ("Moscow and Pyongyang have denied ...", "..., the Pentagon believes"), but
not negations, which belong to whatever clause they sit in. The strongest cue names the modality:
denied, then negated, hedged, attributed; a claim with no cue is asserted.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pipeline.audit.text import Match, Sentence, find_phrases, sentence_index, sentences
from schemas.events import Modality as EventModality
from schemas.events import Polarity
from schemas.records import Claim
from schemas.signals import ClaimModality, Modality, ModalityCue, ModalityWords, TextSpan

_ORDER = (Modality.DENIED, Modality.NEGATED, Modality.HEDGED, Modality.ATTRIBUTED)
# Where a clause of the sentence ends: cues beyond it belong to another proposition.
_CLAUSE_BREAK = re.compile(r";|\s[-–—]\s|,\s+(?:and|but|while|whereas|although|though)\s")


def claim_modality(text: str, claim: Claim, words: ModalityWords, *,
                   bounds: Sequence[Sentence] | None = None, speech_cues: Sequence[str] = (),
                   quoted: Sequence[TextSpan] = ()) -> ClaimModality:
    """The modality of one claim, with every cue that was found, beside the model's reading."""
    modality, cues = modality_of_span(text, claim.span.start, claim.span.end, words,
                                      bounds=bounds, speech_cues=speech_cues, quoted=quoted)
    return ClaimModality(claim_id=claim.claim_id, modality=modality, cues=cues,
                         model_modality=model_modality(claim))


def model_modality(claim: Claim) -> Modality | None:
    """The claim's event as the rule's scale reads it: a denial or negation first, then a hedge;
    None when the claim carries no event (prompt v1)."""
    event = claim.event
    if event is None:
        return None
    if event.polarity is Polarity.DENIED:
        return Modality.DENIED
    if event.polarity is Polarity.NEGATED:
        return Modality.NEGATED
    if event.modality is EventModality.HEDGED:
        return Modality.HEDGED
    if event.modality is EventModality.REPORTED or claim.asserted_by is not None:
        return Modality.ATTRIBUTED
    return Modality.ASSERTED


def modality_of_span(text: str, start: int, end: int, words: ModalityWords, *,
                     bounds: Sequence[Sentence] | None = None, speech_cues: Sequence[str] = (),
                     quoted: Sequence[TextSpan] = ()
                     ) -> tuple[Modality, tuple[ModalityCue, ...]]:
    """The modality and the cues of the passage ``text[start:end]``, read in its sentence.

    ``speech_cues`` (the attribution vocabulary's reporting verbs) count as attributions too,
    and evidence inside one of the ``quoted`` speech passages is someone's words: attributed,
    with the opening quotation mark as its cue."""
    bounds = list(bounds) if bounds is not None else sentences(text)
    first = bounds[sentence_index(bounds, start)] if bounds else Sentence(start, end)
    last = bounds[sentence_index(bounds, max(start, end - 1))] if bounds else first
    before, after = _clause(text, first.start, start, end, max(last.end, end))
    cues: list[ModalityCue] = []
    lists = {
        Modality.DENIED: words.denials,
        Modality.NEGATED: words.negations,
        Modality.HEDGED: words.hedges,
        Modality.ATTRIBUTED: words.attributions,
    }
    excluded = find_phrases(text, words.not_denials, before, after)
    taken: list[Match] = []
    for modality in _ORDER:
        regions = [(start, end, True)]
        if modality is not Modality.NEGATED:
            regions += [(before, start, False), (end, after, False)]
        for low, high, inside in regions:
            for match in find_phrases(text, lists[modality], low, high):
                if _overlaps(match, excluded) or _overlaps(match, taken):
                    continue
                taken.append(match)
                cues.append(ModalityCue(modality=modality,
                                        span=TextSpan.of(text, match.start, match.end),
                                        inside_evidence=inside))
    # Reporting verbs around the evidence (never inside it: "agreed to a sale" is its content),
    # printed in lower case ("United States" is no "states").
    for low, high in ((before, start), (end, after)):
        for match in find_phrases(text, speech_cues, low, high):
            if text[match.start].isupper() or _overlaps(match, excluded) or _overlaps(
                    match, taken):
                continue
            taken.append(match)
            cues.append(ModalityCue(modality=Modality.ATTRIBUTED,
                                    span=TextSpan.of(text, match.start, match.end),
                                    inside_evidence=False))
    for passage in quoted:
        if passage.start <= start and end <= passage.end and passage.start > 0:
            cues.append(ModalityCue(modality=Modality.ATTRIBUTED,
                                    span=TextSpan.of(text, passage.start - 1, passage.start),
                                    inside_evidence=False))
            break
    cues.sort(key=lambda c: c.span.start)
    found = {cue.modality for cue in cues}
    modality = next((m for m in _ORDER if m in found), Modality.ASSERTED)
    return modality, tuple(cues)


def _clause(text: str, sentence_start: int, start: int, end: int,
            sentence_end: int) -> tuple[int, int]:
    """The part of the sentence around ``start:end`` that no clause break cuts off."""
    before = sentence_start
    for found in _CLAUSE_BREAK.finditer(text, sentence_start, start):
        before = found.end()
    following = _CLAUSE_BREAK.search(text, end, sentence_end)
    after = following.start() if following is not None else sentence_end
    return before, after


def _overlaps(match: Match, others: Sequence[Match]) -> bool:
    return any(match.start < o.end and o.start < match.end for o in others)

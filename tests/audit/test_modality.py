"""Modality of claims: cases written from news on other topics, and the seeds' own hedges."""

from __future__ import annotations

import pytest

from pipeline.audit.modality import claim_modality, modality_of_span
from pipeline.audit.vocabulary import default_vocabulary
from schemas.events import Modality as EventModality
from schemas.events import Polarity
from schemas.records import Claim, ClaimEvent, MatchKind, Span
from schemas.signals import Modality
from tests.conftest import SEEDS

WORDS = default_vocabulary().modality


def _modality(sentence: str, evidence: str) -> Modality:
    start = sentence.index(evidence)
    modality, _ = modality_of_span(sentence, start, start + len(evidence), WORDS)
    return modality


@pytest.mark.parametrize(("sentence", "evidence", "expected"), [
    pytest.param("The utility denied that its lines started the fire.",
                 "its lines started the fire", Modality.DENIED, id="denial-around-evidence"),
    pytest.param("The club has rejected the allegations of match fixing.",
                 "rejected the allegations of match fixing", Modality.DENIED,
                 id="rejected-the-allegations"),
    pytest.param("Engineers said the dam could fail within weeks.",
                 "the dam could fail within weeks", Modality.HEDGED, id="modal-could"),
    pytest.param("The striker is believed to have signed a three-year deal.",
                 "The striker is believed to have signed a three-year deal", Modality.HEDGED,
                 id="is-believed-to"),
    pytest.param("The suspect allegedly stole two delivery vans in Leeds.",
                 "The suspect allegedly stole two delivery vans", Modality.HEDGED,
                 id="allegedly"),
    pytest.param("The mayor did not sign the zoning order on Friday.",
                 "The mayor did not sign the zoning order", Modality.NEGATED, id="did-not"),
    pytest.param("Inflation rose to 3.2% in March, according to the statistics office.",
                 "Inflation rose to 3.2% in March", Modality.ATTRIBUTED, id="according-to-after"),
    pytest.param("The central bank raised its main rate by a quarter point.",
                 "The central bank raised its main rate by a quarter point", Modality.ASSERTED,
                 id="plain-fact"),
    pytest.param("It is undeniable that the river flooded the old town.",
                 "the river flooded the old town", Modality.ASSERTED, id="undeniable-is-no-denial"),
    pytest.param("Farmers blocked the motorway, and police may clear it tonight.",
                 "Farmers blocked the motorway", Modality.ASSERTED,
                 id="hedge-in-another-clause"),
    pytest.param("Nobody denies the storm was strong; the council did not open shelters.",
                 "the council did not open shelters", Modality.NEGATED,
                 id="denial-in-another-clause"),
    pytest.param("The strike was not called off, the union said.",
                 "The strike was not called off", Modality.NEGATED,
                 id="negation-beats-attribution"),
])
def test_modality_of_news_sentences(sentence: str, evidence: str, expected: Modality) -> None:
    assert _modality(sentence, evidence) is expected


def test_negation_outside_the_evidence_does_not_negate_it() -> None:
    sentence = "The ministry never publishes its figures, but exports fell by a third."
    assert _modality(sentence, "exports fell by a third") is Modality.ASSERTED


def test_every_cue_is_grounded_and_the_strongest_names_the_modality() -> None:
    text = (SEEDS / "003_ecadb2b4344d6cd7.txt").read_text(encoding="utf-8")
    evidence = "Russia had fired four possible North Korean-supplied ballistic missiles"
    start = text.index(evidence)
    claim = Claim(claim_id="c1", statement="Russia fired missiles.", asserted_by_id=None,
                  asserted_by=None, evidence=evidence,
                  span=Span(start=start, end=start + len(evidence), match=MatchKind.EXACT))
    found = claim_modality(text, claim, WORDS)
    assert found.modality is Modality.HEDGED
    assert {(c.modality, c.span.text, c.inside_evidence) for c in found.cues} == {
        (Modality.HEDGED, "possible", True), (Modality.ATTRIBUTED, "said", False)}
    for cue in found.cues:
        assert text[cue.span.start:cue.span.end] == cue.span.text
    assert found.cue is not None and found.cue.span.text == "possible"


def _claim_with_event(sentence: str, evidence: str, **event: object) -> Claim:
    start = sentence.index(evidence)
    coded = ClaimEvent(event_type="OTHER", codebook="plover.v2", **event)  # type: ignore[arg-type]
    return Claim(claim_id="t/c1", statement=evidence, asserted_by_id=None, asserted_by=None,
                 evidence=evidence, span=Span(start=start, end=start + len(evidence),
                                              match=MatchKind.EXACT), event=coded)


@pytest.mark.parametrize(("event", "model", "disagrees"), [
    pytest.param({"modality": EventModality.HEDGED}, Modality.HEDGED, False, id="both-hedged"),
    pytest.param({}, Modality.ASSERTED, True, id="model-missed-the-hedge"),
    pytest.param({"polarity": Polarity.DENIED}, Modality.DENIED, True, id="model-reads-a-denial"),
])
def test_the_models_modality_is_kept_beside_the_rules_and_a_disagreement_flagged(
    event: dict[str, object], model: Modality, disagrees: bool
) -> None:
    sentence = "Engineers said the dam could fail within weeks."
    claim = _claim_with_event(sentence, "the dam could fail within weeks", **event)
    found = claim_modality(sentence, claim, WORDS)
    assert found.modality is Modality.HEDGED  # the rule's reading stays
    assert (found.model_modality, found.disagrees) == (model, disagrees)


def test_a_claim_without_an_event_has_no_model_reading_to_disagree_with() -> None:
    sentence = "The mayor did not sign the zoning order on Friday."
    claim = _claim_with_event(sentence, "The mayor did not sign the zoning order")
    found = claim_modality(sentence, claim.model_copy(update={"event": None}), WORDS)
    assert found.model_modality is None and not found.disagrees

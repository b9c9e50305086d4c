"""Attribution evidence: who the text ties each quote to. Cases from news on other topics."""

from __future__ import annotations

from pipeline.audit.attribution import attribute_quotes
from pipeline.audit.quote_audit import audit_quotes
from pipeline.audit.vocabulary import default_vocabulary
from schemas.extraction import ActorKind, QuoteKind
from schemas.records import (
    Actor,
    ExtractionResult,
    LLMCall,
    MatchKind,
    Mention,
    PromptRef,
    Quote,
    Span,
    Usage,
)
from schemas.signals import AttributionStatus, SpeakerReference

VOCABULARY = default_vocabulary()
PROMPT = PromptRef(id="extract", version=1, sha256="0" * 64)


def _span(text: str, words: str, occurrence: int = 1) -> Span:
    start = -1
    for _ in range(occurrence):
        start = text.index(words, start + 1)
    return Span(start=start, end=start + len(words), match=MatchKind.EXACT)


def _result(text: str, actors: list[tuple[str, ActorKind, str | None]],
            quotes: list[tuple[str, str]]) -> ExtractionResult:
    """``actors``: (name, kind, title); ``quotes``: (words, speaker name)."""
    built = [
        Actor(actor_id=f"t/a{k}", name=name, kind=kind, title=title,
              mentions=[Mention(text=name, span=_span(text, name))] if name in text else [])
        for k, (name, kind, title) in enumerate(actors)
    ]
    ids = {actor.name: actor.actor_id for actor in built}
    call = LLMCall(model="m", mode="tools", prompt=PROMPT, input_sha256="0", schema_sha256="0",
                   request_messages=[], answers=[], reask_errors=[], usage=Usage(),
                   latency_ms=0)
    return ExtractionResult(
        article_id="t", content_sha256="0", model="m", prompt=PROMPT, actors=built,
        quotes=[Quote(quote_id=f"t/q{k}", text=words, span=_span(text, words),
                      speaker_id=ids[speaker], speaker=speaker, kind=QuoteKind.DIRECT)
                for k, (words, speaker) in enumerate(quotes)],
        claims=[], rejected=[], call=call)


def _attribute(text: str, result: ExtractionResult) -> list[tuple[str, str | None, str | None]]:
    passages = audit_quotes(text, result.quotes, VOCABULARY.quotes).passages
    found = attribute_quotes(text, result, VOCABULARY.attribution, passages=passages)
    for item in found:
        for span in (item.speaker, item.cue):
            assert span is None or text[span.start:span.end] == span.text
    return [(a.status.value, a.speaker.text if a.speaker else None,
             a.cue.text if a.cue else None) for a in found]


def test_a_named_speaker_and_a_cue_support_the_quote() -> None:
    text = "“The dam will hold,” Maria Lopez, the chief engineer, told reporters on Monday."
    result = _result(text, [("Maria Lopez", ActorKind.PERSON, "chief engineer")],
                     [("The dam will hold", "Maria Lopez")])
    assert _attribute(text, result) == [("supported", "Maria Lopez", "told reporters")]


def test_a_surname_and_a_pronoun_resolve_to_the_last_person_named() -> None:
    text = ("Coach Pep Alvarez was calm after the loss. “We will learn from it,” Alvarez said. "
            "He added: “Nobody is leaving this club.”")
    result = _result(text, [("Pep Alvarez", ActorKind.PERSON, None)],
                     [("We will learn from it", "Pep Alvarez"),
                      ("Nobody is leaving this club.", "Pep Alvarez")])
    assert _attribute(text, result) == [("supported", "Alvarez", "said"),
                                        ("supported", "He", "added")]


def test_a_description_resolves_to_the_actor_with_that_title() -> None:
    text = ("Health Minister Anna Berg visited the ward. “The beds are full,” the minister "
            "said.")
    result = _result(text, [("Anna Berg", ActorKind.PERSON, "Health Minister")],
                     [("The beds are full", "Anna Berg")])
    passages = audit_quotes(text, result.quotes, VOCABULARY.quotes).passages
    (found,) = attribute_quotes(text, result, VOCABULARY.attribution, passages=passages)
    assert found.status is AttributionStatus.SUPPORTED
    assert found.reference is SpeakerReference.DESCRIPTION
    assert found.speaker is not None and found.speaker.text == "the minister"


def test_a_quote_given_to_the_wrong_speaker_is_unsupported_not_rejected() -> None:
    text = ("Union leader Tom Reyes met the board chair, Jane Ode. “There will be no strike,” "
            "Reyes said.")
    result = _result(text, [("Tom Reyes", ActorKind.PERSON, "Union leader"),
                            ("Jane Ode", ActorKind.PERSON, "board chair")],
                     [("There will be no strike", "Jane Ode")])
    passages = audit_quotes(text, result.quotes, VOCABULARY.quotes).passages
    (found,) = attribute_quotes(text, result, VOCABULARY.attribution, passages=passages)
    assert found.status is AttributionStatus.UNSUPPORTED
    assert found.reason is not None and "Jane Ode" in found.reason and "t/a0" in found.reason


def test_a_pronoun_that_resolves_to_someone_else_does_not_support() -> None:
    text = ("The mayor, Lena Ford, spoke after the governor, Sam Wu. “We need the funds now,” "
            "he said.")
    result = _result(text, [("Lena Ford", ActorKind.PERSON, "mayor"),
                            ("Sam Wu", ActorKind.PERSON, "governor")],
                     [("We need the funds now", "Lena Ford")])
    assert _attribute(text, result)[0][0] == "unsupported"


def test_a_speech_cue_inside_the_quote_does_not_count() -> None:
    text = "Kim Sato arrived late. “Everyone said the bridge was safe.”"
    result = _result(text, [("Kim Sato", ActorKind.PERSON, None)],
                     [("Everyone said the bridge was safe.", "Kim Sato")])
    assert _attribute(text, result) == [("unsupported", None, None)]


def test_a_quoted_paragraph_continues_the_previous_speaker() -> None:
    text = ("“The market is open,” trader Ali Khan said.\n\n“Prices are stable.”\n\n"
            "“Buyers are coming back.”")
    result = _result(text, [("Ali Khan", ActorKind.PERSON, None)],
                     [("The market is open", "Ali Khan"), ("Prices are stable.", "Ali Khan"),
                      ("Buyers are coming back.", "Ali Khan")])
    passages = audit_quotes(text, result.quotes, VOCABULARY.quotes).passages
    found = attribute_quotes(text, result, VOCABULARY.attribution, passages=passages)
    assert [a.status for a in found] == [AttributionStatus.SUPPORTED] * 3
    assert found[2].reference is SpeakerReference.CONTINUATION

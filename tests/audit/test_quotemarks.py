"""The quotation-mark tokenizer and the audit: cases from news on other topics, and the seeds."""

from __future__ import annotations

import pytest

from pipeline.audit.quote_audit import audit_quotes
from pipeline.audit.quotemarks import QuoteTokenizer
from pipeline.audit.vocabulary import default_vocabulary
from schemas.records import MatchKind, Quote, Span
from schemas.signals import PassageKind
from tests.conftest import SEEDS

MARKS = default_vocabulary().quotes


def _passages(text: str) -> list[str]:
    return [text[p.start:p.end] for p in QuoteTokenizer(MARKS).passages(text)]


@pytest.mark.parametrize(("text", "expected"), [
    pytest.param("“We will rebuild,” the mayor said.", ["We will rebuild"], id="curly"),
    pytest.param('"We will rebuild," the mayor said.', ["We will rebuild"], id="straight"),
    pytest.param("“The coach’s plan isn’t working,” he said.", ["The coach’s plan isn’t working"],
                 id="apostrophes-inside"),
    pytest.param("“She told me ‘never again’ and left,” he said.",
                 ["She told me ‘never again’ and left"], id="nested-single"),
    pytest.param('"She said \'no\' twice," he recalled.', ["She said 'no' twice"],
                 id="nested-straight-single"),
    pytest.param("The players’ union said ‘enough is enough’.", ["enough is enough"],
                 id="plural-possessive-then-single-quote"),
    pytest.param("“We lost the harvest,” she said.\n\n“Then we lost the house.\n\n“Now we wait.”",
                 ["We lost the harvest", "Then we lost the house.", "Now we wait."],
                 id="multi-paragraph-reopened"),
    pytest.param("“The river rose at night“ the farmer said.", ["The river rose at night"],
                 id="mismatched-closing-printed-as-opening"),
    pytest.param("He said ”the vote is rigged” and left.", ["the vote is rigged"],
                 id="mismatched-opening-printed-as-closing"),
    pytest.param("“The talks will go on\nuntil Friday,” she said.",
                 ["The talks will go on\nuntil Friday"], id="line-break-inside-a-sentence"),
    pytest.param("It was the ’90s and rock ’n’ roll ruled.", [], id="only-apostrophes"),
    pytest.param("“An open quote that never closes.\nNext paragraph.", [
        "An open quote that never closes."], id="unclosed-ends-at-the-paragraph"),
])
def test_quoted_passages_are_found_whatever_the_marks(text: str, expected: list[str]) -> None:
    assert _passages(text) == expected


@pytest.mark.parametrize(("text", "kind"), [
    pytest.param("The minister called the plan “reckless” on Monday.", PassageKind.SCARE_QUOTE,
                 id="one-word"),
    pytest.param("Critics dismissed the “green transition” as a slogan.", PassageKind.SCARE_QUOTE,
                 id="two-words"),
    pytest.param("The agency published a report titled “Water Stress in the Sahel 2030”.",
                 PassageKind.TITLE, id="after-titled"),
    pytest.param("She starred in “The Long Goodbye” last year.", PassageKind.TITLE,
                 id="title-case"),
    pytest.param("“The harvest is lost for this year,” the farmer said.", PassageKind.SPEECH,
                 id="speech"),
    pytest.param("“We Will Not Leave Our Homes.”", PassageKind.SPEECH,
                 id="capitalized-sentence-with-a-period-is-speech"),
])
def test_passages_are_told_apart_by_rule(text: str, kind: PassageKind) -> None:
    (passage,) = audit_quotes(text, [], MARKS).passages
    assert passage.kind is kind


def _quote(text: str, words: str, quote_id: str = "q1") -> Quote:
    start = text.index(words)
    return Quote(quote_id=quote_id, text=words, span=Span(start=start, end=start + len(words),
                 match=MatchKind.EXACT), speaker_id="a1", speaker="X", kind="direct")


def test_coverage_counts_only_speech_and_reports_what_no_quote_covers() -> None:
    text = ("“The water came at night,” the farmer said. Officials called it “unprecedented”. "
            "“We had no warning at all,” his neighbour added.")
    audit = audit_quotes(text, [_quote(text, "The water came at night")], MARKS)
    assert [p.kind for p in audit.passages] == [PassageKind.SPEECH, PassageKind.SCARE_QUOTE,
                                                PassageKind.SPEECH]
    assert [p.span.text for p in audit.uncovered] == ["We had no warning at all"]
    assert audit.speech_chars == len("The water came at night") + len("We had no warning at all")
    assert audit.coverage == pytest.approx(len("The water came at night") / audit.speech_chars)
    for passage in audit.passages:
        assert text[passage.span.start:passage.span.end] == passage.span.text


def test_a_half_quoted_passage_is_still_uncovered() -> None:
    text = "“The first half is stored but the second half of this remark is not,” she said."
    audit = audit_quotes(text, [_quote(text, "The first half is stored")], MARKS)
    (passage,) = audit.uncovered
    assert 0 < passage.coverage < 0.5 and passage.quote_ids == ("q1",)


def test_every_seed_passage_is_found_with_its_marks_left_out() -> None:
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        for passage in QuoteTokenizer(MARKS).passages(text):
            inside = text[passage.start:passage.end]
            assert inside.strip() == inside and not inside.endswith(",")
            assert text[passage.start - 1] in "\"“‘'"
    text = (SEEDS / "002_3978ef90c4778512.txt").read_text(encoding="utf-8")
    found = _passages(text)
    assert any(p.startswith("What happens in Europe") and "pr\nopping up" in p for p in found)
    assert "everything" in found and "comprehensive strategic partnership" in found

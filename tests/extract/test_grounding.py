"""locate(): typography is seen through, changed words are refused, offsets point at the print."""

from __future__ import annotations

import pytest

from pipeline.extract.grounding import GroundingIndex, locate
from schemas.records import MatchKind
from tests.conftest import SEEDS

SEED_002 = (SEEDS / "002_3978ef90c4778512.txt").read_text(encoding="utf-8")
SEED_001 = (SEEDS / "001_3303a44a3e524015.txt").read_text(encoding="utf-8")

ARTICLE = (
    "“We’ll continue to do everything we can — to cut off the support,” the secretary said.\n"
    "Kimberly Ross and Kim Jong-un met in Pyongyang… The North provided 11,000 containers.\n"
    "Officials said it was “not insignificant” and would stre\n"
    "ngthen ties.\u00a0Prices rose 3.5% in May."
)


@pytest.mark.parametrize(
    ("snippet", "printed"),
    [
        pytest.param(
            "We'll continue to do everything we can - to cut off the support",
            "We’ll continue to do everything we can — to cut off the support",
            id="straight-apostrophe-and-hyphen-for-curly-and-em-dash",
        ),
        pytest.param("in Pyongyang...", "in Pyongyang…", id="three-dots-for-ellipsis"),
        pytest.param("would strengthen ties", "would stre\nngthen ties", id="word-broken-at-line"),
        pytest.param("WOULD STRENGTHEN TIES", "would stre\nngthen ties", id="letter-case"),
        pytest.param("ties. Prices rose", "ties.\u00a0Prices rose", id="no-break-space"),
        pytest.param(
            "the   secretary\nsaid", "the secretary said", id="spaces-and-line-breaks-differ"
        ),
        pytest.param(
            "The North provided 11000 containers",
            "The North provided 11,000 containers",
            id="punctuation-dropped",
        ),
        pytest.param(
            "Kim Jong-un, met in Pyongyang", "Kim Jong-un met in Pyongyang", id="punctuation-added"
        ),
        pytest.param('"not insignificant"', "“not insignificant”", id="quote-marks-kept-at-edges"),
        pytest.param("rose 3,5% in May", "rose 3.5% in May", id="decimal-comma-for-point"),
    ],
)
def test_typographic_variants_are_found_at_the_printed_characters(
    snippet: str, printed: str
) -> None:
    span = locate(ARTICLE, snippet)
    assert span is not None
    assert ARTICLE[span.start : span.end] == printed
    assert span.match is MatchKind.NORMALIZED


@pytest.mark.parametrize(
    "snippet",
    [
        pytest.param("Officials said it was insignificant", id="dropped-not"),
        pytest.param("The North provided 12,000 containers", id="changed-number"),
        pytest.param("Prices rose 3.6% in May", id="changed-decimal"),
        pytest.param("We’ll continue to do anything we can", id="one-swapped-word"),
        pytest.param("the secretary said, adding that Washington would act", id="invented-ending"),
        pytest.param("We’ll continue to do everything to cut off", id="words-elided"),
        pytest.param("Kim Jong-un met in Seoul", id="changed-place"),
        pytest.param("Prices rose 35% in May", id="decimal-point-dropped"),
        pytest.param("5% in May", id="the-end-of-a-decimal"),
        pytest.param("Prices rose 3%", id="the-start-of-a-decimal"),
        pytest.param("…", id="punctuation-only"),
        pytest.param("", id="empty"),
    ],
)
def test_changed_words_are_refused(snippet: str) -> None:
    assert locate(ARTICLE, snippet) is None


def test_verbatim_snippet_is_an_exact_match_at_its_offsets() -> None:
    snippet = "Kim Jong-un met in Pyongyang"
    span = locate(ARTICLE, snippet)
    assert span is not None
    assert span.match is MatchKind.EXACT
    assert (span.start, span.end) == (ARTICLE.index(snippet), ARTICLE.index(snippet) + len(snippet))


def test_a_name_is_not_found_inside_a_longer_word() -> None:
    spans = GroundingIndex(ARTICLE).locate_all("Kim")
    assert [ARTICLE[s.start : s.end] for s in spans] == ["Kim"]
    assert spans[0].start == ARTICLE.index("Kim Jong-un")


def test_exact_occurrence_is_preferred_over_an_earlier_normalized_one() -> None:
    text = "the North said. Later, The North said."
    span = locate(text, "The North")
    assert span is not None
    assert span.start == text.rindex("The North")
    assert span.match is MatchKind.EXACT


def test_locate_all_lists_every_occurrence_in_article_order() -> None:
    spans = GroundingIndex(SEED_002).locate_all("Blinken")
    starts = [span.start for span in spans]
    assert starts == sorted(starts)
    assert len(spans) == SEED_002.count("Blinken")
    assert all(SEED_002[s.start : s.end] == "Blinken" for s in spans)


def test_evidence_across_the_stre_ngthen_break_in_seed_002_is_grounded() -> None:
    snippet = 'Russia is trying "in desperation" to develop and strengthen relations with countries'
    span = locate(SEED_002, snippet)
    assert span is not None
    printed = SEED_002[span.start : span.end]
    assert "stre\nngthen" in printed
    assert printed.startswith("Russia is trying “in desperation”")
    assert printed.endswith("relations with countries")


def test_seed_001_ellipsis_inside_a_quote_is_matched_by_three_dots() -> None:
    snippet = "export controls that we've imposed... Russia has had to rely on pariah states"
    span = locate(SEED_001, snippet)
    assert span is not None
    assert SEED_001[span.start : span.end] == (
        "export controls that we’ve imposed… Russia has had to rely on pariah states"
    )


def test_offsets_count_characters_not_bytes() -> None:
    text = "“Déjà vu,” he said — then “no comment”."
    span = locate(text, '"no comment"')
    assert span is not None
    assert text[span.start : span.end] == "“no comment”"


@pytest.mark.parametrize(
    ("snippet", "found"),
    [
        pytest.param("UN", ["UN"], id="UN-is-not-the-Un-of-Kim-Jong-Un"),
        pytest.param("US", ["U.S"], id="US-is-U.S-but-not-us"),
        pytest.param("DPRK", ["DPRK"], id="acronym-exact"),
        pytest.param("dprk", ["DPRK"], id="lower-case-snippet-matches-capitals"),
        pytest.param("Kim Jong Un", ["Kim Jong Un"], id="name-with-capital-Un"),
    ],
)
def test_an_acronym_matches_only_capitals(snippet: str, found: list[str]) -> None:
    text = "Kim Jong Un met the UN and the U.S. envoy; they told us. North Korea (DPRK) agreed."
    spans = GroundingIndex(text).locate_all(snippet)
    assert [text[s.start : s.end] for s in spans] == found


@pytest.mark.parametrize(
    ("snippet", "found"),
    [
        pytest.param("$28 billion", [], id="28-is-not-2.8"),
        pytest.param("$2.8 billion", ["$2.8 billion"], id="2.8-is-2.8"),
        pytest.param("8 billion", [], id="not-inside-a-decimal"),
        pytest.param("1183 people", ["1,183 people"], id="thousands-comma-dropped"),
        pytest.param("1,183 people", ["1,183 people"], id="thousands-comma-kept"),
        pytest.param("11.83 people", [], id="a-decimal-is-not-a-thousands-group"),
    ],
)
def test_a_decimal_separator_is_part_of_the_number(snippet: str, found: list[str]) -> None:
    text = "The fund holds $2.8 billion; 1,183 people, 7.25 km away, in Zürich."
    spans = GroundingIndex(text).locate_all(snippet)
    assert [text[s.start : s.end].lstrip("$") for s in spans] == [f.lstrip("$") for f in found]


def test_decimals_are_kept_in_non_ascii_text_too() -> None:
    text = "In Zürich, 7.25 km away; the fund holds $2.8 billion."
    assert locate(text, "725 km away") is None
    assert locate(text, "$2.8 billion") is not None


@pytest.mark.parametrize(
    ("snippet", "printed"),
    [
        pytest.param("BLINKEN", "Blinken", id="a-name-in-capitals"),
        pytest.param("PREDNISONE", "prednisone", id="a-word-in-capitals"),
        pytest.param("ANTONY BLINKEN", "Antony Blinken", id="two-words-in-capitals"),
    ],
)
def test_one_word_in_capitals_is_found_like_any_case(snippet: str, printed: str) -> None:
    text = "Antony Blinken said so; doctors gave her prednisone. Blinken left."
    span = locate(text, snippet)
    assert span is not None and text[span.start : span.end] == printed

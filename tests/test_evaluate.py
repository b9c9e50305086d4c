"""The scorer on hand-built results whose scores are known, the gold loader, the score table."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from pipeline.errors import AnnotationError
from pipeline.evaluate import (
    ScoreRow,
    aggregate,
    align_actors,
    comparable_name,
    load_gold,
    load_gold_dir,
    match_spans,
    overlap,
    score_article,
    score_results,
    score_table,
)
from pipeline.extract.versions import response_schema_sha256
from pipeline.ingest.articles import content_hash
from schemas.extraction import ActorKind, QuoteKind
from schemas.gold import GoldActor, GoldAnnotation, GoldClaim, GoldEvent, GoldQuote, GoldSpan
from schemas.records import (
    Actor,
    Claim,
    ClaimEvent,
    ExtractionResult,
    LLMCall,
    MatchKind,
    Mention,
    PromptRef,
    Quote,
    Span,
    Usage,
)

ARTICLE = (
    "John Kirby said that Iran is sending drones to Russia.\n"
    "“We will hold them to account for every one of these attacks,” Kirby added.\n"
    "Pat Ryder, a Pentagon spokesman, said that Iran had trained Russian crews in Crimea.\n"
    "Moscow denied both reports."
)
ARTICLE_SHA = content_hash(ARTICLE)
PROMPT = PromptRef(id="extract", version=2, sha256="0" * 64)  # claims coded as events


def at(snippet: str, occurrence: int = 1) -> GoldSpan:
    """The n-th place ARTICLE prints ``snippet``: offsets are found, never counted by hand."""
    start = -1
    for _ in range(occurrence):
        start = ARTICLE.index(snippet, start + 1)
    return GoldSpan(text=snippet, start=start, end=start + len(snippet))


GOLD = GoldAnnotation(
    article="000_test.txt",
    sha256=ARTICLE_SHA,
    notes="A hand-made article for the scorer's tests.",
    actors=[
        GoldActor(actor_id="kirby", name="John Kirby", kind=ActorKind.PERSON,
                  mentions=[at("John Kirby"), at("Kirby", 2)]),
        GoldActor(actor_id="iran", name="Iran", kind=ActorKind.COUNTRY,
                  mentions=[at("Iran"), at("Iran", 2)]),
        GoldActor(actor_id="russia", name="Russia", kind=ActorKind.COUNTRY,
                  mentions=[at("Russia"), at("Moscow")]),
        GoldActor(actor_id="ryder", name="Pat Ryder", kind=ActorKind.PERSON,
                  mentions=[at("Pat Ryder")]),
        GoldActor(actor_id="pentagon", name="Pentagon", kind=ActorKind.ORGANIZATION,
                  mentions=[at("Pentagon")]),
    ],
    quotes=[
        GoldQuote(span=at("Iran is sending drones to Russia"), speaker="kirby",
                  kind=QuoteKind.INDIRECT, cue="said"),
        GoldQuote(span=at("We will hold them to account for every one of these attacks"),
                  speaker="kirby", kind=QuoteKind.DIRECT, cue="added"),
        GoldQuote(span=at("Iran had trained Russian crews in Crimea"), speaker="ryder",
                  kind=QuoteKind.INDIRECT, cue="said"),
    ],
    claims=[
        GoldClaim(statement="Iran is sending drones to Russia.", asserted_by="kirby",
                  evidence=at("Iran is sending drones to Russia"),
                  event=GoldEvent(source="iran", target="russia", event_type="AID",
                                  mode=None, theme="drones")),
        GoldClaim(statement="Iran trained Russian crews in Crimea.", asserted_by="ryder",
                  evidence=at("Iran had trained Russian crews in Crimea"),
                  event=GoldEvent(source="iran", target="russia", event_type="AID",
                                  mode=None)),
        GoldClaim(statement="Russia denied the reports.", asserted_by=None,
                  evidence=at("Moscow denied both reports")),
    ],
)


def span(start: int, end: int) -> Span:
    return Span(start=start, end=end, match=MatchKind.EXACT)


def predicted_actor(actor_id: str, name: str, mentions: list[GoldSpan]) -> Actor:
    return Actor(
        actor_id=actor_id, name=name, kind=ActorKind.OTHER,
        mentions=[Mention(text=m.text, span=span(m.start, m.end)) for m in mentions],
    )


def predicted_quote(quote_id: str, start: int, end: int, speaker_id: str) -> Quote:
    return Quote(
        quote_id=quote_id, text=ARTICLE[start:end], span=span(start, end),
        speaker_id=speaker_id, speaker=speaker_id, kind=QuoteKind.DIRECT,
    )


def result_from_gold(gold: GoldAnnotation = GOLD) -> ExtractionResult:
    """What a perfect model would store for the article: the gold itself, as records. Its call
    records that no model was asked: no messages, no answers, no tokens."""
    call = LLMCall(
        model="hand-built", mode="tools", prompt=PROMPT, input_sha256=gold.sha256,
        schema_sha256=response_schema_sha256(1), request_messages=[], answers=[], reask_errors=[],
        usage=Usage(), latency_ms=0.0,
    )
    return ExtractionResult(
        article_id=gold.article_id, content_sha256=gold.sha256, model="hand-built",
        prompt=PROMPT,
        actors=[predicted_actor(a.actor_id, a.name, a.mentions) for a in gold.actors],
        quotes=[
            predicted_quote(f"q{i}", q.span.start, q.span.end, q.speaker)
            for i, q in enumerate(gold.quotes)
        ],
        claims=[
            Claim(
                claim_id=f"c{i}", statement=c.statement, asserted_by_id=c.asserted_by,
                asserted_by=c.asserted_by, evidence=c.evidence.text,
                span=span(c.evidence.start, c.evidence.end),
                event=None if c.event is None else ClaimEvent(
                    event_type=c.event.event_type, mode=c.event.mode, codebook="plover.v2",
                    source_id=c.event.source, source=c.event.source,
                    target_id=c.event.target, target=c.event.target,
                ),
            )
            for i, c in enumerate(gold.claims)
        ],
        rejected=[],
        call=call,
    )


PERFECT = result_from_gold()


def changed(**update: object) -> ExtractionResult:
    return PERFECT.model_copy(update=update)


def test_a_result_equal_to_the_gold_scores_one_on_every_metric() -> None:
    metrics = score_article(PERFECT, GOLD).metrics()
    assert metrics == dict.fromkeys(metrics, 1.0)
    assert len(metrics) == 3 * 4 + 3 + 2


def _with_event(claim: Claim, **update: object) -> Claim:
    assert claim.event is not None
    return claim.model_copy(update={"event": claim.event.model_copy(update=update)})


def test_event_type_and_parties_are_scored_on_the_matched_claims_the_gold_codes() -> None:
    first, second, third = PERFECT.claims
    wrong = changed(claims=[_with_event(first, event_type="SANCTION"),
                            _with_event(second, source_id="russia", target_id="iran"), third])
    metrics = score_article(wrong, GOLD).metrics()
    assert (metrics["claims.event_type"], metrics["claims.source_target"]) == (0.5, 0.5)
    missing = changed(claims=[first.model_copy(update={"event": None}), second, third])
    assert score_article(missing, GOLD).metrics()["claims.event_type"] == 0.5


def test_a_prompt_version_that_asks_for_no_events_scores_none_on_them() -> None:
    v1 = changed(prompt=PROMPT.model_copy(update={"version": 1}))
    metrics = score_article(v1, GOLD).metrics()
    assert metrics["claims.event_type"] is None and metrics["claims.source_target"] is None


@pytest.mark.parametrize(
    ("result", "expected"),
    [
        pytest.param(
            changed(quotes=PERFECT.quotes[1:]),
            {"quotes@0.3.precision": 1.0, "quotes@0.3.recall": 2 / 3, "quotes@0.3.f1": 0.8,
             "quotes@0.8.recall": 2 / 3, "quotes@0.3.speaker": 1.0, "claims.f1": 1.0},
            id="one-quote-missing",
        ),
        pytest.param(
            changed(claims=PERFECT.claims[:2]),
            {"claims.precision": 1.0, "claims.recall": 2 / 3, "claims.f1": 0.8,
             "quotes@0.3.f1": 1.0},
            id="one-claim-missing",
        ),
        pytest.param(
            changed(actors=PERFECT.actors[:4]),
            {"actors.precision": 1.0, "actors.recall": 4 / 5, "actors.f1": 8 / 9},
            id="one-actor-missing",
        ),
        pytest.param(
            changed(actors=[*PERFECT.actors, predicted_actor("crimea", "Crimea", [at("Crimea")])]),
            {"actors.precision": 5 / 6, "actors.recall": 1.0, "actors.f1": 10 / 11},
            id="invented-actor",
        ),
        pytest.param(
            changed(quotes=[*PERFECT.quotes[:2], PERFECT.quotes[2].model_copy(
                update={"speaker_id": "kirby"})]),
            {"quotes@0.3.f1": 1.0, "quotes@0.3.speaker": 2 / 3, "quotes@0.8.speaker": 2 / 3},
            id="wrong-speaker",
        ),
        pytest.param(
            changed(claims=[*PERFECT.claims[:2], PERFECT.claims[2].model_copy(
                update={"asserted_by_id": "russia"})]),
            {"claims.f1": 1.0, "claims.asserter": 2 / 3},
            id="outlet-claim-given-to-an-actor",
        ),
        pytest.param(
            changed(quotes=[], claims=[]),
            {"quotes@0.3.precision": None, "quotes@0.3.recall": 0.0, "quotes@0.3.f1": 0.0,
             "quotes@0.3.speaker": None, "claims.f1": 0.0},
            id="nothing-predicted",
        ),
    ],
)
def test_a_known_change_to_the_perfect_result_gives_the_scores_computed_by_hand(
    result: ExtractionResult, expected: dict[str, float | None]
) -> None:
    metrics = score_article(result, GOLD).metrics()
    assert {name: metrics[name] for name in expected} == pytest.approx(expected)


def test_a_quote_covering_half_of_its_gold_counts_at_30_percent_but_not_at_80() -> None:
    gold = GOLD.quotes[1].span
    half = predicted_quote("q1", gold.start, gold.start + (gold.end - gold.start) // 2, "kirby")
    result = changed(quotes=[PERFECT.quotes[0], half, PERFECT.quotes[2]])

    score = score_article(result, GOLD)

    assert overlap((gold.start, gold.end), (half.span.start, half.span.end)) == pytest.approx(
        0.5, abs=0.02
    )
    assert (score.quotes_30.counts.true_positives, score.quotes_30.counts.false_negatives) == (3, 0)
    assert (score.quotes_80.counts.true_positives, score.quotes_80.counts.false_positives,
            score.quotes_80.counts.false_negatives) == (2, 1, 1)


@pytest.mark.parametrize(
    ("gold", "predicted", "expected"),
    [
        pytest.param((10, 20), (10, 20), 1.0, id="same-span"),
        pytest.param((10, 20), (0, 100), 1.0, id="prediction-takes-in-more-words"),
        pytest.param((10, 20), (15, 20), 0.5, id="second-half"),
        pytest.param((10, 20), (12, 40), 0.8, id="starts-late-ends-beyond"),
        pytest.param((10, 20), (20, 30), 0.0, id="touching-but-disjoint"),
    ],
)
def test_overlap_is_the_share_of_the_gold_characters_the_prediction_covers(
    gold: tuple[int, int], predicted: tuple[int, int], expected: float
) -> None:
    assert overlap(gold, predicted) == pytest.approx(expected)


def test_an_overlap_equal_to_the_threshold_does_not_match_as_in_the_gender_gap_tracker() -> None:
    assert match_spans([(0, 10)], [(0, 3)], 0.3) == []
    assert match_spans([(0, 10)], [(0, 4)], 0.3) == [(0, 0)]


def test_each_prediction_matches_one_gold_quote_the_one_it_covers_best() -> None:
    gold = [(0, 10), (12, 20)]
    one_long_prediction = [(0, 20)]
    assert match_spans(gold, one_long_prediction, 0.3) == [(0, 0)]
    assert match_spans(gold, [(11, 20), (0, 9)], 0.3) == [(0, 1), (1, 0)]


@pytest.mark.parametrize(
    ("printed", "other"),
    [
        pytest.param("U.S.", "US", id="abbreviation-dots"),
        pytest.param("Kim Jong-un", "Kim Jong Un", id="hyphen-and-case"),
        pytest.param("the Pentagon", "Pentagon", id="leading-the"),
        pytest.param("Democratic People’s Republic", "democratic people's republic",
                     id="curly-apostrophe"),
    ],
)
def test_names_a_reader_takes_as_one_compare_equal(printed: str, other: str) -> None:
    assert comparable_name(printed) == comparable_name(other)


def test_an_actor_whose_name_matches_aligns_even_without_overlapping_mentions() -> None:
    unplaced = Actor(actor_id="p1", name="the Pentagon", kind=ActorKind.ORGANIZATION, mentions=[])
    assert align_actors([unplaced], GOLD.actors).gold_of == {"p1": "pentagon"}


def test_a_duplicate_actor_is_a_false_positive_but_still_names_the_right_speaker() -> None:
    duplicate = predicted_actor("kirby-again", "Kirby", [at("Kirby", 2)])
    quotes = [PERFECT.quotes[0], PERFECT.quotes[1].model_copy(update={"speaker_id": "kirby-again"}),
              PERFECT.quotes[2]]

    score = score_article(changed(actors=[*PERFECT.actors, duplicate], quotes=quotes), GOLD)

    assert (score.actors.true_positives, score.actors.false_positives) == (5, 1)
    assert score.quotes_30.attribution.value == 1.0


def test_an_actor_matching_two_gold_actors_is_aligned_with_one_only() -> None:
    lumped = predicted_actor("p1", "Kirby", [at("John Kirby"), at("Pat Ryder")])
    alignment = align_actors([lumped], GOLD.actors)
    assert list(alignment.gold_of.items()) in ([("p1", "kirby")], [("p1", "ryder")])


def test_the_aggregate_sums_counts_before_dividing() -> None:
    perfect = score_article(PERFECT, GOLD)
    one_of_three = score_article(changed(quotes=PERFECT.quotes[:1]), GOLD)

    total = aggregate([perfect, one_of_three])

    assert total.article_ids == (GOLD.article_id, GOLD.article_id)
    assert total.quotes_30.counts.recall == pytest.approx(4 / 6)
    assert total.actors.true_positives == 10


def test_the_aggregate_of_no_articles_has_no_ratios() -> None:
    assert set(aggregate([]).metrics().values()) == {None}


def test_a_result_of_another_text_is_refused() -> None:
    other = changed(content_sha256=content_hash("another text"))
    with pytest.raises(AnnotationError, match="against the gold of its own article"):
        score_article(other, GOLD)


# --- loading --------------------------------------------------------------------------------


def write_seed(seeds: Path, data: dict[str, Any], *, article: str = ARTICLE) -> Path:
    (seeds / "gold").mkdir(parents=True, exist_ok=True)
    (seeds / "000_test.txt").write_text(article, encoding="utf-8")
    path = seeds / "gold" / "000_test.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_a_valid_gold_file_loads(tmp_path: Path) -> None:
    path = write_seed(tmp_path, GOLD.model_dump(mode="json"))
    assert load_gold(path) == GOLD
    assert load_gold_dir(tmp_path) == {"000_test": GOLD}


def _with_span_moved(data: dict[str, Any]) -> dict[str, Any]:
    data["quotes"][0]["span"]["start"] += 1
    data["quotes"][0]["span"]["end"] += 1
    return data


@pytest.mark.parametrize(
    ("edit", "article", "message"),
    [
        pytest.param(lambda d: d, ARTICLE + " Updated.", "sha256", id="article-changed"),
        pytest.param(_with_span_moved, ARTICLE, r"quotes\[0\] says 'Iran is sending",
                     id="span-moved"),
        pytest.param(lambda d: {**d, "annotator": "me"}, ARTICLE, "annotator",
                     id="unknown-field"),
        pytest.param(lambda d: {**d, "quotes": [{**d["quotes"][0], "speaker": "wood"}]},
                     ARTICLE, "'wood'", id="speaker-not-an-actor"),
        pytest.param(lambda d: {**d, "article": "001_other.txt"}, ARTICLE, "001_other.json",
                     id="file-named-after-another-article"),
    ],
)
def test_a_bad_gold_file_raises_an_annotation_error_naming_the_file_and_the_problem(
    tmp_path: Path, edit: Callable[[dict[str, Any]], dict[str, Any]], article: str,
    message: str,
) -> None:
    path = write_seed(tmp_path, edit(GOLD.model_dump(mode="json")), article=article)
    with pytest.raises(AnnotationError, match=message) as raised:
        load_gold(path)
    assert raised.value.path == path
    assert str(path) in str(raised.value)


def test_a_gold_file_that_is_not_json_raises_an_annotation_error(tmp_path: Path) -> None:
    path = write_seed(tmp_path, {})
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(AnnotationError, match="not a valid gold annotation"):
        load_gold(path)


def test_a_seeds_folder_without_gold_files_raises_an_annotation_error(tmp_path: Path) -> None:
    with pytest.raises(AnnotationError, match="no gold annotations"):
        load_gold_dir(tmp_path)


# --- rendering ------------------------------------------------------------------------------


def test_the_score_table_shows_one_column_per_model_and_prompt_version() -> None:
    perfect = aggregate([score_article(PERFECT, GOLD)])
    partial = aggregate([score_article(changed(quotes=PERFECT.quotes[1:]), GOLD)])
    rows = [ScoreRow("model-a", 1, perfect), ScoreRow("model-a", 2, partial),
            ScoreRow("model-b", 1, aggregate([]))]
    console = Console(file=io.StringIO(), width=240, record=True)

    console.print(score_table(rows))
    text = console.export_text()

    cells = [[cell.strip() for cell in line.split("┃")] for line in text.splitlines()]
    header = [row[2:5] for row in cells if len(row) > 4]
    assert header == [["model-a", "model-a", "model-b"], ["v1", "v2", "v1"]]
    quotes = next(line for line in text.splitlines() if "quotes >30%" in line)
    assert [cell.strip() for cell in quotes.split("│")][2:5] == [
        "1.00 / 1.00 / 1.00", "1.00 / 0.67 / 0.80", "– / – / –"]
    assert "–" in text



def test_an_article_without_a_valid_answer_counts_as_everything_missed() -> None:
    answered = score_results([PERFECT], {GOLD.article_id: GOLD})
    with_failure = score_results([PERFECT], {GOLD.article_id: GOLD}, unanswered=[GOLD.sha256])
    assert with_failure.actors.false_negatives == len(GOLD.actors)
    assert with_failure.quotes_30.counts.false_negatives == len(GOLD.quotes)
    assert with_failure.actors.precision == answered.actors.precision == 1.0
    assert with_failure.actors.recall == 0.5

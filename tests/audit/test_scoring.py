"""Scoring the rules against the gold: the gold as an extraction, and counts that can fail."""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.audit.scoring import gold_result, score_attribution_items, score_signals
from pipeline.evaluate import load_gold_dir
from tests.conftest import SEEDS

DATA = Path(__file__).parent / "data"


def test_the_gold_as_an_extraction_keeps_every_span() -> None:
    for gold in load_gold_dir(SEEDS).values():
        text = (SEEDS / gold.article).read_text(encoding="utf-8")
        result = gold_result(gold)
        assert len(result.quotes) == len(gold.quotes) and len(result.claims) == len(gold.claims)
        for quote in result.quotes:
            assert text[quote.span.start:quote.span.end] == quote.text


def test_a_wrong_speaker_counts_against_the_rule() -> None:
    item = {"text": "“The bridge is safe,” engineer Ana Lopez said. Mayor Tom Reed nodded.",
            "actors": [["Ana Lopez", "person"], ["Tom Reed", "person"]],
            "quotes": [["The bridge is safe", "Ana Lopez"]]}
    scores = score_attribution_items([item])
    assert (scores.attribution.true_positives, scores.wrong_speakers) == (1, 1)
    assert scores.attribution.false_positives == 0
    swapped = {**item, "quotes": [["The bridge is safe", "Tom Reed"]]}
    scores = score_attribution_items([swapped])
    assert scores.attribution.false_negatives == 1 and scores.failures


def test_modality_labels_must_match_the_gold_claims() -> None:
    golds = load_gold_dir(SEEDS)
    texts = {aid: (SEEDS / g.article).read_text(encoding="utf-8") for aid, g in golds.items()}
    labels = json.loads((DATA / "claim_modality.seeds.v1.json").read_text())["labels"]
    assert {aid: len(g.claims) for aid, g in golds.items()} == {
        aid: len(v) for aid, v in labels.items()}
    scores = score_signals(texts, golds, modality_labels=labels)
    assert scores.modality_total == sum(len(g.claims) for g in golds.values())
    assert scores.gold_direct == sum(
        1 for g in golds.values() for q in g.quotes if q.kind.value == "direct")
    assert 0 < scores.gold_direct_found <= scores.gold_direct

"""The evaluation sets of news the seeds do not cover (tests/eval/, see its README), as mentions.

One reader and one scorer for every set, so that a second or third held-out set is one more file
name, and every set is scored with the verifiers and candidates the pipeline runs.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pipeline.reconcile import cluster_quotes, reconcile_actors
from pipeline.reconcile.knowledge import load_linkage_settings
from pipeline.reconcile.paraphrase import corpus_candidates, corpus_verifiers
from schemas.extraction import ActorKind
from schemas.mentions import ActorMention, QuoteMention
from tests.reconcile.scores import record_score

EVAL = Path(__file__).resolve().parents[1] / "eval"


def load_set(name: str) -> dict[str, Any]:
    with (EVAL / name).open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


def actor_mentions(name: str) -> tuple[list[ActorMention], list[str]]:
    """(mentions, the gold entity of each) of an actor set."""
    mentions, gold = [], []
    for article in load_set(name)["articles"]:
        for printed, kind, entity in article["actors"]:
            mentions.append(
                ActorMention(article_id=article["id"], name=printed, kind=ActorKind(kind))
            )
            gold.append(entity)
    return mentions, gold


def quote_mentions(name: str) -> tuple[list[QuoteMention], list[ActorMention], list[str]]:
    """(quotes, their speakers as actor mentions, the gold remark of each) of a quote set."""
    quotes, speakers, gold = [], [], []
    for article, speaker, text, remark in load_set(name)["quotes"]:
        quotes.append(QuoteMention(article_id=article, speaker=speaker, text=text))
        speakers.append(ActorMention(article_id=article, name=speaker, kind=ActorKind.PERSON))
        gold.append(remark)
    return quotes, speakers, gold


def actor_set_labels(name: str) -> tuple[list[str], list[str]]:
    """(the reconciled actor id, the gold entity) of each mention of an actor set."""
    mentions, gold = actor_mentions(name)
    clusters = reconcile_actors(mentions)
    label = {id(m): c.actor_id for c in clusters for m in c.mentions}
    return [label[id(m)] for m in mentions], gold


def quote_set_labels(name: str, *, paraphrases: bool = True) -> tuple[list[str], list[str]]:
    """(the quote cluster id, the gold remark) of each quote of a quote set, its speakers
    reconciled first; with ``paraphrases`` the corpus verifiers and candidates the pipeline runs,
    without them same words and fragments only."""
    quotes, speakers, gold = quote_mentions(name)
    found: dict[str, Any] = {}
    if paraphrases:
        texts = (q.text for q in quotes)
        found = {
            "verifiers": corpus_verifiers(texts, load_linkage_settings().quotes),
            "candidates": corpus_candidates(),
        }
    clusters = cluster_quotes(quotes, actors=reconcile_actors(speakers), **found)
    label = {id(m): c.quote_id for c in clusters for m in c.mentions}
    return [label[id(q)] for q in quotes], gold


def score_actor_set(config: pytest.Config, corpus: str, name: str) -> tuple[float, float]:
    """Pairwise (precision, recall) of an actor set, kept for the run's summary."""
    return record_score(config, corpus, "actors", *actor_set_labels(name))


def score_quote_set(config: pytest.Config, corpus: str, name: str) -> tuple[float, float]:
    """Pairwise (precision, recall) of a quote set as the pipeline clusters it, kept for the
    run's summary."""
    return record_score(config, corpus, "quotes", *quote_set_labels(name))


def hold_floor_then_target(score: float, floor: float, target: float, *, name: str) -> None:
    """Fail below the floor; xfail, with the figure, between the floor and the target."""
    assert score >= floor, score
    if score < target:
        pytest.xfail(f"{name} {score:.3f}: the target is {name} {target}")

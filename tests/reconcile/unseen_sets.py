"""The evaluation sets of news the seeds do not cover (tests/eval/, see its README), as mentions.

One reader for every set, so that a second or third held-out set is one more file name.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from schemas.extraction import ActorKind
from schemas.mentions import ActorMention, QuoteMention

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

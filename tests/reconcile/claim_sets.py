"""The claim evaluation sets (tests/reconcile/data/event_claims*.json), as mentions with events.

One reader for every set, so that a held-out set is one more file name (as ``unseen_sets`` is for
actors and quotes).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pipeline.extract.grounding import GroundingIndex
from schemas.events import Modality, Polarity
from schemas.extraction import ActorKind
from schemas.mentions import ActorMention, ClaimMention
from schemas.records import ClaimEvent, GroundedPart, GroundedQuantity

DATA = Path(__file__).parent / "data" / "event_claims.v2.json"


def _part(statement: str, text: str | None) -> GroundedPart | None:
    if text is None:
        return None
    span = GroundingIndex(statement).locate(text)
    assert span is not None, f"{text!r} is not in {statement!r}: fix the evaluation file"
    return GroundedPart(text=statement[span.start : span.end], span=span)


def event_of(
    article_id: str, statement: str, raw: dict[str, Any], ids: dict[str, str]
) -> ClaimEvent:
    quantity = raw["quantity"]
    printed = _part(statement, quantity["text"]) if quantity else None
    return ClaimEvent(
        event_type=raw["event_type"], mode=raw["mode"], codebook="plover.v2",
        source=raw["source"], source_id=ids.get(raw["source"]),
        target=raw["target"], target_id=ids.get(raw["target"]),
        theme=_part(statement, raw["theme"]),
        quantity=GroundedQuantity(**printed.model_dump(), value=quantity["value"],
                                  unit=quantity["unit"]) if printed and quantity else None,
        polarity=Polarity(raw["polarity"]), modality=Modality(raw["modality"]),
        when=_part(statement, raw["when"]),
    )  # fmt: skip


def load_evaluation(
    path: Path = DATA,
) -> tuple[list[ActorMention], list[ClaimMention], list[str]]:
    """Actor mentions, claim mentions (with events) and each claim's proposition."""
    data = json.loads(path.read_text(encoding="utf-8"))
    actors: list[ActorMention] = []
    claims: list[ClaimMention] = []
    truth: list[str] = []
    for article in data["articles"]:
        article_id = article["article_id"]
        ids = {a["name"]: f"{article_id}/a{n}" for n, a in enumerate(article["actors"], 1)}
        actors += [
            ActorMention(article_id=article_id, name=a["name"], kind=ActorKind(a["kind"]),
                         local_id=ids[a["name"]])
            for a in article["actors"]
        ]  # fmt: skip
        for claim in article["claims"]:
            statement = claim["statement"]
            claims.append(ClaimMention(
                article_id=article_id, asserted_by=claim["asserted_by"], statement=statement,
                evidence=statement, asserted_by_local_id=ids.get(claim["asserted_by"]),
                event=event_of(article_id, statement, claim["event"], ids),
            ))  # fmt: skip
            truth.append(claim["proposition"])
    return actors, claims, truth

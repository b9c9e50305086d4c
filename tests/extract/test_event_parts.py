"""Claims as events: the v2 schema refuses what the codebook lacks; grounding drops the rest."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from pipeline.extract.assemble import assemble
from pipeline.extract.event_parts import NEAR_EVIDENCE_CHARS
from pipeline.extract.grounding import GroundingIndex
from pipeline.extract.versions import (
    CODEBOOK_NAME,
    load_codebook,
    response_model,
    response_schema_sha256,
)
from schemas.extraction import ArticleExtraction
from schemas.records import RejectedKind, RejectionReason

FILLER = " ".join(["The talks went on."] * (NEAR_EVIDENCE_CHARS // 18 + 2))
ARTICLE = (
    "Iran has supplied 400 combat drones to Russia since 2022, the minister said. "
    + FILLER
    + " Separately, 60 percent of the budget went to defence."
)
ACTORS = [{"name": "Iran", "kind": "country"}, {"name": "Russia", "kind": "country"}]
EVIDENCE = "Iran has supplied 400 combat drones to Russia since 2022"


def event(**parts: Any) -> dict[str, Any]:
    return {
        "source": "Iran", "target": "Russia", "event_type": "AID", "mode": None,
        "theme": "combat drones", "quantity": {"text": "400", "value": 400, "unit": "drone"},
        "polarity": "affirmed", "modality": "asserted", "when": "since 2022", **parts,
    }  # fmt: skip


def answer(**parts: Any) -> dict[str, Any]:
    claim = {"statement": "Iran supplied drones to Russia.", "asserted_by": None,
             "evidence": EVIDENCE, "event": event(**parts)}  # fmt: skip
    return {"actors": ACTORS, "quotes": [], "claims": [claim]}


def assembled(**parts: Any) -> Any:
    extraction = response_model(2).model_validate(answer(**parts))
    return assemble(extraction, GroundingIndex(ARTICLE), article_id="t", codebook=CODEBOOK_NAME)


def test_prompt_v1_keeps_its_schema_and_v2_asks_for_events() -> None:
    assert response_model(1) is ArticleExtraction
    assert "event" not in str(ArticleExtraction.model_json_schema())
    schema = response_model(2).model_json_schema()
    assert set(schema["$defs"]["ClaimEvent"]["properties"]["event_type"]["enum"]) == set(
        load_codebook().types
    )
    assert response_schema_sha256(1) != response_schema_sha256(2)


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        pytest.param({"event_type": "SUPPLY"}, "is not a PLOVER type", id="unknown-type"),
        pytest.param({"mode": "aerial"}, "is not a mode of AID", id="mode-of-another-type"),
        pytest.param({"source": "Tehran"}, "source 'Tehran' is not among", id="unknown-source"),
        pytest.param({"target": "Ukraine"}, "target 'Ukraine' is not among", id="unknown-target"),
    ],
)
def test_the_v2_schema_refuses_what_the_codebook_or_the_actors_lack(
    parts: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        response_model(2).model_validate(answer(**parts))


def test_every_part_of_an_event_is_grounded_at_its_offsets() -> None:
    result = assembled()
    [claim] = result.claims
    assert claim.event is not None and not result.rejected
    assert claim.event.source == "Iran" and claim.event.target_id == "t/a2"
    for part in (claim.event.theme, claim.event.quantity, claim.event.when):
        assert part is not None
        assert ARTICLE[part.span.start : part.span.end] == part.text
    assert claim.event.quantity is not None and claim.event.quantity.value == 400


@pytest.mark.parametrize(
    ("parts", "dropped", "reason"),
    [
        pytest.param({"theme": "kamikaze drones"}, "theme", RejectionReason.NOT_IN_ARTICLE,
                     id="invented-theme"),
        pytest.param({"quantity": {"text": "60 percent", "value": 60, "unit": "%"}}, "quantity",
                     RejectionReason.NOT_NEAR_EVIDENCE, id="number-from-another-paragraph"),
        pytest.param({"when": "in 2019"}, "when", RejectionReason.NOT_IN_ARTICLE,
                     id="invented-date"),
    ],
)  # fmt: skip
def test_a_part_the_article_does_not_print_near_the_evidence_is_dropped_with_its_reason(
    parts: dict[str, Any], dropped: str, reason: RejectionReason
) -> None:
    result = assembled(**parts)
    [claim] = result.claims
    [rejected] = result.rejected
    assert (rejected.kind, rejected.reason, rejected.item["part"]) == (
        RejectedKind.EVENT_PART, reason, dropped
    )
    assert claim.event is not None
    assert getattr(claim.event, dropped) is None
    assert claim.event.event_type == "AID"  # the rest of the event stays


def test_a_party_whose_actor_grounding_refused_is_dropped_from_the_event() -> None:
    extraction = response_model(2).model_validate(
        {**answer(target="Belarus"), "actors": [*ACTORS, {"name": "Belarus", "kind": "country"}]}
    )
    result = assemble(extraction, GroundingIndex(ARTICLE), article_id="t", codebook=CODEBOOK_NAME)
    [claim] = result.claims
    assert claim.event is not None and claim.event.target is None
    assert [r.reason for r in result.rejected if r.kind is RejectedKind.EVENT_PART] == [
        RejectionReason.PARTY_REJECTED
    ]

"""Claims compared by their events: the denial link, the part a hard negative differs in, themes,
modes, targets, units and parties. Scores on the evaluation sets are in ``test_claim_sets.py``.
"""

from __future__ import annotations

from typing import Any

import pytest

from pipeline.reconcile.actors import reconcile_actors
from pipeline.reconcile.claims import cluster_claims
from pipeline.reconcile.events import EventReader, compare_events
from schemas.extraction import ActorKind
from schemas.mentions import ActorMention, ClaimMention
from tests.reconcile.claim_sets import event_of, load_evaluation


@pytest.fixture(scope="module")
def evaluation() -> tuple[list[ClaimMention], list[str], list[Any]]:
    actor_mentions, claims, truth = load_evaluation()
    return claims, truth, reconcile_actors(actor_mentions)


def test_a_denial_keeps_a_link_to_the_claim_it_answers(
    evaluation: tuple[list[ClaimMention], list[str], list[Any]],
) -> None:
    claims, truth, actors = evaluation
    clusters = cluster_claims(claims, actors=actors)
    proposition = {c.key: t for c, t in zip(claims, truth, strict=True)}
    by_id = {c.claim_id: c for c in clusters}
    linked = {
        proposition[c.mentions[0].key]: proposition[by_id[c.denies].mentions[0].key]
        for c in clusters if c.denies is not None
    }  # fmt: skip
    assert linked == {"ceasefire-denied": "ceasefire"}


@pytest.mark.parametrize(
    ("left", "right", "part"),
    [
        pytest.param("eu-sanctions", "ru-sanctions", "direction", id="reversed-direction"),
        pytest.param("turkey-approves", "hungary-blocks", "source", id="another-agent"),
        pytest.param("enrich-60", "enrich-83", "quantity", id="another-number"),
        pytest.param("enrich-60", "enrich-90-may", "modality", id="a-hedge"),
        pytest.param("ceasefire", "ceasefire-denied", "polarity", id="a-denial"),
    ],
)
def test_a_hard_negative_is_refused_naming_the_part_that_differs(
    evaluation: tuple[list[ClaimMention], list[str], list[Any]], left: str, right: str, part: str
) -> None:
    claims, truth, actors = evaluation
    reader = EventReader(actors)
    first = {t: reader.read(c) for c, t in reversed(list(zip(claims, truth, strict=True)))}
    left_view, right_view = first[left], first[right]
    assert left_view is not None and right_view is not None
    verdict = compare_events(left_view, right_view)
    assert not verdict.same
    assert verdict.evidence[0].what == part


def _view_of(statement: str, theme: str) -> Any:
    event = {"source": "Israel", "target": "Hamas", "event_type": "AGREE", "mode": None,
             "theme": theme, "quantity": None, "polarity": "affirmed", "modality": "asserted",
             "when": None}  # fmt: skip
    mention = ClaimMention(article_id="t", asserted_by=None, statement=statement,
                           event=event_of("t", statement, event, {}))
    return EventReader().read(mention)


def test_themes_agree_on_wordnet_synonyms_but_not_on_a_shared_modifier_alone() -> None:
    truce = _view_of("Israel and Hamas agreed to a truce.", "truce")
    ceasefire = _view_of("Israel agreed to a ceasefire with Hamas.", "ceasefire")
    verdict = compare_events(truce, ceasefire)
    assert verdict.same
    assert "synonyms 'truce' and 'ceasefire'" in verdict.reason
    factory = _view_of("Israel agreed to a drone factory.", "drone factory")
    drones = _view_of("Israel agreed to combat drones.", "combat drones")
    assert compare_events(factory, drones).evidence[0].what == "theme"


def test_a_compound_theme_meets_its_head_but_not_its_first_part() -> None:
    wastewater = _view_of("Israel agreed to treated wastewater.", "treated wastewater")
    water = _view_of("Israel agreed to treated water.", "treated water")
    verdict = compare_events(wastewater, water)
    assert verdict.same
    assert "'wastewater' is a compound of 'water'" in verdict.reason
    waste = _view_of("Israel agreed to industrial waste.", "industrial waste")
    assert compare_events(wastewater, waste).evidence[0].what == "theme"


def test_kin_head_words_agree_when_the_words_around_them_agree_too() -> None:
    missiles = _view_of("Israel agreed to cruise missiles.", "cruise missiles")
    weapons = _view_of("Israel agreed to cruise weapons.", "cruise weapons")
    verdict = compare_events(missiles, weapons)
    assert verdict.same
    assert "'missile' and 'weapon': one is a kind or a part of the other" in verdict.reason
    chemical = _view_of("Israel agreed to chemical weapons.", "chemical weapons")
    assert compare_events(missiles, chemical).evidence[0].what == "theme"


def test_a_theme_head_before_its_preposition_is_compared() -> None:
    raid = _view_of("Israel agreed to a raid on the camp.", "raid on the camp")
    attack = _view_of("Israel agreed to an attack on the camp.", "attack on the camp")
    verdict = compare_events(raid, attack)
    assert verdict.same
    assert "'raid' and 'attack'" in verdict.reason


def test_events_whose_themes_share_no_word_are_compared_through_their_kin() -> None:
    statements = {"Israel agreed to a raid.": "raid", "Israel agreed to an attack.": "attack",
                  "Israel agreed to airstrikes.": "airstrikes",
                  "Israel agreed to air strikes.": "air strikes"}  # fmt: skip
    claims = [
        ClaimMention(article_id=f"a{n}", asserted_by=None, statement=statement,
                     event=event_of(f"a{n}", statement, {
                         "source": "Israel", "target": "Hamas", "event_type": "ASSAULT",
                         "mode": None, "theme": theme, "quantity": None,
                         "polarity": "affirmed", "modality": "asserted", "when": None}, {}))
        for n, (statement, theme) in enumerate(statements.items())
    ]  # fmt: skip
    clusters = cluster_claims(claims)
    assert sorted(len(c.mentions) for c in clusters) == [2, 2]


def _assault(mode: str | None) -> Any:
    statement = "Israel attacked Hamas with drones."
    event = {"source": "Israel", "target": "Hamas", "event_type": "ASSAULT", "mode": mode,
             "theme": "drones", "quantity": None, "polarity": "affirmed",
             "modality": "asserted", "when": None}  # fmt: skip
    mention = ClaimMention(article_id="t", asserted_by=None, statement=statement,
                           event=event_of("t", statement, event, {}))
    return EventReader().read(mention)


def test_a_mode_one_event_leaves_out_does_not_conflict_but_two_modes_do() -> None:
    verdict = compare_events(_assault(None), _assault("drone"))
    assert verdict.same
    assert "one names no mode" in verdict.reason
    assert compare_events(_assault("aerial"), _assault("drone")).evidence[0].what == "event"


def _agreed(target: str | None) -> Any:
    statement = "Israel agreed to a ceasefire with Hamas and Egypt."
    event = {"source": "Israel", "target": target, "event_type": "AGREE", "mode": None,
             "theme": "ceasefire", "quantity": None, "polarity": "affirmed",
             "modality": "asserted", "when": None}  # fmt: skip
    mention = ClaimMention(article_id="t", asserted_by=None, statement=statement,
                           event=event_of("t", statement, event, {}))
    return EventReader().read(mention)


def test_a_target_one_event_leaves_out_does_not_conflict_but_two_targets_do() -> None:
    verdict = compare_events(_agreed(None), _agreed("Hamas"))
    assert verdict.same
    assert "Hamas, the other names none" in verdict.reason
    assert compare_events(_agreed("Egypt"), _agreed("Hamas")).evidence[0].what == "target"


def _pledged(printed: str, value: float, unit: str) -> Any:
    statement = f"Japan pledged {printed} in aid to Ukraine."
    event = {"source": "Japan", "target": "Ukraine", "event_type": "AID", "mode": None,
             "theme": "aid", "quantity": {"text": printed, "value": value, "unit": unit},
             "polarity": "affirmed", "modality": "asserted", "when": None}  # fmt: skip
    mention = ClaimMention(article_id="t", asserted_by=None, statement=statement,
                           event=event_of("t", statement, event, {}))
    return EventReader().read(mention)


def test_a_unit_s_word_of_scale_is_folded_into_the_value() -> None:
    billions = _pledged("$4.5 billion", 4.5, "billion USD")
    dollars = _pledged("4.5 billion dollars", 4.5e9, "dollars")
    assert compare_events(billions, dollars).same
    millions = _pledged("$4.5 million", 4.5, "million USD")
    assert compare_events(billions, millions).evidence[0].what == "quantity"


def test_units_agree_when_one_s_words_are_among_the_other_s() -> None:
    dollars = _pledged("$4.5 billion", 4.5e9, "USD")
    in_cash = _pledged("$4.5 billion in cash", 4.5e9, "USD in cash")
    assert compare_events(dollars, in_cash).same
    tonnes = _pledged("4.5 billion tonnes", 4.5e9, "tonnes")
    assert compare_events(dollars, tonnes).evidence[0].what == "quantity"


def test_an_event_party_the_article_does_not_list_is_read_by_the_knowledge_file() -> None:
    actors = reconcile_actors([ActorMention(article_id="a1", name="Iran", kind=ActorKind.COUNTRY,
                                            local_id="a1/1")])  # fmt: skip
    claims = []
    for article, source in (("a1", "Iran"), ("a2", "Tehran")):
        statement = f"{source} enriched uranium."
        event = {"source": source, "target": None, "event_type": "OTHER", "mode": None,
                 "theme": "uranium", "quantity": None, "polarity": "affirmed",
                 "modality": "asserted", "when": None}  # fmt: skip
        claims.append(ClaimMention(article_id=article, asserted_by=None, statement=statement,
                                   event=event_of(article, statement, event,
                                                {"Iran": "a1/1"} if article == "a1" else {})))
    (cluster,) = cluster_claims(claims, actors=actors)
    assert cluster.merges[0].rule.value == "same_event"


def test_two_events_placed_in_two_printed_places_stay_apart() -> None:
    """The event names no place; its statement does, and the evidence prints it (issue 13)."""
    claims = []
    for article, place in (("a1", "Port Ellison"), ("a2", "Westmore"), ("a3", None)):
        statement = f"Iran supplied 400 rifles to Russia{f' near {place}' if place else ''}."
        event = {"source": "Iran", "target": "Russia", "event_type": "AID", "mode": None,
                 "theme": "rifles", "quantity": None, "polarity": "affirmed",
                 "modality": "asserted", "when": None}  # fmt: skip
        claims.append(ClaimMention(article_id=article, asserted_by=None, statement=statement,
                                   event=event_of(article, statement, event, {})))
    clusters = cluster_claims(claims)
    assert sorted(len(c.mentions) for c in clusters) == [1, 2]


def test_head_words_a_few_wordnet_steps_apart_agree_only_beside_a_shared_word() -> None:
    electric_cars = _view_of("Israel agreed to electric cars.", "electric cars")
    electric_vehicles = _view_of("Israel agreed to electric vehicles.", "electric vehicles")
    verdict = compare_events(electric_cars, electric_vehicles)
    assert verdict.same
    assert "one is a kind of the other" in verdict.reason
    cars = _view_of("Israel agreed to cars.", "cars")
    vehicles = _view_of("Israel agreed to vehicles.", "vehicles")
    assert compare_events(cars, vehicles).evidence[0].what == "theme"
    electric_bicycles = _view_of("Israel agreed to electric bicycles.", "electric bicycles")
    assert compare_events(electric_cars, electric_bicycles).evidence[0].what == "theme"


def _bare_view(statement: str, theme: str | None, event_type: str = "SANCTION") -> Any:
    event = {"source": "EU", "target": "Russia", "event_type": event_type, "mode": None,
             "theme": theme, "quantity": None, "polarity": "affirmed", "modality": "asserted",
             "when": None}  # fmt: skip
    mention = ClaimMention(article_id="t", asserted_by=None, statement=statement,
                           event=event_of("t", statement, event, {}))
    return EventReader().read(mention)


@pytest.mark.parametrize(
    ("themed", "theme", "bare", "same"),
    [
        pytest.param("The EU imposed sanctions on Russia.", "sanctions",
                     "The EU sanctioned Russia.", True, id="sanctions-sanctioned"),
        pytest.param("The EU launched an attack on Russia.", "attack",
                     "The EU attacked Russia.", True, id="an-attack-attacked"),
        pytest.param("The EU imposed sanctions on Russia's oil.", "sanctions on Russia's oil",
                     "The EU sanctioned Russia.", False, id="a-theme-of-more-than-the-act"),
        pytest.param("The EU sent drones to Russia.", "drones",
                     "The EU supplies Russia, officials said.", False, id="another-noun"),
        pytest.param("The EU imposed sanctions on Russia.", "sanctions",
                     "The EU says sanctions on Russia work.", False, id="the-noun-is-no-verb"),
    ],
)  # fmt: skip
def test_a_theme_naming_the_act_meets_an_event_that_prints_it_as_a_verb(
    themed: str, theme: str, bare: str, same: bool
) -> None:
    verdict = compare_events(_bare_view(themed, theme), _bare_view(bare, None))
    assert verdict.same is same
    assert not verdict.same or "names the act the other prints" in verdict.reason


IRAN_SAUDI, RUSSIA_UKRAINE = ("Iran", "Saudi Arabia"), ("Russia", "Ukraine")


def _coded(article: str, statement: str, countries: tuple[str, str], **event: Any) -> ClaimMention:
    """A claim of an article listing ``countries`` (a1, a2), coded as an event from the first to
    the second unless ``event`` says otherwise."""
    coded = {"source": countries[0], "target": countries[1], "event_type": "AGREE", "mode": None,
             "theme": None, "quantity": None, "polarity": "affirmed", "modality": "asserted",
             "when": None, **event}  # fmt: skip
    ids = {name: f"{article}/a{n}" for n, name in enumerate(countries, 1)}
    return ClaimMention(article_id=article, asserted_by=None, statement=statement,
                        event=event_of(article, statement, coded, ids))  # fmt: skip


def _countries(countries: tuple[str, str], *articles: str) -> list[Any]:
    return reconcile_actors([
        ActorMention(article_id=a, name=name, kind=ActorKind.COUNTRY, local_id=f"{a}/a{n}")
        for a in articles for n, name in enumerate(countries, 1)
    ])  # fmt: skip


def _agreed_of(article: str, statement: str, source: str, target: str) -> ClaimMention:
    return _coded(article, statement, IRAN_SAUDI, source=source, target=target,
                  theme="diplomatic ties")


def test_an_act_of_two_parties_joins_whichever_side_the_model_coded_as_its_source() -> None:
    clusters = cluster_claims([
        _agreed_of("a", "Iran and Saudi Arabia agreed to restore diplomatic ties.", "Iran",
                "Saudi Arabia"),
        _agreed_of("b", "Saudi Arabia and Iran have agreed to restore diplomatic ties.",
                "Saudi Arabia", "Iran"),
    ], actors=_countries(IRAN_SAUDI, "a", "b"))  # fmt: skip
    assert len(clusters) == 1
    assert any("an act of the two" in e.detail for e in clusters[0].merges[0].evidence)


def test_one_party_acting_on_the_other_stays_apart_from_the_reversed_act() -> None:
    clusters = cluster_claims([
        _agreed_of("a", "Iran agreed to restore diplomatic ties with Saudi Arabia.", "Iran",
                "Saudi Arabia"),
        _agreed_of("b", "Saudi Arabia agreed to restore diplomatic ties with Iran.",
                "Saudi Arabia", "Iran"),
    ], actors=_countries(IRAN_SAUDI, "a", "b"))  # fmt: skip
    assert len(clusters) == 2


def _output(statement: str, theme: str, quantity: dict[str, Any]) -> Any:
    event = {"source": "Israel", "target": None, "event_type": "OTHER", "mode": None,
             "theme": theme, "quantity": quantity, "polarity": "affirmed",
             "modality": "asserted", "when": None}  # fmt: skip
    mention = ClaimMention(article_id="t", asserted_by=None, statement=statement,
                           event=event_of("t", statement, event, {}))
    return EventReader().read(mention)


def test_a_rate_a_day_is_a_rate_per_day_and_a_compound_meets_its_words_written_apart() -> None:
    a_day = _output("Israel cut its output by 2 million barrels a day.", "output",
                    {"text": "2 million barrels a day", "value": 2,
                     "unit": "million barrels a day"})
    per_day = _output("Israel cut its output by 2,000,000 bpd.", "output",
                      {"text": "2,000,000 bpd", "value": 2000000, "unit": "bpd"})
    assert compare_events(a_day, per_day).same
    apart = _output("Israel carried out cyber attacks.", "cyber attacks", None)
    one_word = _output("Israel carried out cyberattacks.", "cyberattacks", None)
    verdict = compare_events(apart, one_word)
    assert verdict.same and "written as one word" in verdict.reason
    other = _output("Israel carried out cyber thefts.", "cyber thefts", None)
    assert not compare_events(other, one_word).same


def _deed(article: str, statement: str, event_type: str, mode: str | None,
          theme: str) -> ClaimMention:  # fmt: skip
    return _coded(article, statement, RUSSIA_UKRAINE, event_type=event_type, mode=mode,
                  theme=theme)


def test_deeds_of_neighbouring_types_join_where_both_statements_print_one_act() -> None:
    fired = _deed("a", "Russia fired ballistic missiles at Ukraine.", "ASSAULT", "heavy-weapons",
                   "ballistic missiles")
    launched = _deed("b", "Russia fired ballistic missiles toward Ukraine.", "MOBILIZE",
                      "weapons", "ballistic missiles")
    clusters = cluster_claims([fired, launched], actors=_countries(RUSSIA_UKRAINE, "a", "b"))
    assert len(clusters) == 1
    assert any("deeds of one act" in e.detail for e in clusters[0].merges[0].evidence)


@pytest.mark.parametrize(
    ("statement", "event_type", "mode"),
    [
        pytest.param("Russia deployed ballistic missiles near Ukraine.", "MOBILIZE", "weapons",
                     id="deployed-is-not-fired"),
        pytest.param("Russia threatened to fire ballistic missiles at Ukraine.", "THREATEN",
                     "violence", id="a-threat-is-no-deed"),
        pytest.param("Russia demanded that Ukraine stop firing ballistic missiles.", "REQUEST",
                     None, id="a-demand-is-no-deed"),
    ],
)  # fmt: skip
def test_neighbouring_event_types_stay_apart_where_one_is_no_deed_or_two_acts_are_printed(
    statement: str, event_type: str, mode: str | None
) -> None:
    fired = _deed("a", "Russia fired ballistic missiles at Ukraine.", "ASSAULT", "heavy-weapons",
                   "ballistic missiles")
    other = _deed("b", statement, event_type, mode, "ballistic missiles")
    assert len(cluster_claims([fired, other], actors=_countries(RUSSIA_UKRAINE, "a", "b"))) == 2


def _cut(article: str, statement: str, event_type: str, theme: str, value: float) -> ClaimMention:
    quantity = {"text": "million barrels", "value": value, "unit": "million barrels"}
    return _coded(article, statement, RUSSIA_UKRAINE, target=None, event_type=event_type,
                  theme=theme, quantity=quantity)


def test_a_commitment_to_a_deed_and_the_deed_join_when_both_state_one_quantity() -> None:
    agreed = _cut("a", "Russia agreed to cut oil production by 2 million barrels.", "AGREE",
                  "oil production", 2)
    reduced = _cut("b", "Russia will reduce output by 2 million barrels.", "OTHER", "output", 2)
    clusters = cluster_claims([agreed, reduced], actors=_countries(RUSSIA_UKRAINE, "a", "b"))
    assert len(clusters) == 1
    assert any("deeds of one act: both state 2e+06 barrel" in e.detail
               for e in clusters[0].merges[0].evidence)  # fmt: skip
    other = _cut("b", "Russia will reduce output by 1 million barrels.", "OTHER", "output", 1)
    assert len(cluster_claims([agreed, other], actors=_countries(RUSSIA_UKRAINE, "a", "b"))) == 2


@pytest.mark.parametrize(
    ("statement", "event_type"),
    [
        pytest.param("Russia threatened to cut oil production by 2 million barrels.", "THREATEN",
                     id="a-threat-is-no-commitment"),
        pytest.param("Russia scrapped its cut of oil production by 2 million barrels.", "RETREAT",
                     id="cooperation-is-no-conflict"),
    ],
)  # fmt: skip
def test_one_quantity_joins_no_threat_and_no_type_of_the_other_side(
    statement: str, event_type: str
) -> None:
    imposed = _cut("a", "Russia imposed a cut of oil production by 2 million barrels.",
                   "SANCTION", "oil production", 2)
    other = _cut("b", statement, event_type, "oil production", 2)
    assert len(cluster_claims([imposed, other], actors=_countries(RUSSIA_UKRAINE, "a", "b"))) == 2


def test_themes_that_print_what_a_shared_quantity_counts_agree() -> None:
    def swap(statement: str, event_type: str, theme: str) -> Any:
        quantity = {"text": "230 prisoners", "value": 230, "unit": "prisoners"}
        return EventReader().read(_coded("t", statement, RUSSIA_UKRAINE, event_type=event_type,
                                         theme=theme, quantity=quantity))  # fmt: skip

    freed = swap("Russia freed 230 prisoners of war.", "RETREAT", "prisoners of war")
    exchange = swap("Russia carried out a prisoner exchange of 230 prisoners.", "COOPERATE",
                    "prisoner exchange")
    verdict = compare_events(freed, exchange)
    assert verdict.same and "what the quantity both state counts" in verdict.reason


def _talks(article: str, statement: str, source: str, target: str, mode: str | None = None,
           theme: str | None = None, polarity: str = "affirmed") -> ClaimMention:  # fmt: skip
    return _coded(article, statement, RUSSIA_UKRAINE, source=source, target=target,
                  event_type="CONSULT", mode=mode, theme=theme, polarity=polarity)


@pytest.mark.parametrize(
    ("other", "clusters"),
    [
        pytest.param(_talks("b", "Ukraine held talks with Russia.", "Ukraine", "Russia", "visit",
                            "talks"), 1, id="talks-coded-from-the-other-side"),
        pytest.param(_talks("b", "Ukraine and Russia met.", "Ukraine", "Russia"), 1,
                     id="a-meeting-coded-from-the-other-side"),
        pytest.param(_talks("b", "Ukraine denied holding talks with Russia.", "Ukraine",
                            "Russia", theme="talks", polarity="denied"), 2, id="a-denial"),
        pytest.param(_talks("b", "Ukraine held talks on grain with Russia.", "Ukraine", "Russia",
                            theme="talks on grain"), 2, id="talks-on-a-theme-the-other-lacks"),
        pytest.param(_coded("b", "Ukraine agreed to a deal with Russia.", RUSSIA_UKRAINE,
                            source="Ukraine", target="Russia", theme="deal"), 2,
                     id="another-type"),
    ],
)  # fmt: skip
def test_talks_are_one_act_of_both_parties_coded_from_either_side(
    other: ClaimMention, clusters: int
) -> None:
    met = _talks("a", "Russia met Ukraine.", "Russia", "Ukraine")
    found = cluster_claims([met, other], actors=_countries(RUSSIA_UKRAINE, "a", "b"))
    assert len(found) == clusters
    if clusters == 1:
        assert any("an act of both" in e.detail for e in found[0].merges[0].evidence)


def test_a_visit_and_the_visit_the_other_way_round_stay_apart() -> None:
    there = _talks("a", "Russia visited Ukraine.", "Russia", "Ukraine", "visit")
    back = _talks("b", "Ukraine visited Russia.", "Ukraine", "Russia", "visit")
    assert len(cluster_claims([there, back], actors=_countries(RUSSIA_UKRAINE, "a", "b"))) == 2


def _restricted(statement: str, theme: str) -> Any:
    return EventReader().read(_coded("t", statement, RUSSIA_UKRAINE, event_type="SANCTION",
                                     mode="discontinue", theme=theme))  # fmt: skip


@pytest.mark.parametrize(
    ("statement", "theme", "same"),
    [
        pytest.param("Russia imposed curbs on gallium exports to Ukraine.",
                     "curbs on gallium exports", True, id="curbs-on-x-exports"),
        pytest.param("Russia tightened restrictions on exports of gallium to Ukraine.",
                     "restrictions on exports of gallium", True, id="restrictions-on-exports-of-x"),
        pytest.param("Russia imposed curbs on gallium imports from Ukraine.",
                     "curbs on gallium imports", False, id="imports-are-no-exports"),
    ],
)  # fmt: skip
def test_a_noun_of_restricting_is_no_theme_of_its_own(
    statement: str, theme: str, same: bool
) -> None:
    controls = _restricted("Russia imposed export controls on gallium to Ukraine.",
                           "export controls on gallium")
    assert compare_events(controls, _restricted(statement, theme)).same is same


def _fined(article: str, statement: str, source: str) -> ClaimMention:
    coded = {"source": source, "target": "Apple", "event_type": "SANCTION", "mode": None,
             "theme": "fine", "quantity": None, "polarity": "affirmed", "modality": "asserted",
             "when": None}  # fmt: skip
    ids = {source: f"{article}/a1", "Apple": f"{article}/a2"}
    return ClaimMention(article_id=article, asserted_by=None, statement=statement,
                        event=event_of(article, statement, coded, ids))


def _bodies(*pairs: tuple[str, str]) -> list[Any]:
    return reconcile_actors([
        mention for article, name in pairs for mention in (
            ActorMention(article_id=article, name=name, kind=ActorKind.ORGANIZATION,
                         local_id=f"{article}/a1"),
            ActorMention(article_id=article, name="Apple", kind=ActorKind.ORGANIZATION,
                         local_id=f"{article}/a2"),
        )
    ])  # fmt: skip


@pytest.mark.parametrize(
    ("whole", "organ", "clusters"),
    [
        pytest.param("European Union", "European Commission", 1, id="an-organ-and-its-whole"),
        pytest.param("European Parliament", "European Commission", 2, id="two-organs"),
        pytest.param("United Nations", "European Commission", 2, id="another-whole"),
    ],
)
def test_an_organ_acts_for_its_whole_but_not_for_another_organ(
    whole: str, organ: str, clusters: int
) -> None:
    claims = [_fined("a", f"The {whole} imposed a fine on Apple.", whole),
              _fined("b", f"The {organ} imposed a fine on Apple.", organ)]  # fmt: skip
    found = cluster_claims(claims, actors=_bodies(("a", whole), ("b", organ)))
    assert len(found) == clusters
    if clusters == 1:
        assert any("organ of the other" in e.detail for e in found[0].merges[0].evidence)


@pytest.mark.parametrize(
    ("statement", "theme", "value", "clusters"),
    [
        pytest.param("Russia slashed its output target by 2 million barrels.", "output target",
                     2, 1, id="kin-words-beside-one-quantity"),
        pytest.param("Russia slashed its output target by 1 million barrels.", "output target",
                     1, 2, id="another-number"),
        pytest.param("Russia slashed its grain exports by 2 million barrels.", "grain exports",
                     2, 2, id="no-kin-word"),
        pytest.param("Russia slashed oil exports by 2 million barrels.", "oil exports",
                     2, 2, id="a-word-both-print-is-no-kin"),
    ],
)  # fmt: skip
def test_themes_agree_on_any_two_kin_words_beside_one_quantity(
    statement: str, theme: str, value: float, clusters: int
) -> None:
    agreed = _cut("a", "Russia agreed to cut oil production by 2 million barrels.", "AGREE",
                  "oil production", 2)
    other = _cut("b", statement, "OTHER", theme, value)
    found = cluster_claims([agreed, other], actors=_countries(RUSSIA_UKRAINE, "a", "b"))
    assert len(found) == clusters
    if clusters == 1:
        assert any("beside one quantity" in e.detail for e in found[0].merges[0].evidence)


@pytest.mark.parametrize(
    ("statement", "event_type", "mode", "theme", "clusters"),
    [
        pytest.param("Russia tightened curbs on exports of gallium to Ukraine.", "SANCTION",
                     "discontinue", "curbs on exports of gallium", 1, id="curbs-and-curbed"),
        pytest.param("Russia set tighter controls on exports of gallium to Ukraine.", "SANCTION",
                     "discontinue", "controls on exports of gallium", 1, id="controls-and-curbed"),
        pytest.param("Russia halted exports of gallium to Ukraine.", "SANCTION", "discontinue",
                     "exports of gallium", 2, id="no-restriction-printed"),
        pytest.param("Russia threatened curbs on exports of gallium to Ukraine.", "THREATEN",
                     None, "curbs on exports of gallium", 2, id="a-threat-is-no-deed"),
    ],
)  # fmt: skip
def test_deeds_of_neighbouring_types_join_where_both_statements_print_a_restriction(
    statement: str, event_type: str, mode: str | None, theme: str, clusters: int
) -> None:
    curbed = _deed("a", "Russia curbed exports of gallium to Ukraine.", "COERCE", "restrict",
                   "exports of gallium")
    other = _deed("b", statement, event_type, mode, theme)
    found = cluster_claims([curbed, other], actors=_countries(RUSSIA_UKRAINE, "a", "b"))
    assert len(found) == clusters
    if clusters == 1:
        assert any("both print a restriction" in e.detail for e in found[0].merges[0].evidence)


def test_a_shared_quantity_relaxes_the_themes_beside_a_statement_witness_too() -> None:
    """'will reduce' / 'cut' print one act, and both state 2 million barrels: kin themes ('oil
    production' / 'output') then agree, as they do beside the quantity alone."""
    reduce = _cut("a", "Russia will reduce oil production by 2 million barrels.", "AGREE",
                  "oil production", 2)
    cut = _cut("b", "Russia cut output by 2 million barrels.", "OTHER", "output", 2)
    found = cluster_claims([reduce, cut], actors=_countries(RUSSIA_UKRAINE, "a", "b"))
    assert len(found) == 1
    assert any("share a WordNet sense" in e.detail for e in found[0].merges[0].evidence)


def _sent(article: str, statement: str, theme: str | None, value: float | None = 400, *,
          source: str = "Russia", event_type: str = "AID", polarity: str = "affirmed",
          modality: str = "asserted") -> ClaimMention:  # fmt: skip
    target = "Ukraine" if source == "Russia" else "Russia"
    quantity = None if value is None else {"text": f"{value:g}", "value": value, "unit": None}
    return _coded(article, statement, RUSSIA_UKRAINE, source=source, target=target,
                  event_type=event_type, theme=theme, quantity=quantity, polarity=polarity,
                  modality=modality)


@pytest.mark.parametrize(
    ("other", "clusters"),
    [
        pytest.param(_sent("b", "Russia sent 400 missiles to Ukraine.", None), 1,
                     id="theme-left-out-same-words"),
        pytest.param(_sent("b", "Russia has sent 400 missiles to Ukraine.", None), 1,
                     id="theme-left-out-other-words"),
        pytest.param(_sent("b", "Russia sent 400 grenades to Ukraine.", None), 2,
                     id="theme-left-out-another-object"),
        pytest.param(_sent("b", "Russia has sent missiles to Ukraine.", None, None), 1,
                     id="theme-left-out-no-quantity"),
        pytest.param(_sent("b", "Russia has sent grenades to Ukraine.", None, None), 2,
                     id="theme-left-out-no-quantity-another-object"),
        pytest.param(_sent("b", "Ukraine sent 400 missiles to Russia.", None, source="Ukraine"), 2,
                     id="theme-left-out-reversed-direction"),
        pytest.param(_sent("b", "Russia sent 500 missiles to Ukraine.", None, 500), 2,
                     id="theme-left-out-another-number"),
        pytest.param(_sent("b", "Russia may send 400 missiles to Ukraine.", None,
                           modality="hedged"), 2, id="theme-left-out-a-hedge"),
        pytest.param(_sent("b", "Russia denied sending 400 missiles to Ukraine.", None,
                           polarity="denied"), 2, id="theme-left-out-a-denial"),
        pytest.param(_sent("b", "Russia seized 400 missiles from Ukraine.", None,
                           event_type="SEIZE"), 2, id="theme-left-out-the-opposite-act"),
    ],
)  # fmt: skip
def test_a_theme_one_coding_leaves_out_is_unknown_when_the_statements_agree(
    other: ClaimMention, clusters: int
) -> None:
    """A theme the model left out is no disagreement, but the statements must print one
    proposition: the other object, the other number, direction, hedge, denial or act stay apart."""
    themed = _sent("a", "Russia sent 400 missiles to Ukraine.", "missiles")
    found = cluster_claims([themed, other], actors=_countries(RUSSIA_UKRAINE, "a", "b"))
    assert len(found) == clusters
    if clusters == 1 and other.statement != themed.statement:
        assert any("the other coding names none" in e.detail
                   for e in found[0].merges[0].evidence)  # fmt: skip

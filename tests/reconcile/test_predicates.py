"""The statement-only predicate reader: news verbs read as acts through the WordNet lexicon.

The statements here are written for these tests (not taken from an evaluation set). Each case
checks one rule that could break: support verbs lend their object's act, verbs that share a
WordNet sense are one act, and a verb that ends an act never joins the act it ends.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from pipeline.reconcile.actors import reconcile_actors
from pipeline.reconcile.claims import ClaimReader, cluster_claims
from pipeline.reconcile.knowledge import (
    default_knowledge_index,
    load_claim_vocabulary,
    load_inflections,
)
from pipeline.reconcile.predicates import PREDICATES_FILE, default_lexicon
from schemas.extraction import ActorKind
from schemas.mentions import ActorMention, ClaimMention

GLOSSES = Path(__file__).resolve().parents[2] / "scripts" / "plover_glosses.toml"


def _clusters(*statements: str) -> list[set[str]]:
    claims = [
        ClaimMention(article_id=f"a{n}", asserted_by=None, statement=s)
        for n, s in enumerate(statements)
    ]
    return [{m.statement for m in c.mentions} for c in cluster_claims(claims)]


def test_support_verbs_lend_the_act_of_their_object() -> None:
    slapped = "Canada slapped new sanctions on Venezuela."
    imposed = "Canada imposed sanctions on Venezuela."
    adopted = "Canada adopted a package of sanctions against Venezuela."
    lifted = "Canada lifted its sanctions on Venezuela."
    clusters = _clusters(slapped, imposed, adopted, lifted)
    assert {slapped, imposed, adopted} in clusters
    assert {lifted} in clusters


def test_a_verb_that_ends_an_act_never_joins_it() -> None:
    banned = "Kenya banned imports of Ugandan sugar."
    lifted = "Kenya lifted its ban on Ugandan sugar imports."
    imposed = "Kenya imposed a ban on sugar imports from Uganda."
    clusters = _clusters(banned, lifted, imposed)
    assert {lifted} in clusters
    assert not any(banned in c and lifted in c for c in clusters)


def test_verbs_of_one_wordnet_sense_are_one_act_but_numbers_and_opposites_differ() -> None:
    cut = "Nigeria cut petrol subsidies by 40 percent."
    reduced = "Nigeria reduced subsidies on petrol by 40 percent."
    other = "Nigeria cut petrol subsidies by 15 percent."
    raised = "Nigeria raised petrol subsidies by 40 percent."  # most words shared: not the act
    clusters = _clusters(cut, reduced, other, raised)
    assert {cut, reduced} in clusters
    assert {other} in clusters
    assert {raised} in clusters


def test_another_agent_and_a_reversed_direction_stay_apart() -> None:
    first = "Chile expelled a Peruvian diplomat."
    second = "Santiago expelled a diplomat from Peru."
    reversed_ = "Peru expelled a Chilean diplomat."
    clusters = _clusters(first, second, reversed_)
    assert {reversed_} in clusters
    assert not any(first in c and reversed_ in c for c in clusters)


@pytest.mark.parametrize(
    ("form", "lemma", "plover"),
    [("expelled", "expel", "SANCTION"), ("bombed", "bomb", "ASSAULT"),
     ("tariffs", "tariff", None), ("shut", "shut", None)],
)  # fmt: skip
def test_forms_reach_their_verb_and_its_plover_type(
    form: str, lemma: str, plover: str | None
) -> None:
    verb = default_lexicon().verb(form)
    assert verb is not None and verb.lemma == lemma and verb.plover == plover


def test_every_anchor_is_a_word_of_its_type_s_gloss() -> None:
    """The lexicon's types are anchored on the codebook glosses, never typed by hand."""
    document = json.loads(PREDICATES_FILE.read_text(encoding="utf-8"))
    glosses = tomllib.loads(GLOSSES.read_text(encoding="utf-8"))["types"]
    assert "WordNet 3.0" in document["source"] and GLOSSES.name in document["source"]
    for name, anchors in document["anchors"].items():
        gloss = glosses[name]["definition"].lower().replace("ise", "ize")
        for anchor in anchors:
            assert anchor.replace("_", " ").replace("ise", "ize") in gloss, (name, anchor)
    typed = {e["type"] for e in document["verbs"].values() if "type" in e}
    assert typed <= set(glosses)


def test_a_name_the_article_lists_as_an_actor_stands_for_that_actor() -> None:
    """'Brussels' printed as an organisation is the EU in its own article, Belgium elsewhere."""
    listed = [("a1", "Brussels", ActorKind.ORGANIZATION), ("a2", "European Union",
              ActorKind.ORGANIZATION), ("a3", "Brussels", ActorKind.COUNTRY)]  # fmt: skip
    actors = reconcile_actors(
        [ActorMention(article_id=a, name=n, kind=k, local_id=f"{a}/1") for a, n, k in listed]
    )
    statements = {"a1": "Brussels imposed sanctions on Belarus.",
                  "a2": "The European Union imposed sanctions on Belarus.",
                  "a3": "Brussels imposed new sanctions on Belarus."}  # fmt: skip
    claims = [ClaimMention(article_id=a, asserted_by=None, statement=s)
              for a, s in statements.items()]  # fmt: skip
    clusters = [{m.article_id for m in c.mentions} for c in cluster_claims(claims, actors=actors)]
    assert {"a1", "a2"} in clusters
    assert {"a3"} in clusters


def test_objects_that_are_wordnet_synonyms_are_one_object() -> None:
    truce = "Armenia agreed to a truce with Azerbaijan."
    ceasefire = "Armenia agreed to a ceasefire with Azerbaijan."
    factory = "Armenia agreed to a factory with Azerbaijan."
    clusters = _clusters(truce, ceasefire, factory)
    assert {truce, ceasefire} in clusters
    assert {factory} in clusters


def test_a_form_of_another_verb_is_no_vocabulary_word_whose_stem_it_shares() -> None:
    """'treated' stems like 'treaty' (an 'agree' word) but is a form of 'treat'."""
    reader = ClaimReader(load_claim_vocabulary(), default_knowledge_index(),
                         inflections=load_inflections(), lexicon=default_lexicon())  # fmt: skip
    treated = reader.read("Egypt treated wounded soldiers.")
    assert treated.predicate != "agree"
    assert treated.act is not None and treated.act.verb.lemma == "treat"
    assert reader.read("Egypt signed a treaty with Sudan.").predicate == "agree"


def test_a_vocabulary_word_can_be_the_object_whatever_precedes_the_predicate() -> None:
    """'fuel' is a vocabulary word ('fuel' a war) and the object of 'supplied': with or without
    'has' before the predicate, the two printings read alike (found by bench_syndicated)."""
    perfect = "Norway has supplied 7,100 fuel to Chad near Abeche."
    simple = "Norway supplied 7,100 fuel to Chad."
    other = "Norway supplied 900 fuel to Chad."
    clusters = _clusters(perfect, simple, other)
    assert {perfect, simple} in clusters
    assert {other} in clusters


def test_a_count_with_a_thousands_separator_is_no_year() -> None:
    many = "Norway supplied 1,920 cruise missiles to Chad."
    few = "Norway supplied 44 cruise missiles to Chad."
    assert {many} in _clusters(many, few)


def test_a_participle_after_the_object_states_its_own_act_on_it() -> None:
    refined = "Nigeria has refined crude to 95 percent purity."
    producing = "Nigeria is producing crude refined up to 95 percent."
    other = "Nigeria is producing crude refined up to 80 percent."
    launched = "Kenya shot down drones launched by Somalia."
    clusters = _clusters(refined, producing, other, launched)
    assert {refined, producing} in clusters
    assert {other} in clusters and {launched} in clusters


def test_beginning_an_act_joins_it_and_stopping_it_does_not() -> None:
    began = "Ghana began dumping treated sludge into the Volta."
    dumped = "Ghana dumped treated sludge into the Volta."
    stopped = "Ghana stopped dumping treated sludge into the Volta."
    clusters = _clusters(began, dumped, stopped)
    assert {began, dumped} in clusters
    assert {stopped} in clusters


def test_a_support_verb_s_agent_stands_before_the_verb_not_its_object() -> None:
    reader = ClaimReader(load_claim_vocabulary(), default_knowledge_index(),
                         inflections=load_inflections(), lexicon=default_lexicon())  # fmt: skip
    accepted = reader.read("Ghana accepted Mali's bid for membership.")
    assert accepted.act is not None and accepted.act.verb.lemma == "accept"
    assert accepted.agent == "ghana"


def test_a_verb_and_its_particle_are_the_phrasal_verb_wordnet_lists() -> None:
    pulled = "Peru pulled out of the fishing pact."
    quit_ = "Peru quit the fishing pact."
    pulled_back = "Peru pulled back its fishing fleet."
    clusters = _clusters(pulled, quit_, pulled_back)
    assert {pulled, quit_} in clusters
    assert {pulled_back} in clusters
    reader = ClaimReader(load_claim_vocabulary(), default_knowledge_index(),
                         inflections=load_inflections(), lexicon=default_lexicon())  # fmt: skip
    act = reader.read(pulled).act
    assert act is not None and act.verb.lemma == "pull_out" and act.printed == "pulled out"


def test_a_passive_names_its_agent_after_by_and_what_is_acted_on_before_the_verb() -> None:
    active = "The EU sanctioned Belarus."
    passive = "Belarus was sanctioned by the EU."
    nominal = "Sanctions were imposed on Belarus by the EU."
    reversed_ = "The EU was sanctioned by Belarus."
    other = "Belarus sanctioned the EU."
    assert sorted(map(sorted, _clusters(active, passive, nominal, reversed_, other))) == sorted(
        map(sorted, [{active, passive, nominal}, {reversed_, other}])
    )
    banned = "Kenya banned Ugandan sugar."
    banned_by = "Ugandan sugar was banned by Kenya."  # 'sugar' before 'was' is no verb
    not_banned = "Ugandan sugar was not banned by Kenya."
    clusters = _clusters(banned, banned_by, not_banned)
    assert {banned, banned_by} in clusters and {not_banned} in clusters


def test_a_support_verb_s_object_ends_before_what_it_is_of() -> None:
    tested = "Pakistan tested a cruise missile."
    carried_out = "Pakistan carried out a test of a cruise missile."
    launched = "Pakistan carried out a launch of a cruise missile."
    clusters = _clusters(tested, carried_out, launched)
    assert {tested, carried_out} in clusters
    assert {launched} in clusters

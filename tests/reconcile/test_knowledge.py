"""The versioned data files of reconciliation load, and a typo in one fails loudly."""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

import duckdb
import pytest
from splink import DuckDBAPI, Linker

from pipeline.errors import NewsExtractError, ReconcileError
from pipeline.reconcile.knowledge import (
    ALIASES_FILE,
    CLAIMS_FILE,
    LINKAGE_FILE,
    Resolution,
    default_knowledge_index,
    load_claim_vocabulary,
    load_government_words,
    load_knowledge,
    load_linkage_settings,
    load_splink_settings,
)
from schemas.extraction import ActorKind
from scripts.knowledge.governments import GOVERNMENT, government_words

SMALL_ALIASES = """
version = 1

[[entity]]
key = "north-korea"
name = "North Korea"
kind = "country"
aliases = ["DPRK"]
capitals = ["Pyongyang"]

[[role]]
key = "president"
phrases = ["president"]
head = "president"

[names]
title_words = []
function_words = ["the"]
honorifics = []
role_modifiers = []
family_name_first = []
"""


def test_the_installed_files_load() -> None:
    knowledge = load_knowledge()
    assert knowledge.version == 1
    assert any(entity.key == "north-korea" for entity in knowledge.entity)
    assert load_claim_vocabulary().predicate
    linkage = load_linkage_settings()
    assert load_splink_settings(linkage)["comparisons"]


def test_the_files_ship_inside_the_package() -> None:
    """hatchling puts the pipeline folder in the wheel wholesale: the files must live in it."""
    package = Path(__file__).resolve().parents[2] / "pipeline"
    for path in (ALIASES_FILE, CLAIMS_FILE, LINKAGE_FILE):
        assert path.is_relative_to(package)
        assert re.fullmatch(r"\w+\.v\d+\.toml", path.name)


@pytest.mark.parametrize(
    ("edit", "complaint"),
    [
        pytest.param(("aliases = ", "alias = "), "alias", id="misspelt-field"),
        pytest.param(('kind = "country"', 'kind = "kountry"'), "kind", id="unknown-kind"),
        pytest.param(('key = "north-korea"', 'key = "North Korea"'), "key", id="key-not-a-slug"),
        pytest.param(('["DPRK"]', '["DPRK", "Pyongyang"]'), "more than one", id="alias-twice"),
        pytest.param(('kind = "country"', 'kind = "organization"'), "capitals",
                     id="capital-of-an-organization"),
        pytest.param(('aliases = ["DPRK"]', 'aliases = ["DPRK", " "]'), "blank", id="blank-alias"),
        pytest.param(("[names]", "[name]"), "names", id="misspelt-table"),
        pytest.param(('name = "North Korea"', 'name = "North Korea'), "TOML", id="bad-toml"),
    ],
)  # fmt: skip
def test_a_typo_in_the_aliases_file_fails_loudly(
    tmp_path: Path, edit: tuple[str, str], complaint: str
) -> None:
    assert edit[0] in SMALL_ALIASES
    path = tmp_path / "aliases.v1.toml"
    path.write_text(SMALL_ALIASES.replace(edit[0], edit[1], 1))
    with pytest.raises(ReconcileError) as caught:
        load_knowledge(path)
    assert isinstance(caught.value, NewsExtractError)
    assert caught.value.path == path
    assert str(path) in str(caught.value)
    assert complaint in str(caught.value)


def test_the_small_aliases_file_is_valid_as_written(tmp_path: Path) -> None:
    path = tmp_path / "aliases.v1.toml"
    path.write_text(SMALL_ALIASES)
    assert load_knowledge(path).entity[0].capitals == ["Pyongyang"]


def test_claims_keys_written_below_a_predicate_table_fail_loudly(tmp_path: Path) -> None:
    """In TOML, keys after ``[[predicate]]`` belong to that predicate: a classic slip."""
    path = tmp_path / "claims.v1.toml"
    path.write_text(
        'version = 1\n[[predicate]]\nkey = "supply"\nwords = ["supply"]\n'
        'hedges = ["may"]\nnegations = ["not"]\nstopwords = ["the"]\n'
    )
    with pytest.raises(ReconcileError, match="hedges"):
        load_claim_vocabulary(path)


def test_a_missing_file_names_itself(tmp_path: Path) -> None:
    with pytest.raises(ReconcileError, match="cannot read"):
        load_linkage_settings(tmp_path / "linkage.v9.toml")


def test_every_splink_level_has_hand_set_weights_so_no_training_is_needed() -> None:
    settings = load_splink_settings(load_linkage_settings())
    for comparison in settings["comparisons"]:
        levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
        assert levels[-1]["sql_condition"] == "ELSE"
        for level in levels:
            assert 0 < level["m_probability"] <= 1 and 0 < level["u_probability"] <= 1
        assert sum(lv["m_probability"] for lv in levels) == pytest.approx(1.0, abs=1e-6)
        assert sum(lv["u_probability"] for lv in levels) == pytest.approx(1.0, abs=1e-6)


def test_splink_accepts_the_settings_file_without_complaint(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Splink's own validation (off in the hot path) finds every column and level well formed."""
    settings = load_splink_settings(load_linkage_settings())
    columns = {
        "record_id": [1, 2], "kind_class": ["person"] * 2, "compact": ["ab", "ac"],
        "tokens_sorted": ["a b", "a c"], "surname": ["b", "c"], "given": ["a", "a"],
        "initials": ["a", "a"], "given_is_initials": [True, True], "block_a": [None, None],
        "block_b": [None, None], "acronym_key": [None, None], "is_acronym": [False, False],
        "common_surname": [False, False],
        "entity": [None, None], "role": [None, None], "suffix": [None, None],
        "surname_core": ["b", "c"], "surname_metaphone": ["B", "K"], "surname_nysiis": ["B", "C"],
        "given_sound": ["A", "A"], "block_sound": ["A|B", "A|K"], "block_sound_b": ["A|B", "A|C"],
        "given_key": ["a", "a"], "surname_key": ["b", "2"],
        "org_form": [None, None], "org_bare": [None, None], "org_qualified": [False, False],
        "block_company": [None, None], "company_head": [None, None], "org_core": [None, None],
    }  # fmt: skip
    db_api = DuckDBAPI(duckdb.connect(":memory:"))
    with caplog.at_level(logging.WARNING):
        Linker(db_api.register(columns), settings, log_level=None, validate_settings=True)
    db_api.duckdb_con.close()
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_splink_is_spared_only_when_no_blocking_rule_can_pair_two_records() -> None:
    from pipeline.reconcile.linkage import _any_pair_blocked

    settings = load_splink_settings(load_linkage_settings())
    base: dict[str, list[Any]] = {
        "kind_class": ["person", "person"], "surname": ["wood", "good"], "block_a": [None, None],
        "block_b": [None, None], "tokens_sorted": ["a wood", "b good"],
        "acronym_key": [None, None], "block_sound": [None, None], "block_sound_b": [None, None],
        "org_bare": [None, None], "block_company": [None, None], "org_core": [None, None],
    }  # fmt: skip
    assert not _any_pair_blocked(base, settings)
    assert _any_pair_blocked({**base, "surname": ["wood", "wood"]}, settings)
    assert not _any_pair_blocked({**base, "kind_class": ["person", "named"],
                                  "surname": ["wood", "wood"]}, settings)  # fmt: skip
    custom = {"blocking_rules_to_generate_predictions": [{"blocking_rule": "l.x < r.x"}]}
    assert _any_pair_blocked(base, custom)  # not plain equalities: only Splink can tell


def test_a_released_linkage_file_still_loads_after_a_new_version() -> None:
    """v2 drops v1's posting cut-off; a v1 file still loads (its cut-off unused), with v2's
    new bounds at their first values."""
    old = load_linkage_settings(LINKAGE_FILE.with_name("linkage.v1.toml"))
    new = load_linkage_settings()
    assert (old.version, new.version) == (1, 5)
    assert old.quotes.max_shingle_postings == 200 and new.quotes.max_shingle_postings is None
    assert old.quotes.rare_shingles == new.quotes.rare_shingles


def test_a_states_government_printed_as_a_state_stands_for_it_and_only_so() -> None:
    index = default_knowledge_index()
    found = index.stands_for("nigerian government", ActorKind.COUNTRY)
    assert found is not None and found.entity.key == "nigeria"
    assert found.resolution is Resolution.GOVERNMENT
    assert index.stands_for("nigerian government", ActorKind.ORGANIZATION) is None
    assert index.stands_for("nigerian football authorities", ActorKind.COUNTRY) is None


def test_government_words_are_the_lemmas_of_wordnets_government_synset(tmp_path: Path) -> None:
    data_noun = tmp_path / "data.noun"
    data_noun.write_text(
        "08050385 14 n 01 polity 0 000 | a politically organized unit\n"
        f"{GOVERNMENT} 14 n 03 government 0 authorities 0 regime 0 000 | the governing body\n",
        encoding="utf-8",
    )
    assert government_words(data_noun) == ["authorities", "government", "regime"]
    assert load_government_words() <= {"authorities", "government", "regime"}

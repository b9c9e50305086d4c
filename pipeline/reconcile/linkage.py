"""Score pairs of distinct actor names with Splink, under hand-set weights from a versioned file.

Records are distinct read names, not mentions: a million mentions of a few hundred thousand
names cost a few hundred thousand records. Splink generates candidate pairs with the file's
blocking rules (equal surname, equal given names with the surname's first or last three letters,
equal initials...), so the cost grows with the blocks, never with all pairs, and scores each pair
with Fellegi-Sunter weights: each comparison level's match weight is evidence a reader can check.
DuckDB runs in process; Splink's Spark backend takes the same settings file past one machine.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import duckdb
import jellyfish
import pyarrow as pa  # type: ignore[import-untyped]  # ships no type stubs
from splink import DuckDBAPI, Linker
from splink.internals.database_api import DatabaseAPI

from pipeline.errors import ReconcileError
from pipeline.reconcile.names import ActorName, KindClass, surname_core, transliteration_key

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class NameRecord:
    """One distinct name to score; ``anchor`` is a mention that prints it."""

    record_id: int
    name: ActorName
    role: str | None
    anchor: int


@dataclass(frozen=True)
class LevelOutcome:
    comparison: str  # 'name', 'role'
    label: str  # the level that fired: 'same surname, initials agree'
    weight: float  # its match weight in bits


@dataclass(frozen=True)
class ScoredPair:
    left: int  # record ids
    right: int
    match_weight: float
    match_probability: float
    levels: tuple[LevelOutcome, ...]


def _sounds(text: str) -> tuple[str, str]:
    """Metaphone and NYSIIS codes (jellyfish): 'Gaddafi' and 'Qaddafi' share the first,
    'Gaddafi' and 'Gadhafi' the second."""
    return jellyfish.metaphone(text), jellyfish.nysiis(text)


def _row(record: NameRecord, common_family_names: frozenset[str]) -> dict[str, Any]:
    name = record.name
    tokens = name.tokens
    given = " ".join(name.given) or None
    organisation = name.organisation
    person_columns: dict[str, Any] = dict.fromkeys(
        ("suffix", "surname_core", "surname_metaphone", "surname_nysiis", "given_sound",
         "block_sound", "block_sound_b", "given_key", "surname_key"),
    )  # fmt: skip
    if name.kind_class is KindClass.PERSON:
        surname = name.surname
        block_a = f"{given}|{surname[:3]}" if given and surname else None
        block_b = f"{given}|{surname[-3:]}" if given and surname else None
        acronym_key = None
        common_surname = surname in common_family_names
        if surname:
            core = surname_core(surname)
            metaphone, nysiis = _sounds(core)
            given_sound = " ".join(jellyfish.metaphone(g) for g in name.given) or None
            person_columns = {
                "suffix": name.suffix,
                "surname_core": core,
                "surname_metaphone": metaphone or None,
                "surname_nysiis": nysiis or None,
                "given_sound": given_sound,
                "block_sound": f"{given_sound}|{metaphone}" if given_sound else None,
                "block_sound_b": f"{given_sound}|{nysiis}" if given_sound else None,
                # 'Jomart'/'Zhomart', 'Japarov'/'Zhaparov': see names.transliteration_key.
                "given_key": " ".join(transliteration_key(g) for g in name.given) or None,
                "surname_key": transliteration_key(core) or None,
            }
    else:
        surname = None
        if len(tokens) > 1:
            block_a = f"{tokens[0]}|{tokens[-1][:3]}"
            block_b = f"{tokens[0][:2]}|{tokens[-1]}"
        else:
            compact = name.compact
            block_a, block_b = compact[:4] or None, compact[-4:] or None
        acronym_key = name.compact if name.is_acronym else name.acronym
        common_surname = False
    return {
        "record_id": record.record_id,
        "kind_class": str(name.kind_class),
        "compact": name.compact,
        "tokens_sorted": " ".join(sorted(tokens)),
        "surname": surname,
        "given": given,
        "initials": "".join(t[0] for t in name.given) or None,
        "given_is_initials": name.given_is_initials,
        "block_a": block_a,
        "block_b": block_b,
        "acronym_key": acronym_key,
        "is_acronym": name.is_acronym,
        "common_surname": common_surname,
        "entity": name.entity.key
        if name.entity
        else (f"elsewhere:{name.elsewhere_of}" if name.elsewhere_of else None),
        "role": record.role,
        **person_columns,
        "org_form": organisation.form if organisation else None,
        "org_bare": organisation.bare if organisation else None,
        "org_qualified": bool(organisation and organisation.qualifier),
        # A company's short form meets its full name: 'Toyota' and 'Toyota Motor Corp.'.
        "block_company": (organisation.company_head or (
            organisation.form if " " not in organisation.form else None
        )) if organisation else None,
        "company_head": organisation.company_head if organisation else None,
        # A name less its group words, or an acronym as printed: 'Rio Tinto Group' and 'Rio
        # Tinto', 'HSBC Holdings plc' and 'HSBC'.
        "org_core": (organisation.group_core or organisation.form) if organisation else (
            name.compact if name.is_acronym else None
        ),
    }


_SCHEMA = pa.schema(
    [
        ("record_id", pa.int64()),
        ("kind_class", pa.string()),
        ("compact", pa.string()),
        ("tokens_sorted", pa.string()),
        ("surname", pa.string()),
        ("given", pa.string()),
        ("initials", pa.string()),
        ("given_is_initials", pa.bool_()),
        ("block_a", pa.string()),
        ("block_b", pa.string()),
        ("acronym_key", pa.string()),
        ("is_acronym", pa.bool_()),
        ("common_surname", pa.bool_()),
        ("entity", pa.string()),
        ("role", pa.string()),
        ("suffix", pa.string()),
        ("surname_core", pa.string()),
        ("surname_metaphone", pa.string()),
        ("surname_nysiis", pa.string()),
        ("given_sound", pa.string()),
        ("block_sound", pa.string()),
        ("block_sound_b", pa.string()),
        ("given_key", pa.string()),
        ("surname_key", pa.string()),
        ("org_form", pa.string()),
        ("org_bare", pa.string()),
        ("org_qualified", pa.bool_()),
        ("block_company", pa.string()),
        ("company_head", pa.string()),
        ("org_core", pa.string()),
    ]
)


def _level_labels(settings: dict[str, Any]) -> dict[str, dict[int, str]]:
    """Splink numbers a comparison's levels from the top, counting down to 0; null is -1."""
    labels: dict[str, dict[int, str]] = {}
    for comparison in settings["comparisons"]:
        levels = comparison["comparison_levels"]
        counter = sum(1 for level in levels if not level.get("is_null_level")) - 1
        by_value: dict[int, str] = {}
        for level in levels:
            if level.get("is_null_level"):
                by_value[-1] = level["label_for_charts"]
            else:
                by_value[counter] = level["label_for_charts"]
                counter -= 1
        labels[comparison["output_column_name"]] = by_value
    return labels


def score_name_pairs(
    records: Sequence[NameRecord],
    splink_settings: dict[str, Any],
    *,
    threshold_match_probability: float,
    common_family_names: frozenset[str] = frozenset(),
    db_api: DatabaseAPI[Any] | None = None,
) -> list[ScoredPair]:
    """Every blocked pair of records scoring at or above the threshold.

    ``db_api`` is the Splink backend: a fresh in-memory DuckDB by default; pass a
    ``splink.SparkAPI`` to score on a cluster. A typo in the given names of a family name listed
    as common ('Kim Seo-ho', 'Kim Seo-yo') is not scored as one."""
    if len(records) < 2:
        return []
    columns: dict[str, list[Any]] = {field.name: [] for field in _SCHEMA}
    for record in records:
        for key, value in _row(record, common_family_names).items():
            columns[key].append(value)
    if not _any_pair_blocked(columns, splink_settings):
        return []  # Splink would generate no pair; spare it the set-up
    labels = _level_labels(splink_settings)
    own_connection = db_api is None
    backend = db_api if db_api is not None else DuckDBAPI(duckdb.connect(":memory:"))
    try:
        # Validation parses every SQL condition with sqlglot (a tenth of a second a call); the
        # settings file is validated once by its test instead.
        linker = Linker(
            backend.register(pa.table(columns, schema=_SCHEMA)),
            _portable(splink_settings),
            log_level=None,
            validate_settings=False,
        )
        predictions = linker.inference.predict(
            threshold_match_probability=threshold_match_probability, warning_mode="never"
        )
        rows = predictions.as_record_list()
        if not own_connection:
            predictions.drop_table_from_database_and_remove_from_cache()
    except (duckdb.Error, ValueError, KeyError) as exc:
        raise ReconcileError(
            f"Splink could not score actor names with these settings: {exc}"
        ) from exc
    finally:
        if isinstance(backend, DuckDBAPI) and own_connection:
            backend.duckdb_con.close()
    pairs = [
        ScoredPair(
            row["record_id_l"],
            row["record_id_r"],
            _finite(row["match_weight"]),
            float(row["match_probability"]),
            tuple(
                LevelOutcome(c, by_value.get(row[f"gamma_{c}"], "?"), _finite(row[f"mw_{c}"]))
                for c, by_value in labels.items()
            ),
        )
        for row in rows
    ]
    logger.debug("scored %s pairs over %s name records", len(pairs), len(records))
    return pairs


def _portable(settings: dict[str, Any]) -> dict[str, Any]:
    """The settings with no dialect on ``ELSE`` levels, which need no translation: Splink 5
    hands them to sqlglot when the backend is not DuckDB (Spark), and sqlglot cannot parse a
    bare ``ELSE``."""
    comparisons = [
        {
            **comparison,
            "comparison_levels": [
                {k: v for k, v in level.items() if k != "base_dialect_str"}
                if level.get("sql_condition", "").strip().upper() == "ELSE"
                else level
                for level in comparison["comparison_levels"]
            ],
        }
        for comparison in settings["comparisons"]
    ]
    return {**settings, "comparisons": comparisons}


_EQUALITY = re.compile(r"l\.(\w+)\s*=\s*r\.\1")


def _any_pair_blocked(columns: dict[str, list[Any]], settings: dict[str, Any]) -> bool:
    """Whether some blocking rule can pair two records; True whenever a rule is not a plain
    conjunction of column equalities, since then only Splink can tell."""
    for rule in settings["blocking_rules_to_generate_predictions"]:
        sql = rule["blocking_rule"] if isinstance(rule, dict) else str(rule)
        clauses = [c.strip() for c in re.split(r"\bAND\b", sql, flags=re.IGNORECASE)]
        names = [m.group(1) if (m := _EQUALITY.fullmatch(c)) else None for c in clauses]
        if any(name is None or name not in columns for name in names):
            return True
        seen: set[tuple[Any, ...]] = set()
        for row in zip(*(columns[name] for name in names if name is not None), strict=True):
            if None in row:
                continue
            if row in seen:
                return True
            seen.add(row)
    return False


def _finite(value: float | None) -> float:
    return 0.0 if value is None or math.isnan(value) else float(value)

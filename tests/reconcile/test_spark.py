"""Actor linkage on Splink's Spark backend (local[2]) gives what DuckDB gives.

Needs the ``spark`` extra and a Java runtime; skipped, with the command that installs the
missing one, where either is absent. CI installs both, so these run there.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator, Sequence
from typing import Any

import pytest

from pipeline.errors import ConfigurationError
from pipeline.reconcile import reconcile_actors
from pipeline.reconcile.spark import INSTALL_JAVA, INSTALL_PYSPARK, spark_missing, spark_session
from schemas.clusters import ActorCluster
from schemas.extraction import ActorKind
from schemas.mentions import ActorMention
from tests.reconcile.test_seeds import _hand_made_mentions

MISSING = spark_missing()
# The Python side talks to its own JVM over loopback (py4j); nothing else is let through.
pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1", "localhost"])


@pytest.fixture(scope="module")
def spark_api() -> Iterator[Any]:
    if MISSING:
        pytest.skip(f"Spark backend not tested: {MISSING}")
    from pipeline.reconcile.spark import spark_backend

    backend = spark_backend("local[2]")
    yield backend
    backend.spark.stop()


def _partition(clusters: Sequence[ActorCluster]) -> set[tuple[str, frozenset[str]]]:
    return {(c.actor_id, frozenset(m.key for m in c.mentions)) for c in clusters}


def _merges(clusters: Sequence[ActorCluster]) -> set[tuple[str, str, str, str, float | None]]:
    return {
        (
            c.actor_id,
            c.mentions[merge.mention].key,
            c.mentions[merge.anchor].key,
            str(merge.rule),
            None if merge.match_weight is None else round(merge.match_weight, 6),
        )
        for c in clusters
        for merge in c.merges
    }


def test_seed_actors_cluster_the_same_on_spark_as_on_duckdb(spark_api: Any) -> None:
    mentions, _ = _hand_made_mentions()
    on_duckdb = reconcile_actors(mentions)
    on_spark = reconcile_actors(mentions, splink_backend=spark_api)
    assert _partition(on_spark) == _partition(on_duckdb)
    assert _merges(on_spark) == _merges(on_duckdb)


# Names only Splink's comparisons can join or keep apart: typos, initials, a reordered name.
SCORED_NAMES = [
    ("a1", "Anthony Walsh"), ("a2", "Antony Walsh"),
    ("b1", "Margarethe Lindqvist"), ("b2", "Margarethe Lindquist"),
    ("c1", "Tomasz Wiśniewski"), ("c2", "T. Wiśniewski"),
    ("d1", "Oluwaseun Adeyemi"), ("d2", "Adeyemi Oluwaseun"),
    ("e1", "Hendrik Vandersloot"), ("e2", "Hendrik Vandersloat"),
    ("f1", "Walsh Anthony Group"),
    ("g1", "Anna Walsh"),
]  # fmt: skip


def test_scored_name_pairs_get_the_same_weights_on_spark_as_on_duckdb(spark_api: Any) -> None:
    mentions = [
        ActorMention(article_id=article, name=name, kind=ActorKind.PERSON)
        for article, name in SCORED_NAMES
    ]
    on_duckdb = reconcile_actors(mentions)
    on_spark = reconcile_actors(mentions, splink_backend=spark_api)
    # Same rules, same scores, Splink's match weights included: not merely the same partition.
    assert _merges(on_spark) == _merges(on_duckdb)
    scored = [m for c in on_spark for m in c.merges if m.match_weight is not None]
    assert len(scored) >= 3


def test_a_missing_pyspark_is_named_with_the_command_that_installs_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("importlib.util.find_spec", lambda name: None)
    assert spark_missing() == f"pyspark is not installed: {INSTALL_PYSPARK}"
    with pytest.raises(ConfigurationError, match=r"\.\[spark\]"):
        spark_session()


def test_a_missing_java_runtime_is_named_with_the_command_that_installs_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("importlib.util.find_spec", lambda name: object())
    monkeypatch.setattr(shutil, "which", lambda name: None)
    problem = spark_missing()
    assert problem is not None and problem.endswith(INSTALL_JAVA)
    with pytest.raises(ConfigurationError, match="default-jre-headless"):
        spark_session()

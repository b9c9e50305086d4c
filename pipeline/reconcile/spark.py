"""Splink's Spark backend: the same actor linkage, scored on Spark instead of in-process DuckDB.

DuckDB in process is the default and serves one machine well; Spark is the path past it. The
session is built here rather than left to callers because Splink needs three things a bare
``SparkSession`` lacks: its bundled similarity functions (a jar inside the splink wheel), a
checkpoint directory (it breaks long query lineages by checkpointing), and, in local mode on a
machine without a resolvable host name, a driver pinned to loopback.

pyspark is an extra (``pip install -e '.[spark]'``) and needs a Java runtime
(``apt-get install -y default-jre-headless``); both are checked before a JVM is started, so a
missing one is a one-line error, not a Java stack trace.
"""

from __future__ import annotations

import importlib.util
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.errors import ConfigurationError

if TYPE_CHECKING:
    from pyspark.sql import SparkSession
    from splink.internals.database_api import DatabaseAPI

INSTALL_PYSPARK = "pip install -e '.[spark]'"
INSTALL_JAVA = "apt-get install -y default-jre-headless"
DEFAULT_MASTER = "local[2]"


def spark_missing() -> str | None:
    """Why Spark cannot start here (and how to fix it), or None when it can."""
    if importlib.util.find_spec("pyspark") is None:
        return f"pyspark is not installed: {INSTALL_PYSPARK}"
    if shutil.which("java") is None:
        return f"no Java runtime on PATH (Spark needs one): {INSTALL_JAVA}"
    return None


def spark_session(
    master: str = DEFAULT_MASTER,
    *,
    checkpoint_dir: Path | None = None,
    config: Mapping[str, str] | None = None,
) -> SparkSession:
    """A Spark session Splink can score on: ``master`` is ``local[N]`` or a cluster's URL.

    ``config`` adds or overrides Spark settings (``spark.executor.memory``, ...)."""
    problem = spark_missing()
    if problem:
        raise ConfigurationError(f"cannot start Spark: {problem}", setting="spark_master")
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    settings: dict[str, str] = {
        "spark.jars": similarity_jar_location(),
        "spark.ui.enabled": "false",
        "spark.sql.shuffle.partitions": "8",
        "spark.default.parallelism": "8",
    }
    if master.startswith("local"):
        # Local mode only: a cluster's driver must be reachable from its executors.
        settings["spark.driver.host"] = "127.0.0.1"
        settings["spark.driver.bindAddress"] = "127.0.0.1"
    settings.update(config or {})
    builder = SparkSession.builder.master(master).appName("newsextract")
    for key, value in settings.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    folder = checkpoint_dir or Path(tempfile.mkdtemp(prefix="newsextract-spark-"))
    session.sparkContext.setCheckpointDir(str(folder))
    return session


def spark_backend(
    master: str = DEFAULT_MASTER,
    *,
    session: SparkSession | None = None,
    checkpoint_dir: Path | None = None,
    config: Mapping[str, str] | None = None,
) -> DatabaseAPI[Any]:
    """A ``splink.SparkAPI`` for ``reconcile_actors(..., splink_backend=...)``.

    Pass ``session`` to use a session configured elsewhere (a cluster's, Databricks'); it
    must carry Splink's similarity jar (``splink.backends.spark.similarity_jar_location()``)."""
    from pyspark.sql.types import DoubleType
    from splink import SparkAPI

    session = session or spark_session(master, checkpoint_dir=checkpoint_dir, config=config)
    backend: DatabaseAPI[Any] = SparkAPI(spark_session=session)  # type: ignore[no-untyped-call]
    # The linkage model is written in DuckDB's SQL, which Splink translates with sqlglot; sqlglot
    # renders DuckDB's jaro_winkler_similarity as JAROWINKLER_SIMILARITY, a name Spark lacks.
    # The class is the one Splink registers as jaro_winkler from its bundled jar.
    session.udf.registerJavaFunction(
        "jarowinkler_similarity", "uk.gov.moj.dash.linkage.JaroWinklerSimilarity", DoubleType()
    )
    return backend

"""The public API is what pipeline.__all__ lists: sorted, and every name importable."""

from __future__ import annotations

import subprocess
import sys

import pipeline


def test_all_is_sorted_and_unique() -> None:
    assert pipeline.__all__ == sorted(set(pipeline.__all__))


def test_every_exported_name_exists() -> None:
    missing = [name for name in pipeline.__all__ if not hasattr(pipeline, name)]
    assert missing == []


def test_every_public_name_of_the_package_is_exported() -> None:
    public = {
        name
        for name, value in vars(pipeline).items()
        if not name.startswith("_")
        and getattr(value, "__module__", "").startswith(("pipeline", "schemas"))
    }
    assert public - set(pipeline.__all__) == set()


def test_importing_the_package_loads_no_heavy_dependency() -> None:
    code = (
        "import sys, pipeline; "
        "print(sorted(m for m in ('openai', 'instructor', 'splink', 'duckdb') if m in sys.modules))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert loaded == "[]"

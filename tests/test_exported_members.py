"""The public API is what pipeline.__all__ lists: sorted, and every name importable."""

from __future__ import annotations

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

"""The public API is what pipeline.__all__ lists: each name loads, says why it exists, and is what
type checkers see (the ``TYPE_CHECKING`` imports name the same module for every name)."""

from __future__ import annotations

import ast
import subprocess
import sys
from importlib import import_module
from pathlib import Path

import pytest

import pipeline

INIT = Path(pipeline.__file__)


def type_checking_imports() -> dict[str, str]:
    """name -> module of every import under ``if TYPE_CHECKING:`` in pipeline/__init__.py."""
    tree = ast.parse(INIT.read_text(encoding="utf-8"))
    imports: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            for statement in node.body:
                assert isinstance(statement, ast.ImportFrom) and statement.module
                for alias in statement.names:
                    imports[alias.asname or alias.name] = statement.module
    return imports


def test_type_checkers_see_every_exported_name_from_the_module_that_serves_it() -> None:
    assert type_checking_imports() == pipeline._EXPORTS


@pytest.mark.parametrize("name", pipeline.__all__)
def test_every_exported_name_loads_from_its_module_and_has_a_docstring(name: str) -> None:
    value = getattr(pipeline, name)
    assert value is getattr(import_module(pipeline._EXPORTS[name]), name)
    # Its own docstring, not one inherited from a base class.
    own = value.__dict__.get("__doc__") if isinstance(value, type) else value.__doc__
    assert own and own.strip(), f"pipeline.{name} has no docstring saying why it exists"


def test_an_unknown_name_is_an_attribute_error_naming_it() -> None:
    with pytest.raises(AttributeError, match="'no_such_thing'"):
        pipeline.no_such_thing  # noqa: B018


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


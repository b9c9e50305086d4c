"""Versioned data files (vocabularies, knowledge, model profiles, codebooks) read into their
pydantic models.

One reader for every stage, so that a typo in any data file fails the same way: the file named,
each problem by where it is in the file, and the fix (by default: a released file is fixed by a
new version, not by an edit).
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Protocol, TypeVar

from pydantic import BaseModel, ValidationError

from pipeline.errors import NewsExtractError

_Model = TypeVar("_Model", bound=BaseModel)
_SHOWN_INPUT = 60  # characters of an offending value quoted in a problem
FIX_BY_NEW_VERSION = "fix the file (or add a new version)"


class _PathError(Protocol):
    def __call__(self, message: str, *, path: Path | None = None) -> NewsExtractError: ...


def load_toml_model(
    path: Path, model: type[_Model], *, error: _PathError, fix: str = FIX_BY_NEW_VERSION
) -> _Model:
    """``path`` parsed and validated as ``model``; any failure raises ``error`` naming the file,
    and a model that does not fit lists each problem with ``fix``."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise error(f"cannot read the file: {exc.strerror}", path=path) from exc
    except tomllib.TOMLDecodeError as exc:
        raise error(f"not valid TOML: {exc}", path=path) from exc
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise error(
            f"does not match {model.__name__}; {fix}:\n{problems(exc)}", path=path
        ) from exc


def problems(exc: ValidationError) -> str:
    """One line a problem: where in the file (``endpoint.0.colour``), what is wrong, the value."""
    lines = []
    for found in exc.errors():
        where = ".".join(map(str, found["loc"])) or "(the whole file)"
        value = "" if found["type"] == "missing" else f" (found {_shown(found['input'])})"
        lines.append(f"  {where}: {found['msg']}{value}")
    return "\n".join(lines)


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= _SHOWN_INPUT else text[: _SHOWN_INPUT - 3] + "..."

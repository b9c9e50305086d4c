"""Versioned data files (vocabularies, knowledge) read into their pydantic models.

One reader for every stage, so that a typo in any data file fails the same way: the file named,
what is wrong, and that a released file is fixed by a new version, not by an edit.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Protocol, TypeVar

from pydantic import BaseModel, ValidationError

from pipeline.errors import NewsExtractError

_Model = TypeVar("_Model", bound=BaseModel)


class _PathError(Protocol):
    def __call__(self, message: str, *, path: Path | None = None) -> NewsExtractError: ...


def load_toml_model(path: Path, model: type[_Model], *, error: _PathError) -> _Model:
    """``path`` parsed and validated as ``model``; any failure raises ``error`` naming the file."""
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
            f"does not match {model.__name__}; fix the file (or add a new version):\n{exc}",
            path=path,
        ) from exc

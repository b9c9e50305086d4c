"""Load the versioned vocabulary of the trust-signal rules: ``knowledge/signals.v<N>.toml``."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

from pydantic import ValidationError

from pipeline.errors import AuditError
from schemas.signals import SignalVocabulary

SIGNALS_FILE = Path(__file__).resolve().parent.parent / "knowledge" / "signals.v2.toml"


def load_signal_vocabulary(path: Path | None = None) -> SignalVocabulary:
    """The file at ``path``, the newest (``signals.v2.toml``) by default; a malformed file fails
    loudly."""
    path = path or SIGNALS_FILE
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise AuditError(f"cannot read the vocabulary: {exc.strerror}", path=path) from exc
    except tomllib.TOMLDecodeError as exc:
        raise AuditError(f"not valid TOML: {exc}", path=path) from exc
    try:
        return SignalVocabulary.model_validate(data)
    except ValidationError as exc:
        raise AuditError(
            f"does not match SignalVocabulary; fix the file (or add a new version):\n{exc}",
            path=path,
        ) from exc


@lru_cache(maxsize=1)
def default_vocabulary() -> SignalVocabulary:
    return load_signal_vocabulary()

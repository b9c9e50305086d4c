"""Load the versioned vocabulary of the trust-signal rules: ``knowledge/signals.v<N>.toml``."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pipeline.datafiles import load_toml_model
from pipeline.errors import AuditError
from schemas.signals import SignalVocabulary

SIGNALS_FILE = Path(__file__).resolve().parent.parent / "knowledge" / "signals.v2.toml"


def load_signal_vocabulary(path: Path | None = None) -> SignalVocabulary:
    """The file at ``path``, the newest (``signals.v2.toml``) by default; a malformed file fails
    loudly."""
    return load_toml_model(path or SIGNALS_FILE, SignalVocabulary, error=AuditError)


@lru_cache(maxsize=1)
def default_vocabulary() -> SignalVocabulary:
    return load_signal_vocabulary()

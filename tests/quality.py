"""Baselines of the quality scores, and the rows printed in the test run's summary."""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import tomli_w

from pipeline.evaluate import ScoreRow

BASELINES = Path(__file__).parent / "baselines.toml"
_ROWS = pytest.StashKey[list[ScoreRow]]()
_HEADER = (
    "# Quality baselines: the scores each model and prompt version reached on the five seeds when\n"
    "# accepted with `pytest --update-baselines`. A run that scores lower on any metric fails.\n"
    "# Metrics with no value (nothing to measure) are left out. '*.false_positives' are ceilings:\n"
    "# a run with more predictions that match no gold item (an invention let through) fails.\n\n"
)


def quality_rows(config: pytest.Config) -> list[ScoreRow]:
    """The rows scored in this run, kept on the pytest config for the terminal summary."""
    if _ROWS not in config.stash:
        config.stash[_ROWS] = []
    return config.stash[_ROWS]


@dataclass
class Baselines:
    table: dict[str, dict[str, dict[str, float]]] = field(default_factory=dict)

    @staticmethod
    def is_ceiling(name: str) -> bool:
        return name.endswith(".false_positives")

    @classmethod
    def load(cls, path: Path = BASELINES) -> Baselines:
        if not path.exists():
            return cls()
        return cls(tomllib.loads(path.read_text(encoding="utf-8")).get("models", {}))

    def get(self, model: str, prompt_version: int) -> dict[str, float] | None:
        return self.table.get(model, {}).get(f"v{prompt_version}")

    def set(self, model: str, prompt_version: int, metrics: dict[str, float | None],
            false_positives: dict[str, int]) -> None:
        # Rounded down, so that the same scores never fall below their own baseline.
        rounded: dict[str, float] = {
            name: math.floor(value * 10_000) / 10_000
            for name, value in metrics.items()
            if value is not None
        }
        self.table.setdefault(model, {})[f"v{prompt_version}"] = {**rounded, **false_positives}

    def save(self, path: Path = BASELINES) -> None:
        path.write_text(_HEADER + tomli_w.dumps({"models": self.table}), encoding="utf-8")

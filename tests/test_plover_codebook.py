"""The codebook file against the files coded with it, and the script that generates it.

Every type/mode pair in the gold, the reference annotations and the events evaluation set must be
one plover.v2 allows (v1 invented modes the manual lacks). The script is checked on a small LaTeX
document shaped like the manual (written for this test), not on the manual itself, which is not
part of this repository.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import pytest

from pipeline.errors import PromptError
from pipeline.extract.versions import CODEBOOK_NAME, load_codebook
from scripts.plover_codebook import (
    GLOSSES,
    ManualError,
    build_codebook,
    disagreements,
    event_modes,
    scored_modes,
)

ROOT = Path(__file__).resolve().parent.parent
CODED = sorted((ROOT / "seeds" / "gold").glob("*.json")) + sorted(
    (ROOT / "seeds" / "reference").glob("*.json")
) + sorted((ROOT / "tests" / "reconcile" / "data").glob("event_claims*.v2.json"))


def _pairs(value: Any) -> list[tuple[str, str | None]]:
    if isinstance(value, dict):
        found = [(value["event_type"], value.get("mode"))] if "event_type" in value else []
        return found + [pair for child in value.values() for pair in _pairs(child)]
    if isinstance(value, list):
        return [pair for child in value for pair in _pairs(child)]
    return []


def test_the_pipeline_codes_with_plover_v2() -> None:
    assert CODEBOOK_NAME == "plover.v2"
    assert load_codebook().version == 2


@pytest.mark.parametrize("path", CODED, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_coded_pair_is_in_the_codebook(path: Path) -> None:
    codebook = load_codebook()
    pairs = _pairs(json.loads(path.read_text(encoding="utf-8")))
    assert pairs, f"{path} codes no events"
    refused = sorted({p for p in pairs if not codebook.allows(*p)}, key=str)
    assert not refused, f"not in {CODEBOOK_NAME}: {refused}"


MANUAL = r"""
\chapter{Event, Mode, and Context}
\begin{tabular}{|lc|lc|}
\textbf{CATEGORY: Mode} & \textbf{Score} & \textbf{CATEGORY: Mode} & \textbf{Score} \\
\cellcolor{gray!25}AGREE & \cellcolor{gray!25}2.5 & RETREAT: Withdraw & 8 \\
\cellcolor{gray!25}RETREAT & \cellcolor{gray!25}6.5 & RETREAT: Resign & 4 \\
\end{tabular}
\label{tab:ploverscores}
{\LARGE DRAFT Version: 9.1}
\chapter{Event Categories}
\section{AGREE}
Text without a mode table.
\section{RETREAT}
\begin{tabular}{|l|p{13cm}|}
Name & Content \\
\hline
withdraw & Leave an area\\
%return & Return property \\
disarm & Lay down weapons\\
\hline
\end{tabular}
\chapter{Contexts}
\section{MILITARY}
"""


def test_types_and_modes_come_from_the_event_chapter_without_commented_rows() -> None:
    assert event_modes(MANUAL) == {"AGREE": [], "RETREAT": ["withdraw", "disarm"]}


def test_mode_tables_are_checked_against_the_score_table() -> None:
    assert scored_modes(MANUAL) == {"AGREE": set(), "RETREAT": {"withdraw", "resign"}}
    assert disagreements(event_modes(MANUAL), scored_modes(MANUAL)) == [
        "RETREAT: disarm is in the mode table, not in the score table",
        "RETREAT: resign is in the score table, not in a mode table",
    ]


def test_the_words_come_from_the_glosses_and_must_match_the_manual() -> None:
    glosses = {"types": {"AGREE": {"definition": "agree"},
                         "RETREAT": {"definition": "back down",
                                     "modes": {"withdraw": "leave", "disarm": "lay down arms"}}},
               "extra": {"OTHER": {"definition": "other", "note": "ours"}}}
    codebook = build_codebook(MANUAL, glosses, commit="abc1234")
    assert codebook["types"]["RETREAT"]["modes"] == {"withdraw": "leave", "disarm": "lay down arms"}
    assert "9.1" in codebook["codebook_revision"] and "abc1234" in codebook["source"]
    del glosses["types"]["RETREAT"]["modes"]["disarm"]
    with pytest.raises(ManualError, match="RETREAT"):
        build_codebook(MANUAL, glosses, commit="abc1234")


def test_the_committed_glosses_cover_the_committed_codebook() -> None:
    glosses = tomllib.loads(GLOSSES.read_text(encoding="utf-8"))
    codebook = load_codebook()
    for name, entry in glosses["types"].items():
        assert codebook.types[name].modes == entry.get("modes", {})


def test_a_malformed_codebook_fails_naming_the_file_each_problem_and_the_fix(
    tmp_path: Path,
) -> None:
    path = tmp_path / "plover.v9.toml"
    path.write_text('version = "two"\ncodebook = "PLOVER"\n', encoding="utf-8")
    with pytest.raises(PromptError, match=r"(?s)plover\.v9\.toml: not a valid codebook.*"
                                          r"scripts/plover_codebook\.py.*version: .*'two'"
                       ) as raised:  # fmt: skip
        load_codebook(path)
    assert raised.value.path == path

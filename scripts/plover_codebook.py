"""``python -m scripts.plover_codebook MANUAL.tex``: write pipeline/knowledge/plover.v2.toml.

plover.v1.toml was typed by hand without the manual and invented modes. This script takes the
structure (the event types, and the modes of each) from the PLOVER manual's LaTeX source: each
``\\section{TYPE}`` of the "Event Categories" chapter and the Name/Content rows of the mode table in
it (commented-out rows are not modes). It checks the modes against the manual's score table
(``tab:ploverscores``) and reports any that disagree. The words (definitions, mode labels) come
from scripts/plover_glosses.toml, our own paraphrases: the manual's prose is not copied.
"""

from __future__ import annotations

import argparse
import re
import sys
import tomllib
from pathlib import Path
from typing import Any

import tomli_w

GLOSSES = Path(__file__).resolve().parent / "plover_glosses.toml"
OUTPUT = Path(__file__).resolve().parent.parent / "pipeline" / "knowledge" / "plover.v2.toml"

_CHAPTER = re.compile(r"^\\chapter\*?\{(?P<title>[^}]*)\}", re.MULTILINE)
_SECTION = re.compile(r"^\\section\{(?P<name>[A-Z]+)\}", re.MULTILINE)
_MODE_ROW = re.compile(r"^\s*(?P<name>[a-z][a-z-]*)\s*&")
_SCORE_CELL = re.compile(
    r"(?:\\cellcolor\{[^}]*\})?\s*(?P<type>[A-Z]+)(?::\s*(?P<mode>[A-Za-z-]+))?"
)
_VERSION = re.compile(r"Version:\s*(?P<version>[0-9.]+)")


class ManualError(Exception):
    """The manual is not shaped as this script expects, or the glosses disagree with it."""


def _uncommented(text: str) -> str:
    """The text without LaTeX comments (a ``%`` not escaped as ``\\%``, to the end of the line)."""
    return "\n".join(re.sub(r"(?<!\\)%.*", "", line) for line in text.splitlines())


def _chapter(text: str, title: str) -> str:
    chapters = list(_CHAPTER.finditer(text))
    for index, match in enumerate(chapters):
        if match["title"] == title:
            end = chapters[index + 1].start() if index + 1 < len(chapters) else len(text)
            return text[match.end() : end]
    raise ManualError(f"no \\chapter{{{title}}} in the manual")


def _mode_names(section: str) -> list[str]:
    """The names in the first column of the section's mode table (rows after 'Name & Content')."""
    start = section.find("Name & Content")
    if start < 0:
        return []
    table = section[start : section.find("\\end{tabular}", start)]
    names: list[str] = []
    for line in table.splitlines()[1:]:
        row = _MODE_ROW.match(line)
        if row:
            names.append(row["name"])
    return names


def event_modes(manual: str) -> dict[str, list[str]]:
    """Each event type of the manual, in its order, with its modes (empty: the type has none)."""
    chapter = _chapter(_uncommented(manual), "Event Categories")
    sections = list(_SECTION.finditer(chapter))
    if not sections:
        raise ManualError("no event \\section{TYPE} in the chapter 'Event Categories'")
    types: dict[str, list[str]] = {}
    for index, match in enumerate(sections):
        end = sections[index + 1].start() if index + 1 < len(sections) else len(chapter)
        types[match["name"]] = _mode_names(chapter[match.end() : end])
    return types


def scored_modes(manual: str) -> dict[str, set[str]]:
    """The type: mode pairs of the score table ``tab:ploverscores``, lower-cased."""
    text = _uncommented(manual)
    label = text.find("\\label{tab:ploverscores}")
    start = text.rfind("\\begin{tabular}", 0, label)
    if label < 0 or start < 0:
        raise ManualError("no score table labelled tab:ploverscores")
    scored: dict[str, set[str]] = {}
    for line in text[start:label].splitlines():
        for cell in line.split("&")[::2]:
            match = _SCORE_CELL.fullmatch(cell.strip().removesuffix("\\\\").strip())
            if match and match["type"] not in {"CATEGORY"}:
                modes = scored.setdefault(match["type"], set())
                if match["mode"]:
                    modes.add(match["mode"].lower())
    return scored


def disagreements(types: dict[str, list[str]], scored: dict[str, set[str]]) -> list[str]:
    """Where the mode tables and the score table differ, one line each."""
    lines = []
    for name in sorted(set(types) | set(scored)):
        tabled, in_scores = set(types.get(name, [])), scored.get(name, set())
        lines += [f"{name}: {mode} is in the mode table, not in the score table"
                  for mode in sorted(tabled - in_scores)]
        lines += [f"{name}: {mode} is in the score table, not in a mode table"
                  for mode in sorted(in_scores - tabled)]
    return lines


def build_codebook(manual: str, glosses: dict[str, Any], *, commit: str) -> dict[str, Any]:
    """The codebook file's content: the manual's types and modes, in the glosses' words."""
    types = event_modes(manual)
    version = _VERSION.search(manual)
    if version is None:
        raise ManualError("the manual names no 'Version: N'")
    words: dict[str, Any] = glosses["types"]
    missing = sorted(set(types) ^ set(words))
    if missing:
        raise ManualError(f"types in only one of the manual and {GLOSSES.name}: {missing}")
    entries: dict[str, Any] = {}
    for name, modes in types.items():
        labels: dict[str, str] = words[name].get("modes", {})
        if set(labels) != set(modes):
            raise ManualError(
                f"{name}: the manual's modes are {sorted(modes)}, {GLOSSES.name} glosses "
                f"{sorted(labels)}"
            )
        entries[name] = {"definition": words[name]["definition"],
                         "modes": {mode: labels[mode] for mode in modes}}
    for name, extra in glosses.get("extra", {}).items():
        entries[name] = {"definition": extra["definition"], "modes": {}, "note": extra["note"]}
    return {
        "version": 2,
        "codebook": "PLOVER",
        "codebook_revision": f"manual DRAFT Version {version['version']}, commit {commit}",
        "source": (f"openeventdata/PLOVER, PLOVER_MANUAL.tex at commit {commit}: types and modes "
                   "parsed by scripts/plover_codebook.py; definitions and labels are this "
                   "project's words (scripts/plover_glosses.toml)"),
        "types": entries,
    }


HEADER = """\
# PLOVER event codebook, version 2 of this file. Generated: do not edit, re-run
#     python -m scripts.plover_codebook PLOVER_MANUAL.tex --commit <commit>
# Types and modes are parsed from the PLOVER manual (named in `source`); the words are ours.
# Modes are optional in PLOVER: an event may have none, and several types have no modes at all.
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("manual", type=Path, help="PLOVER_MANUAL.tex of openeventdata/PLOVER")
    parser.add_argument("--commit", required=True, help="the manual's git commit, named as source")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    manual = args.manual.read_text(encoding="utf-8")
    glosses = tomllib.loads(GLOSSES.read_text(encoding="utf-8"))
    try:
        codebook = build_codebook(manual, glosses, commit=args.commit)
    except ManualError as exc:
        print(f"{args.manual}: {exc}", file=sys.stderr)
        return 1
    for line in disagreements(event_modes(manual), scored_modes(manual)):
        print(f"note: {line}", file=sys.stderr)
    args.output.write_text(HEADER + "\n" + tomli_w.dumps(codebook), encoding="utf-8")
    print(f"wrote {args.output}: {len(codebook['types'])} types")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

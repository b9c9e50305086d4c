"""Fill in and check the offsets of a gold file, so that no offset is ever counted by hand.

    python seeds/gold/offsets.py seeds/gold/<article-stem>.json [...]

An annotator writes each span as ``{"text": ..., "occurrence": n}``: the n-th place (1 = first,
the default) where the article prints ``text`` exactly, counted by ``str.find`` from the start of
the article, also inside longer words ("Russia" is found in "Russian").
This script replaces ``occurrence`` with ``start``/``end``, fills ``sha256``, checks every span
that already has offsets, validates the file against ``schemas.gold.GoldAnnotation`` and writes it
back. Run it again after any edit: on a finished file it only checks.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

from schemas.gold import GoldAnnotation


def locate(article: str, span: dict[str, Any], where: str) -> None:
    """Give ``span`` its offsets from its text and occurrence, or check the offsets it has."""
    text = span["text"]
    if "start" in span:
        printed = article[span["start"] : span["end"]]
        if printed != text:
            raise SystemExit(f"{where}: {text!r} but the article prints {printed!r} there")
        return
    wanted = span.pop("occurrence", 1)
    start, seen = -1, 0
    while seen < wanted:
        start = article.find(text, start + 1)
        if start < 0:
            raise SystemExit(f"{where}: {text!r} is printed {seen} times, not {wanted}")
        seen += 1
    span["start"], span["end"] = start, start + len(text)


def fill(path: Path) -> GoldAnnotation:
    data = json.loads(path.read_text(encoding="utf-8"))
    article = (path.parent.parent / data["article"]).read_text(encoding="utf-8")
    digest = hashlib.sha256(article.encode("utf-8")).hexdigest()
    if data.get("sha256") and data["sha256"] != digest:
        raise SystemExit(f"{path}: sha256 {data['sha256']} is not the article's ({digest})")
    data["sha256"] = digest
    for actor in data["actors"]:
        for i, mention in enumerate(actor["mentions"]):
            locate(article, mention, f"{path}: actors[{actor['actor_id']}].mentions[{i}]")
    for i, quote in enumerate(data["quotes"]):
        locate(article, quote["span"], f"{path}: quotes[{i}]")
    for i, claim in enumerate(data["claims"]):
        locate(article, claim["evidence"], f"{path}: claims[{i}].evidence")
    gold = GoldAnnotation.model_validate(data)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return gold


def main(paths: list[str]) -> None:
    for name in paths:
        gold = fill(Path(name))
        mentions = sum(len(actor.mentions) for actor in gold.actors)
        print(f"{name}: {len(gold.actors)} actors, {mentions} mentions, "
              f"{len(gold.quotes)} quotes, {len(gold.claims)} claims")


if __name__ == "__main__":
    main(sys.argv[1:])

"""Articles as a newsroom holds them, through the batch and the store: feeds and HTML pages.

Answers come from cassettes recorded against tests/reference_server.py, which answers a page's
extracted text with the annotations whose passages it prints.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.batch.corpus import extract_corpus
from pipeline.cli import app
from pipeline.ingest.articles import content_hash
from pipeline.reconcile import mentions_from_results
from pipeline.settings import StructuredMode
from pipeline.store.db import Outcome, Store
from pipeline.store.signals import load_signals
from schemas.records import ExtractionResult
from tests.conftest import REFERENCE_MODEL, SEEDS, ModelProfile, seed_paths, settings_for
from tests.ingest.pages import DEBRIS, page_wrapping

REFERENCE = ModelProfile(REFERENCE_MODEL, StructuredMode.TOOLS)
OUTLETS = ["Wire One", "The Daily Two", "Courier Three", "Herald Four", "Gazette Five"]


def assert_grounded(result: ExtractionResult, text: str) -> None:
    spans = [(q.span, q.text) for q in result.quotes] + [(c.span, c.evidence)
                                                         for c in result.claims]
    spans += [(m.span, m.text) for a in result.actors for m in a.mentions]
    assert spans
    assert all(text[span.start:span.end] == printed for span, printed in spans)


def seed_feed(path: Path) -> Path:
    """The five seeds, each with an outlet, a date (one per day), a URL and a desk field."""
    lines = []
    for day, (seed, outlet) in enumerate(zip(seed_paths(), OUTLETS, strict=True), start=1):
        lines.append(json.dumps({
            "id": seed.stem, "text": seed.read_text(encoding="utf-8"), "outlet": outlet,
            "published": f"2024-09-{20 - day:02d}T08:00:00Z", "url": f"https://n.example/{day}",
            "title": seed.read_text(encoding="utf-8").split("\n")[0], "language": "en",
            "desk": "world",
        }, ensure_ascii=False))
    lines.insert(2, '{"id": "broken", "text": ')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.vcr
def test_a_feed_of_the_five_seeds_is_extracted_with_its_metadata_stored(tmp_path: Path) -> None:
    feed = seed_feed(tmp_path / "feed.jsonl")
    report = extract_corpus([feed], settings=settings_for(REFERENCE), db=tmp_path / "x.db")
    assert [o.outcome for o in report.outcomes] == [Outcome.EXTRACTED] * 2 + [Outcome.FAILED] + [
        Outcome.EXTRACTED] * 3
    assert report.failures[0].source.label == f"{feed}:3"
    assert report.failures[0].message.startswith("not JSON")
    by_id = {r.article_id: r for r in report.results}
    assert sorted(by_id) == [p.stem for p in seed_paths()]
    for day, (seed, outlet) in enumerate(zip(seed_paths(), OUTLETS, strict=True), start=1):
        result = by_id[seed.stem]
        assert_grounded(result, seed.read_text(encoding="utf-8"))
        [publication] = result.publications
        assert (publication.outlet, publication.url, publication.line) == (
            outlet, f"https://n.example/{day}", day if day < 3 else day + 1)
        assert publication.published == f"2024-09-{20 - day:02d}T08:00:00+00:00"
        assert publication.extra == {"desk": "world"}
    with Store(tmp_path / "x.db") as store:
        stored = {r.article_id: r for r in store.results()}
        # The published date is what the trust signals resolve relative dates against.
        references = {load_signals(store, o.extraction_id).reference_date  # type: ignore[union-attr]
                      for o in report.outcomes if o.extraction_id is not None}
    assert stored == by_id
    assert references == {dt.date(2024, 9, 20 - day) for day in range(1, 6)}
    # Downstream: each quote knows the outlet and date it was printed by.
    quotes = mentions_from_results(stored.values()).quotes
    assert {(q.outlet, q.published[:10]) for q in quotes if q.published} == {
        (outlet, f"2024-09-{20 - day:02d}") for day, outlet in enumerate(OUTLETS, start=1)}


@pytest.mark.vcr
def test_export_and_show_carry_outlet_date_and_url(tmp_path: Path) -> None:
    feed = seed_feed(tmp_path / "feed.jsonl")
    extract_corpus([feed], settings=settings_for(REFERENCE), db=tmp_path / "x.db")
    runner = CliRunner()
    exported = runner.invoke(app, ["export", "--db", str(tmp_path / "x.db"), "-f", "csv"])
    assert exported.exit_code == 0, exported.output
    rows = [row for row in csv.DictReader(io.StringIO(exported.stdout)) if row["type"] == "quote"]
    expected = {seed.stem: (outlet, f"https://n.example/{day}")
                for day, (seed, outlet) in enumerate(zip(seed_paths(), OUTLETS, strict=True), 1)}
    assert rows
    assert all((row["outlet"], row["url"]) == expected[row["article_id"]] for row in rows)
    shown = runner.invoke(app, ["show", seed_paths()[1].stem, "--db", str(tmp_path / "x.db")],
                          env={"COLUMNS": "200"})
    assert shown.exit_code == 0, shown.output
    assert "The Daily Two" in shown.stdout and "2024-09-18T08:00:00+00:00" in shown.stdout


@pytest.mark.vcr
def test_an_html_page_wrapping_a_seed_is_extracted_from_its_main_text(tmp_path: Path) -> None:
    seed = SEEDS / "001_3303a44a3e524015.txt"
    page = tmp_path / "pages" / "kirby-briefing.html"
    page.parent.mkdir()
    page.write_text(page_wrapping(seed, slug="kirby-briefing"), encoding="utf-8")
    report = extract_corpus([page.parent], settings=settings_for(REFERENCE), db=tmp_path / "x.db")
    assert [o.outcome for o in report.outcomes] == [Outcome.EXTRACTED]
    [result] = report.results
    with Store(tmp_path / "x.db") as store:
        text = store.article_text(result.content_sha256)
        [publication] = store.publications(result.content_sha256)
        assert publication.html_sha256 is not None
        assert store.page(publication.html_sha256) == page.read_text(encoding="utf-8")
    assert not [debris for debris in DEBRIS if debris in text]
    assert_grounded(result, text)
    assert len(result.quotes) >= 10
    assert (publication.outlet, publication.published, publication.url) == (
        "The Example Courier", "2024-09-19",
        "https://courier.example/world/2024/09/19/kirby-briefing")
    assert publication.title == seed.read_text(encoding="utf-8").split("\n")[0].strip()
    with closing(sqlite3.connect(tmp_path / "x.db")) as db:
        [(stored_hash,)] = db.execute("SELECT content_sha256 FROM articles").fetchall()
    assert stored_hash == content_hash(text)

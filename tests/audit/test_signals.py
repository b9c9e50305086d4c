"""All signals through the store and the CLI: run-like storage, audit, show, export."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.audit.signals import ensure_signals, trust_signals
from pipeline.audit.vocabulary import SIGNALS_FILE, default_vocabulary, load_signal_vocabulary
from pipeline.cli import app
from pipeline.errors import AuditError
from pipeline.ingest.articles import read_article
from pipeline.store.db import InputRef, Store
from pipeline.store.signals import load_signals, run_signal_summary
from schemas.articles import Publication
from schemas.records import Claim, MatchKind, Span
from schemas.signals import AttributionStatus, Modality
from tests.store.test_db import KEY, SEED, grounded_result, start


def _filled_store(path: Path) -> int:
    """The sample result of the store tests, plus a claim dated 'In September'."""
    article = read_article(SEED)
    result = grounded_result(article)
    evidence = "In September, it became known that Iran had delivered a batch of ballistic"
    start_at = article.text.index(evidence)
    dated = Claim(claim_id=f"{article.article_id}/c9", statement="Iran delivered missiles.",
                  asserted_by_id=None, asserted_by=None, evidence=evidence,
                  span=Span(start=start_at, end=start_at + len(evidence),
                            match=MatchKind.EXACT))
    result = result.model_copy(update={"claims": [*result.claims, dated]})
    with Store(path) as store:
        extraction_id, _ = store.record_extraction(
            start(store), article, result, KEY, source=InputRef(SEED, article.article_id))
    return extraction_id


def test_signals_of_a_seed_result_are_grounded() -> None:
    article = read_article(SEED)
    result = grounded_result(article)
    signals = trust_signals(article.text, result)
    assert signals.dates and signals.reference_date is None
    assert len(signals.audit.speech) == 3  # the three quoted paragraphs of Blinken
    assert len(signals.audit.uncovered) == 2  # the sample result stores one of them
    assert [a.status for a in signals.attributions] == [AttributionStatus.SUPPORTED]
    assert len(signals.modalities) == len(result.claims)
    assert all(m.modality in Modality for m in signals.modalities)
    for passage in signals.audit.passages:
        assert article.text[passage.span.start:passage.span.end] == passage.span.text


def test_old_results_get_their_signals_once(tmp_path: Path) -> None:
    extraction_id = _filled_store(tmp_path / "x.db")
    with Store(tmp_path / "x.db") as store:
        assert load_signals(store, extraction_id) is None
        first = ensure_signals(store, [extraction_id])
        assert load_signals(store, extraction_id) == first[extraction_id]
        assert ensure_signals(store, [extraction_id], load=False) == {}
        summary = run_signal_summary(store, 1)
    assert summary.articles == 1 and summary.uncovered_passages == 2
    assert summary.coverage is not None and 0 < summary.coverage < 1


def test_audit_show_and_export_carry_the_signals(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    extraction_id = _filled_store(db)
    runner = CliRunner()
    table = runner.invoke(app, ["audit", "--db", str(db)], env={"COLUMNS": "200"})
    assert table.exit_code == 0, table.output
    assert "Quotation-mark audit" in table.output and "Corpus:" in table.output
    as_json = runner.invoke(app, ["audit", "--db", str(db), "--json"])
    assert as_json.exit_code == 0, as_json.output
    (line,) = as_json.output.splitlines()
    body = json.loads(line)
    assert body["extraction_id"] == extraction_id
    assert len([p for p in body["audit"]["passages"] if p["kind"] == "speech"]) == 3
    shown = runner.invoke(app, ["show", SEED.stem, "--db", str(db)], env={"COLUMNS": "200"})
    assert shown.exit_code == 0, shown.output
    assert "Trust signals" in shown.output and "uncovered quoted speech" in shown.output
    exported = runner.invoke(app, ["export", "--db", str(db), "--format", "csv"])
    assert exported.exit_code == 0, exported.output
    types = {row["type"] for row in csv.DictReader(io.StringIO(exported.output))}
    assert {"passage", "attribution", "modality"} <= types


def test_relative_dates_count_from_the_published_date_once_one_is_known(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    extraction_id = _filled_store(db)
    with Store(db) as store:
        before = ensure_signals(store, [extraction_id])[extraction_id]
        assert before.reference_date is None
        assert [(d.span.text, d.value) for d in before.dates if d.relative] == [
            ("September", None)]
        article = read_article(SEED)
        dated = InputRef(SEED.with_name("copy.txt"), "copy", publication=Publication(
            article_id="copy", path="copy.txt", published="2024-11-20"))
        store.record_cached(start(store), [(dated, article.content_sha256, extraction_id)])
        after = ensure_signals(store, [extraction_id])[extraction_id]
    assert after.reference_date == dt.date(2024, 11, 20)
    assert [(d.span.text, d.value) for d in after.dates if d.relative] == [
        ("September", "2024-09")]


def test_every_released_vocabulary_still_loads_and_the_newest_is_the_default() -> None:
    versions = sorted(load_signal_vocabulary(path).version
                      for path in SIGNALS_FILE.parent.glob("signals.v*.toml"))
    assert versions == list(range(1, len(versions) + 1))
    assert default_vocabulary().version == versions[-1]


def test_a_malformed_vocabulary_fails_naming_the_file(tmp_path: Path) -> None:
    broken = tmp_path / "signals.v9.toml"
    broken.write_text("version = 9\n[quotes]\nscare_max_words = 'two'\n", encoding="utf-8")
    with pytest.raises(AuditError, match=r"signals\.v9\.toml"):
        load_signal_vocabulary(broken)

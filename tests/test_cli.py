"""The newsextract command: help for everything, exit status, clean errors, export shapes."""

from __future__ import annotations

import csv
import io
import logging
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner, Result

from pipeline.cli import app, configure_logging
from pipeline.settings import StructuredMode
from pipeline.store.db import Store
from pipeline.store.export import CSV_COLUMNS
from schemas.records import ExtractionResult
from tests.conftest import REFERENCE_MODEL, ROOT, SEEDS, ModelProfile, seed_paths, settings_for

REFERENCE = ModelProfile(REFERENCE_MODEL, StructuredMode.TOOLS)
SEED = SEEDS / "000_e9e0939858eebc6d.txt"
TWO_SEEDS = seed_paths()[:2]
COMMANDS = sorted(typer.main.get_command(app).commands)  # type: ignore[attr-defined]


def model_env() -> dict[str, str]:
    """The environment a user would set; replay needs no server (cassettes), recording does."""
    settings = settings_for(REFERENCE)
    assert settings.base_url and settings.api_key
    return {"OPENAI_BASE_URL": settings.base_url, "NEWSEXTRACT_MODEL": REFERENCE_MODEL,
            "OPENAI_API_KEY": settings.api_key.get_secret_value(),
            "NEWSEXTRACT_PROMPT_VERSION": "1", "NEWSEXTRACT_RETRY_INITIAL_WAIT": "0.01",
            "NEWSEXTRACT_RETRY_MAX_WAIT": "0.05", "COLUMNS": "160"}


def invoke(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(app, list(args), env={"COLUMNS": "160", **(env or {})})


def copy_seeds(folder: Path, paths: list[Path]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for path in paths:
        shutil.copy(path, folder / path.name)
    return folder


def test_the_commands_are_the_documented_ones() -> None:
    assert COMMANDS == ["audit", "eval", "explain", "export", "extract", "reconcile", "report",
                        "run", "show"]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_and_option_has_help(command: str) -> None:
    result = invoke(command, "--help")
    assert result.exit_code == 0, result.output
    click_command = typer.main.get_command(app).commands[command]  # type: ignore[attr-defined]
    assert click_command.help
    for param in click_command.params:
        assert getattr(param, "help", None) or param.name == "help", f"{command} {param.name}"


def test_configuration_options_name_their_environment_variable() -> None:
    output = invoke("run", "--help").output
    for variable in ("NEWSEXTRACT_MODEL", "OPENAI_BASE_URL", "NEWSEXTRACT_MODE",
                     "NEWSEXTRACT_PROMPT_VERSION", "NEWSEXTRACT_CONCURRENCY", "NEWSEXTRACT_DB"):
        assert variable in output


def test_every_command_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for command in COMMANDS:
        assert f"newsextract {command}" in readme


@pytest.mark.vcr
def test_run_then_show_then_export(tmp_path: Path) -> None:
    corpus = copy_seeds(tmp_path / "corpus", TWO_SEEDS)
    shutil.copy(SEED, corpus / "again.md")
    result = invoke("run", str(corpus), "--db", "x.db", env=model_env())
    assert result.exit_code == 0, result.output
    assert "extracted │        2" in result.output and "duplicate │        1" in result.output

    shown = invoke("show", SEED.stem, "--db", "x.db")
    assert shown.exit_code == 0, shown.output
    assert "Antony Blinken" in shown.output and "Rejected" in shown.output
    assert "read from" in shown.output and "again.md" in shown.output

    jsonl = invoke("export", "--db", "x.db")
    assert jsonl.exit_code == 0, jsonl.output
    results = [ExtractionResult.model_validate_json(line) for line in jsonl.stdout.splitlines()]
    assert [r.article_id for r in results] == [p.stem for p in TWO_SEEDS]

    assert invoke("export", "-f", "csv", "-o", "out.csv", "--db", "x.db").exit_code == 0
    with Path("out.csv").open(newline="", encoding="utf-8") as out:
        rows = list(csv.DictReader(out))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert {row["type"] for row in rows} == {"actor", "mention", "quote", "claim", "rejected",
                                             "passage", "attribution", "modality", "date"}
    assert {row["article_id"] for row in rows} == {p.stem for p in TWO_SEEDS}
    texts = {p.stem: p.read_text(encoding="utf-8") for p in TWO_SEEDS}
    for row in rows:
        if row["type"] in ("mention", "quote", "claim"):
            text = texts[row["article_id"]]
            assert text[int(row["span_start"]):int(row["span_end"])] == row["text"]

    rerun = invoke("run", str(corpus), "--db", "x.db", env=model_env())
    assert rerun.exit_code == 0, rerun.output
    assert "cached    │        3" in rerun.output


@pytest.mark.vcr
def test_a_failed_article_makes_the_exit_status_non_zero(tmp_path: Path) -> None:
    corpus = copy_seeds(tmp_path / "corpus", [SEED])
    (corpus / "empty.txt").write_text("", encoding="utf-8")
    result = invoke("run", str(corpus), "--db", "x.db", env=model_env())
    assert result.exit_code == 1
    assert "empty.txt" in result.output and "the article is empty" in result.output
    assert "extracted │        1" in result.output
    assert "Traceback" not in result.output


def test_a_newsextract_error_is_one_clean_line(tmp_path: Path) -> None:
    corpus = copy_seeds(tmp_path / "corpus", [SEED])
    result = invoke("run", str(corpus), "--base-url", "https://api.example.com/v1",
                    env={"OPENAI_API_KEY": ""})
    assert result.exit_code == 1
    assert "error: No API key for https://api.example.com/v1" in result.output
    assert "Traceback" not in result.output and result.exception is not None
    assert isinstance(result.exception, SystemExit)


def test_a_missing_path_is_named(tmp_path: Path) -> None:
    result = invoke("run", "nowhere", "--db", "x.db")
    assert result.exit_code == 1
    assert "nowhere: no such file or folder" in result.output


def test_show_and_export_need_an_existing_store() -> None:
    for args in (["show", "x"], ["export"]):
        result = invoke(*args, "--db", "missing.db")
        assert result.exit_code == 2
        assert "no store at missing.db" in result.output
    assert not Path("missing.db").exists()


def test_an_invalid_setting_from_the_environment_is_reported() -> None:
    result = invoke("run", "seeds", env={"NEWSEXTRACT_MAX_TOKENS": "3"})
    assert result.exit_code == 1
    assert "error: invalid settings: max_tokens" in result.output


def test_a_malformed_endpoint_is_refused_before_any_file_is_read_or_stored() -> None:
    result = invoke("run", "seeds", "--db", "x.db", env={"OPENAI_BASE_URL": "http//x"})
    assert result.exit_code == 1
    assert "OPENAI_BASE_URL 'http//x' needs the scheme http:// or https://" in result.output
    assert "Value error" not in result.output and "bug" not in result.output
    assert not Path("x.db").exists()


@pytest.mark.vcr
def test_extract_prints_one_result_as_json_or_tables(tmp_path: Path) -> None:
    as_json = invoke("extract", str(SEED), "--json", env=model_env())
    assert as_json.exit_code == 0, as_json.output
    result = ExtractionResult.model_validate_json(as_json.stdout)
    assert result.article_id == SEED.stem
    as_tables = invoke("extract", str(SEED), env=model_env())
    assert as_tables.exit_code == 0, as_tables.output
    assert "Quotes" in as_tables.output and "Antony Blinken" in as_tables.output
    assert not list(Path().glob("*.db")), "extract stores nothing"


def test_show_of_an_unknown_article_says_so(tmp_path: Path) -> None:
    from pipeline.store.db import Store

    Store("x.db").close()
    result = invoke("show", "nope", "--db", "x.db")
    assert result.exit_code == 2 and "no article 'nope' in x.db" in result.output


def test_export_of_an_empty_store_writes_only_the_csv_header() -> None:
    from pipeline.store.db import Store

    Store("x.db").close()
    result = invoke("export", "--format", "csv", "--db", "x.db")
    assert result.exit_code == 0
    assert next(csv.reader(io.StringIO(result.stdout))) == list(CSV_COLUMNS)
    assert result.stdout.count("\n") == 1


def actor_ids_by_mention(db: Path) -> dict[tuple[str, int, str], str]:
    with closing(sqlite3.connect(db)) as connection:
        rows = connection.execute(
            "SELECT article_id, span_start, text, cluster_id FROM cluster_members "
            "WHERE kind = 'actor'"
        ).fetchall()
    return {(article, start, text): cluster for article, start, text, cluster in rows}


@pytest.mark.vcr
def test_reconcile_keeps_actor_ids_when_articles_are_added_and_explain_says_why(
    tmp_path: Path,
) -> None:
    corpus = copy_seeds(tmp_path / "corpus", seed_paths()[:3])
    assert invoke("run", str(corpus), "--db", "x.db", env=model_env()).exit_code == 0
    first = invoke("reconcile", "--db", "x.db", "-n", "100")
    assert first.exit_code == 0, first.output
    assert "country/north-korea" in first.output
    before = actor_ids_by_mention(Path("x.db"))

    copy_seeds(corpus, seed_paths()[3:])
    assert invoke("run", str(corpus), "--db", "x.db", env=model_env()).exit_code == 0
    assert invoke("reconcile", "--db", "x.db").exit_code == 0
    after = actor_ids_by_mention(Path("x.db"))
    assert len(after) > len(before)
    assert {key: after[key] for key in before} == before

    explained = invoke("explain", "Pyongyang", "--db", "x.db")
    assert explained.exit_code == 0, explained.output
    assert "country/north-korea" in explained.output
    assert "capital_for_state" in explained.output and "DPRK" in explained.output
    wood = invoke("explain", "Manhole Wood", "--db", "x.db")
    assert "person/robert-wood" in wood.output and "Robert Wood" in wood.output


def test_explain_without_a_reconciliation_or_a_match_says_what_to_do(tmp_path: Path) -> None:
    Store(tmp_path / "empty.db").close()
    missing = invoke("explain", "Pyongyang", "--db", str(tmp_path / "empty.db"))
    assert missing.exit_code == 2
    assert "newsextract reconcile" in missing.output


@pytest.mark.vcr
def test_eval_scores_a_model_against_the_gold_of_the_seeds() -> None:
    result = invoke("eval", "--seeds", str(SEEDS), "--db", "eval.db", env=model_env())
    assert result.exit_code == 0, result.output
    assert "reference-annotations" in result.output and "v1" in result.output
    for metric in ("actors", "quotes >30%", "speaker >80%", "claims", "asserter"):
        assert metric in result.output
    again = invoke("eval", "--seeds", str(SEEDS), "--db", "eval.db", env=model_env())
    assert "0 done" in again.output and "5 skipped" in again.output  # scored from the store
    assert again.output.split("Scores against")[1] == result.output.split("Scores against")[1]


def test_export_to_a_missing_folder_is_a_clean_error_and_writes_nothing() -> None:
    Store("x.db").close()
    result = invoke("export", "-f", "csv", "-o", "missing/dir/out.csv", "--db", "x.db")
    assert result.exit_code == 2
    assert "cannot write missing/dir/out.csv" in result.output
    assert "no folder missing/dir" in result.output
    assert "Traceback" not in result.output and not Path("missing").exists()


def test_a_folder_without_articles_is_an_error_that_says_so(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "README.md").write_text("notes", encoding="utf-8")
    result = invoke("run", str(tmp_path / "empty"), "--db", "x.db")
    assert result.exit_code == 1
    assert "no article file (.txt/.md" in result.output
    assert not Path("x.db").exists()  # no run was started


def test_instructors_own_failure_lines_are_kept_for_vv_only() -> None:
    touched = [logging.getLogger(name) for name in ("", "pipeline", "instructor")]
    saved = [(logger, logger.level, list(logger.handlers)) for logger in touched]
    instructor_log = logging.getLogger("instructor.v2.retry")
    try:
        for verbose, shown in [(0, False), (1, False), (2, True)]:
            configure_logging(verbose)
            assert instructor_log.isEnabledFor(logging.ERROR) is shown, verbose
    finally:  # the CLI configures logging for its process; later tests must not inherit it
        for logger, level, handlers in saved:
            logger.setLevel(level)
            logger.handlers[:] = handlers


def test_the_readme_says_how_to_stop_every_server_it_starts_in_the_background() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = readme.split("```")[1::2]
    started = [block for block in blocks if "_server --port" in block and "&" in block]
    assert started
    for block in started:
        assert "kill" in block, block

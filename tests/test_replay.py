"""The prompt-iteration loop: replay ignores the shell, and a missing or changed recording fails
at once with what is missing, where the request differs, and the command that records it.

Each test runs pytest in a child process, as a user would, on the real suite or on a small file
written here."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

from tests.conftest import ROOT
from tests.replay import body_diff

CASE = '''
from pathlib import Path

import pytest

from pipeline.extract.article import extract_article
from pipeline.settings import StructuredMode
from tests.conftest import REFERENCE_MODEL, SEEDS, ModelProfile, settings_for
from tests.conftest import vcr_config  # noqa: F401  (matching on the body, as the suite does)

REFERENCE = ModelProfile(REFERENCE_MODEL, StructuredMode.TOOLS)
TEXT = (SEEDS / "000_e9e0939858eebc6d.txt").read_bytes().decode("utf-8")


@pytest.fixture(scope="module")
def vcr_cassette_dir() -> str:
    return {cassettes!r}


@pytest.mark.vcr
def test_blinkens_first_quote_in_000_is_grounded_to_its_exact_characters() -> None:
    settings = settings_for(REFERENCE, prompts_dir=Path({prompts!r}))
    extract_article(TEXT, article_id="000_e9e0939858eebc6d", settings=settings)


@pytest.mark.vcr
def test_a_case_never_recorded() -> None:
    extract_article(TEXT, article_id="000_e9e0939858eebc6d", settings=settings_for(REFERENCE))
'''


def run_pytest(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "200", **env}
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args],
                          cwd=cwd, env=environment, capture_output=True, text=True, timeout=300)


def test_a_changed_prompt_and_a_missing_cassette_fail_on_the_first_try_saying_what_to_record(
    tmp_path: Path,
) -> None:
    prompts = tmp_path / "prompts"
    shutil.copytree(ROOT / "prompts", prompts)
    v1 = prompts / "extract" / "v1.md"
    v1.write_text(v1.read_text(encoding="utf-8").replace("a careful news", "a meticulous news"),
                  encoding="utf-8")
    case = tmp_path / "test_case.py"
    case.write_text(CASE.format(cassettes=str(ROOT / "tests/cassettes/extract/test_article"),
                                prompts=str(prompts)), encoding="utf-8")
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")

    ran = run_pytest("-p", "tests.conftest", "--rootdir", str(tmp_path), str(case),
                     cwd=tmp_path, env={})
    out = ran.stdout
    assert ran.returncode == 1, out
    assert "2 failed" in out
    changed, missing = out.split("replay miss: test_case.py::")[1:3]
    assert changed.startswith("test_blinkens_first_quote_in_000")
    assert "model 'reference-annotations', prompt extract v1: 1 request(s)" in changed
    assert "none was retried" in changed
    assert "the request differs from the recording" in changed
    assert "-messages[0].content line 1: You are a careful news analyst." in changed
    assert "+messages[0].content line 1: You are a meticulous news analyst." in changed
    assert ("NEWSEXTRACT_MODEL=reference-annotations pytest --record-mode=rewrite "
            "test_case.py::test_blinkens_first_quote_in_000") in changed
    assert "python -m tests.reference_server" in changed
    assert missing.startswith("test_a_case_never_recorded")
    assert "there is no recording" in missing and "test_a_case_never_recorded.yaml" in missing
    assert "kept failing" not in out and "is the server up" not in out


def test_the_shells_endpoint_model_and_settings_do_not_change_a_replayed_run(
    tmp_path: Path,
) -> None:
    shell = {
        "OPENAI_BASE_URL": "http://127.0.0.1:9/v1",
        "OPENAI_API_KEY": "sk-from-the-shell",
        "NEWSEXTRACT_MODEL": "gpt-4o-mini",
        "NEWSEXTRACT_MODE": "json",
        "NEWSEXTRACT_MAX_TOKENS": "300",
        "NEWSEXTRACT_PROMPT_VERSION": "1",
    }
    ran = run_pytest("-q", "-rA", "tests/test_quality.py",
                     "tests/extract/test_article.py::test_blinkens_first_quote_in_000_is_grounded"
                     "_to_its_exact_characters", cwd=ROOT, env=shell)
    assert ran.returncode == 0, ran.stdout[-3000:]
    assert "PASSED tests/test_quality.py" in ran.stdout
    assert "gpt-4o-mini" not in ran.stdout  # no test case made from the shell's model


def test_a_body_diff_shows_only_the_changed_lines_of_a_long_message() -> None:
    recorded = {"model": "m", "messages": [{"role": "system", "content": "a\nb\nc\nd\ne"}]}
    sent = {"model": "m", "messages": [{"role": "system", "content": "a\nb\nX\nd\ne"}]}
    diff = body_diff(recorded, sent)
    assert "-messages[0].content line 3: c" in diff
    assert "+messages[0].content line 3: X" in diff
    assert not any("line 1:" in line for line in diff)  # context is one line either side


def test_every_declared_marker_is_used_by_a_test() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    declared = [line.split(":")[0]
                for line in pyproject["tool"]["pytest"]["ini_options"]["markers"]]
    tests = ROOT / "tests"
    sources = "\n".join(p.read_text(encoding="utf-8") for p in tests.rglob("test_*.py"))
    unused = [name for name in declared if f"pytest.mark.{name}" not in sources]
    assert unused == []

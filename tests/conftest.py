"""Shared fixtures: cassette configuration, recorded model profiles, fresh settings per test.

Replay depends on nothing the shell exports: OPENAI_* and NEWSEXTRACT_* variables are read only
when recording (``--record-mode`` other than none), and removed from every replayed test.
"""

from __future__ import annotations

import io
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from vcr.errors import CannotOverwriteExistingCassetteException

from pipeline.batch.corpus import DEFAULT_CONCURRENCY
from pipeline.extract.prompting import Prompt
from pipeline.settings import Settings, StructuredMode
from tests.replay import ReplayLog, report

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
REFERENCE_MODEL = "reference-annotations"
# Where cassettes were recorded does not matter on replay: requests match on method, path and body.
DEFAULT_BASE_URL = "http://127.0.0.1:8765/v1"
_KEPT_RESPONSE_HEADERS = {"content-type", "retry-after", "retry-after-ms"}
_ENVIRONMENT_PREFIXES = ("OPENAI_", "NEWSEXTRACT_")
_REPLAY_LOG = pytest.StashKey[ReplayLog]()
# Set in pytest_configure, before test modules are imported and parametrized.
_recording = False
# The shell's variables as pytest found them, for the opt-in live tests (`pytest -m live`) only.
SHELL_ENVIRONMENT = {
    name: value for name, value in os.environ.items() if name.startswith(_ENVIRONMENT_PREFIXES)
}
LIVE_VARIABLES = ("OPENAI_BASE_URL", "NEWSEXTRACT_MODEL")


@dataclass(frozen=True)
class ModelProfile:
    name: str
    mode: StructuredMode
    # Settings this model needs (max_tokens, timeout, ...); they are part of the recorded request.
    settings: tuple[tuple[str, Any], ...] = ()
    # The prompt versions recorded for this model; None: every version.
    prompt_versions: tuple[int, ...] | None = None
    # Articles in flight at once in a quality case. A server answering one request at a time
    # (llama-cpp-python) queues the others, and their timeout runs out while they wait.
    concurrency: int = DEFAULT_CONCURRENCY

    def has_recorded(self, prompt_version: int) -> bool:
        return self.prompt_versions is None or prompt_version in self.prompt_versions


def recorded_profiles() -> list[ModelProfile]:
    """The models in tests/recorded_models.toml; when recording, plus NEWSEXTRACT_MODEL when it
    names another (on replay, a model of the shell's is no test case)."""
    table = tomllib.loads((Path(__file__).parent / "recorded_models.toml").read_text())
    profiles = [
        ModelProfile(
            entry["name"],
            StructuredMode(entry["mode"]),
            tuple(sorted(entry.get("settings", {}).items())),
            tuple(entry["prompt_versions"]) if "prompt_versions" in entry else None,
            entry.get("concurrency", DEFAULT_CONCURRENCY),
        )
        for entry in table["model"]
    ]
    extra = os.environ.get("NEWSEXTRACT_MODEL") if _recording else None
    if extra and extra not in {p.name for p in profiles}:
        profiles.append(
            ModelProfile(extra, StructuredMode(os.environ.get("NEWSEXTRACT_MODE", "tools")))
        )
    return profiles


def seed_paths() -> list[Path]:
    return sorted(SEEDS.glob("*.txt"))


def _strip_response_headers(response: dict[str, Any]) -> dict[str, Any]:
    response["headers"] = {
        name: value
        for name, value in response["headers"].items()
        if name.lower() in _KEPT_RESPONSE_HEADERS
    }
    return response


@pytest.fixture(scope="session")
def vcr_config() -> dict[str, Any]:
    # No record_mode here: it would override --record-mode on the command line.
    return {
        "filter_headers": [
            "authorization",
            "api-key",
            "x-api-key",
            "openai-organization",
            "openai-project",
            "cookie",
        ],
        "filter_query_parameters": ["api_key", "key"],
        "match_on": ["method", "path", "body"],
        "before_record_response": _strip_response_headers,
        "decode_compressed_response": True,
    }


@pytest.fixture(scope="module")
def vcr_cassette_dir(request: pytest.FixtureRequest) -> str:
    """tests/cassettes/<path of the test module below tests/>: one folder per test module."""
    module = Path(request.node.fspath).resolve().relative_to(ROOT / "tests").with_suffix("")
    return str(ROOT / "tests" / "cassettes" / module)


def is_recording(config: pytest.Config) -> bool:
    return (config.getoption("--record-mode") or "none") != "none"


def settings_for(profile: ModelProfile, **overrides: Any) -> Settings:
    """Settings for replay (no key, no server needed) or recording (the environment's endpoint)."""
    environment = os.environ if _recording else {}
    values: dict[str, Any] = {
        "base_url": environment.get("OPENAI_BASE_URL", DEFAULT_BASE_URL),
        "api_key": environment.get("OPENAI_API_KEY", "test-key-not-secret"),
        "model": profile.name,
        "mode": profile.mode,
        "prompt_version": 1,
        "retry_initial_wait": 0.01,
        "retry_max_wait": 0.05,
    }
    values.update(profile.settings)
    values.update(overrides)
    return Settings(**values)


@pytest.fixture(autouse=True)
def _isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run every test from an empty folder, so nothing lands in the checkout; on replay, without
    the shell's endpoint, key, model or any other NEWSEXTRACT_ setting."""
    monkeypatch.chdir(tmp_path)
    if not _recording:
        for name in list(os.environ):
            if name.startswith(_ENVIRONMENT_PREFIXES):
                monkeypatch.delenv(name)


@pytest.fixture(autouse=True)
def _replay_log(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Notes every replay miss and every prompt rendered, for ``pytest_runtest_call``."""
    log = request.node.stash[_REPLAY_LOG] = ReplayLog()
    noted_init = CannotOverwriteExistingCassetteException.__init__
    render = Prompt.render

    def note_miss(self: CannotOverwriteExistingCassetteException, *args: Any,
                  **kwargs: Any) -> None:
        noted_init(self, *args, **kwargs)
        log.misses.append(self)

    def note_prompt(self: Prompt, *args: Any, **kwargs: Any) -> Any:
        log.prompts.add(self.ref)
        return render(self, *args, **kwargs)

    monkeypatch.setattr(CannotOverwriteExistingCassetteException, "__init__", note_miss)
    monkeypatch.setattr(Prompt, "render", note_prompt)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Any:
    """A test that met a replay miss fails with what is missing, whatever the code under test
    made of the error (a batch reports it per article and goes on)."""
    raised: BaseException | None = None
    try:
        result = yield
    except BaseException as exc:  # whatever it is, the miss explains it better
        raised = exc
    log = item.stash.get(_REPLAY_LOG, None)
    if log is not None and log.misses:
        pytest.fail(report(item.nodeid, log, root=ROOT), pytrace=False)
    if raised is not None:
        raise raised
    return result


def pytest_configure(config: pytest.Config) -> None:
    global _recording
    _recording = is_recording(config)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-baselines",
        action="store_true",
        default=False,
        help="write this run's quality scores to tests/baselines.toml as the new floor",
    )


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    """Print the quality table: one row per recorded model and prompt version."""
    from rich.console import Console

    from pipeline.evaluate import score_table
    from tests.quality import quality_rows

    _print_reconcile_scores(terminalreporter, config)
    rows = sorted(quality_rows(config), key=lambda row: (row.model, row.prompt_version))
    if not rows:
        return
    console = Console(width=160, record=True, file=io.StringIO())
    console.print(score_table(rows, title="Extraction quality against seeds/gold"))
    terminalreporter.write_sep("=", "quality per model and prompt version")
    terminalreporter.write(console.export_text())


def _skip_live_tests(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Live tests run only when asked for by name (``-m live``) with an endpoint to ask."""
    asked = "live" in (config.getoption("-m") or "")
    missing = [name for name in LIVE_VARIABLES if not SHELL_ENVIRONMENT.get(name)]
    if asked and not missing:
        return
    reason = (f"live: set {' and '.join(missing)} (and OPENAI_API_KEY for a remote endpoint)"
              if asked else "live: opt in with pytest -m live, OPENAI_BASE_URL and "
              "NEWSEXTRACT_MODEL set (NEWSEXTRACT_MODE, OPENAI_API_KEY as the endpoint needs)")
    for item in items:
        if item.get_closest_marker("live") is not None:
            item.add_marker(pytest.mark.skip(reason=reason))


def _print_reconcile_scores(terminalreporter: Any, config: pytest.Config) -> None:
    """Pairwise P/R of reconciliation: the seeds beside news they do not cover."""
    from tests.reconcile.scores import recorded_scores

    scores = recorded_scores(config)
    if not scores:
        return
    terminalreporter.write_sep("=", "reconciliation, pairwise, seeds beside unseen news")
    terminalreporter.write_line(
        f"{'corpus':<28}{'kind':<8}{'mentions':>9}{'entities':>9}{'precision':>11}{'recall':>8}"
    )
    for s in sorted(scores, key=lambda s: (s.kind, s.corpus)):
        terminalreporter.write_line(
            f"{s.corpus:<28}{s.kind:<8}{s.mentions:>9}{s.entities:>9}"
            f"{s.precision:>11.3f}{s.recall:>8.3f}"
        )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Live tests are opt-in (see ``_skip_live_tests``).

    When recording, record only the model named by NEWSEXTRACT_MODEL: a server answers as
    whatever model it serves, so recording every profile against it would mislabel cassettes.
    A cassette test without a ``profile`` parameter is written for the reference server."""
    _skip_live_tests(config, items)
    if not is_recording(config):
        return
    target = os.environ.get("NEWSEXTRACT_MODEL")
    if not target:
        raise pytest.UsageError(
            "recording needs NEWSEXTRACT_MODEL (and OPENAI_BASE_URL): see README, Re-recording"
        )
    skip = pytest.mark.skip(reason=f"recording NEWSEXTRACT_MODEL={target} only")
    for item in items:
        if item.get_closest_marker("vcr") is None:
            continue
        callspec = getattr(item, "callspec", None)
        profile = callspec.params.get("profile") if callspec else None
        model = profile.name if isinstance(profile, ModelProfile) else REFERENCE_MODEL
        if model != target:
            item.add_marker(skip)

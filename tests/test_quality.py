"""Scores per recorded model and prompt version, against the gold; a drop below baseline fails.

Every prompt file ``prompts/extract/v<N>.md`` and every model in ``tests/recorded_models.toml``
makes one case; its cassette holds the five seeds' answers. The table of all cases is printed at
the end of the run (see ``pytest_terminal_summary`` in conftest). Baselines live in
``tests/baselines.toml``; ``pytest --update-baselines`` writes the scores of this run there.
"""

from __future__ import annotations

import pytest

from pipeline.errors import ExtractionFailedError
from pipeline.evaluate import ScoreRow, load_gold_dir, score_results
from pipeline.extract.article import extract_article
from pipeline.extract.prompting import available_versions
from pipeline.ingest.articles import content_hash
from schemas.records import ExtractionResult
from tests.conftest import SEEDS, ModelProfile, recorded_profiles, seed_paths, settings_for
from tests.quality import Baselines, quality_rows

TOLERANCE = 1e-9


@pytest.mark.vcr
@pytest.mark.parametrize("prompt_version", available_versions("extract"), ids=lambda v: f"v{v}")
@pytest.mark.parametrize("profile", recorded_profiles(), ids=lambda p: p.name)
def test_scores_do_not_fall_below_the_recorded_baseline(
    profile: ModelProfile, prompt_version: int, request: pytest.FixtureRequest
) -> None:
    settings = settings_for(profile, prompt_version=prompt_version)
    results: list[ExtractionResult] = []
    unanswered: list[str] = []
    for path in seed_paths():
        text = path.read_bytes().decode("utf-8")
        try:
            results.append(extract_article(text, article_id=path.stem, settings=settings))
        except ExtractionFailedError:
            unanswered.append(content_hash(text))  # scored as everything missed
    score = score_results(results, load_gold_dir(SEEDS), unanswered=unanswered)
    quality_rows(request.config).append(ScoreRow(profile.name, prompt_version, score))

    baselines = Baselines.load()
    metrics = score.metrics()
    if request.config.getoption("--update-baselines"):
        baselines.set(profile.name, prompt_version, metrics)
        baselines.save()
        return
    floor = baselines.get(profile.name, prompt_version)
    if floor is None:
        pytest.fail(
            f"no baseline for model {profile.name!r}, prompt v{prompt_version}; look at the "
            "scores printed below, then accept them with: pytest --update-baselines"
        )
    fallen = {
        name: (metrics.get(name), minimum)
        for name, minimum in floor.items()
        if (metrics.get(name) or 0.0) < minimum - TOLERANCE
    }
    assert not fallen, f"below baseline (now, baseline): {fallen}"

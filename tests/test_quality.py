"""Scores per recorded model and prompt version, against the gold; a drop below baseline fails.

Every prompt file ``prompts/extract/v<N>.md`` and every model in ``tests/recorded_models.toml``
makes one case; its cassette holds the five seeds' answers. The table of all cases is printed at
the end of the run (see ``pytest_terminal_summary`` in conftest). Baselines live in
``tests/baselines.toml``; ``pytest --update-baselines`` writes the scores of this run there.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.errors import ExtractionFailedError
from pipeline.evaluate import evaluate_prompt
from pipeline.extract.prompting import available_versions
from pipeline.store.db import Store
from tests.conftest import SEEDS, ModelProfile, is_recording, recorded_profiles, settings_for
from tests.grounding import assert_grounded, assert_inventions_unprinted
from tests.quality import Baselines, quality_rows

TOLERANCE = 1e-9


@pytest.mark.vcr
@pytest.mark.parametrize("prompt_version", available_versions("extract"), ids=lambda v: f"v{v}")
@pytest.mark.parametrize("profile", recorded_profiles(), ids=lambda p: p.name)
def test_scores_do_not_fall_below_the_recorded_baseline(
    profile: ModelProfile, prompt_version: int, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    if not profile.has_recorded(prompt_version) and not is_recording(request.config):
        pytest.skip(
            f"{profile.name} has no cassette for prompt v{prompt_version} (tests/recorded_models"
            ".toml, prompt_versions); record it as README, Re-recording says"
        )
    settings = settings_for(profile, prompt_version=prompt_version)
    db = tmp_path / "quality.db"
    evaluation = evaluate_prompt(SEEDS, settings=settings, db=db, concurrency=profile.concurrency)
    # A model that never answers validly scores as everything missed; any other failure is not
    # the model's doing and would hide behind that score.
    others = [
        o.message for o in evaluation.failures if not isinstance(o.error, ExtractionFailedError)
    ]
    assert not others, others
    # Whatever the model answered, what the store kept is the article's, and what it refused as
    # not printed is not printed.
    with Store(db) as store:
        for result in store.results(model=profile.name, prompt_version=prompt_version):
            text = store.article_text(result.content_sha256)
            assert_grounded(result, text)
            assert_inventions_unprinted(result, text)
    score = evaluation.row.score
    quality_rows(request.config).append(evaluation.row)

    baselines = Baselines.load()
    metrics = score.metrics()
    false_positives = score.false_positives()
    if request.config.getoption("--update-baselines"):
        baselines.set(profile.name, prompt_version, metrics, false_positives)
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
        if not Baselines.is_ceiling(name) and (metrics.get(name) or 0.0) < minimum - TOLERANCE
    }
    assert not fallen, f"below baseline (now, baseline): {fallen}"
    # What can fail even for a model whose floors are all zero (SmolLM2 finds nothing): every
    # prediction it makes that matches no gold item counts, so an invention let through fails.
    ceilings = {name: limit for name, limit in floor.items() if Baselines.is_ceiling(name)}
    assert ceilings, "the baseline has no false-positive ceilings: pytest --update-baselines"
    risen = {name: (false_positives[name], limit) for name, limit in ceilings.items()
             if false_positives[name] > limit}
    assert not risen, f"more false positives than the baseline (now, baseline): {risen}"

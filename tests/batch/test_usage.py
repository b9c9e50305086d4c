"""Usage as billed: cached prompt tokens and reasoning tokens stored, summed, priced.

Replayed from the reference server (hand-made answers, not a model). Its ``cached_tokens`` imitate
OpenAI's documented prompt caching (a static prefix of 1024+ tokens seen before, in steps of 128);
they are estimates, as all its token counts are, not a measurement of any cache.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from pipeline.batch.corpus import extract_corpus
from pipeline.report.cost import TokenPrices, usage_line
from pipeline.store.db import Store
from schemas.records import Usage
from tests.conftest import SEEDS, settings_for
from tests.test_cli import REFERENCE, copy_seeds, invoke, model_env

TWO = ["000_e9e0939858eebc6d", "004_c9f4686ea8b9e3fa"]


def recorded_usages(vcr: Any) -> list[dict[str, Any]]:
    return [json.loads(response["body"]["string"])["usage"] for response in vcr.responses]


@pytest.mark.vcr
def test_cached_and_reasoning_tokens_of_recorded_answers_are_stored(vcr: Any,
                                                                    tmp_path: Path) -> None:
    sources = {name: (SEEDS / f"{name}.txt").read_text(encoding="utf-8") for name in TWO}
    report = extract_corpus(sources, settings=settings_for(REFERENCE), db=tmp_path / "n.db",
                            concurrency=1)
    assert report.ok and report.sent == 2
    recorded = recorded_usages(vcr)
    cached = sum(u["prompt_tokens_details"]["cached_tokens"] for u in recorded)
    assert cached > 0  # the second article's static prefix, at least, was seen before
    with closing(sqlite3.connect(tmp_path / "n.db")) as db:
        stored = db.execute("SELECT sum(cached_tokens), sum(reasoning_tokens), sum(prompt_tokens)"
                            " FROM llm_calls").fetchone()
    assert stored == (cached, 0, sum(u["prompt_tokens"] for u in recorded))
    assert report.usage.cached_tokens == cached
    with Store(tmp_path / "n.db") as store:
        results = list(store.results())
    assert sum(r.call.usage.cached_tokens for r in results) == cached


def test_cost_prices_cached_tokens_apart_and_reasoning_as_completion() -> None:
    usage = Usage(prompt_tokens=10_000, completion_tokens=2_000, total_tokens=12_000,
                  cached_tokens=8_000, reasoning_tokens=1_500)
    prices = TokenPrices.parse("0.25,2,0.025")
    assert prices.cost(usage) == pytest.approx((2_000 * 0.25 + 8_000 * 0.025 + 2_000 * 2) / 1e6)
    assert TokenPrices.parse("1,4").cost(usage) == pytest.approx((10_000 + 8_000) / 1e6)
    line = usage_line(usage, articles=2, prices=prices)
    assert "8,000 cached" in line and "1,500 reasoning" in line and "per article" in line


@pytest.mark.parametrize("text", ["1", "a,b", "1,2,3,4", "-1,2"])
def test_a_malformed_price_is_refused_with_the_expected_form(text: str) -> None:
    result = invoke("show", "x", "--price-per-mtok", text)
    assert result.exit_code == 1
    assert "IN,OUT or IN,OUT,CACHED" in result.output


@pytest.mark.vcr
def test_run_and_show_print_tokens_and_cost(tmp_path: Path) -> None:
    corpus = copy_seeds(tmp_path / "corpus", [SEEDS / f"{name}.txt" for name in TWO])
    db = str(tmp_path / "n.db")
    run = invoke("run", str(corpus), "--db", db, "-j", "1", "--price-per-mtok", "1,10,0.1",
                 env=model_env())
    assert run.exit_code == 0, run.output
    with Store(db) as store:
        total = Usage()
        for result in store.results():
            total = total.plus(result.call.usage)
        first = next(store.results())
    expected = TokenPrices(1, 10, 0.1).cost(total)
    assert "2 article(s) sent" in run.output and f"cost {expected:,.4f}" in run.output
    show = invoke("show", TWO[0], "--db", db, "--price-per-mtok", "1,10,0.1")
    assert show.exit_code == 0, show.output
    assert f"{first.call.usage.prompt_tokens:,} prompt" in show.output
    assert f"cost {TokenPrices(1, 10, 0.1).cost(first.call.usage):,.4f}" in show.output

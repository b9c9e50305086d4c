"""Time ``newsextract report`` at growing store sizes, through the CLI, in one run.

    python bench/bench_report.py                       # 50, 500, 5000 articles
    python bench/bench_report.py --sizes 100 1000

The store is built as a run over syndicated copies would build it: the five seeds repeated with
distinct content (``[copy N]`` appended, as bench_batch.py does), each copy's answer the reference
annotations (model recorded as ``reference-annotations``) grounded by the pipeline's own
``assemble``, trust signals computed and stored as the batch stores them, then ``newsextract
reconcile``. Every copy reprints the same quotes, so quote and claim clusters grow with the store:
the most-reprinted case. Printed per size: the time of ``newsextract reconcile`` (setup) and of
``newsextract report`` (what is measured: a fresh process, imports included), pages written,
bytes on disk, and the growth of report time against the growth of size.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.audit.signals import trust_signals  # noqa: E402
from pipeline.extract.assemble import assemble  # noqa: E402
from pipeline.extract.grounding import GroundingIndex  # noqa: E402
from pipeline.extract.versions import CODEBOOK_NAME, response_model  # noqa: E402
from pipeline.ingest.articles import Article  # noqa: E402
from pipeline.settings import Settings  # noqa: E402
from pipeline.store.db import CacheKey, InputRef, Store  # noqa: E402
from pipeline.store.signals import save_signals  # noqa: E402
from schemas.records import ExtractionResult, LLMCall, PromptRef, Usage  # noqa: E402

MODEL = "reference-annotations"
SEEDS = ROOT / "seeds"


def build_store(db: Path, articles: int) -> None:
    seeds = sorted(SEEDS.glob("*.txt"))
    answers = {
        path.stem: response_model(2).model_validate(
            json.loads((SEEDS / "reference" / f"{path.stem}.json").read_text())["answers"][-1])
        for path in seeds
    }
    prompt = PromptRef(id="extract", version=2, sha256="0" * 64)
    key = CacheKey(model=MODEL, prompt=prompt, schema_sha256="0" * 64)
    with Store(db) as store:
        run = store.start_run(Settings(model=MODEL, base_url="http://127.0.0.1:9/v1"), key,
                              concurrency=1)
        for n in range(articles):
            seed = seeds[n % len(seeds)]
            copy = n // len(seeds)
            text = seed.read_text(encoding="utf-8") + (f"\n[copy {copy}]\n" if copy else "")
            article = Article.from_text(text, article_id=f"{seed.stem}-{copy}")
            grounded = assemble(answers[seed.stem], GroundingIndex(text),
                                article_id=article.article_id, codebook=CODEBOOK_NAME)
            call = LLMCall(model=MODEL, mode="tools", prompt=prompt,
                           input_sha256=article.content_sha256, schema_sha256="0" * 64,
                           request_messages=[], answers=[], reask_errors=[], usage=Usage(),
                           latency_ms=0.0)
            result = ExtractionResult(
                article_id=article.article_id, content_sha256=article.content_sha256,
                model=MODEL, prompt=prompt, actors=grounded.actors, quotes=grounded.quotes,
                claims=grounded.claims, rejected=grounded.rejected, call=call)
            extraction_id, _ = store.record_extraction(
                run, article, result, key,
                source=InputRef(path=None, article_id=article.article_id))
            save_signals(store, extraction_id, trust_signals(text, result))
        store.finish_run(run)


def timed(command: list[str]) -> float:
    began = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, text=True)
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 500, 5000])
    sizes = parser.parse_args().sizes
    cli = [sys.executable, "-m", "pipeline.cli"]
    print(f"{'articles':>8} {'reconcile s':>12} {'report s':>9} {'ms/article':>10} "
          f"{'pages':>6} {'MB':>7} {'growth':>7}")
    previous: tuple[int, float] | None = None
    for size in sizes:
        with tempfile.TemporaryDirectory() as folder:
            db = Path(folder) / "bench.db"
            build_store(db, size)
            reconcile = timed([*cli, "reconcile", "--db", str(db)])
            out = Path(folder) / "report"
            report = timed([*cli, "report", "--db", str(db), "--out", str(out)])
            pages = sum(1 for _ in out.rglob("*.html"))
            megabytes = sum(p.stat().st_size for p in out.rglob("*") if p.is_file()) / 1e6
        growth = ""
        if previous is not None:
            growth = f"{(report / previous[1]) / (size / previous[0]):.2f}"
        print(f"{size:>8} {reconcile:>12.1f} {report:>9.2f} {1000 * report / size:>10.1f} "
              f"{pages:>6} {megabytes:>7.1f} {growth:>7}", flush=True)
        previous = (size, report)
    print("growth: (report time ratio) / (size ratio); 1.00 is linear")


if __name__ == "__main__":
    main()

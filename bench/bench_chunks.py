"""Chunked extraction of one long document, measured in one run.

    python bench/bench_chunks.py                        # 200,000 characters, 300 ms a call
    python bench/bench_chunks.py --chars 500000 --latency-ms 200 --chunk-chars 8000

The document is the five seeds in turn, each copy in a rotated order and with its own trailing
line, until it is ``--chars`` long; the model is tests/reference_server.py in its own process,
answering each chunk with the annotations whose passages it prints, after an injected latency.
The run goes through ``extract_corpus`` and a store on disk, as ``newsextract run`` does.

Printed: chunks and HTTP calls (answers and re-asks, counted by the server), wall time at the
given concurrency against the ideal (calls x latency / concurrency), the merge's CPU time, the
time the batch then spends on the document's trust signals (pipeline/audit), quotes
found, whether every offset holds in the whole document, and what a longer version of the same
document costs (its unchanged chunks come from the chunk cache).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from bench_batch import reference_server  # noqa: E402

import pipeline.batch.corpus as corpus_module  # noqa: E402
import pipeline.extract.article as article_module  # noqa: E402
from pipeline.batch.corpus import extract_corpus  # noqa: E402
from pipeline.settings import Settings  # noqa: E402
from schemas.records import ExtractionResult  # noqa: E402

MODEL = "reference-annotations"


def make_document(chars: int) -> str:
    seeds = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    parts: list[str] = []
    size, copy = 0, 0
    while size < chars:
        for seed in seeds[copy % 5:] + seeds[: copy % 5]:
            parts.append(f"{seed.strip()}\n\n[copy {copy}]")
            size += len(parts[-1]) + 2
        copy += 1
    return "\n\n".join(parts)[:chars].rsplit("\n\n", 1)[0]


def requests_in(log: Path) -> int:
    return sum(1 for line in log.read_text().splitlines() if "POST " in line and "status=" in line)


def offsets_hold(result: ExtractionResult, text: str) -> bool:
    spans = [(q.span, q.text) for q in result.quotes] + [(c.span, c.evidence)
                                                         for c in result.claims]
    spans += [(m.span, m.text) for a in result.actors for m in a.mentions]
    return all(text[s.start:s.end] == printed for s, printed in spans)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--chars", type=int, default=200_000)
    parser.add_argument("--latency-ms", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--chunk-chars", type=int, default=8000)
    args = parser.parse_args()

    merge_cpu: list[float] = []
    original_merge = article_module.merge_chunks

    def timed_merge(*a: Any, **kw: Any) -> Any:
        started = time.process_time()
        try:
            return original_merge(*a, **kw)
        finally:
            merge_cpu.append(time.process_time() - started)

    article_module.merge_chunks = timed_merge  # type: ignore[assignment]
    signals_wall: list[float] = []
    original_signals = corpus_module.trust_signals

    def timed_signals(*a: Any, **kw: Any) -> Any:
        started = time.perf_counter()
        try:
            return original_signals(*a, **kw)
        finally:
            signals_wall.append(time.perf_counter() - started)

    corpus_module.trust_signals = timed_signals  # type: ignore[assignment]
    text = make_document(args.chars)
    with tempfile.TemporaryDirectory() as tmp, reference_server(args.latency_ms, Path(tmp)) as (
        url, _pid,
    ):
        folder = Path(tmp)
        log = folder / f"server-{args.latency_ms}ms.log"
        settings = Settings(base_url=url, model=MODEL, prompt_version=1,
                            chunk_chars=args.chunk_chars)
        (folder / "doc.txt").write_text(text, encoding="utf-8")
        before = requests_in(log)
        started = time.perf_counter()
        report = extract_corpus([folder / "doc.txt"], settings=settings, db=folder / "b.db",
                                concurrency=args.concurrency)
        wall = time.perf_counter() - started
        calls = requests_in(log) - before
        [result] = report.results
        longer = text + "\n\nThe hearing was adjourned until Monday, the chair said."
        (folder / "doc-v2.txt").write_text(longer, encoding="utf-8")
        before = requests_in(log)
        started = time.perf_counter()
        second = extract_corpus([folder / "doc-v2.txt"], settings=settings, db=folder / "b.db",
                                concurrency=args.concurrency)
        wall_v2 = time.perf_counter() - started
        calls_v2 = requests_in(log) - before
        [result_v2] = second.results
    ideal = calls * args.latency_ms / 1000 / args.concurrency
    print(f"document: {len(text):,} characters, chunk_chars {args.chunk_chars}, "
          f"latency {args.latency_ms} ms, concurrency {args.concurrency}")
    print(f"chunks: {len(result.chunks)}; HTTP calls: {calls}")
    print(f"wall: {wall:.2f} s; ideal (calls x latency / concurrency) {ideal:.2f} s: "
          f"{ideal / wall:.1%} of ideal")
    print(f"merge CPU: {merge_cpu[0] * 1000:.1f} ms; trust signals of the whole document "
          f"(after the merge, in the wall time): {signals_wall[0]:.2f} s")
    print(f"grounded: {len(result.actors)} actors, {len(result.quotes)} quotes, "
          f"{len(result.claims)} claims; every offset holds: {offsets_hold(result, text)}")
    print(f"longer version: {len(result_v2.chunks)} chunks, "
          f"{sum(c.cached for c in result_v2.chunks)} from the chunk cache; HTTP calls "
          f"{calls_v2}; wall {wall_v2:.2f} s; offsets hold: {offsets_hold(result_v2, longer)}")


if __name__ == "__main__":
    main()

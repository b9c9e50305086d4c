"""Batch throughput, CPU, memory and cache speed-up, measured in one run.

    python bench/bench_batch.py                  # 200 articles, 300 ms a call
    python bench/bench_batch.py --articles 400 --latency-ms 200 --profile

The model is tests/reference_server.py in its own process (so its CPU is not counted as ours),
answering from the reference annotations after an injected latency. The corpus is the seeds
repeated with distinct content (``[copy N]`` appended). Each measured phase runs in a fresh child
process with a fresh database, so imports, memory and CPU are counted per phase:

- wall time at concurrency 1 and 8 (the median of three runs) against the ideal,
  calls x latency / concurrency, where calls are the HTTP requests the run made (answers, re-asks
  and transport retries, read from the store);
- the pipeline's CPU per article at zero latency (this process only; the server is elsewhere),
  after a warm-up article so that one-time imports are not charged to the batch;
- peak memory (max RSS) of the run at concurrency 8;
- an unchanged re-run over the same folder and database, against the first run.

Targets (issue 4): >= 90% of ideal at concurrency 8; <= 5 ms CPU per article; re-run >= 100x.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import re
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
MODEL = "reference-annotations"
TARGET_EFFICIENCY = 0.90
TARGET_CPU_MS = 5.0
TARGET_SPEEDUP = 100.0


def make_corpus(folder: Path, articles: int) -> Path:
    """``articles`` files: the seeds in turn, each copy with its own trailing line."""
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(articles):
        seed = seeds[n % len(seeds)]
        copy = n // len(seeds)
        text = seed.read_text(encoding="utf-8") + f"\n\n[copy {copy}]"
        (folder / f"{seed.stem}_copy{copy:04d}.txt").write_text(text, encoding="utf-8")
    return folder


@contextmanager
def reference_server(latency_ms: int, logs: Path) -> Iterator[tuple[str, int]]:
    """The reference server in its own process; yields its base URL and pid."""
    log = logs / f"server-{latency_ms}ms.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "tests.reference_server", "--port", "0",
             "--latency-ms", str(latency_ms)],
            cwd=ROOT, stdout=out, stderr=out,
        )
    try:
        deadline = time.monotonic() + 30
        while not (found := re.search(r"on (http://\S+/v1)", log.read_text())):
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the reference server did not start:\n{log.read_text()}")
            time.sleep(0.05)
        yield found[1], server.pid
    finally:
        server.terminate()
        server.wait(timeout=10)


def process_cpu_seconds(pid: int) -> float:
    """utime + stime of another process (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _requests_made(db: Path, run_id: int) -> int:
    with closing(sqlite3.connect(db)) as conn:
        row = conn.execute(
            """SELECT coalesce(sum(c.attempts + c.transport_retries), 0) FROM llm_calls c
               JOIN extractions e ON e.id = c.extraction_id WHERE e.run_id = ?""", (run_id,),
        ).fetchone()
    return int(row[0])


def child(spec: dict[str, Any]) -> dict[str, Any]:
    """One measured phase, in a process of its own; prints its figures as JSON."""
    from pipeline.batch.corpus import extract_corpus
    from pipeline.settings import Settings
    from pipeline.store.db import Outcome

    settings = Settings(base_url=spec["base_url"], model=MODEL, prompt_version=1,
                        api_key="not-needed")
    corpus, db = Path(spec["corpus"]), Path(spec["db"])
    # Warm-up on a text outside the corpus, in memory: imports, the lazy openai resources, TLS
    # context. Charged to no phase, as a long-running batch pays them once.
    seed = sorted((ROOT / "seeds").glob("*.txt"))[0].read_text(encoding="utf-8")
    extract_corpus({"warm-up": seed + "\n\n[warm-up]"}, settings=settings, db=":memory:")
    rss_before = _max_rss_mb()
    profiler = cProfile.Profile(time.process_time) if spec.get("profile") else None
    cpu, wall = _own_cpu(), time.perf_counter()
    if profiler:
        profiler.enable()
    report = extract_corpus([corpus], settings=settings, db=db,
                            concurrency=spec["concurrency"], collect_results=False)
    if profiler:
        profiler.disable()
    wall, cpu = time.perf_counter() - wall, _own_cpu() - cpu
    figures: dict[str, Any] = {
        "wall_s": wall, "cpu_s": cpu, "articles": len(report.outcomes),
        "extracted": report.count(Outcome.EXTRACTED), "failed": report.count(Outcome.FAILED),
        "requests": _requests_made(db, report.run_id), "rss_before_mb": rss_before,
        "rss_peak_mb": _max_rss_mb(),
    }
    if spec.get("rerun"):
        again_wall = time.perf_counter()
        again = extract_corpus([corpus], settings=settings, db=db,
                               concurrency=spec["concurrency"], collect_results=False)
        figures["rerun_s"] = time.perf_counter() - again_wall
        figures["rerun_cached"] = again.count(Outcome.CACHED)
    if profiler:
        figures["profile"] = cpu_by_package(profiler)
    return figures


def cpu_by_package(profiler: cProfile.Profile) -> dict[str, float]:
    """Share of profiled own-time per package: where the CPU goes (profiling inflates all)."""
    groups = [("pipeline (batch: corpus, store, pacing)", ("pipeline/corpus", "pipeline/store",
                                                          "pipeline/pacing")),
              ("pipeline (spine: grounding, assemble, extract, llm)", ("pipeline/",)),
              ("schemas", ("schemas/",)), ("instructor", ("instructor/",)),
              ("openai", ("openai/",)), ("pydantic", ("pydantic",)),
              ("httpx2 / httpcore / anyio", ("httpx", "httpcore", "anyio", "h11")),
              ("asyncio", ("asyncio/",)), ("sqlite3", ("sqlite3",)),
              ("tenacity", ("tenacity/",)), ("json", ("json/",)), ("jinja2", ("jinja2/",)),
              ("rapidfuzz", ("rapidfuzz",)), ("built-ins (C, any caller)", ("~",))]
    totals: dict[str, float] = defaultdict(float)
    stats = pstats.Stats(profiler)
    for (filename, _line, function), row in stats.stats.items():  # type: ignore[attr-defined]
        own = row[2]
        where = filename if filename != "~" else f"~{function}"
        group = next((name for name, keys in groups if any(k in where for k in keys)), "other")
        totals[group] += own
    whole = sum(totals.values()) or 1.0
    return {name: value / whole for name, value in sorted(totals.items(), key=lambda kv: -kv[1])}


def run_child(spec: dict[str, Any]) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", json.dumps(spec)], cwd=ROOT,
        capture_output=True, text=True, check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"phase {spec} failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=200, help="corpus size (default 200)")
    parser.add_argument("--latency-ms", type=int, default=300,
                        help="injected server latency per call (default 300)")
    parser.add_argument("--repeats", type=int, default=3,
                        help="runs at concurrency 8, the median reported (default 3)")
    parser.add_argument("--profile", action="store_true",
                        help="also show where the CPU goes at zero latency (cProfile, by package)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(json.loads(args.child))))
        return

    latency = args.latency_ms / 1000
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        work = Path(tmp)
        corpus = make_corpus(work / "corpus", args.articles)
        print(f"{args.articles} articles, server latency {args.latency_ms} ms, "
              f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average "
              f"{os.getloadavg()[0]:.1f} at start", flush=True)
        runs: dict[int, dict[str, Any]] = {}
        with reference_server(args.latency_ms, work) as (url, _pid):
            for concurrency, repeats in ((1, 1), (8, args.repeats)):
                tries = []
                for attempt in range(repeats):
                    print(f"  concurrency {concurrency}, run {attempt + 1} of {repeats} ...",
                          flush=True)
                    tries.append(run_child({
                        "base_url": url, "corpus": str(corpus),
                        "db": str(work / f"c{concurrency}-{attempt}.db"),
                        "concurrency": concurrency, "rerun": concurrency == 8,
                    }))
                tries.sort(key=lambda run: run["wall_s"])
                runs[concurrency] = {**tries[len(tries) // 2],
                                     "walls": [run["wall_s"] for run in tries]}
        print("  CPU at zero latency ...", flush=True)
        with reference_server(0, work) as (url, pid):
            server_cpu = process_cpu_seconds(pid)
            cpu_run = run_child({"base_url": url, "corpus": str(corpus),
                                 "db": str(work / "cpu.db"), "concurrency": 8})
            server_cpu = process_cpu_seconds(pid) - server_cpu
            profiled = (run_child({"base_url": url, "corpus": str(corpus),
                                   "db": str(work / "profile.db"), "concurrency": 8,
                                   "profile": True}) if args.profile else None)
        cli_rerun = _cli_rerun(corpus, work / "c8-0.db")

    print(f"load average {os.getloadavg()[0]:.1f} at end (other work on this machine "
          "stretches wall and CPU times)\n")
    rows: list[tuple[str, str, str, str]] = []
    for concurrency, run in runs.items():
        ideal = run["requests"] * latency / concurrency
        efficiency = ideal / run["wall_s"]
        target = f">= {TARGET_EFFICIENCY:.0%}" if concurrency == 8 else ""
        verdict = ("met" if efficiency >= TARGET_EFFICIENCY else "MISSED") if target else ""
        spread = (f"; median of {len(run['walls'])}: "
                  + ", ".join(f"{wall:.2f}" for wall in run["walls"])
                  if len(run["walls"]) > 1 else "")
        rows.append((f"wall, concurrency {concurrency}",
                     f"{run['wall_s']:.2f} s ({run['requests']} calls, ideal {ideal:.2f} s, "
                     f"{efficiency:.1%} of ideal{spread})", target, verdict))
    speed_up = runs[1]["wall_s"] / runs[8]["wall_s"]
    rows.append(("speed-up 8 vs 1", f"{speed_up:.2f}x", "", ""))
    cpu_ms = cpu_run["cpu_s"] / cpu_run["articles"] * 1000
    rows.append(("pipeline CPU / article (0 ms)",
                 f"{cpu_ms:.1f} ms ({cpu_run['cpu_s']:.2f} s for {cpu_run['articles']}, "
                 f"{cpu_run['requests']} calls; server used {server_cpu:.2f} s elsewhere)",
                 f"<= {TARGET_CPU_MS:.0f} ms", "met" if cpu_ms <= TARGET_CPU_MS else "MISSED"))
    rows.append(("per call", f"{cpu_run['cpu_s'] / max(cpu_run['requests'], 1) * 1000:.1f} ms "
                 f"CPU; wall {cpu_run['wall_s']:.2f} s", "", ""))
    c8 = runs[8]
    rows.append(("peak memory (max RSS), c=8",
                 f"{c8['rss_peak_mb']:.0f} MB ({c8['rss_peak_mb'] - c8['rss_before_mb']:+.0f} MB "
                 "over the warmed-up process)", "", ""))
    rerun_ratio = c8["wall_s"] / c8["rerun_s"]
    rows.append(("unchanged re-run (library)",
                 f"{c8['rerun_s'] * 1000:.1f} ms, {c8['rerun_cached']} cached: "
                 f"{rerun_ratio:,.0f}x faster", f">= {TARGET_SPEEDUP:.0f}x",
                 "met" if rerun_ratio >= TARGET_SPEEDUP else "MISSED"))
    rows.append(("unchanged re-run (CLI process)",
                 f"{cli_rerun:.2f} s incl. interpreter start and imports: "
                 f"{c8['wall_s'] / cli_rerun:,.1f}x faster", "", ""))
    width = max(len(row[0]) for row in rows)
    for name, value, target, verdict in rows:
        print(f"{name:<{width}}  {value}" + (f"   [target {target}: {verdict}]" if target else ""))
    failed = [run for run in [*runs.values(), cpu_run] if run["failed"]]
    if failed:
        print(f"WARNING: {sum(r['failed'] for r in failed)} article(s) failed in the runs")
    if profiled:
        print("\nwhere the CPU goes at zero latency (cProfile own time, by package):")
        for name, share in profiled["profile"].items():
            print(f"  {share:6.1%}  {name}")


def _cli_rerun(corpus: Path, db: Path) -> float:
    """`newsextract run` over the unchanged folder: what a user waits for, imports included."""
    env = {**os.environ, "NEWSEXTRACT_MODEL": MODEL, "OPENAI_BASE_URL": "http://127.0.0.1:9/v1",
           "NEWSEXTRACT_PROMPT_VERSION": "1"}  # port 9: a request would fail, none is made
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "pipeline.cli", "run", str(corpus), "--db",
                           str(db)], cwd=ROOT, env=env, capture_output=True, text=True,
                          check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"CLI re-run failed:\n{done.stdout}\n{done.stderr}")
    return elapsed


if __name__ == "__main__":
    main()

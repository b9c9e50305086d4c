"""The five seeds reprinted as N articles reconcile to exactly the clusters of the five seeds alone.

    python bench/bench_seed_reprints.py                  # 5, 300 and 3,000 articles
    python bench/bench_seed_reprints.py --sizes 5 300    # other sizes

Each copy is a seed with its own first line (an outlet's masthead and dateline) and its own last
line (its credit), as syndicated copy is. End to end through the CLI: the reference server
(``tests.reference_server``, on ``--port``) answers ``newsextract run`` over the copies, then
``newsextract reconcile`` runs in a child process whose wall time and peak memory
(``ru_maxrss`` of that child alone) are measured. Every copy's mention is mapped back to the seed
mention it reprints (same seed, same span shifted by the first line), and the clusters of each
size are compared with those of the five seeds alone: the same partition, kind by kind.

Done when (issue 13): 3,000 articles give exactly the seeds' clusters, reconcile time grows at most
15x from 300 to 3,000 articles, peak memory under 2 GiB.
"""

from __future__ import annotations

import argparse
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
DEFAULT_SIZES = (5, 300, 3000)
MODEL = "reference-annotations"
OUTLETS = ("The Harbour Gazette", "Northern Ledger", "Valley Tribune", "Coastal Mail",
           "Metro Dispatch", "Prairie Herald", "Island Chronicle", "Capital Wire")  # fmt: skip
Partition = dict[str, frozenset[frozenset[tuple[str, int, int]]]]


def write_copies(folder: Path, articles: int) -> dict[str, tuple[str, int]]:
    """``articles`` files, the seeds in turn; article id -> (seed, shift of its offsets)."""
    folder.mkdir(parents=True, exist_ok=True)
    shifts: dict[str, tuple[str, int]] = {}
    for n in range(articles):
        seed = SEEDS[n % len(SEEDS)]
        outlet = OUTLETS[n % len(OUTLETS)]
        first = f"{outlet} | copy {n} | {1 + n % 28} Nov 2026\n\n"
        last = f"\n\n(c) {outlet} {2000 + n}. Reprinted under licence, copy {n}."
        text = first + seed.read_text(encoding="utf-8") + last
        name = f"{seed.stem}_copy{n:05d}"
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
        shifts[name] = (seed.stem, len(first))
    return shifts


@contextmanager
def reference_server(port: int, log: Path) -> Iterator[str]:
    """The reference server on ``port`` in its own process; its base URL."""
    with log.open("w") as out:
        server = subprocess.Popen([sys.executable, "-m", "tests.reference_server", "--port",
                                   str(port)], cwd=ROOT, stdout=out, stderr=out)  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while not (found := re.search(r"on (http://\S+/v1)", log.read_text())):
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the reference server did not start:\n{log.read_text()}")
            time.sleep(0.05)
        yield found[1]
    finally:
        server.terminate()
        server.wait(timeout=10)


def newsextract(*args: str, env: dict[str, str] | None = None) -> tuple[float, float, int]:
    """(wall s, CPU s, peak RSS bytes) of one CLI command in a child process."""
    command = [str(Path(sys.executable).parent / "newsextract"), *args]
    started = time.perf_counter()
    child = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **(env or {})},
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip
    assert child.stderr is not None
    errors = child.stderr.read().decode()
    _, status, usage = os.wait4(child.pid, 0)
    if status != 0:
        raise SystemExit(f"newsextract {' '.join(args)} failed:\n{errors[-3000:]}")
    return time.perf_counter() - started, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024


def partition(db: Path, shifts: dict[str, tuple[str, int]]) -> Partition:
    """Per kind, the clusters as sets of seed mentions (seed, start, end in the seed's text)."""
    clusters: dict[tuple[str, str], set[tuple[str, int, int]]] = defaultdict(set)
    with closing(sqlite3.connect(db)) as connection:
        rows = connection.execute(
            "SELECT kind, cluster_id, article_id, span_start, span_end FROM cluster_members"
        ).fetchall()
    for kind, cluster, article, start, end in rows:
        seed, shift = shifts[article]
        where = (seed, start - shift, end - shift) if start is not None else (seed, -1, -1)
        clusters[(kind, cluster)].add(where)
    found: dict[str, set[frozenset[tuple[str, int, int]]]] = defaultdict(set)
    for (kind, _), members in clusters.items():
        found[kind].add(frozenset(members))
    return {kind: frozenset(groups) for kind, groups in found.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES))
    parser.add_argument("--port", type=int, default=8773)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    sizes = sorted(set(args.sizes) | {len(SEEDS)})
    rows: dict[int, tuple[float, float, int, dict[str, int], bool]] = {}
    with tempfile.TemporaryDirectory(prefix="seed-reprints-") as scratch:
        work = Path(scratch)
        with reference_server(args.port, work / "server.log") as base_url:
            env = {"OPENAI_BASE_URL": base_url, "NEWSEXTRACT_MODEL": MODEL,
                   "OPENAI_API_KEY": "sk-reference"}  # fmt: skip
            seeds_alone: Partition | None = None
            for size in sizes:
                folder, db = work / f"copies-{size}", work / f"store-{size}.db"
                shifts = write_copies(folder, size)
                run_wall, _, _ = newsextract("run", str(folder), "--db", str(db), "-j",
                                             str(args.concurrency), env=env)  # fmt: skip
                wall, cpu, rss = newsextract("reconcile", "--db", str(db), "-n", "1", env=env)
                found = partition(db, shifts)
                if seeds_alone is None:
                    seeds_alone = found
                same = found == seeds_alone
                rows[size] = (wall, cpu, rss, {k: len(v) for k, v in found.items()}, same)
                print(f"  {size:,} articles: run {run_wall:.0f} s, reconcile {wall:.1f} s",
                      file=sys.stderr, flush=True)  # fmt: skip
    print("| articles | reconcile wall | reconcile CPU | peak RSS | actors / quotes / claims "
          "clusters | the seeds' clusters exactly |")
    print("|---|---|---|---|---|---|")
    for size, (wall, cpu, rss, counts, same) in rows.items():
        print(f"| {size:,} | {wall:.1f} s | {cpu:.1f} s | {rss / 2**30:.2f} GiB | "
              f"{counts.get('actor', 0)} / {counts.get('quote', 0)} / {counts.get('claim', 0)} | "
              f"{'yes' if same else 'NO'} |")
    if 300 in rows and 3000 in rows:
        print(f"\n300 -> 3,000 articles: reconcile wall x{rows[3000][0] / rows[300][0]:.1f}, "
              f"CPU x{rows[3000][1] / rows[300][1]:.1f} (target <= 15x); peak memory at 3,000: "
              f"{rows[3000][2] / 2**30:.2f} GiB (target < 2 GiB)")


if __name__ == "__main__":
    main()

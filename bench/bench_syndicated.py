"""Reconciliation at corpus scale, end to end: a store of syndicated copy, `newsextract reconcile`.

    python bench/bench_syndicated.py                        # 1k, 10k, 100k, then 1k more
    python bench/bench_syndicated.py --sizes 1000 10000     # other sizes
    python bench/bench_syndicated.py --profile 10000        # what dominates, in process
    python bench/bench_syndicated.py --sizes 10000 --increment-only --check-full
    python bench/bench_syndicated.py --profile 10000 --increment-only   # the increment, profiled

For each size a store is filled through the Store API with the extraction results of a synthetic
syndicated corpus (``syndicated.py``: stories reprinted by many outlets, each copy edited its own
way), kept in ``--cache`` between runs. A copy of it is reconciled by the CLI, in a child process:
its wall time and peak memory (``ru_maxrss`` of that child alone) are measured, then the saved
clusters are scored against the generator's truth (pairwise precision and recall of quote and
claim mentions). Printed: the table, and the growth of time and memory per 10x of articles.

Incremental: 1,000 more articles (half reprints of earlier stories, half new stories) are added to
the largest store after its reconciliation, and `newsextract reconcile` runs again. With
``--increment-only`` the full run is not timed: the reconciled copy ``work-SIZE.db`` left by an
earlier run is reused while the reconciliation code is the same (its stored fingerprint), else it
is reconciled again first; ``--check-full`` then reconciles the grown store with ``--full`` too and
says whether both runs give the same clusters with the same ids, kind by kind.

Targets (issue 13): 100k articles < 10 min and < 6 GiB; growth per 10x <= 12x; incremental 1k
into 100k < 60 s; quote and claim clusters P = 1.00 and R >= 0.99 at every size.
"""

from __future__ import annotations

import argparse
import itertools
import math
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterable
from contextlib import closing
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from syndicated import MODEL, PROMPT, Copy, Story, Wire, reprints

from pipeline.settings import Settings
from pipeline.store.db import CacheKey, InputRef, Store

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SIZES = (1_000, 10_000, 100_000)
INCREMENT = 1_000
GENERATOR = "v4"  # bump when syndicated.py (or the bench_reconcile names it uses) changes
KEY = CacheKey(model=MODEL, prompt=PROMPT, schema_sha256="cd" * 32)


def build(size: int, folder: Path, seed: int) -> tuple[Path, Path]:
    """(store, store with the increment added): built once, kept in ``folder``."""
    base = folder / f"syndicated-{GENERATOR}-{size}-s{seed}.db"
    grown = folder / f"syndicated-{GENERATOR}-{size}+{INCREMENT}-s{seed}.db"
    if base.exists() and grown.exists():
        return base, grown
    folder.mkdir(parents=True, exist_ok=True)
    for path in (base, grown):
        path.unlink(missing_ok=True)
    with Store(base):
        pass
    _truth_table(base)
    wire = Wire(seed)
    stories: list[tuple[Story, int]] = []
    made = 0
    started = time.perf_counter()
    with Store(base) as store:
        run = store.start_run(Settings(model=MODEL), KEY, concurrency=1)
        while made < size:
            story = wire.story()
            count = min(reprints(wire.rng), size - made)
            stories.append((story, count))
            _record(store, run, wire.copies(story, count, made))
            made += count
            if made * 20 // size != (made - count) * 20 // size:
                print(f"\r  filling {base.name}: {made:,}/{size:,} articles", end="",
                      file=sys.stderr, flush=True)  # fmt: skip
    print(f"  ({time.perf_counter() - started:.0f} s)", file=sys.stderr)
    shutil.copyfile(base, grown)
    rng = random.Random(seed + 1)
    with Store(grown) as store:
        run = store.start_run(Settings(model=MODEL), KEY, concurrency=1)
        added = 0
        while added < INCREMENT // 2:  # more outlets reprint stories already in the store
            story, _ = rng.choice(stories)
            count = min(rng.randint(1, 20), INCREMENT // 2 - added)
            _record(store, run, wire.copies(story, count, made + added))
            added += count
        while added < INCREMENT:  # and new stories come in
            story = wire.story()
            count = min(reprints(wire.rng), 40, INCREMENT - added)
            _record(store, run, wire.copies(story, count, made + added))
            added += count
    return base, grown


def _record(store: Store, run: int, copies: Iterable[Copy]) -> None:
    for copy in copies:
        store.record_extraction(run, copy.article, copy.result, KEY,
                                source=InputRef(path=None, article_id=copy.article.article_id))
        with store.transaction("the truth") as db:
            db.executemany("INSERT INTO bench_truth (kind, key, truth) VALUES (?, ?, ?)",
                           copy.truth)


def _truth_table(path: Path) -> None:
    with closing(sqlite3.connect(path)) as db:
        db.execute("CREATE TABLE IF NOT EXISTS bench_truth (kind TEXT, key TEXT, truth TEXT)")
        db.commit()


def reconcile(store: Path, *, full: bool = False) -> tuple[float, int]:
    """(wall seconds, peak RSS bytes) of `newsextract reconcile` on ``store``, in a child; its
    CPU time and the load average are printed to stderr."""
    command = [str(Path(sys.executable).parent / "newsextract"), "reconcile", "--db", str(store),
               "-n", "1", *(["--full"] if full else [])]
    started = time.perf_counter()
    child = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE)  # fmt: skip
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    errors = child.stderr.read().decode() if child.stderr else ""
    if status != 0:
        raise SystemExit(f"newsextract reconcile failed on {store}:\n{errors}")
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"  {store.name}: wall {wall:.1f} s, CPU {usage.ru_utime + usage.ru_stime:.1f} s "
          f"(user {usage.ru_utime:.1f}), peak RSS {_gib(usage.ru_maxrss * 1024)}, load {load}; "
          f"{errors.strip().splitlines()[-1] if errors.strip() else ''}", file=sys.stderr,
          flush=True)  # fmt: skip
    return wall, usage.ru_maxrss * 1024


def score(store: Path) -> dict[str, tuple[float, float, int, int]]:
    """Per kind: (precision, recall, clusters, truth clusters), pairwise over mentions."""
    found: dict[str, tuple[float, float, int, int]] = {}
    with closing(sqlite3.connect(store)) as db:
        # Without it SQLite may scan the truth once per member (the members' kind index).
        db.execute("CREATE INDEX IF NOT EXISTS bench_truth_key ON bench_truth (kind, key)")
        for kind in ("quote", "claim"):
            db.execute("DROP TABLE IF EXISTS temp.scored")
            db.execute(
                """CREATE TEMP TABLE scored AS SELECT m.cluster_id AS cluster, t.truth AS truth
                   FROM cluster_members m JOIN bench_truth t ON t.kind = m.kind AND
                   t.key = m.article_id || '@' || m.span_start || '-' || m.span_end
                   WHERE m.kind = ?""",
                (kind,),
            )

            def pairs(group: str) -> int:
                row = db.execute(
                    f"SELECT coalesce(sum(n * (n - 1) / 2), 0) FROM (SELECT count(*) AS n "
                    f"FROM temp.scored GROUP BY {group})"
                ).fetchone()
                return int(row[0])

            both, predicted, true = pairs("cluster, truth"), pairs("cluster"), pairs("truth")
            clusters = db.execute("SELECT count(DISTINCT cluster) FROM temp.scored").fetchone()[0]
            truths = db.execute("SELECT count(DISTINCT truth) FROM temp.scored").fetchone()[0]
            found[kind] = (both / max(1, predicted), both / max(1, true), clusters, truths)
    return found


def counts(store: Path) -> tuple[int, int, int, int]:
    """(articles, actor name mentions, quotes, claims) in the store."""
    with closing(sqlite3.connect(store)) as db:
        return (
            db.execute("SELECT count(*) FROM extractions").fetchone()[0],
            db.execute("SELECT count(*) FROM mentions").fetchone()[0],
            db.execute("SELECT count(*) FROM quotes").fetchone()[0],
            db.execute("SELECT count(*) FROM claims").fetchone()[0],
        )


def _gib(value: int) -> str:
    return f"{value / 2**30:.2f} GiB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES))
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/newsextract-bench"))
    parser.add_argument("--no-incremental", action="store_true")
    parser.add_argument("--profile", type=int, metavar="SIZE",
                        help="reconcile a store of SIZE articles in process under cProfile and "
                             "tracemalloc, and print what dominates")  # fmt: skip
    parser.add_argument("--memory", action="store_true", help="with --profile: tracemalloc too")
    parser.add_argument("--increment-only", action="store_true",
                        help="time (or with --profile, profile) only the incremental run, on a "
                             "copy of the reconciled store an earlier run left")  # fmt: skip
    parser.add_argument("--check-full", action="store_true",
                        help="with --increment-only: compare with a --full run of the grown store")
    args = parser.parse_args()
    if args.profile:
        profile(args.profile, args.cache, args.seed, memory=args.memory,
                increment=args.increment_only)  # fmt: skip
        return
    if args.increment_only:
        increment_only(max(args.sizes), args.cache, args.seed, check=args.check_full)
        return
    rows: list[tuple[int, float, int]] = []
    print("| articles | actor names / quotes / claims | reconcile wall | peak RSS | quotes P / R "
          "(clusters, true) | claims P / R (clusters, true) |")
    print("|---|---|---|---|---|---|")
    for size in sorted(args.sizes):
        base, grown = build(size, args.cache, args.seed)
        work = args.cache / f"work-{size}.db"
        shutil.copyfile(base, work)
        wall, rss = reconcile(work)
        rows.append((size, wall, rss))
        _print_row(size, counts(work), wall, rss, score(work))
        if size == max(args.sizes) and not args.no_incremental:
            grown_work = args.cache / f"work-{size}+{INCREMENT}.db"
            shutil.copyfile(grown, grown_work)
            _copy_clusters(work, grown_work)
            wall, rss = reconcile(grown_work)
            _print_row(size + INCREMENT, counts(grown_work), wall, rss, score(grown_work),
                       label=f"{size:,} + {INCREMENT:,} (incremental)")  # fmt: skip
    print()
    for (small, t0, m0), (large, t1, m1) in itertools.pairwise(rows):
        per_10x = math.log(10) / math.log(large / small)
        print(f"{small:,} -> {large:,} articles: time x{t1 / t0:.1f} "
              f"(x{(t1 / t0) ** per_10x:.1f} per 10x), peak memory x{m1 / m0:.1f}")


def reconciled(size: int, folder: Path, seed: int) -> Path:
    """``work-SIZE.db``: the SIZE store reconciled by the code here (again if it was not)."""
    from pipeline.reconcile.incremental import fingerprint

    base, _ = build(size, folder, seed)
    work = folder / f"work-{size}.db"
    if work.exists():
        with closing(sqlite3.connect(work)) as db:
            row = db.execute("SELECT fingerprint FROM reconciliations ORDER BY id DESC LIMIT 1"
                             ).fetchone()  # fmt: skip
        if row is not None and row[0] == fingerprint():
            return work
        print(f"  {work.name} was reconciled by other code: again", file=sys.stderr)
    shutil.copyfile(base, work)
    reconcile(work)
    return work


def grown_copy(size: int, folder: Path, seed: int, work: Path, name: str) -> Path:
    """A copy of the grown store holding the reconciliation saved in ``work``."""
    _, grown = build(size, folder, seed)
    target = folder / name
    shutil.copyfile(grown, target)
    _copy_clusters(work, target)
    return target


def increment_only(size: int, folder: Path, seed: int, *, check: bool) -> None:
    """The incremental run alone (its row), and with ``check`` whether ``--full`` agrees."""
    work = reconciled(size, folder, seed)
    grown_work = grown_copy(size, folder, seed, work, f"work-{size}+{INCREMENT}.db")
    wall, rss = reconcile(grown_work)
    _print_row(size + INCREMENT, counts(grown_work), wall, rss, score(grown_work),
               label=f"{size:,} + {INCREMENT:,} (incremental)")  # fmt: skip
    if not check:
        return
    full_work = grown_copy(size, folder, seed, work, f"full-{size}+{INCREMENT}.db")
    wall, rss = reconcile(full_work, full=True)
    _print_row(size + INCREMENT, counts(full_work), wall, rss, score(full_work),
               label=f"{size:,} + {INCREMENT:,} (--full)")  # fmt: skip
    incremental, full = clusters_of(grown_work), clusters_of(full_work)
    for kind in ("actor", "quote", "claim"):
        same = len(incremental[kind].items() & full[kind].items())
        print(f"{kind}: {len(incremental[kind]):,} clusters incremental, {len(full[kind]):,} "
              f"--full, {same:,} the same (id and members)")  # fmt: skip
    print("identical" if incremental == full else "DIFFERENT")


def clusters_of(store: Path) -> dict[str, dict[str, frozenset[tuple[object, ...]]]]:
    """Per kind, cluster id -> its members (article, text, span) in the stored reconciliation."""
    found: dict[str, dict[str, set[tuple[object, ...]]]] = {"actor": {}, "quote": {}, "claim": {}}
    with closing(sqlite3.connect(store)) as db:
        for kind, cluster_id, *member in db.execute(
            "SELECT kind, cluster_id, article_id, text, span_start, span_end FROM cluster_members"
        ):
            found[kind].setdefault(cluster_id, set()).add(tuple(member))
    return {kind: {cluster_id: frozenset(members) for cluster_id, members in clusters.items()}
            for kind, clusters in found.items()}


def _copy_clusters(source: Path, target: Path) -> None:
    """The reconciliation saved in ``source`` (the store before the increment), into ``target``."""
    with Store(target):
        pass  # migrated to the schema ``source`` was saved with
    with closing(sqlite3.connect(target)) as db:
        db.execute("ATTACH DATABASE ? AS previous", (str(source),))
        for table in ("reconciliations", "clusters", "cluster_parts", "cluster_members",
                      "claim_relations", "cluster_representatives", "reconciled_extractions",
                      "cluster_keys"):
            db.execute(f"DELETE FROM main.{table}")
            db.execute(f"INSERT INTO main.{table} SELECT * FROM previous.{table}")
        db.commit()


def _print_row(size: int, found: tuple[int, int, int, int], wall: float, rss: int,
               scores: dict[str, tuple[float, float, int, int]], *, label: str | None = None
               ) -> None:
    _, actors, quotes, claims = found
    q, c = scores["quote"], scores["claim"]
    print(f"| {label or f'{size:,}'} | {actors:,} / {quotes:,} / {claims:,} | {wall:.1f} s | "
          f"{_gib(rss)} | {q[0]:.4f} / {q[1]:.4f} ({q[2]:,}, {q[3]:,}) | "
          f"{c[0]:.4f} / {c[1]:.4f} ({c[2]:,}, {c[3]:,}) |", flush=True)


def profile(size: int, folder: Path, seed: int, *, memory: bool, increment: bool) -> None:
    """cProfile's top functions and tracemalloc's top allocation sites of one reconcile (with
    ``increment``, of the incremental run alone)."""
    import cProfile
    import pstats
    import resource
    import tracemalloc

    from pipeline.reconcile import reconcile_corpus, save_reconciliation
    from pipeline.reconcile.incremental import reconcile_store

    base, _ = build(size, folder, seed)
    if increment:
        work = grown_copy(size, folder, seed, reconciled(size, folder, seed),
                          f"profile-{size}+{INCREMENT}.db")  # fmt: skip
    else:
        work = folder / f"profile-{size}.db"
        shutil.copyfile(base, work)
    if memory:
        tracemalloc.start(8)
    profiler = cProfile.Profile()
    with Store(work) as store:
        before = resource.getrusage(resource.RUSAGE_SELF)
        profiler.enable()
        if increment:
            outcome = reconcile_store(store)
            print(f"incremental: {outcome.incremental} ({outcome.why})")
        else:
            save_reconciliation(store, reconcile_corpus(store))
        profiler.disable()
        after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"CPU {cpu:.1f} s under the profiler, peak RSS {_gib(after.ru_maxrss * 1024)}, "
          f"load {load}")  # fmt: skip
    if memory:
        snapshot = tracemalloc.take_snapshot()
        _, peak = tracemalloc.get_traced_memory()
        print(f"tracemalloc peak: {_gib(peak)}; top allocation sites at the end:")
        for stat in snapshot.statistics("traceback")[:12]:
            print(f"  {stat.size / 2**20:8.1f} MiB")
            for line in stat.traceback.format()[-6:]:
                print(f"      {line}")
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)


if __name__ == "__main__":
    main()

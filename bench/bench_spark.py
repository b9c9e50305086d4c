"""Actor reconciliation on Splink's Spark backend (local mode) beside in-process DuckDB.

    python bench/bench_spark.py                         # 10k, 100k, 1M mentions, both backends
    python bench/bench_spark.py --sizes 10000 --master 'local[2]'

The mentions are bench_reconcile.py's synthetic corpus (same generator, same seed), so the two
benchmarks agree on what is measured. Each (size, backend) runs in a fresh subprocess. Printed:
the time of ``reconcile_actors`` alone (the Spark session is started before the clock and its
start-up printed apart), the peak memory of the Python process and, for Spark, of the JVM (the
child process, ``RUSAGE_CHILDREN``, read after the session stops), pairwise precision and recall
against the generator's truth, and how far Spark's clusters agree with DuckDB's (pairwise).

Needs the ``spark`` extra and Java (README, *Reconciling on Spark*).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_reconcile import generate, pairwise_precision_recall

from pipeline.reconcile import reconcile_actors

DEFAULT_SIZES = (10_000, 100_000, 1_000_000)


def run_one(size: int, backend_name: str, master: str, seed: int) -> dict[str, object]:
    """Generate, start the backend, then time reconcile_actors alone; runs in the child."""
    mentions, truth = generate(size, seed)
    backend = None
    startup = 0.0
    if backend_name == "spark":
        from pipeline.reconcile.spark import spark_backend

        started = time.perf_counter()
        backend = spark_backend(master)
        startup = time.perf_counter() - started
    started = time.perf_counter()
    clusters = reconcile_actors(mentions, splink_backend=backend)
    seconds = time.perf_counter() - started
    by_identity = {id(m): c.actor_id for c in clusters for m in c.mentions}
    labels = [by_identity[id(m)] for m in mentions]
    precision, recall = pairwise_precision_recall(labels, truth)
    python_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    jvm_mib = sum(_peak_mib(pid) for pid in _descendants(os.getpid()))
    if backend is not None:
        backend.spark.stop()
    agreement = _agreement_with_duckdb(size, labels, backend_name)
    return {
        "size": size,
        "backend": backend_name,
        "startup": startup,
        "seconds": seconds,
        "python_mib": python_mib,
        "jvm_mib": jvm_mib,
        "clusters": len(clusters),
        "precision": precision,
        "recall": recall,
        "agreement": agreement,
    }


def _agreement_with_duckdb(size: int, labels: list[str], backend_name: str) -> str:
    """DuckDB's child leaves its labels in a file; Spark's is scored against them, pairwise:
    'P/R' of Spark's same-actor pairs taking DuckDB's as the truth."""
    path = Path(tempfile.gettempdir()) / f"bench_spark_duckdb_{size}.json"
    if backend_name == "duckdb":
        path.write_text(json.dumps(labels))
        return ""
    precision, recall = pairwise_precision_recall(labels, json.loads(path.read_text()))
    return f"{precision:.4f}/{recall:.4f}"


def _descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (the JVM runs under spark-submit's shell)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _peak_mib(pid: int) -> float:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES))
    parser.add_argument("--master", default="local[2]", help="Spark master (default local[2])")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--child", nargs=2, metavar=("SIZE", "BACKEND"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        size, backend = args.child
        print(json.dumps(run_one(int(size), backend, args.master, args.seed)))
        return
    load = os.getloadavg()
    print(
        f"bench_spark {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} CPUs, "
        f"load average {load[0]:.2f}, Spark master {args.master}"
    )
    print(
        f"{'mentions':>10} {'backend':>7} {'start s':>8} {'seconds':>8} {'py MiB':>7} "
        f"{'JVM MiB':>8} {'clusters':>9} {'P':>6} {'R':>6} {'P/R vs DuckDB':>15} {'time x':>7}"
    )
    previous: dict[str, dict[str, object]] = {}
    for size in args.sizes:
        for backend in ("duckdb", "spark"):
            child = subprocess.run(
                [sys.executable, str(Path(__file__).resolve()), "--child", str(size), backend,
                 "--master", args.master, "--seed", str(args.seed)],
                capture_output=True, text=True, check=False,
            )  # fmt: skip
            if child.returncode != 0:
                print(f"{size:>10,} {backend:>7} failed:\n{child.stderr[-3000:]}")
                return
            row = json.loads(child.stdout.strip().splitlines()[-1])
            same = row["agreement"]
            before = previous.get(backend)
            growth = (
                f"{float(row['seconds']) / float(before['seconds']):>7.1f}"  # type: ignore[arg-type]
                if before
                else f"{'':>7}"
            )
            print(
                f"{size:>10,} {backend:>7} {row['startup']:>8.1f} {row['seconds']:>8.1f} "
                f"{row['python_mib']:>7.0f} {row['jvm_mib']:>8.0f} {row['clusters']:>9,} "
                f"{row['precision']:>6.3f} {row['recall']:>6.3f} {same:>15} {growth}",
                flush=True,
            )
            previous[backend] = row
    print("seconds: reconcile_actors only (Spark session start-up apart); time x: per size step")
    print("P/R vs DuckDB: Spark's same-actor pairs scored against DuckDB's as the truth")


if __name__ == "__main__":
    main()

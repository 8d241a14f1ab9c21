"""Benchmark: the whole GX stage (all suites) on a built warehouse, one session vs one per suite.

Runs the 9 suites of `pipelines.quality.suites` on a warehouse that `tradepulse run` built, with
Data Docs, in alternating rounds, each in a fresh subprocess (so each pays GX's import, as the
first check step of a Dagster run does):

- shared:    one `GXSession` for every suite, Data Docs rendered once at the end, as a Dagster
             run does since the `gx` resource;
- per-suite: each suite in a session of its own that renders its Data Docs page and the index,
             as each check step did before.

Both must find the same failed checks. The warehouse is copied first and opened read-only.

    .venv/bin/python bench/gx_stage.py data/warehouse.duckdb [--repeat 3]
"""

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MODES = ("shared", "per-suite")


def child(mode: str, database: Path, docs: Path) -> dict[str, object]:
    """Run every suite in this process; timings and what failed."""
    start, cpu = time.perf_counter(), time.process_time()
    from pipelines.quality.evaluate import run_suite
    from pipelines.quality.runner import GXSession
    from pipelines.quality.suites import SUITES

    imported = time.perf_counter() - start
    suites, results = {}, {}
    session = GXSession(docs) if mode == "shared" else None
    for suite in SUITES:
        began = time.perf_counter()
        if session is None:
            results[suite.name] = run_suite(suite, database, data_docs_dir=docs)
        else:
            results[suite.name] = run_suite(suite, database, session=session)
        suites[suite.name] = round(time.perf_counter() - began, 3)
    began = time.perf_counter()
    if session is not None:
        session.close()
        session.build_data_docs()
    docs_seconds = time.perf_counter() - began
    index = (docs / "index.html").read_text()
    return {
        "wall": round(time.perf_counter() - start, 3),
        "cpu": round(time.process_time() - cpu, 3),
        "import": round(imported, 3),
        "final_docs": round(docs_seconds, 3),
        "suites": suites,
        "failed": sorted(
            f"{n}:{r.expect.name}" for n, rs in results.items() for r in rs if not r.passed
        ),
        "index_entries": index.count(": passed, ") + index.count(": FAILED, "),
        "max_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def run(mode: str, database: Path, work: Path) -> dict[str, object]:
    """One mode in a fresh subprocess, on its own Data Docs dir."""
    docs = work / f"docs-{mode}"
    shutil.rmtree(docs, ignore_errors=True)
    command = [sys.executable, __file__, str(database), "--child", mode, "--docs", str(docs)]
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    """Time both modes and print the best round of each."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("warehouse", type=Path, help="a warehouse built by `tradepulse run`")
    parser.add_argument("--repeat", type=int, default=3, help="rounds, one run of each mode each")
    parser.add_argument("--child", choices=MODES, help=argparse.SUPPRESS)
    parser.add_argument("--docs", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.warehouse, args.docs)))
        return 0
    with tempfile.TemporaryDirectory(prefix="gx_stage_") as tmp:
        work = Path(tmp)
        database = work / "warehouse.duckdb"
        shutil.copyfile(args.warehouse, database)
        rounds: dict[str, list[dict[str, object]]] = {mode: [] for mode in MODES}
        for number in range(1, args.repeat + 1):
            for mode in MODES:
                report = run(mode, database, work)
                rounds[mode].append(report)
                print(
                    f"round {number}/{args.repeat} {mode:9s} wall {report['wall']:6.2f} s, "
                    f"cpu {report['cpu']:6.2f} s, import {report['import']:5.2f} s",
                    file=sys.stderr,
                )
    failed = {mode: reports[0]["failed"] for mode, reports in rounds.items()}
    if failed["shared"] != failed["per-suite"]:
        print(f"the modes disagree on the failed checks: {failed}", file=sys.stderr)
        return 1
    for mode, reports in rounds.items():
        best = min(reports, key=lambda report: report["wall"])
        least_cpu = min(report["cpu"] for report in reports)
        print(
            f"{mode:9s} best wall {best['wall']:6.2f} s (import {best['import']:.2f} s, final "
            f"Data Docs {best['final_docs']:.2f} s), least cpu {least_cpu:6.2f} s, "
            f"peak RSS {best['max_rss_mib']} MiB, {best['index_entries']} suites in the index, "
            f"{len(best['failed'])} failed checks"
        )
        print("  " + ", ".join(f"{name} {s:.2f}" for name, s in best["suites"].items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark: the dbt build of TradePulse on DuckDB and on local Spark, on the same sample.

Generates the seeded sample (or reuses --raw-dir) and loads it into raw tables once, the way
the thin ingestion does. Then, for each engine, a fresh copy of that warehouse is built in a
child process, measured from outside: wall time, and the peak over time of the summed resident
memory of the child and every descendant (dbt, and on Spark the JVM), sampled from /proc.

- duckdb: `dbt build` (target duckdb), as `tradepulse run` does it.
- spark: what `tradepulse run --engine spark` does instead: export raw.* to Parquet, `dbt build
  --target spark` (session method, local[2]), copy the built models back into the warehouse.

The headline rows of both warehouses are printed, to show that they agree. Linux only (/proc).

    .venv/bin/python bench/spark.py --order-lines 1000000
    .venv/bin/python bench/spark.py --order-lines 10000000 --engines spark --driver-memory 8g
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(Path(__file__).resolve().parent)]

from dbt_build import HEADLINES, load_raw  # noqa: E402  (bench/dbt_build.py)
from measure import tree_rss_bytes  # noqa: E402  (bench/measure.py)

DBT_PROJECT_DIR = ROOT / "dbt_project"
SAMPLE_SECONDS = 0.2


def log(message: str) -> None:
    """Progress on standard error."""
    print(message, file=sys.stderr, flush=True)


@dataclass(frozen=True)
class Measurement:
    """One measured child process."""

    seconds: float
    peak_tree_bytes: int
    returncode: int
    phases: dict[str, float]


def measure(command: list[str], env: dict[str, str], log_path: Path) -> Measurement:
    """Run `command`, sampling its process tree's memory until it exits."""
    peak = 0
    started = time.perf_counter()
    with open(log_path, "w") as output:
        child = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=output)
        done = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not done.is_set():
                peak = max(peak, tree_rss_bytes(child.pid))
                done.wait(SAMPLE_SECONDS)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        stdout, _ = child.communicate()
        done.set()
        sampler.join()
    seconds = time.perf_counter() - started
    lines = stdout.decode().strip().splitlines()
    phases = json.loads(lines[-1]) if lines and child.returncode == 0 else {}
    return Measurement(seconds, peak, child.returncode, phases)


def _dbt_env(warehouse: Path, spark_dir: Path, driver_memory: str) -> dict[str, str]:
    return {
        **os.environ,
        "TRADEPULSE_WAREHOUSE": str(warehouse),
        "TRADEPULSE_SPARK_DIR": str(spark_dir),
        "TRADEPULSE_SPARK_DRIVER_MEMORY": driver_memory,
        "SPARK_LOCAL_IP": "127.0.0.1",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }


def _dbt_paths(work_dir: Path) -> list[str]:
    return [
        "--project-dir", str(DBT_PROJECT_DIR),
        "--profiles-dir", str(DBT_PROJECT_DIR),
        "--target-path", str(work_dir / "target"),
        "--log-path", str(work_dir / "logs"),
    ]  # fmt: skip


def stage(engine: str, warehouse: Path, spark_dir: Path, work_dir: Path) -> int:
    """The measured child: one engine's build of `warehouse`; prints its phases as JSON."""
    phases = {}
    started = time.perf_counter()
    if engine == "duckdb":
        dbt = Path(sys.executable).parent / "dbt"
        command = [str(dbt), "build", "--target", "duckdb", *_dbt_paths(work_dir)]
        code = subprocess.run(command, stdout=sys.stderr).returncode
        phases["dbt build"] = time.perf_counter() - started
    else:
        from pipelines.spark.build import spark_build
        from pipelines.spark.dbt_cli import dbt_executable

        with spark_build(warehouse, spark_dir):
            phases["export raw to Parquet"] = time.perf_counter() - started
            command = [
                str(dbt_executable(spark_dir / "bin")),
                "build",
                "--target", "spark",
                *_dbt_paths(work_dir),
            ]  # fmt: skip
            code = subprocess.run(command, stdout=sys.stderr).returncode
            phases["dbt build --target spark"] = (
                time.perf_counter() - started - sum(phases.values())
            )
            if code != 0:
                raise SystemExit(code)  # leaves the frame without copying anything back
        phases["copy back into DuckDB"] = time.perf_counter() - started - sum(phases.values())
    print(json.dumps(phases))
    return code


def headlines(warehouse: Path) -> list[tuple]:
    """The two headline rows of kpi_growth."""
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        return conn.execute(HEADLINES).fetchall()


def main(argv: list[str] | None = None) -> int:
    """Prepare the sample once, then measure each engine's build of it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--order-lines", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--raw-dir", type=Path, help="reuse a generated sample")
    parser.add_argument("--work-dir", type=Path, help="default: a new temporary directory")
    parser.add_argument("--engines", default="duckdb,spark", help="comma-separated, in order")
    parser.add_argument("--driver-memory", default="4g", help="Spark driver heap (local mode)")
    parser.add_argument("--stage", choices=("duckdb", "spark"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    work_dir = args.work_dir or Path(tempfile.mkdtemp(prefix="tradepulse-bench-spark-"))
    work_dir.mkdir(parents=True, exist_ok=True)
    if args.stage:
        return stage(args.stage, work_dir / "warehouse.duckdb", work_dir / "spark", work_dir)

    raw_dir = args.raw_dir or work_dir / "raw"
    if args.raw_dir is None:
        from pipelines.generate.sample import generate_sample

        log(f"[1/3] generating {args.order_lines:,} order lines (seed {args.seed}) in {raw_dir}")
        generate_sample(raw_dir, seed=args.seed, order_lines=args.order_lines, overwrite=True)
    else:
        log(f"[1/3] using the sample in {raw_dir}")
    base = work_dir / "raw_loaded.duckdb"
    base.unlink(missing_ok=True)
    log(f"[2/3] loading raw tables into {base}")
    rows = load_raw(raw_dir, base)

    print(f"order lines (raw):  {rows['orders']:,}; cores: {os.cpu_count()}", flush=True)
    engines = [engine.strip() for engine in args.engines.split(",") if engine.strip()]
    for number, engine in enumerate(engines, 1):
        engine_dir = work_dir / engine
        shutil.rmtree(engine_dir, ignore_errors=True)
        engine_dir.mkdir()
        shutil.copyfile(base, engine_dir / "warehouse.duckdb")
        log(f"[3/3] ({number}/{len(engines)}) {engine} build (log: {engine_dir / 'build.log'})")
        command = [sys.executable, __file__, "--stage", engine, "--work-dir", str(engine_dir)]
        env = _dbt_env(engine_dir / "warehouse.duckdb", engine_dir / "spark", args.driver_memory)
        measured = measure(command, env, engine_dir / "build.log")
        if measured.returncode != 0:
            log(f"{engine} failed with exit code {measured.returncode}; see its build.log")
            return measured.returncode
        # Each engine's figures as soon as they are known: a later one may not finish.
        phases = ", ".join(f"{name} {seconds:.0f} s" for name, seconds in measured.phases.items())
        print(
            f"{engine:>6}: {measured.seconds:7.1f} s wall, peak RSS of the process tree "
            f"{measured.peak_tree_bytes / 2**30:.2f} GiB ({phases})",
            flush=True,
        )
        for metric, value_name, value, prior, growth in headlines(engine_dir / "warehouse.duckdb"):
            print(
                f"        {metric} 2023-H1 {value_name}: {value:,.2f} vs {prior:,.2f} "
                f"({growth:+.2%})",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())

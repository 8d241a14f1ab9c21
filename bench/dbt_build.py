"""Benchmark: a full `dbt build` of the TradePulse warehouse on a generated sample.

Generates the seeded sample (or reuses --raw-dir), loads it into raw tables the way the thin
ingestion does, then runs `dbt build` in a child process and prints its wall-clock seconds and
peak resident memory, with the two headline rows.

    .venv/bin/python bench/dbt_build.py --order-lines 10000000
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = ROOT / "dbt_project"
ENTITIES = ("suppliers", "buyers", "orders")
HEADLINES = """
select metric, dimension_value, value, value_prior_year, yoy_growth
from marts.kpi_growth
where period_grain = 'half' and period = '2023-H1'
    and (
        (metric = 'active_buyers' and dimension = 'all')
        or (metric = 'listed_suppliers' and dimension = 'supplier_country'
            and dimension_value = 'VN')
    )
order by metric
"""


def log(message: str) -> None:
    """Progress on standard error."""
    print(message, file=sys.stderr, flush=True)


def load_raw(raw_dir: Path, warehouse: Path) -> dict[str, int]:
    """Load each entity's Parquet files into raw.<entity> with the lineage columns."""
    rows = {}
    with duckdb.connect(str(warehouse)) as conn:
        conn.execute("create schema if not exists raw")
        for entity in ENTITIES:
            files = sorted(str(path) for path in (raw_dir / entity).glob("*.parquet"))
            conn.execute(
                f"create or replace table raw.{entity} as "
                "select * exclude (filename, file_row_number), filename as _source_file, "
                "file_row_number + 1 as _source_row, current_timestamp as _loaded_at "
                "from read_parquet(?, filename = true, file_row_number = true)",
                [files],
            )
            rows[entity] = conn.execute(f"select count(*) from raw.{entity}").fetchone()[0]
    return rows


def dbt_build(warehouse: Path, work_dir: Path) -> tuple[float, int, int]:
    """Run `dbt build`; return (seconds, peak RSS in bytes of the dbt process, exit code)."""
    dbt = Path(sys.executable).parent / "dbt"
    env = {
        **os.environ,
        "TRADEPULSE_WAREHOUSE": str(warehouse),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    command = [
        str(dbt if dbt.exists() else "dbt"),
        "build",
        "--project-dir", str(DBT_PROJECT_DIR),
        "--profiles-dir", str(DBT_PROJECT_DIR),
        "--target-path", str(work_dir / "target"),
        "--log-path", str(work_dir / "logs"),
    ]  # fmt: skip
    started = time.perf_counter()
    with open(work_dir / "dbt_build.log", "w") as output:
        completed = subprocess.run(command, env=env, stdout=output, stderr=subprocess.STDOUT)
    seconds = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, peak_kib * 1024, completed.returncode


def main(argv: list[str] | None = None) -> int:
    """Generate (or reuse) a sample, load it, time `dbt build` and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--order-lines", type=int, default=10_000_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--raw-dir", type=Path, help="reuse a generated sample")
    parser.add_argument("--work-dir", type=Path, help="default: a new temporary directory")
    args = parser.parse_args(argv)

    work_dir = args.work_dir or Path(tempfile.mkdtemp(prefix="tradepulse-bench-"))
    work_dir.mkdir(parents=True, exist_ok=True)
    raw_dir = args.raw_dir or work_dir / "raw"
    if args.raw_dir is None:
        from pipelines.generate.sample import generate_sample

        log(f"[1/3] generating {args.order_lines:,} order lines (seed {args.seed}) in {raw_dir}")
        generate_sample(raw_dir, seed=args.seed, order_lines=args.order_lines, overwrite=True)
    else:
        log(f"[1/3] using the sample in {raw_dir}")
    warehouse = work_dir / "warehouse.duckdb"
    warehouse.unlink(missing_ok=True)
    log(f"[2/3] loading raw tables into {warehouse}")
    rows = load_raw(raw_dir, warehouse)
    log(f"[3/3] dbt build (log: {work_dir / 'dbt_build.log'})")
    seconds, peak_bytes, code = dbt_build(warehouse, work_dir)
    if code != 0:
        log(f"dbt build failed with exit code {code}; see {work_dir / 'dbt_build.log'}")
        return code

    print(f"order lines (raw):   {rows['orders']:,}")
    print(f"dbt build seconds:   {seconds:.1f}")
    print(f"dbt build peak RSS:  {peak_bytes / 2**30:.2f} GiB")
    print(f"cores:               {os.cpu_count()}")
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        for metric, value_name, value, prior, growth in conn.execute(HEADLINES).fetchall():
            print(
                f"{metric} 2023-H1 {value_name}: {value:,.2f} vs {prior:,.2f} "
                f"({growth:+.2%} year on year)"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark: ingesting N order lines from Parquet against a bare DuckDB `create table as`.

    .venv/bin/python bench/ingest.py                      # 10 million lines, 3 rounds
    .venv/bin/python bench/ingest.py --order-lines 1000000 --rounds 1

Generates the sample once into --work-dir (kept between runs), then runs each measurement in a
fresh process so that its peak RSS is its own: the bare
`create table orders as select * from read_parquet([...])` of the orders files, and the raw_orders
load of every month (listing, hashing, reading with polars, the contract's checks, writing through
Arrow, the load log), each until its connection is closed (DuckDB checkpoints on close). The two
alternate, round after round, so that a busy machine slows both alike. Prints figures; not a test.
"""

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from pipelines.ingest.load import load_entity
from pipelines.ingest.partitions import MonthsCache, data_start_month, orders_partitions_def
from pipelines.ingest.prepare import MonthRange
from pipelines.ingest.tables import connect

ROOT = Path(__file__).resolve().parent.parent


def _peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def measure_ctas(raw_dir: Path, warehouse: Path) -> dict:
    """Seconds and peak RSS of a bare CTAS over the orders Parquet files."""
    files = sorted(str(path) for path in (raw_dir / "orders").glob("*.parquet"))
    started = time.perf_counter()
    conn = duckdb.connect(str(warehouse))
    conn.read_parquet(files).create("orders")
    rows = conn.execute("select count(*) from orders").fetchone()[0]
    conn.close()
    return {
        "seconds": time.perf_counter() - started,
        "cpu_seconds": _cpu_seconds(),
        "rows": rows,
        "rss_mib": _peak_rss_mib(),
    }


def measure_ingest(raw_dir: Path, warehouse: Path) -> dict:
    """Seconds and peak RSS of loading every month of raw_orders (buyers and suppliers first)."""
    now = datetime.now(UTC).replace(tzinfo=None)
    with connect(warehouse) as conn:
        started = time.perf_counter()
        for entity in ("suppliers", "buyers"):
            load_entity(conn, raw_dir, entity, run_id="bench", now=now)
    reference_seconds = time.perf_counter() - started

    started, cpu_started = time.perf_counter(), _cpu_seconds()
    cache = MonthsCache(None)
    keys = orders_partitions_def(data_start_month(raw_dir, cache)).get_partition_keys()
    with connect(warehouse) as conn:
        report = load_entity(
            conn,
            raw_dir,
            "orders",
            run_id="bench",
            now=now,
            months=MonthRange(tuple(keys), keys[0], keys[-1]),
            months_cache=cache,
        )
    return {
        "seconds": time.perf_counter() - started,
        "cpu_seconds": _cpu_seconds() - cpu_started,
        "rows": report.rows_loaded,
        "rows_read": report.rows_read,
        "rows_rejected": report.rows_rejected,
        "reference_seconds": reference_seconds,
        "rss_mib": _peak_rss_mib(),
    }


def _child(kind: str, raw_dir: Path, warehouse: Path) -> dict:
    for path in warehouse.parent.glob(f"{warehouse.name}*"):
        path.unlink()
    completed = subprocess.run(
        [sys.executable, __file__, "--child", kind, "--work-dir", str(raw_dir.parent)],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    return json.loads(completed.stdout.strip().splitlines()[-1])


def _ensure_sample(work_dir: Path, order_lines: int, seed: int) -> Path:
    raw_dir = work_dir / "raw"
    marker = work_dir / "sample.json"
    wanted = {"order_lines": order_lines, "seed": seed}
    if marker.exists() and json.loads(marker.read_text()) == wanted:
        return raw_dir
    from pipelines.generate.sample import generate_sample

    print(f"generating {order_lines:,} order lines into {raw_dir} ...", file=sys.stderr)
    summary = generate_sample(raw_dir, seed=seed, order_lines=order_lines, overwrite=True)
    print(f"  done in {summary.seconds:.1f} s", file=sys.stderr)
    marker.write_text(json.dumps(wanted))
    return raw_dir


def main() -> None:
    """Run the rounds and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--order-lines", type=int, default=10_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--work-dir", type=Path, default=Path("/tmp/tradepulse-bench"))
    parser.add_argument("--child", choices=("ctas", "ingest"), help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        raw_dir = args.work_dir / "raw"
        warehouse = args.work_dir / f"{args.child}.duckdb"
        measure = measure_ctas if args.child == "ctas" else measure_ingest
        print(json.dumps(measure(raw_dir, warehouse)))
        return

    raw_dir = _ensure_sample(args.work_dir, args.order_lines, args.seed)
    files = sorted((raw_dir / "orders").glob("*.parquet"))
    size_mib = sum(path.stat().st_size for path in files) / 2**20
    print(f"orders: {len(files)} Parquet files, {size_mib:,.0f} MiB", file=sys.stderr)
    results: dict[str, list[dict]] = {"ctas": [], "ingest": []}
    for round_number in range(1, args.rounds + 1):
        for kind in ("ctas", "ingest"):
            result = _child(kind, raw_dir, args.work_dir / f"{kind}.duckdb")
            results[kind].append(result)
            print(
                f"[round {round_number}/{args.rounds}] {kind:6} {result['seconds']:7.2f} s "
                f"(CPU {result['cpu_seconds']:6.1f} s) "
                f"{result['rows']:>12,} rows  peak RSS {result['rss_mib']:,.0f} MiB",
                file=sys.stderr,
            )

    ctas = statistics.median(result["seconds"] for result in results["ctas"])
    ingest = statistics.median(result["seconds"] for result in results["ingest"])
    last = results["ingest"][-1]
    print(f"order lines read            {last['rows_read']:>12,}")
    print(f"order lines loaded          {last['rows']:>12,}  (rejected {last['rows_rejected']:,})")
    print(f"bare CTAS, median           {ctas:>12.2f} s")
    print(f"raw_orders ingest, median   {ingest:>12.2f} s")
    print(f"ratio ingest / CTAS         {ingest / ctas:>12.2f}")
    ctas_cpu = statistics.median(result["cpu_seconds"] for result in results["ctas"])
    ingest_cpu = statistics.median(result["cpu_seconds"] for result in results["ingest"])
    print(f"CPU seconds, CTAS / ingest  {ctas_cpu:>12.1f} / {ingest_cpu:.1f}")
    print(f"peak RSS, CTAS              {max(r['rss_mib'] for r in results['ctas']):>12,.0f} MiB")
    print(f"peak RSS, ingest            {max(r['rss_mib'] for r in results['ingest']):>12,.0f} MiB")
    print(f"buyers + suppliers load     {last['reference_seconds']:>12.2f} s (not in the ratio)")


if __name__ == "__main__":
    main()

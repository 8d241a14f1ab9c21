"""Benchmark: five GX expectations on DuckDB via the pushdown adapter vs one plain SQL query.

Builds a synthetic order-lines table (10 million rows by default) with a few injected bad rows,
then times both sides in alternating rounds, each run in its own subprocess so that peak RSS is
per side and load from other processes falls on both alike:

- gx:  `pipelines.quality.runner.run_expectations` with five expectations (not null on the key,
       compound unique on (order_id, line_number), in set on status, between on quantity,
       shipped_at >= ordered_at with nulls ignored);
- sql: one DuckDB query computing the same five unexpected counts.

Both sides must report the same counts. Target: GX at most 3x plain SQL.

    .venv/bin/python bench/gx_pushdown.py [--rows 10000000] [--repeat 3] [--queries]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

TABLE = "raw.order_lines"
STATUSES = ("placed", "shipped", "delivered", "cancelled")
# Bad rows injected at fixed positions: (kind, how many).
BAD_ROWS = {"null_key": 4, "duplicate_line": 5, "bad_status": 11, "bad_quantity": 13, "early": 17}

PLAIN_SQL = f"""
select
    count(*) filter (where order_id is null) as not_null,
    (
        select coalesce(sum(n), 0)
        from (
            select count(*) as n
            from {TABLE}
            where order_id is not null or line_number is not null
            group by order_id, line_number
            having count(*) > 1
        )
    ) as compound_unique,
    count(*) filter (where status not in {STATUSES}) as in_set,
    count(*) filter (where quantity < 1 or quantity > 1000) as between,
    count(*) filter (where shipped_at < ordered_at) as pair
from {TABLE}
"""


def build_table(path: Path, rows: int) -> None:
    """Write the synthetic order-lines table with the injected bad rows into a DuckDB file."""
    with duckdb.connect(str(path)) as con:
        con.execute("create schema raw")
        con.execute(
            f"""
            create table {TABLE} as
            select
                (i // 4 + 1)::bigint as order_id,
                (i % 4 + 1)::integer as line_number,
                ['placed', 'shipped', 'delivered', 'cancelled'][i % 4 + 1] as status,
                (i % 50 + 1)::integer as quantity,
                timestamp '2024-01-01' + to_seconds(i % 31536000) as ordered_at,
                case
                    when i % 4 = 0 then null
                    else timestamp '2024-01-01' + to_seconds(i % 31536000 + 86400)
                end as shipped_at
            from range({rows}) as r(i)
            """
        )
        n = BAD_ROWS
        injections = [
            # One null key per line number, so null keys add no duplicate (order_id, line_number).
            "set order_id = null where order_id <= 4 and line_number = order_id",
            f"set line_number = 1 where order_id between 101 and {100 + n['duplicate_line']}"
            " and line_number = 2",
            f"set status = 'lost' where order_id between 201 and {200 + n['bad_status']}"
            " and line_number = 1",
            f"set quantity = 0 where order_id between 301 and {300 + n['bad_quantity']}"
            " and line_number = 1",
            "set shipped_at = ordered_at - interval 1 hour"
            f" where order_id between 401 and {400 + n['early']} and line_number = 2",
        ]
        for injection in injections:
            con.execute(f"update {TABLE} {injection}")
        con.execute("checkpoint")


def expected_counts() -> dict[str, int]:
    """The unexpected counts both sides must find (a duplicated pair counts both rows)."""
    return {
        "not_null": BAD_ROWS["null_key"],
        "compound_unique": 2 * BAD_ROWS["duplicate_line"],
        "in_set": BAD_ROWS["bad_status"],
        "between": BAD_ROWS["bad_quantity"],
        "pair": BAD_ROWS["early"],
    }


def run_gx(path: Path) -> dict[str, int]:
    """Run the five expectations through the adapter; return unexpected counts by name."""
    import great_expectations as gx

    from pipelines.quality.runner import run_expectations

    e = gx.expectations
    outcomes = run_expectations(
        path,
        TABLE,
        [
            e.ExpectColumnValuesToNotBeNull(column="order_id"),
            e.ExpectCompoundColumnsToBeUnique(column_list=["order_id", "line_number"]),
            e.ExpectColumnValuesToBeInSet(column="status", value_set=list(STATUSES)),
            e.ExpectColumnValuesToBeBetween(column="quantity", min_value=1, max_value=1000),
            e.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A="shipped_at",
                column_B="ordered_at",
                or_equal=True,
                ignore_row_if="either_value_is_missing",
            ),
        ],
        suite_name="bench_order_lines",
    )
    names = ("not_null", "compound_unique", "in_set", "between", "pair")
    for outcome in outcomes:
        if outcome.exception:
            raise RuntimeError(f"{outcome.expectation_type}: {outcome.exception}")
    return {name: o.unexpected_count for name, o in zip(names, outcomes, strict=True)}


def run_sql(path: Path) -> dict[str, int]:
    """Compute the same unexpected counts with one plain SQL query."""
    with duckdb.connect(str(path), read_only=True) as con:
        cursor = con.execute(PLAIN_SQL)
        columns = [d[0] for d in cursor.description]
        return dict(zip(columns, cursor.fetchone(), strict=True))


def _log_queries() -> list[tuple[float, str]]:
    """Record the duration and text of every SQL statement GX sends through SQLAlchemy."""
    import sqlalchemy as sa

    log: list[tuple[float, str]] = []

    @sa.event.listens_for(sa.engine.Engine, "before_cursor_execute")
    def _start(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001
        conn.info["bench_started"] = time.perf_counter()

    @sa.event.listens_for(sa.engine.Engine, "after_cursor_execute")
    def _end(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001
        log.append((time.perf_counter() - conn.info["bench_started"], " ".join(statement.split())))

    return log


def child(side: str, path: Path, repeat: int, queries: bool) -> None:
    """Time one side `repeat` times in this process and print a JSON line."""
    started = time.perf_counter()
    if side == "gx":
        import great_expectations  # noqa: F401  (import cost reported separately)

        import pipelines.quality.runner  # noqa: F401
    imported = time.perf_counter() - started
    rss_after_import = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    work = run_gx if side == "gx" else run_sql
    log = _log_queries() if queries and side == "gx" else []
    seconds, counts = [], {}
    for _ in range(repeat):
        log.clear()
        t0 = time.perf_counter()
        counts = work(path)
        seconds.append(time.perf_counter() - t0)
    if log:
        in_sql = sum(d for d, _ in log)
        print(f"last GX run: {len(log)} queries, {in_sql:.2f} s in SQL, ", file=sys.stderr, end="")
        print(f"{seconds[-1] - in_sql:.2f} s in Python; slowest first:", file=sys.stderr)
        for duration, statement in sorted(log, reverse=True)[:8]:
            print(f"  {duration:6.3f} s  {statement[:150]}", file=sys.stderr)
    print(
        json.dumps(
            {
                "side": side,
                "import_s": imported,
                "seconds": seconds,
                "counts": counts,
                "rss_after_import_mib": rss_after_import / 1024,
                "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
        )
    )


def measure(side: str, path: Path, repeat: int, queries: bool) -> dict:
    """Run one side in a fresh subprocess and parse its report."""
    command = [sys.executable, __file__, "--child", side, "--db", str(path)]
    command += ["--repeat", str(repeat)] + (["--queries"] if queries else [])
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    report = json.loads(done.stdout.strip().splitlines()[-1])
    report["queries"] = done.stderr if queries else ""
    return report


def main() -> int:
    """Build the table, time both sides, print the figures and check the 3x target."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=3, help="rounds, one run of each side each")
    parser.add_argument(
        "--queries", action="store_true", help="print the GX run's slowest SQL statements"
    )
    parser.add_argument("--child", choices=("gx", "sql"), help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.db, args.repeat, args.queries)
        return 0

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.duckdb"
        steps = args.repeat + 1
        print(f"[1/{steps}] building {args.rows:,} order lines in {path} ...", flush=True)
        t0 = time.perf_counter()
        build_table(path, args.rows)
        print(f"      built in {time.perf_counter() - t0:.1f} s", flush=True)
        # Rounds alternate the two sides so that load from other processes hits both alike.
        runs: dict[str, list[dict]] = {"sql": [], "gx": []}
        for n in range(1, args.repeat + 1):
            print(
                f"[{n + 1}/{steps}] round {n}: plain SQL, then GX via the adapter ...", flush=True
            )
            runs["sql"].append(measure("sql", path, 1, queries=False))
            last = n == args.repeat
            runs["gx"].append(measure("gx", path, 1, queries=args.queries and last))

    want = expected_counts()
    for side, reports in runs.items():
        for report in reports:
            if report["counts"] != want:
                print(f"{side} counts {report['counts']} != expected {want}", file=sys.stderr)
                return 1
    seconds = {side: [r["seconds"][0] for r in reports] for side, reports in runs.items()}
    ratio = min(seconds["gx"]) / min(seconds["sql"])
    print(f"\nrows: {args.rows:,}   unexpected counts (both sides): {want}")
    print(f"load average (1 min) at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    for side, reports in runs.items():
        listed = ", ".join(f"{s:.2f}" for s in seconds[side])
        print(
            f"{side:>4}: best {min(seconds[side]):.2f} s, "
            f"median {statistics.median(seconds[side]):.2f} s (runs: {listed}); "
            f"peak RSS {max(r['peak_rss_mib'] for r in reports):.0f} MiB "
            f"(after imports {max(r['rss_after_import_mib'] for r in reports):.0f} MiB); "
            f"import {min(r['import_s'] for r in reports):.2f} s"
        )
    print(f"ratio GX / plain SQL: {ratio:.2f}x (target <= 3x): {'OK' if ratio <= 3 else 'ABOVE'}")
    if runs["gx"][-1]["queries"]:
        print(runs["gx"][-1]["queries"], end="")
    return 0 if ratio <= 3 else 1


if __name__ == "__main__":
    sys.exit(main())

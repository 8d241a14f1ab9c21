"""Benchmark: the raw_orders GX suite on 10 million order lines vs plain SQL computing the same.

Builds a warehouse with the raw tables' real layouts (`pipelines.ingest.tables`): raw.orders
(10 million lines by default, 3 per order, over 2020-2023), raw.buyers, raw.suppliers and the
rejection tables, with bad rows injected at fixed places. Then times both sides in alternating
rounds, each in its own subprocess so that peak RSS is per side:

- gx:  `pipelines.quality.evaluate.run_suite` on the raw_orders suite (every expectation of
       `pipelines.quality.suites`, one GX validation, SQL pushdown), Data Docs included unless
       --no-docs; sample rows of the failed checks included;
- sql: one DuckDB query, generated from the same suite, computing every expectation's unexpected
       count (a `count(*) filter (...)` per column rule in one scan, plus a subquery per
       uniqueness and per SQL rule).

Both sides must report the expected counts for every expectation. Target: GX at most 3x SQL.
With faults (the default) every kind of check fails somewhere, so the GX side also collects its
sample rows; --clean measures the everyday case where every check passes.

    .venv/bin/python bench/gx_suites.py [--rows 10000000] [--repeat 3] [--no-docs] [--clean]
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import duckdb

from pipelines.contract import ORDER_STATUSES
from pipelines.ingest.tables import ensure_tables
from pipelines.quality.expect import NOW, Expect
from pipelines.quality.suites import get_suite

SUITE = "raw_orders"
# Every "not in the future" rule is checked against this time, on both sides.
CHECK_TIME = datetime(2024, 1, 1)
CURRENCIES = ("USD", "EUR", "VND", "CNY", "GBP", "JPY")
BUYERS = 200_000
SUPPLIERS = 5_000
# (expectation, rows broken, SQL that breaks them); positions are fixed order numbers.
INJECTIONS = (
    ("buyer_id_not_null", 4, "set buyer_id = null where o between 10 and 13 and line_number = 1"),
    ("order_status_allowed", 33, "set order_status = 'lost' where o between 20 and 30"),
    ("currency_allowed", 7, "set currency = 'XXX' where o between 40 and 46 and line_number = 1"),
    ("quantity_in_range", 13, "set quantity = 0 where o between 50 and 62 and line_number = 2"),
    ("buyer_rating_in_range", 9, "set buyer_rating = 6 where o between 70 and 72"),
    (
        "shipped_at_not_before_ordered_at",
        17,
        "set shipped_at = ordered_at - interval 2 day, delivered_at = null "
        "where o between 80 and 96 and line_number = 2",
    ),
    (
        "delivered_at_not_in_future",
        2,
        "set delivered_at = timestamp '2099-01-01' where o in (101, 102) and line_number = 1",
    ),
    (
        "buyer_id_exists_in_buyers",
        9,
        "set buyer_id = 'B-unknown' where o between 110 and 118 and line_number = 3",
    ),
)
DUPLICATES_IN_FILE = 5  # lines copied within their own file
DUPLICATES_ACROSS_FILES = 6  # lines copied into another file
REJECTED_ROWS = 20


def build_warehouse(path: Path, rows: int, faults: bool = True) -> None:
    """Write the raw tables (with the injected faults unless `faults` is false) into a file."""
    with duckdb.connect(str(path)) as con:
        for entity in ("suppliers", "buyers", "orders"):
            ensure_tables(con, entity, replace=True)
        con.execute(
            f"""
            insert into raw.buyers (buyer_id, country_code, registered_at, _source_file)
            select 'B' || lpad(i::varchar, 7, '0'), 'VN', date '2019-01-01', 'buyers/b.parquet'
            from range({BUYERS}) as r(i)
            """
        )
        con.execute(
            f"""
            insert into raw.suppliers (supplier_id, supplier_name, country_code, business_type,
                main_category, is_verified, joined_at, _source_file)
            select 'S' || lpad(i::varchar, 5, '0'), 'Supplier ' || i, 'VN', 'manufacturer',
                'coffee', true, date '2018-01-01', 'suppliers/s.parquet'
            from range({SUPPLIERS}) as r(i)
            """
        )
        currencies = "[" + ", ".join(f"'{c}'" for c in CURRENCIES) + "]"
        statuses = "[" + ", ".join(f"'{s}'" for s in ORDER_STATUSES) + "]"
        con.execute(
            f"""
            create temp table lines as
            with base as (
                select
                    i // 3 as o,
                    (i % 3 + 1)::integer as line_number,
                    timestamp '2020-01-01' + to_seconds((i // 3) * 37 % 120000000) as ordered_at
                from range({rows}) as r(i)
            )
            select
                o,
                'O' || lpad(o::varchar, 9, '0') as order_id,
                line_number,
                'B' || lpad((o % {BUYERS})::varchar, 7, '0') as buyer_id,
                'S' || lpad((o % {SUPPLIERS})::varchar, 5, '0') as supplier_id,
                ordered_at,
                'coffee' as product_category,
                (o % 20 + 1)::double as quantity,
                (o % 1000) / 10 + 0.5 as unit_price,
                {currencies}[o % {len(CURRENCIES)} + 1] as currency,
                {statuses}[o % {len(ORDER_STATUSES)} + 1] as order_status,
                cast(ordered_at as date) + 5 as promised_ship_by,
                case when o % 5 = 0 then null else ordered_at + to_hours(o % 72) end as shipped_at,
                case when o % 5 = 0 or o % 7 = 0 then null
                    else ordered_at + to_hours(o % 72 + 72) end as delivered_at,
                case when o % 3 = 0 then null else (o % 5 + 1)::integer end as buyer_rating,
                case when o % 4 = 0 then null else (o % 48)::double end as first_response_hours,
                strftime(ordered_at, 'orders/%Y-%m.parquet') as _source_file,
                row_number() over () as _source_row,
                timestamp '2024-01-02' as _loaded_at
            from base
            """
        )
        if faults:
            inject(con)
        con.execute("insert into raw.orders by name select * exclude (o) from lines")
        con.execute("checkpoint")


def inject(con: duckdb.DuckDBPyConnection) -> None:
    """Break rows of the temp table `lines`, copy some, fill the rejection tables."""
    for _, _, injection in INJECTIONS:
        con.execute(f"update lines {injection}")
    copies = (
        f"select * from lines where o between 200 and {199 + DUPLICATES_IN_FILE} "
        "and line_number = 1 union all "
        "select * replace ('orders/corrections.parquet' as _source_file) from lines "
        f"where o between 300 and {299 + DUPLICATES_ACROSS_FILES} and line_number = 1"
    )
    con.execute(f"insert into lines {copies}")
    con.execute(
        "insert into raw.rejected_files (entity, source_file, reason_code, reason_message) "
        "values ('orders', 'orders/broken.parquet', 'unreadable', 'not a Parquet file')"
    )
    con.execute(
        "insert into raw.rejected_rows (entity, source_file, source_row, reason_code) "
        "select 'orders', 'orders/2021-01.parquet', i, 'out_of_range' "
        f"from range({REJECTED_ROWS}) as r(i)"
    )


def expected_counts(faults: bool = True) -> dict[str, int]:
    """The unexpected count every expectation must find (0 for those nothing broke)."""
    counts = {expect.name: 0 for expect in get_suite(SUITE).expectations}
    if not faults:
        return counts
    counts.update({name: broken for name, broken, _ in INJECTIONS})
    # Uniqueness counts the keys that have more than one copy.
    counts["key_unique_within_file"] = DUPLICATES_IN_FILE
    counts["key_unique_across_files"] = DUPLICATES_IN_FILE + DUPLICATES_ACROSS_FILES
    counts["no_rejected_files"] = 1
    counts["no_rejected_rows"] = REJECTED_ROWS
    return counts


def _literal(value: object) -> str:
    if value == NOW:
        return f"timestamp '{CHECK_TIME.isoformat(sep=' ')}'"
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    return repr(value)


def _column_rule(expect: Expect) -> str | None:
    """A `count(*) filter (...)` for expectations on the values of one row, else None."""
    kwargs = expect.kwargs
    column = kwargs.get("column")
    if expect.expectation == "ExpectColumnValuesToNotBeNull":
        return f"{column} is null"
    if expect.expectation == "ExpectColumnValuesToBeInSet":
        values = ", ".join(_literal(v) for v in kwargs["value_set"])
        return f"{column} not in ({values})"
    if expect.expectation == "ExpectColumnValuesToBeBetween":
        parts = []
        if kwargs.get("min_value") is not None:
            operator = "<=" if kwargs.get("strict_min") else "<"
            parts.append(f"{column} {operator} {_literal(kwargs['min_value'])}")
        if kwargs.get("max_value") is not None:
            operator = ">=" if kwargs.get("strict_max") else ">"
            parts.append(f"{column} {operator} {_literal(kwargs['max_value'])}")
        return " or ".join(parts)
    if expect.expectation == "ExpectColumnPairValuesAToBeGreaterThanB":
        return f"{kwargs['column_A']} < {kwargs['column_B']}"
    return None


def plain_sql(table: str) -> str:
    """One query with every expectation's unexpected count, as a column named after it."""
    selects = []
    for expect in get_suite(SUITE).expectations:
        rule = _column_rule(expect)
        if rule is not None:
            selects.append(f"count(*) filter (where {rule}) as {expect.name}")
            continue
        if expect.rows_query is not None:
            query = expect.rows_query.replace("{batch}", table)
            selects.append(f"(select count(*) from ({query})) as {expect.name}")
            continue
        columns = expect.kwargs.get("column_list") or [expect.kwargs["column"]]
        key = ", ".join(columns)
        not_all_null = " or ".join(f"{c} is not null" for c in columns)
        selects.append(
            f"(select coalesce(sum(n), 0) from (select count(*) as n from {table} "
            f"where {not_all_null} group by {key} having count(*) > 1)) as {expect.name}"
        )
    return "select\n    " + ",\n    ".join(selects) + f"\nfrom {table}"


def run_gx(path: Path, docs: Path | None) -> dict[str, int]:
    """The raw_orders suite through the pipeline's own code; unexpected counts by name."""
    from pipelines.quality.evaluate import run_suite

    results = run_suite(get_suite(SUITE), path, data_docs_dir=docs, now=CHECK_TIME)
    for result in results:
        if result.outcome is not None and result.outcome.exception:
            raise RuntimeError(f"{result.expect.name}: {result.outcome.exception}")
    return {result.expect.name: result.unexpected_count for result in results}


def run_sql(path: Path) -> dict[str, int]:
    """The same counts with one plain SQL query."""
    with duckdb.connect(str(path), read_only=True) as con:
        cursor = con.execute(plain_sql("raw.orders"))
        columns = [d[0] for d in cursor.description]
        return dict(zip(columns, cursor.fetchone(), strict=True))


def child(side: str, path: Path, docs: Path | None) -> None:
    """Time one side once in this process and print a JSON line."""
    started = time.perf_counter()
    if side == "gx":
        import great_expectations  # noqa: F401  (import cost reported separately)

        import pipelines.quality.runner  # noqa: F401
    imported = time.perf_counter() - started
    cpu0, t0 = _cpu_seconds(), time.perf_counter()
    counts = run_gx(path, docs) if side == "gx" else run_sql(path)
    seconds, cpu = time.perf_counter() - t0, _cpu_seconds() - cpu0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    report = {"side": side, "import_s": imported, "seconds": seconds, "cpu_s": cpu}
    print(json.dumps(report | {"counts": counts, "peak_rss_mib": peak}))


def _cpu_seconds() -> float:
    """User and system CPU time of this process so far (DuckDB's threads included)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def measure(side: str, path: Path, docs: Path | None) -> dict:
    """Run one side in a fresh subprocess and parse its report."""
    command = [sys.executable, __file__, "--child", side, "--db", str(path)]
    command += ["--docs", str(docs)] if docs else []
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    """Build the warehouse, time both sides, print the figures and check the 3x target."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=3, help="rounds, one run of each side each")
    parser.add_argument("--no-docs", action="store_true", help="GX side without Data Docs")
    parser.add_argument("--clean", action="store_true", help="inject no faults: every check passes")
    parser.add_argument("--child", choices=("gx", "sql"), help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--docs", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.db, args.docs)
        return 0

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.duckdb"
        docs = None if args.no_docs else Path(tmp) / "quality"
        steps = args.repeat + 1
        print(f"[1/{steps}] building {args.rows:,} raw order lines in {path} ...", flush=True)
        t0 = time.perf_counter()
        build_warehouse(path, args.rows, faults=not args.clean)
        print(f"      built in {time.perf_counter() - t0:.1f} s", flush=True)
        runs: dict[str, list[dict]] = {"sql": [], "gx": []}
        for n in range(1, args.repeat + 1):
            print(f"[{n + 1}/{steps}] round {n}: plain SQL, then the GX suite ...", flush=True)
            runs["sql"].append(measure("sql", path, None))
            runs["gx"].append(measure("gx", path, docs))

    want = expected_counts(faults=not args.clean)
    for side, reports in runs.items():
        for report in reports:
            wrong = {k: (v, want.get(k)) for k, v in report["counts"].items() if v != want.get(k)}
            if wrong or set(report["counts"]) != set(want):
                print(f"{side}: counts differ from expected (found, expected): {wrong}")
                return 1
    seconds = {side: [r["seconds"] for r in reports] for side, reports in runs.items()}
    ratio = min(seconds["gx"]) / min(seconds["sql"])
    broken = {name: count for name, count in want.items() if count}
    print(
        f"\nrows: {args.rows:,}   expectations: {len(want)}   data docs: {not args.no_docs}   "
        f"faults injected: {not args.clean}"
    )
    print(f"unexpected counts found by both sides (others 0): {broken}")
    print(f"load average (1 min) at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    cpu = {side: [r["cpu_s"] for r in reports] for side, reports in runs.items()}
    for side, reports in runs.items():
        listed = ", ".join(f"{s:.2f}" for s in seconds[side])
        print(
            f"{side:>4}: best {min(seconds[side]):.2f} s, "
            f"median {statistics.median(seconds[side]):.2f} s (runs: {listed}); "
            f"CPU best {min(cpu[side]):.2f} s; "
            f"peak RSS {max(r['peak_rss_mib'] for r in reports):.0f} MiB; "
            f"import {min(r['import_s'] for r in reports):.2f} s"
        )
    cpu_ratio = min(cpu["gx"]) / min(cpu["sql"])
    print(f"CPU time ratio GX / plain SQL: {cpu_ratio:.2f}x (less sensitive to a busy machine)")
    print(f"ratio GX / plain SQL: {ratio:.2f}x (target <= 3x): {'OK' if ratio <= 3 else 'ABOVE'}")
    return 0 if ratio <= 3 else 1


if __name__ == "__main__":
    sys.exit(main())

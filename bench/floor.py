"""The floor: `bench/floor.sql` run by plain DuckDB over the raw Parquet files, timed.

No Dagster, no dbt, no checks, no ingestion: one connection reads the files and creates
kpi_growth, supplier_performance and pavilion_shortlist. `bench/pipeline.py` runs it beside the
pipeline and prints pipeline / floor; `tests/bench/test_floor.py` checks that both give the same
headline KPIs and shortlist, so that the comparison is fair.

    .venv/bin/python bench/floor.py RAW_DIR [--database floor.duckdb]

Prints one JSON object: seconds (total and per statement), row counts, the headline rows of
the latest complete half-year and the shortlist's supplier ids in rank order.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
FLOOR_SQL = Path(__file__).resolve().with_name("floor.sql")
SEEDS_DIR = ROOT / "dbt_project" / "seeds"
MARTS = ("kpi_growth", "supplier_performance", "pavilion_shortlist")
# The rows the news report quotes: (metric, dimension, dimension_value), as pipelines.run.headline.
HEADLINES = (
    ("active_buyers", "all", "all"),
    ("listed_suppliers", "supplier_country", "VN"),
)
HEADLINE_PERIOD = (
    "select max(period) from kpi_growth where period_grain = 'half' and is_complete_period"
)
HEADLINE_ROW = """
select value, value_prior_year, yoy_growth
from kpi_growth
where metric = ? and period_grain = 'half' and period = ? and dimension = ? and dimension_value = ?
"""
SHORTLIST = "select supplier_id from pavilion_shortlist order by shortlist_rank"


@dataclass
class FloorResult:
    """What one run of the floor script computed, and how long it took."""

    seconds: float
    statements: list[tuple[str, float]] = field(default_factory=list)
    row_counts: dict[str, int] = field(default_factory=dict)
    period: str | None = None
    headlines: dict[str, list[float | None]] = field(default_factory=dict)
    shortlist: list[str] = field(default_factory=list)


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def statements(sql: str) -> list[str]:
    """The script's statements, in order (it has no semicolon inside a string)."""
    chunks = (chunk.strip() for chunk in sql.split(";\n"))
    return [chunk for chunk in chunks if any(_is_code(line) for line in chunk.splitlines())]


def _is_code(line: str) -> bool:
    return bool(line.strip()) and not line.strip().startswith("--")


def _label(statement: str) -> str:
    """A short name for a statement: its first line of code, e.g. 'create ... table lines'."""
    first = next(line for line in statement.splitlines() if _is_code(line))
    return " ".join(first.split()[:6]).removesuffix(" as")


def headline_key(metric: str, dimension: str, dimension_value: str) -> str:
    """How a headline row is named in the result, e.g. 'listed_suppliers/supplier_country=VN'."""
    return f"{metric}/{dimension}={dimension_value}"


def read_figures(conn: duckdb.DuckDBPyConnection, result: FloorResult) -> None:
    """Fill in the row counts, headline rows and shortlist from the marts in `conn`."""
    for mart in MARTS:
        result.row_counts[mart] = conn.execute(f"select count(*) from {mart}").fetchone()[0]
    result.period = conn.execute(HEADLINE_PERIOD).fetchone()[0]
    for metric, dimension, value in HEADLINES:
        row = conn.execute(HEADLINE_ROW, [metric, result.period, dimension, value]).fetchone()
        result.headlines[headline_key(metric, dimension, value)] = list(row) if row else []
    result.shortlist = [row[0] for row in conn.execute(SHORTLIST).fetchall()]


def run_floor(raw_dir: Path, database: Path | str = ":memory:") -> FloorResult:
    """Run floor.sql over `raw_dir`, creating the marts in `database`; return the figures.

    >>> run_floor(Path("data/raw")).headlines["active_buyers/all=all"]  # doctest: +SKIP
    [1123.5, 725.0, 0.5496551724137931]
    """
    started = time.perf_counter()
    conn = duckdb.connect(str(database))
    try:
        conn.execute(f"set variable raw_dir = {_literal(str(Path(raw_dir).resolve()))}")
        conn.execute(f"set variable seeds_dir = {_literal(str(SEEDS_DIR))}")
        timings = []
        for statement in statements(FLOOR_SQL.read_text()):
            began = time.perf_counter()
            conn.execute(statement)
            timings.append((_label(statement), time.perf_counter() - began))
        result = FloorResult(seconds=0.0, statements=timings)
        read_figures(conn, result)
    finally:
        conn.close()
    result.seconds = time.perf_counter() - started
    return result


def main(argv: list[str] | None = None) -> int:
    """Run the floor once and print its figures as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("raw_dir", type=Path, help="holds {suppliers,buyers,orders}/*.parquet")
    parser.add_argument(
        "--database", default=":memory:", help="DuckDB file for the marts (default: in memory)"
    )
    args = parser.parse_args(argv)
    if args.database != ":memory:":
        for path in (Path(args.database), Path(f"{args.database}.wal")):
            path.unlink(missing_ok=True)
    print(json.dumps(asdict(run_floor(args.raw_dir, args.database))))
    return 0


if __name__ == "__main__":
    sys.exit(main())

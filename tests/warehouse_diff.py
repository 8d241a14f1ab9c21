"""What differs between one table in two DuckDB warehouses, doubles compared with a tolerance.

Both warehouses are attached to one connection as `expected` and `found`. Rows are hashed per
table with doubles rounded to the significant digits of the tolerance; where the hashes differ,
rows are paired on their other columns and doubles compared with the relative tolerance (sums
added up in another order differ in the last bits), and any difference left is described with
the first rows that differ. pytest puts `tests/` on the import path, so any test module can
`from warehouse_diff import compare_table`.
"""

import math
from collections.abc import Sequence

import duckdb
import polars as pl

RELATIVE_TOLERANCE = 1e-9
SHOWN_ROWS = 5


def table_names(conn: duckdb.DuckDBPyConnection, catalog: str, schema: str) -> list[str]:
    """The tables of `catalog.schema`, by name."""
    return [
        row[0]
        for row in conn.execute(
            "select table_name from information_schema.tables "
            "where table_catalog = ? and table_schema = ? order by table_name",
            [catalog, schema],
        ).fetchall()
    ]


def _columns(conn: duckdb.DuckDBPyConnection, relation: str) -> list[tuple[str, str]]:
    return [(row[0], row[1]) for row in conn.execute(f"describe {relation}").fetchall()]


def _row_hashes(frame: pl.DataFrame, floats: Sequence[str], digits: int) -> pl.Series:
    """One hash per row, doubles rounded to `digits` significant digits first, sorted."""
    rounded = frame.with_columns(pl.col(name).round_sig_figs(digits) for name in floats)
    return rounded.hash_rows(seed=0).sort()


def _close(left: pl.Expr, right: pl.Expr, tolerance: float) -> pl.Expr:
    scale = pl.max_horizontal(left.abs(), right.abs(), pl.lit(1.0))
    within = (left - right).abs() <= scale * tolerance
    return (left.is_null() & right.is_null()) | within.fill_null(False)


def _first(frame: pl.DataFrame) -> list[dict]:
    return frame.head(SHOWN_ROWS).to_dicts()


def compare_table(
    conn: duckdb.DuckDBPyConnection,
    schema: str,
    table: str,
    *,
    labels: tuple[str, str] = ("expected", "found"),
    tolerance: float = RELATIVE_TOLERANCE,
) -> list[str]:
    """What differs between expected.<schema>.<table> and found.<schema>.<table>; empty if
    nothing. `labels` name the two sides in the messages. Doubles may differ by `tolerance`
    times the larger of their absolute values and 1."""
    expected_label, found_label = labels
    expected, found = f'expected.{schema}."{table}"', f'found.{schema}."{table}"'
    columns, found_columns = _columns(conn, expected), _columns(conn, found)
    if found_columns != columns:
        return [
            f"columns (name, DuckDB type) on {expected_label} {columns}, "
            f"on {found_label} {found_columns}"
        ]
    left = conn.sql(f"select * from {expected}").pl()
    right = conn.sql(f"select * from {found}").pl()
    floats = [name for name, dtype in left.schema.items() if dtype.is_float()]
    digits = round(-math.log10(tolerance))
    if left.height == right.height and _row_hashes(left, floats, digits).equals(
        _row_hashes(right, floats, digits)
    ):
        return []
    keys = [name for name in left.columns if name not in floats]
    if left.select(keys).is_duplicated().any():
        return [f"rows differ, and the non-double columns {keys} do not identify a row"]
    problems = []
    for side, one, other in ((expected_label, left, right), (found_label, right, left)):
        alone = one.join(other, on=keys, how="anti", nulls_equal=True)
        if not alone.is_empty():
            problems.append(f"{alone.height:,} rows only on {side}, first: {_first(alone)}")
    if floats:
        suffix = f"__{found_label.lower().replace(' ', '_')}"
        paired = left.join(right, on=keys, how="inner", nulls_equal=True, suffix=suffix)
        same = pl.all_horizontal(
            _close(pl.col(f), pl.col(f"{f}{suffix}"), tolerance) for f in floats
        )
        differing = paired.filter(~same)
        if not differing.is_empty():
            problems.append(
                f"{differing.height:,} rows differ by more than a relative {tolerance:g} "
                f"({found_label}'s values as <column>{suffix}), first: {_first(differing)}"
            )
    return problems

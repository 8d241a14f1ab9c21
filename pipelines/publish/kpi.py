"""Read growth KPIs and their history from the published marts, read-only."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipelines.errors import TradePulseError
from pipelines.publish.layout import KPI_HISTORY_TABLE, marts_file

PERIOD_PATTERN = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])|-Q[1-4]|-H[12])?$")
KPI_COLUMNS = (
    "metric",
    "period",
    "dimension",
    "dimension_value",
    "value",
    "value_prior_year",
    "yoy_growth",
    "is_complete_period",
)


@dataclass(frozen=True)
class KpiQuery:
    """Which rows of kpi_growth to show."""

    metric: str
    period: str
    dimension: str = "all"
    value: str | None = None


@contextmanager
def open_published(marts_dir: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open the published marts read-only, or explain how to get them."""
    path = marts_file(marts_dir)
    if not path.exists():
        raise TradePulseError(
            f"no published marts at {path}; run `tradepulse run` (or `make run`) first, "
            "or point TRADEPULSE_MARTS_DIR at a marts dir"
        )
    conn = duckdb.connect(str(path), read_only=True)
    try:
        yield conn
    finally:
        conn.close()


def _choices(conn: duckdb.DuckDBPyConnection, column: str, **where: str) -> list[str]:
    clauses = " and ".join(f"{name} = ?" for name in where) or "true"
    rows = conn.execute(
        f"select distinct {column} from kpi_growth where {clauses} order by 1",
        list(where.values()),
    ).fetchall()
    return [row[0] for row in rows]


def _check_choice(name: str, given: str, valid: list[str]) -> None:
    if given not in valid:
        shown = ", ".join(valid[:40]) + (f", ... ({len(valid)} in all)" if len(valid) > 40 else "")
        raise TradePulseError(f"unknown {name} {given!r}; valid: {shown}")


def available(conn: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """The metrics, dimensions, period grains and periods in the published kpi_growth."""
    return {
        "metrics": _choices(conn, "metric"),
        "dimensions": _choices(conn, "dimension"),
        "period_grains": _choices(conn, "period_grain"),
        "periods": _choices(conn, "period"),
    }


def query_kpi(conn: duckdb.DuckDBPyConnection, query: KpiQuery) -> list[dict[str, object]]:
    """The kpi_growth rows for a metric and period, checked against what the marts hold."""
    if not PERIOD_PATTERN.match(query.period):
        raise TradePulseError(
            f"malformed period {query.period!r}; use YYYY, YYYY-MM, YYYY-Qn or YYYY-Hn "
            "(e.g. 2023, 2023-06, 2023-Q2, 2023-H1)"
        )
    _check_choice("metric", query.metric, _choices(conn, "metric"))
    _check_choice("period", query.period, _choices(conn, "period", metric=query.metric))
    _check_choice("dimension", query.dimension, _choices(conn, "dimension", metric=query.metric))
    if query.value is not None:
        _check_choice(
            f"value of {query.dimension}",
            query.value,
            _choices(conn, "dimension_value", metric=query.metric, dimension=query.dimension),
        )
    relation = conn.execute(
        f"select {', '.join(KPI_COLUMNS)} from kpi_growth "
        "where metric = ? and period = ? and dimension = ? "
        "and (? is null or dimension_value = ?) order by value desc, dimension_value",
        [query.metric, query.period, query.dimension, query.value, query.value],
    )
    return [dict(zip(KPI_COLUMNS, row, strict=True)) for row in relation.fetchall()]


def kpi_diff(conn: duckdb.DuckDBPyConnection) -> tuple[list[str], list[dict[str, object]]]:
    """What changed in the history's key rows between the last two publishes."""
    publishes = [
        row[0]
        for row in conn.execute(
            f"select publish_id from {KPI_HISTORY_TABLE} group by publish_id "
            "order by max(published_at) desc, publish_id desc limit 2"
        ).fetchall()
    ]
    if len(publishes) < 2:
        raise TradePulseError(
            "only one publish in kpi_history so far; `kpi diff` needs two (run the pipeline again)"
        )
    newer, older = publishes
    rows = conn.execute(
        f"""
        with newer as (select * from {KPI_HISTORY_TABLE} where publish_id = ?),
        older as (select * from {KPI_HISTORY_TABLE} where publish_id = ?)
        select
            coalesce(newer.metric, older.metric) as metric,
            coalesce(newer.period, older.period) as period,
            coalesce(newer.dimension, older.dimension) as dimension,
            coalesce(newer.dimension_value, older.dimension_value) as dimension_value,
            older.value as value_before,
            newer.value as value_after,
            older.yoy_growth as yoy_growth_before,
            newer.yoy_growth as yoy_growth_after,
        from newer
        full outer join older
            on newer.metric = older.metric
            and newer.period_grain = older.period_grain
            and newer.period = older.period
            and newer.dimension = older.dimension
            and newer.dimension_value = older.dimension_value
        where newer.value is distinct from older.value
            or newer.yoy_growth is distinct from older.yoy_growth
        order by metric, period, dimension, dimension_value
        """,
        [newer, older],
    )
    columns = [column[0] for column in rows.description]
    return [older, newer], [dict(zip(columns, row, strict=True)) for row in rows.fetchall()]

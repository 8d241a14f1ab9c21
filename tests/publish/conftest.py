"""A small warehouse with kpi_growth, dim_suppliers and the two facts, built in tmp_path."""

from pathlib import Path

import duckdb
import pytest

KPI_ROWS = [
    # metric, grain, period, dimension, value, value, prior, growth, complete
    ("active_buyers", "half", "2022-H1", "all", "all", 100.0, None, None, True),
    ("active_buyers", "half", "2023-H1", "all", "all", 155.0, 100.0, 0.55, True),
    ("active_buyers", "half", "2023-H2", "all", "all", 170.0, 120.0, 170 / 120 - 1, False),
    ("active_buyers", "month", "2023-01", "all", "all", 150.0, 95.0, 150 / 95 - 1, True),
    ("active_buyers", "month", "2023-02", "all", "all", 160.0, 105.0, 160 / 105 - 1, True),
    ("listed_suppliers", "half", "2023-H1", "supplier_country", "VN", 62.0, 50.0, 0.24, True),
    ("listed_suppliers", "half", "2023-H1", "supplier_country", "CN", 80.0, 80.0, 0.0, True),
    ("listed_suppliers", "month", "2023-01", "supplier_country", "VN", 61.0, 49.0, 12 / 49, True),
    ("listed_suppliers", "month", "2023-02", "supplier_country", "VN", 63.0, 51.0, 12 / 51, True),
]


def build_warehouse(path: Path, rows: list[tuple] = KPI_ROWS) -> Path:
    """Write marts.kpi_growth, dim_suppliers, fct_order_lines and fct_orders into a DuckDB file.

    fct_order_lines: 30 lines of 10 orders; fct_orders sums them, so it has HUGEINT and
    DECIMAL(38, 2) columns (Parquet keeps no HUGEINT).
    """
    with duckdb.connect(str(path)) as conn:
        conn.execute("create schema if not exists marts")
        conn.execute(
            "create or replace table marts.kpi_growth (metric varchar, period_grain varchar, "
            "period varchar, dimension varchar, dimension_value varchar, value double, "
            "value_prior_year double, yoy_growth double, is_complete_period boolean)"
        )
        conn.executemany("insert into marts.kpi_growth values (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        conn.execute(
            "create or replace table marts.dim_suppliers as "
            "select 'S1' as supplier_id, 'Công ty TNHH Hoàng Thanh' as supplier_name"
        )
        conn.execute(
            "create or replace table marts.fct_order_lines as select "
            "'O' || (i // 3) as order_id, (i % 3 + 1)::integer as line_number, "
            "'S1' as supplier_id, (i % 7 + 1)::integer as quantity, "
            "(i * 1.25)::decimal(18, 2) as line_amount_usd, "
            "timestamptz '2023-01-01 00:00:00+00' + to_hours(i) as ordered_at "
            "from range(30) as r(i)"
        )
        conn.execute(
            "create or replace table marts.fct_orders as select order_id, "
            "count(*) as order_lines, sum(quantity) as quantity, "
            "sum(line_amount_usd) as gmv_usd, min(ordered_at) as ordered_at "
            "from marts.fct_order_lines group by order_id"
        )
    return path


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    """A warehouse file holding the sample marts."""
    return build_warehouse(tmp_path / "warehouse.duckdb")

"""A small warehouse with a kpi_growth mart, built in tmp_path."""

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
    """Write marts.kpi_growth (and a second mart) into a DuckDB file."""
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
    return path


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    """A warehouse file holding the sample marts."""
    return build_warehouse(tmp_path / "warehouse.duckdb")

"""Raw tables out of the DuckDB warehouse as Parquet, for Spark's external tables."""

from datetime import datetime
from pathlib import Path

import duckdb

from pipelines.spark.raw import export_raw_tables, raw_location


def _warehouse(path: Path, orders: int) -> Path:
    with duckdb.connect(str(path)) as conn:
        conn.execute("create schema if not exists raw")
        conn.execute(
            "create or replace table raw.orders as select 'O' || i as order_id, "
            "cast(i as integer) as line_number, timestamp '2023-06-01 10:00:00' as ordered_at, "
            "cast(null as varchar) as _extra from range(?) as t(i)",
            [orders],
        )
    return path


def test_each_table_lands_in_its_own_folder_with_its_types(tmp_path: Path) -> None:
    warehouse = _warehouse(tmp_path / "warehouse.duckdb", 3)

    rows = export_raw_tables(warehouse, tmp_path / "spark", tables=["orders"])

    location = raw_location(tmp_path / "spark", "orders")
    assert rows == {"orders": 3}
    assert location == tmp_path / "spark" / "raw" / "orders"
    with duckdb.connect() as conn:
        relation = conn.read_parquet(str(location / "*.parquet"))
        assert relation.types == ["VARCHAR", "INTEGER", "TIMESTAMP", "VARCHAR"]
        assert relation.order("line_number").fetchall() == [
            (f"O{i}", i, datetime(2023, 6, 1, 10), None) for i in range(3)
        ]


def test_a_new_export_replaces_the_previous_one_and_leaves_nothing_behind(tmp_path: Path) -> None:
    export_raw_tables(_warehouse(tmp_path / "w.duckdb", 5), tmp_path / "spark", tables=["orders"])

    rows = export_raw_tables(
        _warehouse(tmp_path / "w.duckdb", 2), tmp_path / "spark", tables=["orders"]
    )

    assert rows == {"orders": 2}
    assert sorted(path.name for path in (tmp_path / "spark" / "raw").iterdir()) == ["orders"]
    with duckdb.connect() as conn:
        files = str(raw_location(tmp_path / "spark", "orders") / "*.parquet")
        assert conn.execute("select count(*) from read_parquet(?)", [files]).fetchone() == (2,)

"""Models a Spark build exported, copied into the DuckDB warehouse."""

from pathlib import Path

import duckdb
import pytest

from pipelines.errors import TradePulseError
from pipelines.spark.copy_back import (
    clear_exports,
    copy_into_warehouse,
    export_dir,
    exported_models,
)


def _export(spark_dir: Path, schema: str, model: str, sql: str) -> None:
    folder = export_dir(spark_dir) / schema / model
    folder.mkdir(parents=True)
    with duckdb.connect() as conn:
        conn.execute(f"copy ({sql}) to '{folder / 'part-00000.parquet'}' (format parquet)")
    (folder / "_SUCCESS").touch()


def test_exported_models_replace_tables_and_views_of_the_same_name(tmp_path: Path) -> None:
    spark_dir, warehouse = tmp_path / "spark", tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(warehouse)) as conn:
        conn.execute("create schema staging")
        conn.execute("create view staging.stg_buyers as select 'old' as buyer_id")
        conn.execute("create schema marts")
        conn.execute("create table marts.dim_buyers as select 'old' as buyer_id")
    _export(spark_dir, "staging", "stg_buyers", "select 'B1' as buyer_id union all select 'B2'")
    _export(spark_dir, "marts", "dim_buyers", "select 'B1' as buyer_id, 2::bigint as orders")
    _export(spark_dir, "intermediate", "int_months", "select date '2023-06-01' as month_start")

    rows = copy_into_warehouse(spark_dir, warehouse)

    assert rows == {"intermediate.int_months": 1, "marts.dim_buyers": 1, "staging.stg_buyers": 2}
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        kinds = conn.execute(
            "select table_schema, table_name, table_type from information_schema.tables "
            "order by all"
        ).fetchall()
        assert kinds == [
            ("intermediate", "int_months", "BASE TABLE"),
            ("marts", "dim_buyers", "BASE TABLE"),
            ("staging", "stg_buyers", "BASE TABLE"),
        ]
        assert conn.execute("select * from marts.dim_buyers").fetchall() == [("B1", 2)]


def test_clearing_leaves_no_model_to_copy(tmp_path: Path) -> None:
    _export(tmp_path / "spark", "marts", "dim_buyers", "select 1 as x")
    assert [model for _, model, _ in exported_models(tmp_path / "spark")] == ["dim_buyers"]

    clear_exports(tmp_path / "spark")

    assert exported_models(tmp_path / "spark") == []
    with pytest.raises(TradePulseError) as raised:
        copy_into_warehouse(tmp_path / "spark", tmp_path / "warehouse.duckdb")
    assert str(raised.value) == (
        f"the Spark build exported no models to {tmp_path / 'spark' / 'export'}: "
        "see dbt's log above"
    )


def test_an_export_without_parquet_files_fails_and_changes_nothing(tmp_path: Path) -> None:
    spark_dir, warehouse = tmp_path / "spark", tmp_path / "warehouse.duckdb"
    _export(spark_dir, "marts", "dim_buyers", "select 'new' as buyer_id")
    (export_dir(spark_dir) / "marts" / "kpi_growth").mkdir()
    with duckdb.connect(str(warehouse)) as conn:
        conn.execute("create schema marts")
        conn.execute("create table marts.dim_buyers as select 'old' as buyer_id")

    with pytest.raises(TradePulseError) as raised:
        copy_into_warehouse(spark_dir, warehouse)

    folder = export_dir(spark_dir) / "marts" / "kpi_growth"
    assert str(raised.value) == f"{folder} holds no Parquet file: the export of kpi_growth failed"
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        assert conn.execute("select * from marts.dim_buyers").fetchall() == [("old",)]

"""The models a Spark build exported, copied into the DuckDB warehouse as tables.

After `dbt build --target spark`, the on-run-end hook `export_for_duckdb` has written each model
as Parquet under `<spark dir>/export/<schema>/<model>/`. Copying them into the warehouse's
schemas of the same names leaves the warehouse as a DuckDB build leaves it, so the quality
checks, `published_marts` and `tradepulse kpi` work unchanged. Staging models, views on
DuckDB, arrive as tables.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from pipelines.errors import TradePulseError
from pipelines.ingest.tables import connect


def export_dir(spark_dir: Path) -> Path:
    """Where the on-run-end hook writes the models of a Spark build."""
    return spark_dir / "export"


def clear_exports(spark_dir: Path) -> None:
    """Remove the previous build's exports, so that only this build's are copied."""
    shutil.rmtree(export_dir(spark_dir), ignore_errors=True)


def exported_models(spark_dir: Path) -> list[tuple[str, str, Path]]:
    """(schema, model, folder) of every exported model, in schema then model order."""
    root = export_dir(spark_dir)
    if not root.is_dir():
        return []
    return [
        (schema.name, folder.name, folder)
        for schema in sorted(root.iterdir())
        if schema.is_dir()
        for folder in sorted(schema.iterdir())
        if folder.is_dir()
    ]


def _drop_existing(conn: duckdb.DuckDBPyConnection, schema: str, name: str) -> None:
    kind = conn.execute(
        "select table_type from information_schema.tables "
        "where table_catalog = current_database() and table_schema = ? and table_name = ?",
        [schema, name],
    ).fetchone()
    if kind is not None:
        conn.execute(f'drop {"view" if kind[0] == "VIEW" else "table"} "{schema}"."{name}"')


def copy_into_warehouse(spark_dir: Path, warehouse: Path) -> dict[str, int]:
    """Replace each exported model's table in `warehouse`; rows per `schema.model`."""
    models = exported_models(spark_dir)
    if not models:
        raise TradePulseError(
            f"the Spark build exported no models to {export_dir(spark_dir)}: see dbt's log above"
        )
    rows = {}
    with connect(warehouse) as conn:
        conn.execute("begin transaction")
        for schema, name, folder in models:
            files = sorted(str(path) for path in folder.glob("*.parquet"))
            if not files:
                raise TradePulseError(
                    f"{folder} holds no Parquet file: the export of {name} failed"
                )
            conn.execute(f'create schema if not exists "{schema}"')
            _drop_existing(conn, schema, name)
            conn.execute(
                f'create table "{schema}"."{name}" as select * from read_parquet(?)', [files]
            )
            rows[f"{schema}.{name}"] = conn.execute(
                f'select count(*) from "{schema}"."{name}"'
            ).fetchone()[0]
        conn.execute("commit")
    return rows

"""Raw tables out of the DuckDB warehouse, as the Parquet files Spark reads as external tables."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterable
from pathlib import Path

from pipelines.ingest.tables import connect

RAW_TABLES = ("suppliers", "buyers", "orders")


def raw_location(spark_dir: Path, table: str) -> Path:
    """Where the Parquet files of raw.<table> go (the source's `external.location`)."""
    return spark_dir / "raw" / table


def export_raw_tables(
    warehouse: Path, spark_dir: Path, tables: Iterable[str] = RAW_TABLES
) -> dict[str, int]:
    """Write each raw.<table> of `warehouse` as Parquet under `spark_dir/raw/<table>/`.

    Each table is written to a fresh folder that then replaces the previous one, so Spark never
    reads a half-written table. Returns the rows written per table.
    """
    rows = {}
    with connect(warehouse) as conn:
        for table in tables:
            target = raw_location(spark_dir, table)
            staging = target.with_name(f".{table}.{uuid.uuid4().hex}")
            staging.mkdir(parents=True)
            try:
                conn.execute(
                    f"copy raw.{table} to '{staging / 'part-0.parquet'}' "
                    "(format parquet, compression zstd, row_group_size 1000000)"
                )
                rows[table] = conn.execute(f"select count(*) from raw.{table}").fetchone()[0]
                shutil.rmtree(target, ignore_errors=True)
                staging.rename(target)
            finally:
                shutil.rmtree(staging, ignore_errors=True)
    return rows

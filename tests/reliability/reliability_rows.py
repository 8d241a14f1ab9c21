"""Raw deliveries for the bad-input cases, ingested through the real raw assets."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import duckdb
from contract_rows import (
    FIRST_MONTH,
    Row,
    write_rows,
)

from pipelines.ingest.assets import build_raw_assets
from pipelines.ingest.partitions import orders_partitions_def
from pipelines.resources import WarehouseResource
from pipelines.run.pipeline import materialize_all


@dataclass(frozen=True)
class Delivery:
    """A raw dir and warehouse (from `tradepulse_env`) that the raw assets load."""

    raw_dir: Path
    warehouse: Path

    def write(self, name: str, rows: list[Row]) -> Path:
        """Write rows under the raw dir as CSV, Parquet or JSON lines, by the name's suffix."""
        return write_rows(self.raw_dir / name, rows)

    def write_bytes(self, name: str, content: bytes) -> Path:
        """Write a file of exactly these bytes under the raw dir."""
        path = self.raw_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        return path

    def ingest(self) -> str:
        """Materialize raw_suppliers, raw_buyers and every month of raw_orders; the run id."""
        assets = build_raw_assets(orders_partitions_def(FIRST_MONTH))
        defs = dg.Definitions(assets=list(assets), resources={"warehouse": WarehouseResource()})
        return materialize_all(defs).run_id

    def sql(self, query: str, parameters: list | None = None) -> list[tuple]:
        """Rows of a query on the warehouse."""
        with duckdb.connect(str(self.warehouse), read_only=True) as conn:
            return conn.execute(query, parameters).fetchall()

    def log(self, run_id: str, source_file: str) -> list[tuple]:
        """(month, status, rows read, loaded, rejected) of one file in one run's load log."""
        return self.sql(
            "select partition_key, status, rows_read, rows_loaded, rows_rejected "
            "from raw.load_log where run_id = ? and source_file = ? order by partition_key",
            [run_id, source_file],
        )

    def rejected_rows(self, source_file: str) -> list[tuple]:
        """(row, reason code, message) of one file's rejected rows."""
        return self.sql(
            "select source_row, reason_code, reason_message from raw.rejected_rows "
            "where source_file = ? order by source_row",
            [source_file],
        )

    def rejected_files(self) -> list[tuple]:
        """(file, reason code, message) of every file rejected whole."""
        return self.sql(
            "select source_file, reason_code, reason_message from raw.rejected_files order by 1"
        )

    def assert_nothing_lost(self, run_id: str) -> None:
        """Every log row of the run adds up, and matches the rows in raw and in rejected_rows."""
        logs = self.sql(
            "select entity, partition_key, source_file, status, rows_read, rows_loaded, "
            "rows_rejected from raw.load_log where run_id = ?",
            [run_id],
        )
        assert logs
        for entity, month, name, status, read, loaded, rejected in logs:
            assert read == loaded + rejected, name
            if status in ("removed", "rejected"):
                assert (read, loaded, rejected) == (0, 0, 0), name
                continue
            in_month = "true" if month is None else "date_trunc('month', ordered_at) = ?::date"
            in_partition = "true" if month is None else "partition_key = ?"
            extra = [] if month is None else [month]
            found = self.sql(
                f"select count(*) from raw.{entity} where _source_file = ? and {in_month}",
                [name, *extra],
            )[0][0]
            quarantined = self.sql(
                f"select count(*) from raw.rejected_rows where source_file = ? and {in_partition}",
                [name, *extra],
            )[0][0]
            assert (found, quarantined) == (loaded, rejected), name

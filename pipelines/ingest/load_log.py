"""What a load writes about itself: raw.load_log, raw.rejected_files, and the rows that went."""

import json
from datetime import datetime

import duckdb
import polars as pl

from pipelines.ingest.files import SourceFile
from pipelines.ingest.registry import KnownVersion
from pipelines.ingest.report import FileLog, LoadReport
from pipelines.ingest.tables import LOAD_LOG, LOAD_LOG_COLUMNS, REJECTED_FILES, append


def log_the_rest(
    report: LoadReport,
    files: list[SourceFile],
    registry: dict[str, KnownVersion],
    previous: dict[tuple[str, str | None], int],
) -> None:
    """Log rows for the files rejected whole and for the rows of files that are gone."""
    entity = report.entity
    sizes = {source.name: source.size for source in files}
    logged = {log.source_file for log in report.logs}
    for name, rejected in sorted(report.rejected_files.items()):
        replaced = previous.get((name, None), 0)
        report.logs.append(
            FileLog(
                entity, None, name, rejected.sha256, sizes[name], "rejected", rows_replaced=replaced
            )
        )
        logged.add(name)
    logged_pairs = {(log.source_file, log.partition_key) for log in report.logs}
    gone = dict(previous)
    if entity != "orders":
        unregistered = {(name, None): 0 for name in registry if name not in sizes}
        gone = unregistered | gone
    for (name, key), count in sorted(gone.items(), key=lambda item: (item[0][0], str(item[0][1]))):
        if (name, key) not in logged_pairs and not (name in report.rejected_files and key is None):
            report.logs.append(
                FileLog(entity, key, name, None, None, "removed", rows_replaced=count)
            )


def record_rejected_files(
    conn: duckdb.DuckDBPyConnection, report: LoadReport, files: list[SourceFile], now: datetime
) -> None:
    """Insert a raw.rejected_files row for each file the load rejected whole."""
    sizes = {source.name: source.size for source in files}
    rows = [
        (report.entity, name, file.sha256, sizes.get(name), file.reason.value, file.message, now)
        for name, file in sorted(report.rejected_files.items())
    ]
    if rows:
        conn.executemany(
            f"insert into {REJECTED_FILES} (entity, source_file, file_sha256, file_bytes, "
            "reason_code, reason_message, detected_at) values (?, ?, ?, ?, ?, ?, ?)",
            rows,
        )


def record_log(conn: duckdb.DuckDBPyConnection, report: LoadReport, now: datetime) -> None:
    """Append the report's log rows to raw.load_log."""
    if not report.logs:
        return
    frame = pl.DataFrame(
        [
            {
                "run_id": report.run_id,
                "entity": log.entity,
                "partition_key": log.partition_key,
                "source_file": log.source_file,
                "file_sha256": log.file_sha256,
                "file_bytes": log.file_bytes,
                "status": log.status,
                "rows_read": log.rows_read,
                "rows_loaded": log.rows_loaded,
                "rows_rejected": log.rows_rejected,
                "rejected_by_reason": json.dumps(log.rejected_by_reason),
                "rows_replaced": log.rows_replaced,
                "file_loaded_at": log.file_loaded_at,
                "logged_at": now,
            }
            for log in report.logs
        ],
        schema_overrides={
            "partition_key": pl.String,
            "file_sha256": pl.String,
            "file_bytes": pl.Int64,
            "file_loaded_at": pl.Datetime("us"),
        },
    )
    append(conn, LOAD_LOG, frame.select(list(LOAD_LOG_COLUMNS)))

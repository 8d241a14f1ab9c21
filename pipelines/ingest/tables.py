"""The tables of the `raw` schema and how ingestion connects to and writes into them."""

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import polars as pl

from pipelines.config import duckdb_config
from pipelines.contract import get_entity
from pipelines.errors import TradePulseError

SCHEMA = "raw"
LINEAGE_COLUMNS = {
    "_extra": "varchar",
    "_source_file": "varchar",
    "_source_row": "bigint",
    "_file_sha256": "varchar",
    "_loaded_at": "timestamp",
}
REJECTED_ROWS = "raw.rejected_rows"
REJECTED_ROWS_COLUMNS = {
    "entity": "varchar",
    "partition_key": "varchar",
    "source_file": "varchar",
    "source_row": "bigint",
    "file_sha256": "varchar",
    "reason_code": "varchar",
    "reason_message": "varchar",
    "reason_codes": "varchar[]",
    "record": "varchar",
    "loaded_at": "timestamp",
}
REJECTED_FILES = "raw.rejected_files"
REJECTED_FILES_COLUMNS = {
    "entity": "varchar",
    "source_file": "varchar",
    "file_sha256": "varchar",
    "file_bytes": "bigint",
    "reason_code": "varchar",
    "reason_message": "varchar",
    "detected_at": "timestamp",
}
LOAD_LOG = "raw.load_log"
LOAD_LOG_COLUMNS = {
    "run_id": "varchar",
    "entity": "varchar",
    "partition_key": "varchar",
    "source_file": "varchar",
    "file_sha256": "varchar",
    "file_bytes": "bigint",
    "status": "varchar",
    "rows_read": "bigint",
    "rows_loaded": "bigint",
    "rows_rejected": "bigint",
    "rejected_by_reason": "varchar",
    "rows_replaced": "bigint",
    "file_loaded_at": "timestamp",
    "logged_at": "timestamp",
}
SOURCE_FILES = "raw.source_files"
SOURCE_FILES_COLUMNS = {
    "entity": "varchar",
    "source_file": "varchar",
    "file_sha256": "varchar",
    "file_bytes": "bigint",
    "file_mtime_ns": "bigint",
    "loaded_at": "timestamp",
}
_DUCKDB_TYPES = {
    pl.String: "varchar",
    pl.Int32: "integer",
    pl.Int64: "bigint",
    pl.Float64: "double",
    pl.Boolean: "boolean",
    pl.Date: "date",
}
LOCK_WAIT_SECONDS = 600.0
# DuckDB writes an insert of a couple of million rows straight into row groups; inserting each
# file of a few hundred thousand rows on its own took twice as long, plus a slow checkpoint
# (docs/ingestion.md).
BATCH_ROWS = 2_000_000


def entity_table(entity: str) -> str:
    """The raw table of an entity, e.g. 'raw.orders'."""
    return f"{SCHEMA}.{get_entity(entity).name}"


def entity_columns(entity: str) -> dict[str, str]:
    """Column names and DuckDB types of an entity's raw table: contract columns, then lineage."""
    columns = {}
    for column in get_entity(entity).columns:
        dtype = column.dtype
        columns[column.name] = (
            "timestamp" if isinstance(dtype, pl.Datetime) else _DUCKDB_TYPES[dtype]
        )
    return columns | LINEAGE_COLUMNS


def _ddl(table: str, columns: dict[str, str]) -> str:
    body = ", ".join(f'"{name}" {dtype}' for name, dtype in columns.items())
    return f"create table if not exists {table} ({body})"


def _existing_columns(conn: duckdb.DuckDBPyConnection, table: str) -> dict[str, str]:
    schema, name = table.split(".") if "." in table else ("main", table)
    rows = conn.execute(
        "select column_name, lower(data_type) from information_schema.columns "
        "where table_schema = ? and table_name = ? order by ordinal_position",
        [schema, name],
    ).fetchall()
    return dict(rows)


def ensure_tables(conn: duckdb.DuckDBPyConnection, entity: str, *, replace: bool) -> None:
    """Create the raw schema's tables when missing.

    An entity table whose columns differ from the contract's (an older layout) is dropped and
    recreated when `replace` (the run reloads every row of it), else reported as an error.
    """
    conn.execute(f"create schema if not exists {SCHEMA}")
    for table, columns in (
        (REJECTED_ROWS, REJECTED_ROWS_COLUMNS),
        (REJECTED_FILES, REJECTED_FILES_COLUMNS),
        (LOAD_LOG, LOAD_LOG_COLUMNS),
        (SOURCE_FILES, SOURCE_FILES_COLUMNS),
        (entity_table(entity), entity_columns(entity)),
    ):
        existing = _existing_columns(conn, table)
        if existing and existing != columns:
            if not (replace or table != entity_table(entity)):
                raise TradePulseError(
                    f"{table} has an older layout than the contract; materialize every "
                    "partition of it at once (`tradepulse run`) to rebuild it"
                )
            conn.execute(f"drop table {table}")
        conn.execute(_ddl(table, columns))


@contextmanager
def connect(
    path: Path, wait_seconds: float = LOCK_WAIT_SECONDS
) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open the warehouse for writing, waiting while another process (a run, dbt) holds it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            conn = duckdb.connect(str(path), config=duckdb_config())
            break
        except duckdb.IOException as error:
            if "lock" not in str(error).lower() or time.monotonic() > deadline:
                raise
            time.sleep(0.5)
    try:
        yield conn
    finally:
        conn.close()


def append(
    conn: duckdb.DuckDBPyConnection,
    table: str,
    frame: pl.DataFrame,
    constants: dict[str, object] | None = None,
) -> None:
    """Insert the rows of `frame` into `table` through Arrow, matching columns by name.

    `constants` adds columns with one value for every row: data, so a file name never becomes
    SQL text. Table columns the frame lacks get nulls.
    """
    if frame.height == 0:
        return
    frame = _with_constants(frame, constants)
    columns = list(_existing_columns(conn, table))
    unknown = [name for name in frame.columns if name not in columns]
    if unknown:
        raise ValueError(f"{table} has no column(s) {', '.join(unknown)}")
    frame = frame.select(
        pl.col(name) if name in frame.columns else pl.lit(None).alias(name) for name in columns
    )
    # A relation over the Arrow table, not a registered view: with DuckDB 2.0 the memory of a
    # registered Arrow table stayed taken after unregister, batch after batch (12 GiB of RSS
    # for 50 M order lines).
    conn.from_arrow(frame.to_arrow(compat_level=pl.CompatLevel.newest())).insert_into(table)


def _with_constants(frame: pl.DataFrame, constants: dict[str, object] | None) -> pl.DataFrame:
    """`frame` with a column per constant, holding its value on every row."""
    return frame.with_columns(
        pl.lit(value).alias(name) for name, value in (constants or {}).items()
    )


class BatchedAppend:
    """Collects the frames bound for one table and inserts them `batch_rows` rows at a time.

    Each frame may carry its own `constants` (lineage such as the file name); they become columns
    of the data, never SQL text. Call `flush` before the transaction commits.
    """

    def __init__(
        self, conn: duckdb.DuckDBPyConnection, table: str, batch_rows: int = BATCH_ROWS
    ) -> None:
        self._conn, self._table, self._batch_rows = conn, table, batch_rows
        self._pending: list[pl.DataFrame] = []
        self._rows = 0

    def add(self, frame: pl.DataFrame, constants: dict[str, object] | None = None) -> None:
        """Queue the rows of `frame`, inserting the queue once it holds `batch_rows` rows."""
        if frame.height == 0:
            return
        self._pending.append(_with_constants(frame, constants))
        self._rows += frame.height
        if self._rows >= self._batch_rows:
            self.flush()

    def flush(self) -> None:
        """Insert what is queued."""
        if not self._pending:
            return
        batch = pl.concat(self._pending, how="vertical_relaxed", rechunk=True)
        self._pending, self._rows = [], 0
        append(self._conn, self._table, batch)

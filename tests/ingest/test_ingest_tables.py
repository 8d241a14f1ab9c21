import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import duckdb
import polars as pl
import pytest

from pipelines.errors import TradePulseError
from pipelines.ingest.tables import (
    BatchedAppend,
    append,
    connect,
    ensure_tables,
    entity_columns,
)


def columns(conn: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str]]:
    return conn.execute(f"select column_name, column_type from (describe {table})").fetchall()


def test_the_raw_tables_and_their_columns(tmp_path: Path) -> None:
    with connect(tmp_path / "w.duckdb") as conn:
        ensure_tables(conn, "buyers", replace=False)

        tables = conn.execute(
            "select table_name from information_schema.tables where table_schema = 'raw' order by 1"
        ).fetchall()
        assert tables == [
            ("buyers",),
            ("load_log",),
            ("rejected_files",),
            ("rejected_rows",),
            ("source_files",),
        ]
        assert columns(conn, "raw.buyers") == [
            ("buyer_id", "VARCHAR"),
            ("country_code", "VARCHAR"),
            ("registered_at", "DATE"),
            ("buyer_type", "VARCHAR"),
            ("_extra", "VARCHAR"),
            ("_source_file", "VARCHAR"),
            ("_source_row", "BIGINT"),
            ("_file_sha256", "VARCHAR"),
            ("_loaded_at", "TIMESTAMP"),
        ]


def test_order_timestamps_are_naive_utc_columns() -> None:
    types = entity_columns("orders")

    assert (types["ordered_at"], types["line_number"], types["quantity"]) == (
        "timestamp",
        "integer",
        "double",
    )


def test_an_older_layout_is_rebuilt_only_by_a_full_load(tmp_path: Path) -> None:
    with connect(tmp_path / "w.duckdb") as conn:
        conn.execute("create schema raw")
        conn.execute("create table raw.orders (order_id varchar, filename varchar)")

        with pytest.raises(TradePulseError, match="raw.orders has an older layout"):
            ensure_tables(conn, "orders", replace=False)
        ensure_tables(conn, "orders", replace=True)

        assert [name for name, _ in columns(conn, "raw.orders")][:2] == ["order_id", "line_number"]


def test_append_keeps_constants_out_of_the_sql(tmp_path: Path) -> None:
    name = "buyers/x'; drop table t; --.csv"
    with connect(tmp_path / "w.duckdb") as conn:
        conn.execute("create table t (a integer, source varchar, seen_at timestamp)")

        append(
            conn,
            "t",
            pl.DataFrame({"a": [1, 2]}),
            {"source": name, "seen_at": datetime(2024, 1, 1)},
        )
        append(conn, "t", pl.DataFrame({"a": []}, schema={"a": pl.Int32}), {"source": "none"})

        assert conn.execute("select * from t").fetchall() == [
            (1, name, datetime(2024, 1, 1)),
            (2, name, datetime(2024, 1, 1)),
        ]


def test_batched_append_inserts_whole_batches_with_each_frames_constants(tmp_path: Path) -> None:
    name = "orders/x'; drop table t; --.parquet"
    with connect(tmp_path / "w.duckdb") as conn:
        conn.execute("create table t (a integer, source varchar)")
        batched = BatchedAppend(conn, "t", batch_rows=3)

        batched.add(pl.DataFrame({"a": [1, 2]}), {"source": "first.csv"})
        queued = conn.execute("select count(*) from t").fetchall()[0][0]
        batched.add(pl.DataFrame({"a": [3, 4]}), {"source": name})
        after_batch = conn.execute("select count(*) from t").fetchall()[0][0]
        batched.add(pl.DataFrame({"a": [5]}), {"source": "third.csv"})
        batched.flush()

        assert (queued, after_batch) == (0, 4)
        assert conn.execute("select * from t order by a").fetchall() == [
            (1, "first.csv"),
            (2, "first.csv"),
            (3, name),
            (4, name),
            (5, "third.csv"),
        ]


def test_connect_waits_while_another_process_holds_the_warehouse(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('held', flush=True);"
            " time.sleep(1.5)",
            str(path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(duckdb.IOException), connect(path, wait_seconds=0):
            pass
        started = time.monotonic()
        with connect(path, wait_seconds=30) as conn:
            assert conn.execute("select 42").fetchone() == (42,)
        assert time.monotonic() - started > 0.2
    finally:
        holder.wait(timeout=30)

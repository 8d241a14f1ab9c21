"""Great Expectations 1.x on DuckDB with SQL pushdown: an execution engine and a datasource type.

GX (up to 1.24) has no DuckDB dialect. Through `duckdb_engine` every SQL expectation failed with
`MetricResolutionError: list index out of range`: GX runs each query inside
`with engine.connect()` and reads the rows after the block, but closing the connection rolls
its transaction back and DuckDB drops the rows still pending. This module fixes that and the
two other gaps, and nothing else:

1. `DuckDBExecutionEngine` keeps one connection open for the engine's lifetime (as GX does for
   SQLite), so results stay readable after `get_connection()` returns and every query of a run
   reads the same snapshot (until a failed query, after which it rolls back and goes on).
   `close()` closes that connection and disposes the pool, so the file is released.
2. It also gives GX a dialect module when GX finds none: `duckdb_engine`'s dialect (a
   PostgreSQL subclass, so GX compiles regex with DuckDB's `~` / `!~`, which search like
   `re.search`, and LIKE as for PostgreSQL) plus SQLAlchemy's and `duckdb_engine`'s type
   classes. `expect_column_values_to_be_of_type` takes the reflected SQLAlchemy class name,
   which GX reports as `observed_value`: BIGINT "BigInteger", INTEGER "Integer" (a superclass of
   every integer width), VARCHAR "String", DOUBLE and REAL "FLOAT", DECIMAL "NUMERIC", DATE
   "DATE", TIMESTAMP and TIMESTAMPTZ "TIMESTAMP", BOOLEAN "BOOLEAN", HUGEINT "HugeInteger".
   DuckDB spellings that differ ("INTEGER", "BIGINT", "VARCHAR", "DOUBLE", "DECIMAL") fail.
3. `DuckDBDatasource` is a `SQLDatasource` of type "duckdb" that uses that engine and takes a
   `default_schema` for its table assets (GX deprecated `schema_name` on assets).

Drop this module when GX ships a native DuckDB engine: delete `pipelines/quality/gx_duckdb.py`
and the adapter-only tests `test_engine_*` in `tests/quality/test_gx_duckdb.py` (keep the
expectation cases, pointed at GX's datasource), and in `pipelines/quality/runner.py` replace
`add_duckdb(...)` and `datasource.dispose()` with GX's own datasource and engine `close()`. Two
signals that the time has come: the canary test `test_engine_plain_gx_still_loses_duckdb_rows`
fails once GX reads DuckDB rows itself, and a GX release that registers its own "duckdb"
datasource type makes importing this module fail. Keep `create_temp_table` off (the default).
"""

from __future__ import annotations

import os
import types
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, ClassVar, Literal

import duckdb_engine
import sqlalchemy as sa
from duckdb_engine import datatypes as duckdb_datatypes
from great_expectations.datasource.fluent.sql_datasource import SQLDatasource
from great_expectations.execution_engine import SqlAlchemyExecutionEngine

__all__ = ["DUCKDB_DIALECT_MODULE", "DuckDBDatasource", "DuckDBExecutionEngine", "duckdb_url"]


def _dialect_module() -> types.ModuleType:
    """Build the module GX reads for regex/LIKE compilation and type names on DuckDB."""
    module = types.ModuleType(f"{__name__}.dialect")
    for source in (sa.types, duckdb_datatypes):
        for name in dir(source):
            value = getattr(source, name)
            if isinstance(value, type) and issubclass(value, sa.types.TypeEngine):
                setattr(module, name, value)
    module.dialect = duckdb_engine.Dialect  # type: ignore[attr-defined]
    return module


DUCKDB_DIALECT_MODULE = _dialect_module()


class DuckDBExecutionEngine(SqlAlchemyExecutionEngine):
    """GX's SQLAlchemy engine with one persistent connection and a DuckDB dialect fallback."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.dialect_module is None:
            self.dialect_module = DUCKDB_DIALECT_MODULE

    @contextmanager
    def get_connection(self) -> Iterator[sa.Connection]:
        """Yield the engine's one connection, opening it on first use."""
        if self._connection is None or self._connection.closed:
            self._connection = self.engine.connect()
        try:
            yield self._connection
        except Exception:
            # DuckDB aborts the transaction on any error; without a rollback every later
            # query of the run would fail with "Current transaction is aborted".
            self._connection.rollback()
            raise

    def close(self) -> None:
        """Close the persistent connection and dispose the pool, releasing the DuckDB file."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        self.engine.dispose()


class DuckDBDatasource(SQLDatasource):
    """A DuckDB file as a GX datasource: `context.data_sources.add_duckdb(...)`."""

    type: Literal["duckdb"] = "duckdb"  # type: ignore[assignment]
    default_schema: str | None = None

    execution_engine_override: ClassVar[type[SqlAlchemyExecutionEngine]] = DuckDBExecutionEngine
    _EXTRA_EXCLUDED_EXEC_ENG_ARGS: ClassVar[set[str]] = {"default_schema"}

    @property
    def schema_(self) -> str | None:
        """The schema of table assets that name none."""
        return self.default_schema

    def dispose(self) -> None:
        """Close every connection this datasource opened, so the DuckDB file is released."""
        if self.execution_engine is not None:
            self.execution_engine.close()
        if self._engine is not None:
            self._engine.dispose()


def duckdb_url(database: os.PathLike[str] | str) -> str:
    """The SQLAlchemy URL of a DuckDB file, e.g. `duckdb:////data/warehouse.duckdb`."""
    return sa.URL.create("duckdb", database=os.fspath(database)).render_as_string()

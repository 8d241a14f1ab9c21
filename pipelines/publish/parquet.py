"""Write a query's rows to one Parquet file, and define a view that reads such a file back."""

from pathlib import Path

import duckdb

from pipelines.sql_text import identifier, string_literal


def write_parquet(conn: duckdb.DuckDBPyConnection, query: str, path: Path) -> int:
    """Write the rows of `query` to the Parquet file `path` (DuckDB's parallel writer).

    Returns the number of rows written. `query` is SQL text built by the caller from quoted
    names only; `path` is quoted here, as COPY takes no parameter for its target.
    """
    return conn.execute(
        f"copy ({query}) to {string_literal(str(path))} (format parquet)"
    ).fetchone()[0]


def column_types(
    conn: duckdb.DuckDBPyConnection, catalog: str, schema: str, table: str
) -> list[tuple[str, str]]:
    """The (name, type) of each column of a table, in order."""
    return conn.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_catalog = ? and table_schema = ? and table_name = ? "
        "order by ordinal_position",
        [catalog, schema, table],
    ).fetchall()


def create_parquet_view(
    conn: duckdb.DuckDBPyConnection, view: str, path: Path, types: list[tuple[str, str]]
) -> None:
    """Create `view` (a quoted, qualified name) over the Parquet file at the absolute `path`.

    Columns whose type Parquet does not keep (HUGEINT comes back as DOUBLE) are cast back to
    `types`, so the view has the columns, order and types of the table that was written.
    """
    if not path.is_absolute():
        raise ValueError(f"a view must read an absolute path, not {path}")
    source = f"read_parquet({string_literal(str(path))})"
    stored = dict(
        conn.execute(f"select column_name, column_type from (describe from {source})").fetchall()
    )
    columns = ",\n    ".join(
        identifier(name)
        if stored.get(name) == dtype
        else f"{identifier(name)}::{dtype} as {identifier(name)}"
        for name, dtype in types
    )
    conn.execute(f"create view {view} as\nselect\n    {columns}\nfrom {source}")

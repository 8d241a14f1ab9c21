"""An analyst's process: query the published marts.duckdb read-only in a loop until told to stop.

Usage: python marts_reader.py MARTS_FILE OUT_JSONL STOP_FILE

Each read opens MARTS_FILE, notes the latest publish in kpi_history and every table's row count,
checks that kpi_history holds exactly the key rows of kpi_growth for that publish, and closes.
A second connection, opened once on the file the first read found, is held for the whole loop
and queried each time: it must keep its snapshot. One JSON line per read; errors are recorded,
never raised. After STOP_FILE appears, one last read is made.
"""

import json
import sys
import time
from pathlib import Path

import duckdb

LATEST = "select publish_id from kpi_history order by published_at desc, publish_id desc limit 1"
KEY_ROWS = (
    "select count(*) from kpi_growth "
    "where dimension = 'all' or (dimension = 'supplier_country' and dimension_value = 'VN')"
)


def read_once(conn: duckdb.DuckDBPyConnection) -> dict[str, object]:
    """What one read of a publish sees."""
    tables = [
        row[0]
        for row in conn.execute(
            "select table_name from information_schema.tables "
            "where table_catalog = current_database() order by 1"
        ).fetchall()
    ]
    counts = {
        table: conn.execute(f'select count(*) from "{table}"').fetchone()[0] for table in tables
    }
    latest = conn.execute(LATEST).fetchone()[0]
    history = conn.execute(
        "select count(*) from kpi_history where publish_id = ?", [latest]
    ).fetchone()[0]
    return {
        "publish_id": latest,
        "counts": counts,
        "history_rows": history,
        "key_rows": conn.execute(KEY_ROWS).fetchone()[0],
    }


def main(marts_file: Path, out: Path, stop: Path) -> None:
    """Read until STOP_FILE appears, then once more."""
    held = None
    with out.open("a", encoding="utf-8") as log:
        while True:
            stopping = stop.exists()
            try:
                with duckdb.connect(str(marts_file), read_only=True) as conn:
                    record = read_once(conn)
                if held is None:
                    # The resolved path: another cache key than MARTS_FILE in DuckDB's instance
                    # cache, so the loop's connections still see each new publish.
                    held = duckdb.connect(str(marts_file.resolve()), read_only=True)
                record["held_publish_id"] = held.execute(LATEST).fetchone()[0]
            except Exception as error:  # noqa: BLE001 - a reader records whatever goes wrong
                record = {"error": f"{type(error).__name__}: {error}"}
            log.write(json.dumps(record) + "\n")
            log.flush()
            if stopping:
                break
            time.sleep(0.02)
    if held is not None:
        held.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]))

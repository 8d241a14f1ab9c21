"""A month of order lines written by another tool, with rejected rows: the row checks survive it.

Seen at 10 M lines: a month file that DuckDB rewrote (order ids extended, dates moved a month on,
455 lines shipped before they were ordered) made polars 2.1 panic ("assertion failed: i <
self.len()") while the contract check formatted the rejected rows' messages.
"""

from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from pipelines.generate.sample import generate_sample
from pipelines.ingest.readers import read_source
from pipelines.ingest.rows import check_rows

pytestmark = pytest.mark.slow

SHIFTED = """
copy (
    select * replace (
        order_id || '-2023-11' as order_id,
        ordered_at + interval 1 month as ordered_at,
        shipped_at + interval 1 month as shipped_at,
        delivered_at + interval 1 month as delivered_at,
        cast(promised_ship_by + interval 1 month as date) as promised_ship_by
    )
    from read_parquet(?)
) to ? (format parquet, compression zstd)
"""


def test_a_large_rewritten_month_is_checked_row_by_row(tmp_path: Path) -> None:
    raw_dir = tmp_path / "raw"
    generate_sample(
        raw_dir, seed=1, order_lines=900_000, start=date(2023, 9, 1), end=date(2023, 10, 31)
    )
    source, shifted = raw_dir / "orders" / "2023-10.parquet", tmp_path / "2023-11.parquet"
    with duckdb.connect() as conn:
        conn.execute("set timezone = 'UTC'")
        conn.execute(SHIFTED, [str(source), str(shifted)])
    frame = read_source(shifted)

    checked = check_rows("orders", frame, now=datetime(2026, 11, 26))

    assert checked.rows_read == frame.height > 400_000
    assert checked.rejected.height > 0  # the move makes some lines ship before they were ordered
    assert set(checked.rejected["reason_code"]) == {"date_order"}
    assert checked.rejected["reason_message"].null_count() == 0

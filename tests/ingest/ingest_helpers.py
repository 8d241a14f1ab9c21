"""Builders of small raw files for the ingestion tests: rows that meet the contract, writers."""

import json
from datetime import date, datetime
from pathlib import Path

import polars as pl

from pipelines.ingest.partitions import orders_partitions_def
from pipelines.ingest.prepare import MonthRange

NOW = datetime(2024, 6, 15, 12, 0)
FIRST_MONTH = date(2023, 1, 1)
HOANG_THANH = "Công ty TNHH Hoàng Thanh"


def supplier(supplier_id: str = "S1", **changes: str | None) -> dict[str, str | None]:
    """A supplier row, as text, that meets the contract."""
    row = {
        "supplier_id": supplier_id,
        "supplier_name": HOANG_THANH,
        "country_code": "VN",
        "province": "Hà Nội",
        "business_type": "manufacturer",
        "main_category": "textiles",
        "is_verified": "true",
        "joined_at": "2020-01-15",
        "left_at": None,
    }
    return row | changes


def buyer(buyer_id: str = "B1", **changes: str | None) -> dict[str, str | None]:
    """A buyer row, as text, that meets the contract."""
    return {
        "buyer_id": buyer_id,
        "country_code": "US",
        "registered_at": "2020-02-01",
        "buyer_type": "importer",
    } | changes


def order(
    order_id: str, ordered_at: str, line_number: str = "1", **changes: str | None
) -> dict[str, str | None]:
    """An order line, as text, that meets the contract (buyer B1, supplier S1)."""
    return {
        "order_id": order_id,
        "line_number": line_number,
        "buyer_id": "B1",
        "supplier_id": "S1",
        "ordered_at": ordered_at,
        "product_category": "textiles",
        "quantity": "2",
        "unit_price": "10.5",
        "currency": "USD",
        "order_status": "delivered",
        "promised_ship_by": None,
        "shipped_at": None,
        "delivered_at": None,
        "buyer_rating": "5",
        "first_response_hours": "1.5",
    } | changes


def text_frame(rows: list[dict[str, str | None]]) -> pl.DataFrame:
    """Rows as a frame of text columns, in the order of the first row's keys."""
    columns = list(rows[0])
    return pl.DataFrame(
        {name: [row.get(name) for row in rows] for name in columns},
        schema={name: pl.String for name in columns},
    )


def write_rows(path: Path, rows: list[dict[str, str | None]]) -> Path:
    """Write rows as CSV, Parquet or JSON lines, chosen by the file's suffix."""
    path.parent.mkdir(parents=True, exist_ok=True)
    frame = text_frame(rows)
    if path.suffix == ".parquet":
        frame.write_parquet(path)
    elif path.suffix == ".csv":
        frame.write_csv(path)
    else:
        path.write_text(
            "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8"
        )
    return path


def all_months() -> MonthRange:
    """Every month partition from FIRST_MONTH to the current month."""
    keys = orders_partitions_def(FIRST_MONTH).get_partition_keys()
    return MonthRange(tuple(keys), keys[0], keys[-1])


def months_of(*keys: str) -> MonthRange:
    """The consecutive partitions `keys` within the partitions from FIRST_MONTH."""
    every = all_months()
    return MonthRange(tuple(keys), every.first, every.last)

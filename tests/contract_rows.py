"""Rows that meet the raw contract, as delivered text, and a writer of small raw files.

Shared by the ingestion and the reliability tests; pytest puts `tests/` on the import path (its
conftest.py is not in a package).
"""

import json
from datetime import date
from pathlib import Path

import polars as pl

FIRST_MONTH = date(2023, 1, 1)
HOANG_THANH = "Công ty TNHH Hoàng Thanh"
Row = dict[str, str | None]


def supplier(supplier_id: str = "S1", **changes: str | None) -> Row:
    """A supplier row, as text, that meets the contract."""
    row: Row = {
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


def buyer(buyer_id: str = "B1", **changes: str | None) -> Row:
    """A buyer row, as text, that meets the contract."""
    row: Row = {
        "buyer_id": buyer_id,
        "country_code": "US",
        "registered_at": "2020-02-01",
        "buyer_type": "importer",
    }
    return row | changes


def order(order_id: str, ordered_at: str, line_number: str = "1", **changes: str | None) -> Row:
    """An order line, as text, that meets the contract (buyer B1, supplier S1)."""
    row: Row = {
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
    }
    return row | changes


def text_frame(rows: list[Row]) -> pl.DataFrame:
    """Rows as a frame of text columns, in the order of the first row's keys."""
    columns = list(rows[0])
    return pl.DataFrame(
        {name: [row.get(name) for row in rows] for name in columns},
        schema=dict.fromkeys(columns, pl.String),
    )


def write_rows(path: Path, rows: list[Row]) -> Path:
    """Write rows as CSV, Parquet or JSON lines, chosen by the file's suffix."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".parquet":
        text_frame(rows).write_parquet(path)
    elif path.suffix == ".csv":
        text_frame(rows).write_csv(path)
    else:
        text = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
        path.write_text(text, encoding="utf-8")
    return path

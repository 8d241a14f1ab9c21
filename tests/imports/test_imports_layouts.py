"""Reading an export in either UCI layout into one set of typed columns."""

from datetime import datetime
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from pipelines.errors import TradePulseError
from pipelines.imports.layouts import normalize_export, read_export

ROWS = [
    {"invoice": "C500002", "quantity": -2, "customer_id": 12346, "description": None},
    {"invoice": "500003", "stock_code": "POST", "customer_id": None},
]


def test_both_layouts_read_to_the_same_columns(export_frame) -> None:
    ii = normalize_export(export_frame(ROWS, layout="ii"), "ii.parquet")
    i = normalize_export(export_frame(ROWS, layout="i"), "i.parquet")
    expected = pl.DataFrame(
        {
            "source_file": ["ii.parquet", "ii.parquet"],
            "source_row": [0, 1],
            "invoice": ["C500002", "500003"],
            "stock_code": ["85123A", "POST"],
            "description": [None, "WHITE HANGING HEART T-LIGHT HOLDER"],
            "quantity": [-2.0, 6.0],
            "invoice_date": [datetime(2011, 1, 10, 9, 30)] * 2,
            "unit_price": [2.55, 2.55],
            "customer_id": ["12346", None],
            "country": ["United Kingdom"] * 2,
        },
        schema_overrides={"invoice_date": pl.Datetime("us"), "description": pl.String},
    )
    assert_frame_equal(ii, expected)
    assert_frame_equal(i, expected.with_columns(pl.lit("i.parquet").alias("source_file")))


def test_text_values_are_trimmed_and_nan_is_null() -> None:
    frame = pl.DataFrame(
        {
            "InvoiceNo": [" 536365 "],
            "StockCode": ["85123A"],
            "Description": ["nan"],
            "Quantity": ["6"],
            "InvoiceDate": ["2010-12-01 08:26"],
            "UnitPrice": ["2.55"],
            "CustomerID": ["17850.0"],
            "Country": ["United Kingdom "],
        }
    )
    row = normalize_export(frame, "x.csv").row(0, named=True)
    assert row == {
        "source_file": "x.csv",
        "source_row": 0,
        "invoice": "536365",
        "stock_code": "85123A",
        "description": None,
        "quantity": 6.0,
        "invoice_date": datetime(2010, 12, 1, 8, 26),
        "unit_price": 2.55,
        "customer_id": "17850",
        "country": "United Kingdom",
    }


def test_a_csv_export_reads_like_the_parquet_one(tmp_path: Path, export_frame) -> None:
    frame = export_frame(ROWS, layout="ii")
    frame.write_csv(tmp_path / "export.csv")
    frame.write_parquet(tmp_path / "export.parquet")
    assert_frame_equal(
        read_export(tmp_path / "export.csv").drop("source_file"),
        read_export(tmp_path / "export.parquet").drop("source_file"),
    )


def test_an_unreadable_date_is_null() -> None:
    frame = pl.DataFrame(
        {
            "Invoice": ["1", "2", "3"],
            "StockCode": ["10002"] * 3,
            "Description": ["X"] * 3,
            "Quantity": [1] * 3,
            "InvoiceDate": ["2010-01-04 09:00:00", "2010-01-05T10:15:00", "04/01/2010"],
            "Price": [1.0] * 3,
            "Customer ID": [1] * 3,
            "Country": ["France"] * 3,
        }
    )
    assert normalize_export(frame, "x")["invoice_date"].to_list() == [
        datetime(2010, 1, 4, 9, 0),
        datetime(2010, 1, 5, 10, 15),
        None,
    ]


def test_an_unknown_layout_names_what_is_missing() -> None:
    frame = pl.DataFrame({"order": ["1"], "StockCode": ["X"], "Qty": [1]})
    with pytest.raises(TradePulseError) as error:
        normalize_export(frame, "orders.csv")
    assert str(error.value) == (
        "orders.csv: not an Online Retail export, no column for invoice (Invoice or InvoiceNo); "
        "description (Description); quantity (Quantity); invoice_date (InvoiceDate); "
        "unit_price (Price or UnitPrice); customer_id (Customer ID or CustomerID); "
        "country (Country). Columns found: order, StockCode, Qty. Expected one of the UCI "
        "layouts: Online Retail II: Invoice, StockCode, Description, Quantity, InvoiceDate, "
        "Price, Customer ID, Country / Online Retail: InvoiceNo, StockCode, Description, "
        "Quantity, InvoiceDate, UnitPrice, CustomerID, Country"
    )


def test_two_columns_for_one_field_are_refused(export_frame) -> None:
    frame = export_frame(ROWS).with_columns(pl.col("Price").alias("UnitPrice"))
    with pytest.raises(TradePulseError, match=r"^x: columns Price, UnitPrice all look like "):
        normalize_export(frame, "x")


def test_a_missing_file_and_an_unknown_format_are_refused(tmp_path: Path) -> None:
    with pytest.raises(TradePulseError) as missing:
        read_export(tmp_path / "nope.parquet")
    assert str(missing.value) == (
        f"{tmp_path / 'nope.parquet'}: no such file; pass the path of an Online Retail export"
    )
    (tmp_path / "export.xlsx").write_bytes(b"PK")
    with pytest.raises(TradePulseError) as unsupported:
        read_export(tmp_path / "export.xlsx")
    assert str(unsupported.value) == (
        f"{tmp_path / 'export.xlsx'}: unsupported file type '.xlsx'; "
        "convert the export to .parquet or .csv"
    )

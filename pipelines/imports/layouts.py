"""Read an Online Retail export in either UCI layout into one set of typed columns."""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl

from pipelines.errors import TradePulseError

# Our column <- the source names it may carry, compared without case, spaces or underscores.
FIELDS: dict[str, tuple[str, ...]] = {
    "invoice": ("Invoice", "InvoiceNo"),
    "stock_code": ("StockCode",),
    "description": ("Description",),
    "quantity": ("Quantity",),
    "invoice_date": ("InvoiceDate",),
    "unit_price": ("Price", "UnitPrice"),
    "customer_id": ("Customer ID", "CustomerID"),
    "country": ("Country",),
}
LAYOUTS = (
    "Online Retail II: Invoice, StockCode, Description, Quantity, InvoiceDate, Price, "
    "Customer ID, Country",
    "Online Retail: InvoiceNo, StockCode, Description, Quantity, InvoiceDate, UnitPrice, "
    "CustomerID, Country",
)
READERS = {".parquet": "parquet", ".csv": "csv"}
_DATE_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d")
_NULL_WORDS = ("", "nan", "NaN", "NAN", "None", "none", "NULL", "null")


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def read_export(path: Path) -> pl.DataFrame:
    """Read one export file (Parquet or CSV) and normalise it with `normalize_export`."""
    path = Path(path)
    if not path.is_file():
        raise TradePulseError(f"{path}: no such file; pass the path of an Online Retail export")
    kind = READERS.get(path.suffix.lower())
    if kind is None:
        raise TradePulseError(
            f"{path}: unsupported file type {path.suffix or '(none)'!r}; "
            "convert the export to .parquet or .csv"
        )
    try:
        if kind == "parquet":
            frame = pl.read_parquet(path)
        else:
            frame = pl.read_csv(path, infer_schema=False, encoding="utf8-lossy")
    except (pl.exceptions.PolarsError, OSError) as error:
        raise TradePulseError(f"{path}: cannot be read ({error})") from error
    return normalize_export(frame, path.name)


def normalize_export(frame: pl.DataFrame, name: str) -> pl.DataFrame:
    """The export's rows as source_file, source_row (0-based) and the FIELDS columns, typed.

    Text stays text (stripped; `nan` and blanks are null), quantity and unit_price are numbers,
    customer_id is the id as text without a `.0`, invoice_date is the naive local timestamp.
    """
    by_key: dict[str, list[str]] = {}
    for column in frame.columns:
        by_key.setdefault(_key(column), []).append(column)
    chosen: dict[str, str] = {}
    missing: list[str] = []
    for field, names in FIELDS.items():
        keys = dict.fromkeys(_key(alias) for alias in names)
        present = [column for key in keys for column in by_key.get(key, [])]
        if len(present) > 1:
            raise TradePulseError(
                f"{name}: columns {', '.join(present)} all look like {field}; keep one of them"
            )
        if present:
            chosen[field] = present[0]
        else:
            missing.append(f"{field} ({' or '.join(names)})")
    if missing:
        raise TradePulseError(
            f"{name}: not an Online Retail export, no column for {'; '.join(missing)}. "
            f"Columns found: {', '.join(frame.columns) or '(none)'}. Expected one of the UCI "
            f"layouts: {LAYOUTS[0]} / {LAYOUTS[1]}"
        )
    schema = frame.schema
    normalized = frame.select(
        pl.lit(name).alias("source_file"),
        pl.int_range(pl.len(), dtype=pl.Int64).alias("source_row"),
        _text(chosen["invoice"]).alias("invoice"),
        _text(chosen["stock_code"]).alias("stock_code"),
        _text(chosen["description"]).alias("description"),
        _number(chosen["quantity"], schema).alias("quantity"),
        _timestamp(chosen["invoice_date"], schema, _DATE_FORMATS[:1]).alias("invoice_date"),
        _number(chosen["unit_price"], schema).alias("unit_price"),
        _customer_id(chosen["customer_id"], schema).alias("customer_id"),
        _text(chosen["country"]).alias("country"),
    )
    dates = frame[chosen["invoice_date"]]
    if (
        dates.dtype == pl.String
        and (normalized["invoice_date"].is_null() & dates.is_not_null()).any()
    ):
        # Not every date has the usual format: try the others (values none reads stay null).
        normalized = normalized.with_columns(
            frame.select(
                _timestamp(dates.name, schema, _DATE_FORMATS).alias("invoice_date")
            ).to_series()
        )
    return normalized


def _text(column: str) -> pl.Expr:
    text = pl.col(column).cast(pl.String).str.strip_chars()
    return pl.when(text.is_in(_NULL_WORDS)).then(None).otherwise(text)


def _number(column: str, schema: pl.Schema) -> pl.Expr:
    if schema[column].is_numeric():
        return pl.col(column).cast(pl.Float64)
    return _text(column).cast(pl.Float64, strict=False)


def _customer_id(column: str, schema: pl.Schema) -> pl.Expr:
    dtype = schema[column]
    if dtype.is_integer():
        return pl.col(column).cast(pl.String)
    if dtype.is_float():
        value = pl.col(column)
        whole = value.is_finite() & (value == value.floor())
        return pl.when(whole).then(value.cast(pl.Int64).cast(pl.String))
    return _text(column).str.replace(r"\.0+$", "")


def _timestamp(column: str, schema: pl.Schema, formats: tuple[str, ...]) -> pl.Expr:
    dtype = schema[column]
    value = pl.col(column)
    if isinstance(dtype, pl.Datetime):
        if dtype.time_zone is not None:
            value = value.dt.convert_time_zone("Europe/London").dt.replace_time_zone(None)
        return value.dt.cast_time_unit("us")
    if dtype == pl.Date:
        return value.cast(pl.Datetime("us"))
    text = _text(column)
    return pl.coalesce(text.str.to_datetime(fmt, time_unit="us", strict=False) for fmt in formats)

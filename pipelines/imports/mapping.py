"""Map Online Retail invoice lines onto the raw contract: suppliers, buyers and order lines."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

import polars as pl

from pipelines.contract import BUYERS, ORDERS, SUPPLIERS
from pipelines.errors import TradePulseError
from pipelines.imports.categories import category_expr
from pipelines.imports.countries import buyer_countries, country_lookup
from pipelines.imports.layouts import FIELDS
from pipelines.imports.rules import RULES, Exclusion, is_product

SUPPLIER_ID = "uci-online-retail"
SUPPLIER_NAME = "Online Retail (UCI), UK gift-ware wholesaler"
SUPPLIER_COUNTRY = "GB"
SUPPLIER_BUSINESS_TYPE = "wholesaler"
SUPPLIER_MAIN_CATEGORY = "home_decor"
CURRENCY = "GBP"
SOURCE_TIME_ZONE = "Europe/London"
EXTRA_ORDER_COLUMNS = ("stock_code", "description")


@dataclass(frozen=True)
class MappedExports:
    """The three contract frames and how every source row was accounted for."""

    suppliers: pl.DataFrame
    buyers: pl.DataFrame
    orders: pl.DataFrame
    source_rows: dict[str, int]
    overlap_rows: int
    overlap_invoices: int
    differing_overlap_invoices: int
    excluded: dict[str, int]
    zero_price_lines: int
    cancelled_lines: int


def map_exports(exports: Mapping[str, pl.DataFrame]) -> MappedExports:
    """Map normalised exports (file name -> `normalize_export` frame) onto the raw contract.

    Files are taken in order of their first invoice date; an invoice in several files is kept
    from the first. Every other row is either excluded under one `Exclusion` or written.
    """
    if not exports:
        raise TradePulseError("no export given; pass at least one Online Retail file")
    order = sorted(exports, key=lambda name: (_first_date(exports[name]), name))
    combined = pl.concat(
        [
            exports[name]
            .select("source_file", "source_row", *FIELDS)
            .with_columns(pl.lit(index, dtype=pl.Int32).alias("file_index"))
            for index, name in enumerate(order)
        ]
    )
    if combined.height == 0:
        raise TradePulseError("the exports hold no rows; check that the right files were given")
    is_overlap = pl.col("invoice").is_not_null() & (
        pl.col("file_index") > pl.col("file_index").min().over("invoice")
    )
    combined = combined.with_columns(is_overlap.alias("is_overlap"))
    overlap = combined.filter("is_overlap")
    kept = combined.filter(~pl.col("is_overlap")).with_columns(
        (pl.int_range(pl.len()).over("invoice") + 1).cast(pl.Int32).alias("line_number"),
        _utc(pl.col("invoice_date").min().over("invoice")).alias("ordered_at"),
        pl.col("invoice").str.to_uppercase().str.starts_with("C").alias("is_cancelled"),
    )

    codes = country_lookup(kept["country"].drop_nulls().unique().to_list())
    kept = kept.with_columns(
        pl.col("country")
        .replace_strict(codes, default=None, return_dtype=pl.String)
        .alias("country_code")
    )
    countries = buyer_countries(kept).rename({"country_code": "buyer_country"})
    kept = kept.join(countries, on="customer_id", how="left", maintain_order="left")
    kept = _per_value(kept, "stock_code", is_product(pl.col("stock_code")), "is_product")
    kept = kept.with_columns(_exclusion().alias("exclusion"))
    counts = dict(kept.group_by("exclusion").len().iter_rows())
    written = kept.filter(pl.col("exclusion").is_null())

    orders = _orders(written)
    buyers = _buyers(written, kept, countries)
    suppliers = _suppliers(kept)
    source_rows = {name: exports[name].height for name in order}
    excluded = {reason.value: counts.get(reason.value, 0) for reason in RULES}
    if sum(source_rows.values()) != overlap.height + sum(excluded.values()) + orders.height:
        raise RuntimeError("rows in do not equal overlap + excluded + written; this is a bug")
    return MappedExports(
        suppliers=suppliers,
        buyers=buyers,
        orders=orders,
        source_rows=source_rows,
        overlap_rows=overlap.height,
        overlap_invoices=overlap["invoice"].n_unique(),
        differing_overlap_invoices=_differing_invoices(combined, overlap),
        excluded=excluded,
        zero_price_lines=orders.filter(pl.col("unit_price") == 0).height,
        cancelled_lines=orders.filter(pl.col("order_status") == "cancelled").height,
    )


def _first_date(frame: pl.DataFrame) -> str:
    first = frame["invoice_date"].min() if frame.height else None
    return "~" if first is None else str(first)


def _utc(local: pl.Expr) -> pl.Expr:
    """Naive UK local time as UTC; an hour that does not exist (clocks forward) becomes null."""
    zoned = local.dt.replace_time_zone(SOURCE_TIME_ZONE, ambiguous="earliest", non_existent="null")
    return zoned.dt.convert_time_zone("UTC")


def _exclusion() -> pl.Expr:
    """The first rule a kept row breaks, in the precedence of `Exclusion`; null if none."""
    quantity, price = pl.col("quantity"), pl.col("unit_price")
    unreadable = pl.any_horizontal(
        pl.col("invoice").is_null(),
        pl.col("stock_code").is_null(),
        quantity.is_null() | quantity.is_nan(),
        price.is_null() | price.is_nan(),
        pl.col("invoice_date").is_null(),
        pl.col("ordered_at").is_null(),
    )
    tests = {
        Exclusion.UNREADABLE: unreadable,
        Exclusion.NON_PRODUCT: ~pl.col("is_product"),
        Exclusion.GUEST: pl.col("customer_id").is_null(),
        Exclusion.UNKNOWN_COUNTRY: pl.col("buyer_country").is_null(),
        Exclusion.NEGATIVE_PRICE: price < 0,
        Exclusion.BAD_QUANTITY: (quantity == 0) | (~pl.col("is_cancelled") & (quantity < 0)),
    }
    chain = pl.when(pl.lit(False)).then(pl.lit(None, dtype=pl.String))
    for reason in RULES:
        chain = chain.when(tests[reason]).then(pl.lit(reason.value))
    return chain.otherwise(pl.lit(None, dtype=pl.String))


def _per_value(frame: pl.DataFrame, column: str, expr: pl.Expr, alias: str) -> pl.DataFrame:
    """Add `expr` of `column` as `alias`, computed once per distinct value (regexes are slow)."""
    table = frame.select(pl.col(column).unique()).with_columns(expr.alias(alias))
    return frame.join(table, on=column, how="left", nulls_equal=True, maintain_order="left")


def _orders(written: pl.DataFrame) -> pl.DataFrame:
    written = _per_value(
        written, "description", category_expr(pl.col("description")), "product_category"
    )
    values = {
        "order_id": pl.col("invoice"),
        "line_number": pl.col("line_number"),
        "buyer_id": pl.col("customer_id"),
        "supplier_id": pl.lit(SUPPLIER_ID),
        "ordered_at": pl.col("ordered_at"),
        "product_category": pl.col("product_category"),
        # Cancellations carry negative quantities in the source; the contract wants > 0.
        "quantity": pl.col("quantity").abs(),
        "unit_price": pl.col("unit_price"),
        "currency": pl.lit(CURRENCY),
        "order_status": pl.when("is_cancelled").then(pl.lit("cancelled")).otherwise(pl.lit("paid")),
    }
    # The source has no promised, shipped or delivered dates, ratings or response times: null.
    return written.select(
        *(
            values.get(column.name, pl.lit(None)).cast(column.dtype).alias(column.name)
            for column in ORDERS.columns
        ),
        *EXTRA_ORDER_COLUMNS,
    ).sort("ordered_at", "order_id", "line_number")


def _buyers(written: pl.DataFrame, kept: pl.DataFrame, countries: pl.DataFrame) -> pl.DataFrame:
    registered = kept.group_by("customer_id").agg(
        pl.col("ordered_at").min().dt.date().alias("registered_at")
    )
    values = {
        "buyer_id": pl.col("customer_id"),
        "country_code": pl.col("buyer_country"),
        "registered_at": pl.col("registered_at"),
        "buyer_type": pl.lit(None),
    }
    return (
        written.select("customer_id")
        .unique()
        .join(countries, on="customer_id", how="left")
        .join(registered, on="customer_id", how="left")
        .select(
            *(
                values[column.name].cast(column.dtype).alias(column.name)
                for column in BUYERS.columns
            ),
            "source_country",
        )
        .sort("buyer_id")
    )


def _suppliers(kept: pl.DataFrame) -> pl.DataFrame:
    first = kept["ordered_at"].min()
    if first is None:
        raise TradePulseError("no invoice date in the exports can be read; nothing to import")
    values = {
        "supplier_id": SUPPLIER_ID,
        "supplier_name": SUPPLIER_NAME,
        "country_code": SUPPLIER_COUNTRY,
        "province": None,
        "business_type": SUPPLIER_BUSINESS_TYPE,
        "main_category": SUPPLIER_MAIN_CATEGORY,
        "is_verified": True,
        # Joined the day before its first invoice in the import: the export has no join date.
        "joined_at": first.date() - timedelta(days=1),
        "left_at": None,
    }
    return pl.DataFrame(
        {column.name: [values[column.name]] for column in SUPPLIERS.columns},
        schema={column.name: column.dtype for column in SUPPLIERS.columns},
    )


def _differing_invoices(combined: pl.DataFrame, overlap: pl.DataFrame) -> int:
    """Invoices whose copies in different files are not the same rows (in any order)."""
    if overlap.height == 0:
        return 0
    copies = combined.filter(pl.col("invoice").is_in(overlap["invoice"].unique().implode()))
    fingerprints = (
        copies.with_columns(pl.struct(*FIELDS).hash().alias("row_hash"))
        .group_by("invoice", "file_index")
        .agg(pl.col("row_hash").sort())
    )
    differing = fingerprints.group_by("invoice").agg(pl.col("row_hash").n_unique().alias("copies"))
    return differing.filter(pl.col("copies") > 1).height

"""The real Online Retail files, one import of them per session, and the plain-SQL KPI helpers."""

from datetime import datetime
from pathlib import Path

import duckdb
import polars as pl
import pytest

from pipelines.config import PROJECT_ROOT
from pipelines.imports import ImportSummary, import_online_retail

ONLINE_RETAIL_DIR = PROJECT_ROOT.parent / "shared" / "data" / "online_retail"
ONLINE_RETAIL_II = "online_retail_ii_2009_2010.parquet"
ONLINE_RETAIL = "online_retail_2010_2011.parquet"

# The documented rules in SQL, written apart from the import's code: overlap counted once (an
# invoice in both files comes from the 2009-2010 file), products only, named customers with an
# ISO country, prices >= 0, quantities > 0 outside cancellations; months of the invoice's first
# line in UTC (the source is UK local time).
SOURCE_ORDER_LINES = """
with online_retail_ii as (
    select
        Invoice as invoice,
        StockCode as stock_code,
        Quantity as quantity,
        Price as unit_price,
        "Customer ID"::varchar as customer_id,
        Country as country,
        InvoiceDate::timestamp as invoice_date,
    from read_parquet($online_retail_ii)
),
online_retail as (
    select
        InvoiceNo as invoice,
        StockCode as stock_code,
        Quantity as quantity,
        UnitPrice as unit_price,
        CustomerID::bigint::varchar as customer_id,
        Country as country,
        InvoiceDate as invoice_date,
    from read_parquet($online_retail)
),
combined as (
    select * from online_retail_ii
    union all
    select * from online_retail
    where invoice not in (select invoice from online_retail_ii)
),
no_iso_country as (
    select customer_id,
    from combined
    where customer_id is not null
    group by customer_id
    having bool_and(country in ('Unspecified', 'European Community', 'West Indies'))
),
invoices as (
    select
        invoice,
        timezone('UTC', timezone('Europe/London', min(invoice_date))) as ordered_at,
    from combined
    group by invoice
),
final as (
    select
        combined.invoice as order_id,
        combined.customer_id as buyer_id,
        invoices.ordered_at,
        case when starts_with(combined.invoice, 'C') then 'cancelled' else 'paid' end
            as order_status,
    from combined
    inner join invoices on combined.invoice = invoices.invoice
    where regexp_matches(combined.stock_code, '[0-9]{3}')
        and not starts_with(upper(combined.stock_code), 'TEST')
        and not starts_with(upper(combined.stock_code), 'GIFT_')
        and combined.customer_id is not null
        and combined.customer_id not in (select customer_id from no_iso_country)
        and combined.unit_price >= 0
        and combined.quantity <> 0
        and (combined.quantity > 0 or starts_with(combined.invoice, 'C'))
)
select * from final
"""
# An active buyer in a month has at least one order line that month that is not cancelled.
MONTHLY_ACTIVE_BUYERS = """
select
    strftime(ordered_at, '%Y-%m') as month,
    count(*) as order_lines,
    count(distinct buyer_id) filter (where order_status <> 'cancelled') as active_buyers,
from order_lines
group by month
order by month
"""


@pytest.fixture(scope="session")
def online_retail_files() -> tuple[Path, Path]:
    """The two UCI exports in ../shared/data/online_retail/; the tests skip without them."""
    files = (ONLINE_RETAIL_DIR / ONLINE_RETAIL_II, ONLINE_RETAIL_DIR / ONLINE_RETAIL)
    absent = [path.name for path in files if not path.is_file()]
    if absent:
        pytest.skip(f"the Online Retail exports are not in {ONLINE_RETAIL_DIR}: {absent}")
    return files


@pytest.fixture(scope="session")
def imported(
    online_retail_files: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory
) -> ImportSummary:
    """Both real exports imported once per session."""
    return import_online_retail(online_retail_files, tmp_path_factory.mktemp("retail") / "raw")


def _connect() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("set TimeZone = 'UTC'")
    return con


def _monthly(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[int, int]]:
    rows = con.sql(MONTHLY_ACTIVE_BUYERS).fetchall()
    return {month: (lines, buyers) for month, lines, buyers in rows}


def source_monthly_active_buyers(source_dir: Path) -> dict[str, tuple[int, int]]:
    """Month -> (order lines, active buyers), by plain SQL on the source exports."""
    con = _connect()
    parameters = {
        "online_retail_ii": str(source_dir / ONLINE_RETAIL_II),
        "online_retail": str(source_dir / ONLINE_RETAIL),
    }
    con.execute(f"create temp table order_lines as {SOURCE_ORDER_LINES}", parameters)
    return _monthly(con)


def raw_monthly_active_buyers(raw_dir: Path) -> dict[str, tuple[int, int]]:
    """Month -> (order lines, active buyers), by plain SQL on raw contract files."""
    con = _connect()
    orders = raw_dir / "orders" / "*.parquet"
    con.execute(f"create temp view order_lines as select * from read_parquet('{orders}')")
    return _monthly(con)


def half_year_active_buyers(
    monthly: dict[str, tuple[int, int]], year: int, half: int = 1
) -> tuple[float, float, float]:
    """Average monthly active buyers in a half year, a year earlier, and the YoY growth."""

    def average(of_year: int) -> float:
        months = [f"{of_year}-{month:02d}" for month in range(6 * half - 5, 6 * half + 1)]
        return sum(monthly[month][1] for month in months) / len(months)

    value, prior = average(year), average(year - 1)
    return value, prior, value / prior - 1


def make_export(rows: list[dict], *, layout: str = "ii") -> pl.DataFrame:
    """A hand-made export in the 2009-2010 ("ii") or 2010-2011 layout with defaults filled in."""
    defaults = {
        "invoice": "500001",
        "stock_code": "85123A",
        "description": "WHITE HANGING HEART T-LIGHT HOLDER",
        "quantity": 6,
        "invoice_date": datetime(2011, 1, 10, 9, 30),
        "unit_price": 2.55,
        "customer_id": 13085,
        "country": "United Kingdom",
    }
    full = [defaults | row for row in rows]
    frame = pl.DataFrame(full, schema_overrides={"customer_id": pl.Int64, "quantity": pl.Int64})
    if layout == "ii":
        return frame.select(
            pl.col("invoice").alias("Invoice"),
            pl.col("stock_code").alias("StockCode"),
            pl.col("description").alias("Description"),
            pl.col("quantity").alias("Quantity"),
            pl.col("invoice_date").dt.strftime("%Y-%m-%d %H:%M:%S").alias("InvoiceDate"),
            pl.col("unit_price").alias("Price"),
            pl.col("customer_id").alias("Customer ID"),
            pl.col("country").alias("Country"),
        )
    return frame.select(
        pl.col("invoice").alias("InvoiceNo"),
        pl.col("stock_code").alias("StockCode"),
        pl.col("description").fill_null("nan").alias("Description"),
        pl.col("quantity").alias("Quantity"),
        pl.col("invoice_date").dt.cast_time_unit("ns").alias("InvoiceDate"),
        pl.col("unit_price").alias("UnitPrice"),
        pl.col("customer_id").cast(pl.Float64).alias("CustomerID"),
        pl.col("country").alias("Country"),
    )


@pytest.fixture
def export_frame():
    """`make_export`: a hand-made export frame from a few rows."""
    return make_export


class ActiveBuyersSQL:
    """Monthly active buyers by plain SQL, on the source exports or on raw contract files."""

    from_source = staticmethod(source_monthly_active_buyers)
    from_raw = staticmethod(raw_monthly_active_buyers)
    half_year = staticmethod(half_year_active_buyers)


@pytest.fixture
def active_buyers_sql() -> type[ActiveBuyersSQL]:
    """The plain-SQL helpers: `.from_source(dir)`, `.from_raw(dir)`, `.half_year(monthly, year)`."""
    return ActiveBuyersSQL

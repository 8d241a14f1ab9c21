"""The default sample (seed 42, 1,000,000 lines): headline rows and the pavilion shortlist,
checked against plain SQL over the raw Parquet files and the seeds."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from pipelines.config import DBT_PROJECT_DIR

pytestmark = pytest.mark.slow

ACTIVE_BUYERS_BY_HALF = """
with lines as (
    select distinct
        order_id,
        line_number,
        buyer_id,
        order_status,
        date_trunc('month', timezone('UTC', ordered_at)) as month_start
    from read_parquet(?)
),
monthly as (
    select month_start, count(distinct buyer_id) as buyers
    from lines
    where order_status <> 'cancelled'
    group by month_start
)
select
    avg(buyers) filter (where month_start between '2023-01-01' and '2023-06-01'),
    avg(buyers) filter (where month_start between '2022-01-01' and '2022-06-01')
from monthly
"""

LISTED_VN_SUPPLIERS_BY_HALF = """
with months as (
    select cast(unnest(generate_series(date '2022-01-01', date '2023-06-01', interval 1 month))
        as date) as month_start
),
suppliers as (
    select distinct supplier_id, joined_at, left_at
    from read_parquet(?)
    where country_code = 'VN'
),
monthly as (
    select months.month_start, count(suppliers.supplier_id) as suppliers
    from months
    left join suppliers
        on suppliers.joined_at <= last_day(months.month_start)
        and (suppliers.left_at is null or suppliers.left_at >= months.month_start)
    group by months.month_start
)
select
    avg(suppliers) filter (where month_start between '2023-01-01' and '2023-06-01'),
    avg(suppliers) filter (where month_start between '2022-01-01' and '2022-06-01')
from monthly
"""

HEADLINE = """
select value, value_prior_year, yoy_growth, is_complete_period
from marts.kpi_growth
where metric = ? and period_grain = 'half' and period = '2023-H1'
    and dimension = ? and dimension_value = ?
"""

# Non-cancelled orders and their USD value per supplier over 2022-11 .. 2023-10 (T12M).
TRAILING_FROM_PARQUET = """
with lines as (
    select distinct
        order_id, line_number, supplier_id, order_status, currency, quantity, unit_price,
        cast(date_trunc('month', timezone('UTC', ordered_at)) as date) as month_start
    from read_parquet(?)
),
rates as (
    select cast(month as date) as month_start, currency_code, usd_per_unit
    from read_csv(?, header = true)
)
select
    lines.supplier_id,
    count(distinct lines.order_id) as orders,
    sum(lines.quantity * lines.unit_price * rates.usd_per_unit) as gmv_usd
from lines
inner join rates
    on lines.currency = rates.currency_code and lines.month_start = rates.month_start
where lines.order_status <> 'cancelled'
    and lines.month_start between date '2022-11-01' and date '2023-10-01'
group by lines.supplier_id
"""


def test_headline_rows_match_plain_sql_over_the_raw_files(default_warehouse) -> None:
    orders = str(default_warehouse.raw_dir / "orders" / "*.parquet")
    suppliers = str(default_warehouse.raw_dir / "suppliers" / "*.parquet")
    with duckdb.connect() as conn:
        buyers_now, buyers_before = conn.execute(ACTIVE_BUYERS_BY_HALF, [orders]).fetchone()
        vn_now, vn_before = conn.execute(LISTED_VN_SUPPLIERS_BY_HALF, [suppliers]).fetchone()

    buyers = default_warehouse.query(HEADLINE, ["active_buyers", "all", "all"])
    vn = default_warehouse.query(HEADLINE, ["listed_suppliers", "supplier_country", "VN"])

    assert len(buyers) == 1 and len(vn) == 1
    value, prior, growth, complete = buyers[0]
    assert (value, prior, complete) == (
        pytest.approx(buyers_now),
        pytest.approx(buyers_before),
        True,
    )
    assert growth == pytest.approx(buyers_now / buyers_before - 1, abs=1e-12)
    assert f"{growth:+.1%}" == "+55.0%"
    value, prior, growth, complete = vn[0]
    assert (value, prior, complete) == (pytest.approx(vn_now), pytest.approx(vn_before), True)
    assert growth == pytest.approx(vn_now / vn_before - 1, abs=1e-12)
    assert f"{growth:+.1%}" == "+24.0%"


def test_pavilion_shortlist_is_100_vietnamese_suppliers(default_warehouse) -> None:
    rows = default_warehouse.query(
        "select shortlist_rank, supplier_id, country_code, evaluation_month, criteria_met, "
        "t12m_gmv_usd, t12m_orders from marts.pavilion_shortlist order by shortlist_rank"
    )
    with duckdb.connect() as conn:
        trailing = {
            supplier: (orders, gmv)
            for supplier, orders, gmv in conn.execute(
                TRAILING_FROM_PARQUET,
                [
                    str(default_warehouse.raw_dir / "orders" / "*.parquet"),
                    str(DBT_PROJECT_DIR / "seeds" / "fx_rates_monthly.csv"),
                ],
            ).fetchall()
        }

    assert [row[0] for row in rows] == list(range(1, 101))
    assert {row[2] for row in rows} == {"VN"}
    assert {row[3] for row in rows} == {date(2023, 10, 1)}
    ranking = sorted(rows, key=lambda row: (-row[4], -row[5], row[1]))
    assert [row[1] for row in ranking] == [row[1] for row in rows]
    for _, supplier, _, _, _, gmv, orders in rows:
        assert (orders, gmv) == (trailing[supplier][0], pytest.approx(trailing[supplier][1]))

"""The headline numbers and the story, computed from the written files with plain SQL."""

from pathlib import Path

import pytest

from pipelines.generate import generate_sample

BUYER_GROWTH = """
with monthly as (
    select
        date_trunc('month', ordered_at)::date as month,
        count(distinct buyer_id) filter (where order_status <> 'cancelled') as active_buyers,
    from orders
    group by 1
)
select
    avg(active_buyers) filter (where month between '2023-01-01' and '2023-06-01')
    / avg(active_buyers) filter (where month between '2022-01-01' and '2022-06-01') - 1,
from monthly
"""
VN_SUPPLIER_GROWTH = """
with months as (
    select unnest(generate_series(date '2022-01-01', date '2023-06-01', interval 1 month))::date
        as month
),
listed as (
    select months.month, count(suppliers.supplier_id) as suppliers,
    from months
    left join suppliers
        on suppliers.country_code = 'VN'
        and suppliers.joined_at <= last_day(months.month)
        and (suppliers.left_at is null or suppliers.left_at >= months.month)
    group by 1
)
select
    avg(suppliers) filter (where month >= '2023-01-01')
    / avg(suppliers) filter (where month <= '2022-06-01') - 1,
from listed
"""


def _growth(con) -> tuple[float, float]:
    buyers = con.execute(BUYER_GROWTH).fetchone()[0]
    suppliers = con.execute(VN_SUPPLIER_GROWTH).fetchone()[0]
    return round(100 * buyers, 2), round(100 * suppliers, 2)


@pytest.mark.slow
def test_default_sample_hits_both_headlines(default_sample, raw_sql) -> None:
    con = raw_sql(default_sample.out_dir)
    assert _growth(con) == (55.0, 24.0)
    assert default_sample.calibrated
    assert default_sample.rows == {"suppliers": 6362, "buyers": 92421, "orders": 1_000_000}


@pytest.mark.slow
@pytest.mark.parametrize(
    ("seed", "order_lines", "expected"),
    [
        (1, 200_000, (55.0, 24.03)),
        (2, 200_000, (54.99, 23.99)),
        (3, 200_000, (55.0, 24.04)),
        (4, 20_000, (55.04, 23.81)),
    ],
)
def test_other_seeds_and_sizes_stay_within_half_a_point(
    tmp_path: Path, raw_sql, seed, order_lines, expected
) -> None:
    generate_sample(tmp_path / "raw", seed=seed, order_lines=order_lines)
    buyers, suppliers = _growth(raw_sql(tmp_path / "raw"))
    assert (buyers, suppliers) == expected
    assert abs(buyers - 55) <= 0.5 and abs(suppliers - 24) <= 0.5


@pytest.mark.slow
def test_breadth_countries_categories_currencies(default_sample, raw_sql) -> None:
    con = raw_sql(default_sample.out_dir)
    buyer_countries = con.execute(
        "select count(distinct country_code) from buyers"
        " where buyer_id in (select buyer_id from orders)"
    ).fetchone()[0]
    assert buyer_countries == 243
    assert con.execute("select count(distinct product_category) from orders").fetchone() == (57,)
    assert con.execute("select count(distinct currency) from orders").fetchone() == (42,)
    assert con.execute("select count(distinct country_code) from suppliers").fetchone() == (21,)
    top = con.execute(
        "select currency from orders group by 1 order by count(*) desc limit 4"
    ).fetchall()
    assert top == [("USD",), ("EUR",), ("VND",), ("GBP",)]


@pytest.mark.slow
def test_the_story_covid_seasonality_and_tet(default_sample, raw_sql) -> None:
    con = raw_sql(default_sample.out_dir)
    monthly = dict(
        con.execute(
            """
            select strftime(ordered_at, '%Y-%m'), count(distinct order_id)
            from orders group by 1
            """
        ).fetchall()
    )
    assert len(monthly) == 46
    assert round(monthly["2020-04"] / monthly["2020-01"], 2) == 0.73  # Covid
    assert round(monthly["2021-10"] / monthly["2021-07"], 2) == 1.18  # autumn peak
    vn_share = dict(
        con.execute(
            """
            select strftime(orders.ordered_at, '%Y-%m'),
                count(distinct orders.order_id) filter (where suppliers.country_code = 'VN')
                / count(distinct orders.order_id),
            from orders join suppliers using (supplier_id)
            group by 1
            """
        ).fetchall()
    )
    # Tet: 2021-02-12, 2022-02-01, 2023-01-22.
    for tet, before, after in (
        ("2021-02", "2021-01", "2021-03"),
        ("2022-02", "2022-01", "2022-03"),
        ("2023-01", "2022-12", "2023-03"),
    ):
        assert vn_share[tet] < 0.85 * min(vn_share[before], vn_share[after])


SHORTLIST = """
with params as (select date '2023-10-01' as month_start, date '2023-10-31' as month_end),
fx as (select * from read_csv('{fx}')),
orders_usd as (
    select
        order_id,
        any_value(supplier_id) as supplier_id,
        any_value(buyer_id) as buyer_id,
        any_value(ordered_at) as ordered_at,
        any_value(order_status) as order_status,
        any_value(promised_ship_by) as promised_ship_by,
        any_value(shipped_at) as shipped_at,
        any_value(buyer_rating) as buyer_rating,
        any_value(first_response_hours) as first_response_hours,
        sum(quantity * unit_price * fx.usd_per_unit) as gmv_usd,
    from orders
    join fx on fx.month = date_trunc('month', orders.ordered_at)::date
        and fx.currency_code = orders.currency
    group by order_id
),
last_12_months as (
    select orders_usd.* from orders_usd, params
    where ordered_at::date > month_end - interval 12 month and ordered_at::date <= month_end
),
prior as (
    select supplier_id, sum(gmv_usd) filter (where order_status <> 'cancelled') as gmv_usd,
    from orders_usd, params
    where ordered_at::date > month_end - interval 24 month
        and ordered_at::date <= month_end - interval 12 month
    group by 1
),
candidates as (
    select suppliers.* from suppliers, params
    where country_code = 'VN' and business_type = 'manufacturer'
        and joined_at <= month_end and (left_at is null or left_at >= month_start)
),
active_months as (
    select supplier_id, count(distinct date_trunc('month', ordered_at)) as months,
    from orders_usd, params
    where date_trunc('month', ordered_at)::date > month_start - interval 6 month
        and ordered_at::date <= month_end
    group by 1
),
performance as (
    select
        supplier_id,
        count(*) as orders,
        sum(gmv_usd) filter (where order_status <> 'cancelled') as gmv_usd,
        avg((order_status = 'cancelled')::int) as cancelled,
        avg((order_status in ('disputed', 'refunded'))::int)
            filter (where order_status <> 'cancelled') as disputed_or_refunded,
        avg((shipped_at::date <= promised_ship_by)::int)
            filter (where shipped_at is not null and promised_ship_by is not null) as on_time,
        avg(buyer_rating) as rating,
        count(buyer_rating) as ratings,
        median(first_response_hours) as response_hours,
    from last_12_months
    group by 1
),
reach as (
    select last_12_months.supplier_id, count(distinct buyers.country_code) as countries,
    from last_12_months join buyers using (buyer_id)
    group by 1
),
repeat_buyers as (
    select supplier_id, avg((orders >= 2)::int) as share,
    from (
        select supplier_id, buyer_id, count(*) as orders,
        from last_12_months where order_status <> 'cancelled'
        group by 1, 2
    )
    group by 1
),
met as (
    select
        candidates.supplier_id,
        1 -- a Vietnamese manufacturer
        + candidates.is_verified::int
        + (candidates.joined_at <= (select month_end from params) - interval 2 year)::int
        + (coalesce(active_months.months, 0) = 6)::int
        + (coalesce(performance.orders, 0) >= 50)::int
        + (coalesce(performance.gmv_usd, 0) >= 50000)::int
        + (coalesce(performance.gmv_usd, 0) >= coalesce(prior.gmv_usd, 0))::int
        + (coalesce(reach.countries, 0) >= 5)::int
        + (coalesce(repeat_buyers.share, 0) >= 0.2)::int
        + (coalesce(performance.on_time, 0) >= 0.9)::int
        + (coalesce(performance.cancelled, 1) <= 0.05)::int
        + (coalesce(performance.disputed_or_refunded, 1) <= 0.02)::int
        + (coalesce(performance.rating, 0) >= 4.3 and performance.ratings >= 10)::int
        + (coalesce(performance.response_hours, 1e9) <= 24)::int
        as criteria_met,
    from candidates
    left join active_months using (supplier_id)
    left join performance using (supplier_id)
    left join prior using (supplier_id)
    left join reach using (supplier_id)
    left join repeat_buyers using (supplier_id)
)
select
    count(*) as candidates,
    count(*) filter (where criteria_met >= 11) as meet_11,
    count(*) filter (where criteria_met = 14) as meet_14,
from met
"""


@pytest.mark.slow
def test_pavilion_shortlist_is_a_real_choice(default_sample, raw_sql) -> None:
    from pipelines.contract.reference import SEEDS_DIR

    con = raw_sql(default_sample.out_dir)
    result = con.execute(SHORTLIST.format(fx=SEEDS_DIR / "fx_rates_monthly.csv")).fetchone()
    assert result == (714, 339, 121)

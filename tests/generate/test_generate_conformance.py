"""The default sample meets the contract: by the contract's own validator and by plain SQL."""

from datetime import UTC, datetime

import polars as pl
import pytest

from pipelines.contract import validate_frame
from pipelines.contract.reference import SEEDS_DIR

EXTRACT = datetime(2023, 11, 1, tzinfo=UTC)


@pytest.mark.slow
def test_every_row_passes_the_contract_validator(default_sample) -> None:
    raw = default_sample.out_dir
    suppliers = validate_frame(
        "suppliers", pl.read_parquet(raw / "suppliers" / "*.parquet"), now=EXTRACT
    )
    buyers = validate_frame("buyers", pl.read_parquet(raw / "buyers" / "*.parquet"), now=EXTRACT)
    orders = validate_frame(
        "orders",
        pl.read_parquet(raw / "orders" / "*.parquet"),
        known_keys={
            "buyers": buyers.valid["buyer_id"],
            "suppliers": suppliers.valid["supplier_id"],
        },
        now=EXTRACT,
    )
    assert [result.rejected.height for result in (suppliers, buyers, orders)] == [0, 0, 0]
    assert [result.valid.height for result in (suppliers, buyers, orders)] == [
        6362,
        92421,
        1_000_000,
    ]


@pytest.mark.slow
def test_plain_sql_finds_no_broken_row(default_sample, raw_sql) -> None:
    con = raw_sql(default_sample.out_dir)
    con.execute(f"create view countries as select * from read_csv('{SEEDS_DIR}/countries.csv')")
    con.execute(f"create view currencies as select * from read_csv('{SEEDS_DIR}/currencies.csv')")
    broken = con.execute(
        """
        select
            count(*) filter (where order_id is null or line_number is null or buyer_id is null
                or supplier_id is null or ordered_at is null or product_category is null
                or quantity is null or unit_price is null or currency is null
                or order_status is null),
            count(*) filter (where line_number < 1 or quantity <= 0 or unit_price < 0),
            count(*) filter (where order_status not in
                ('placed', 'paid', 'shipped', 'delivered', 'cancelled', 'refunded', 'disputed')),
            count(*) filter (where currency not in (select currency_code from currencies)),
            count(*) filter (where buyer_rating not between 1 and 5 or first_response_hours < 0),
            count(*) filter (where shipped_at < ordered_at or delivered_at < shipped_at
                or promised_ship_by < ordered_at::date),
            count(*) filter (where greatest(ordered_at, shipped_at, delivered_at)
                >= timestamptz '2023-11-01 00:00:00+00'),
            count(*) filter (where buyer_id not in (select buyer_id from buyers)),
            count(*) filter (where supplier_id not in (select supplier_id from suppliers)),
            count(*) - count(distinct (order_id, line_number)),
        from orders
        """
    ).fetchone()
    assert broken == (0,) * 10
    assert con.execute(
        """
        select
            count(*) - count(distinct supplier_id),
            count(*) filter (where supplier_name is null or business_type is null
                or main_category is null or is_verified is null or joined_at is null),
            count(*) filter (where country_code not in (select country_code from countries)),
            count(*) filter (where left_at < joined_at),
        from suppliers
        """
    ).fetchone() == (0, 0, 0, 0)
    assert con.execute(
        """
        select
            count(*) - count(distinct buyer_id),
            count(*) filter (where country_code not in (select country_code from countries)
                or registered_at is null),
        from buyers
        """
    ).fetchone() == (0, 0)


@pytest.mark.slow
def test_order_fields_repeat_on_every_line_and_shapes_are_realistic(
    default_sample, raw_sql
) -> None:
    con = raw_sql(default_sample.out_dir)
    inconsistent = con.execute(
        """
        select count(*) from (
            select order_id from orders group by 1
            having count(distinct (buyer_id, supplier_id, ordered_at, currency, order_status,
                promised_ship_by, shipped_at, delivered_at, buyer_rating,
                first_response_hours)) > 1
        )
        """
    ).fetchone()
    assert inconsistent == (0,)
    orders = con.execute(
        """
        select count(*), max(lines), count(*) filter (where lines > 1),
        from (select order_id, count(*) as lines from orders group by 1)
        """
    ).fetchone()
    assert orders == (416_565, 39, 261_729)
    statuses = con.execute(
        """
        select order_status, count(distinct order_id) from orders group by 1 order by 2 desc
        """
    ).fetchall()
    assert [status for status, _ in statuses] == [
        "delivered",
        "cancelled",
        "shipped",
        "paid",
        "disputed",
        "refunded",
        "placed",
    ]
    late = con.execute(
        """
        select count(distinct order_id) from orders where shipped_at::date > promised_ship_by
        """
    ).fetchone()
    assert late == (18_813,)
    repeat_buyers = con.execute(
        """
        select count(*) filter (where months > 1), count(*) from (
            select buyer_id, count(distinct date_trunc('month', ordered_at)) as months
            from orders group by 1
        )
        """
    ).fetchone()
    assert repeat_buyers == (47_188, 67_547)
    vietnamese = con.execute(
        """
        select count(*), count(*) filter (where province is not null),
            count(*) filter (where strip_accents(supplier_name) <> supplier_name),
        from suppliers where country_code = 'VN'
        """
    ).fetchone()
    assert vietnamese == (2162, 2162, 2162)

"""--faults: the documented mix, checked against the written files with SQL and the validator."""

from collections import Counter

import polars as pl

from pipelines.contract import validate_frame
from pipelines.generate import FAULT_KINDS, generate_sample
from pipelines.generate.faults import allocate

EXPECTED = {
    "supplier_duplicate": 2,
    "supplier_bad_country": 1,
    "supplier_null_name": 1,
    "supplier_unknown_business_type": 1,
    "supplier_left_before_joined": 1,
    "supplier_future_joined": 1,
    "buyer_duplicate": 31,
    "buyer_bad_country": 31,
    "buyer_null_country": 21,
    "buyer_future_registration": 11,
    "order_null_buyer_id": 100,
    "order_null_ordered_at": 50,
    "order_negative_quantity": 100,
    "order_negative_price": 50,
    "order_zero_line_number": 25,
    "order_rating_out_of_range": 38,
    "order_unknown_status": 75,
    "order_unknown_currency": 75,
    "order_orphan_buyer": 100,
    "order_orphan_supplier": 100,
    "order_shipped_before_ordered": 75,
    "order_delivered_before_shipped": 50,
    "order_future_delivery": 37,
    "order_duplicate_line": 125,
}


def test_the_mix_follows_the_weights() -> None:
    assert allocate("orders", 50_000, 0.02) == {
        name: count for name, count in EXPECTED.items() if name.startswith("order_")
    }
    assert allocate("buyers", 1_000, 0.0) == {
        "buyer_duplicate": 0,
        "buyer_bad_country": 0,
        "buyer_null_country": 0,
        "buyer_future_registration": 0,
    }
    assert sum(kind.weight for kind in FAULT_KINDS if kind.entity == "orders") == 80


def test_summary_counts_every_kind(faulty_sample) -> None:
    assert faulty_sample.faults == EXPECTED
    assert faulty_sample.rows == {"suppliers": 337, "buyers": 4783, "orders": 50_125}
    assert faulty_sample.fault_rows == 1101


def test_plain_sql_sees_the_injected_faults(faulty_sample, raw_sql) -> None:
    con = raw_sql(faulty_sample.out_dir)
    suppliers = con.execute(
        """
        select
            count(*) - count(distinct supplier_id),
            count(*) filter (where country_code in ('UK', 'XX', 'VNM')),
            count(*) filter (where supplier_name is null),
            count(*) filter (where business_type = 'factory'),
            count(*) filter (where left_at < joined_at),
            count(*) filter (where joined_at = date '2099-01-01'),
        from suppliers
        """
    ).fetchone()
    assert suppliers == (2, 1, 1, 1, 1, 1)
    buyers = con.execute(
        """
        select
            count(*) - count(distinct buyer_id),
            count(*) filter (where country_code in ('UK', 'EU', 'XK')),
            count(*) filter (where country_code is null),
            count(*) filter (where registered_at = date '2099-01-01'),
        from buyers
        """
    ).fetchone()
    assert buyers == (31, 31, 21, 11)
    orders = con.execute(
        """
        select
            count(*) filter (where buyer_id is null),
            count(*) filter (where ordered_at is null),
            count(*) filter (where quantity < 0),
            count(*) filter (where unit_price < 0),
            count(*) filter (where line_number = 0),
            count(*) filter (where buyer_rating = 6),
            count(*) filter (where order_status = 'lost'),
            count(*) filter (where currency in ('VDN', 'RMB', 'US$')),
            count(*) filter (where buyer_id not in (select buyer_id from buyers)),
            count(*) filter (where supplier_id not in (select supplier_id from suppliers)),
            count(*) filter (where shipped_at < ordered_at),
            count(*) filter (where delivered_at < shipped_at),
            count(*) filter (where delivered_at >= timestamptz '2099-01-01 00:00:00+00'),
            count(*) - count(distinct (order_id, line_number)),
        from orders
        """
    ).fetchone()
    assert orders == (100, 50, 100, 50, 25, 38, 75, 75, 100, 100, 75, 50, 37, 125)


def test_the_validator_gives_each_fault_its_documented_reason(faulty_sample) -> None:
    raw = faulty_sample.out_dir
    suppliers = validate_frame("suppliers", pl.read_parquet(raw / "suppliers" / "*.parquet"))
    buyers = validate_frame("buyers", pl.read_parquet(raw / "buyers" / "*.parquet"))
    orders = validate_frame(
        "orders",
        pl.read_parquet(raw / "orders" / "*.parquet"),
        known_keys={
            "buyers": buyers.valid["buyer_id"],
            "suppliers": suppliers.valid["supplier_id"],
        },
    )
    for entity, result in (("suppliers", suppliers), ("buyers", buyers), ("orders", orders)):
        expected = Counter()
        for kind in FAULT_KINDS:
            if kind.entity == entity:
                expected[kind.reason.value] += EXPECTED[kind.name]
        assert result.reason_counts() == {code: n for code, n in expected.items() if n}
        # Each broken row breaks exactly one rule.
        assert result.rejected["reason_codes"].list.len().unique().to_list() == [1]
    assert orders.valid.height == 50_125 - 1000
    assert orders.reason_counts() == {
        "missing_required": 150,
        "not_in_set": 75,
        "out_of_range": 213,
        "bad_currency": 75,
        "date_order": 125,
        "future_date": 37,
        "orphan_buyer": 100,
        "orphan_supplier": 100,
        "duplicate_key": 125,
    }


def test_the_highest_rate_breaks_half_of_every_dataset(tmp_path, raw_sql) -> None:
    summary = generate_sample(tmp_path / "raw", order_lines=10_000, faults=0.5)
    broken = Counter()
    for kind in FAULT_KINDS:
        broken[kind.entity] += summary.faults[kind.name]
    assert broken["orders"] == 5000
    assert summary.rows["orders"] == 10_000 + summary.faults["order_duplicate_line"] == 10_625
    con = raw_sql(tmp_path / "raw")
    assert con.execute("select count(*) from orders where order_status = 'lost'").fetchone() == (
        summary.faults["order_unknown_status"],
    )

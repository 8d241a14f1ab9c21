"""Both real exports imported: every row accounted for, every written row within the contract."""

import polars as pl

from pipelines.contract import validate_frame
from pipelines.imports import ImportSummary


def test_rows_in_equal_overlap_plus_excluded_plus_written(imported: ImportSummary) -> None:
    assert imported.source_rows == {
        "online_retail_ii_2009_2010.parquet": 525_461,
        "online_retail_2010_2011.parquet": 541_909,
    }
    assert (imported.overlap_rows, imported.overlap_invoices) == (22_523, 1_088)
    assert imported.differing_overlap_invoices == 0
    assert imported.excluded == {
        "unreadable": 0,
        "non_product": 5_881,
        "guest": 233_076,
        "unknown_country": 634,
        "negative_price": 0,
        "bad_quantity": 0,
    }
    assert imported.written == {"suppliers": 1, "buyers": 5_868, "orders": 805_256}
    assert (imported.cancelled_lines, imported.zero_price_lines) == (17_639, 60)
    assert imported.rows_in == 1_067_370
    assert imported.rows_in == (
        imported.overlap_rows + imported.rows_excluded + imported.written["orders"]
    )
    assert imported.rows_accounted == imported.rows_in


def test_one_orders_file_per_month_from_2009_12_to_2011_12(imported: ImportSummary) -> None:
    months = sorted(path.stem for path in imported.files if path.parent.name == "orders")
    assert (len(months), months[0], months[-1]) == (25, "2009-12", "2011-12")
    assert len(imported.files) == 27


def test_every_written_row_meets_the_contract(imported: ImportSummary) -> None:
    raw = imported.out_dir
    suppliers = validate_frame("suppliers", pl.read_parquet(raw / "suppliers" / "*.parquet"))
    buyers = validate_frame("buyers", pl.read_parquet(raw / "buyers" / "*.parquet"))
    orders = validate_frame(
        "orders",
        pl.read_parquet(raw / "orders" / "*.parquet"),
        known_keys={
            "suppliers": suppliers.valid["supplier_id"],
            "buyers": buyers.valid["buyer_id"],
        },
    )
    assert (suppliers.rejected.height, buyers.rejected.height, orders.rejected.height) == (0, 0, 0)
    assert (suppliers.valid.height, buyers.valid.height, orders.valid.height) == (1, 5_868, 805_256)


def test_buyers_countries_and_categories_of_the_real_files(imported: ImportSummary) -> None:
    buyers = pl.read_parquet(imported.out_dir / "buyers" / "*.parquet")
    countries = dict(buyers.group_by("country_code").len().iter_rows())
    assert len(countries) == 38
    assert (countries["GB"], countries["DE"], countries["FR"], countries["JE"]) == (
        5_358,
        106,
        93,
        13,
    )
    orders = pl.read_parquet(
        imported.out_dir / "orders" / "*.parquet", columns=["product_category", "currency"]
    )
    assert orders["currency"].unique().to_list() == ["GBP"]
    categories = dict(orders.group_by("product_category").len().iter_rows())
    assert categories == {
        "home_decor": 383_794,
        "kitchenware": 130_728,
        "stationery": 80_511,
        "bags_luggage": 78_800,
        "lighting": 60_533,
        "home_textiles": 31_688,
        "toys": 13_838,
        "ceramics": 12_184,
        "furniture": 8_345,
        "jewelry": 4_835,
    }

"""The mapping rules on small hand-made exports: every row is written or excluded, with a reason."""

from datetime import UTC, date, datetime

import polars as pl
import pytest

from pipelines.contract import validate_frame
from pipelines.errors import TradePulseError
from pipelines.imports.layouts import normalize_export
from pipelines.imports.mapping import SUPPLIER_ID, MappedExports, map_exports

MARCH = datetime(2010, 3, 1)
NO_EXCLUSIONS = {
    "unreadable": 0,
    "non_product": 0,
    "guest": 0,
    "unknown_country": 0,
    "negative_price": 0,
    "bad_quantity": 0,
}


def _map(**frames: pl.DataFrame) -> MappedExports:
    return map_exports({name: normalize_export(frame, name) for name, frame in frames.items()})


def _accounted(mapped: MappedExports) -> int:
    return mapped.overlap_rows + sum(mapped.excluded.values()) + mapped.orders.height


def test_each_rule_excludes_its_rows_and_the_rest_is_written(export_frame) -> None:
    rows = [
        {"invoice": "1"},  # written
        {"invoice": "1", "stock_code": "POST"},
        {"invoice": "1", "stock_code": "BANK CHARGES"},
        {"invoice": "2", "stock_code": "gift_0001_10"},
        {"invoice": "3", "customer_id": None},
        {"invoice": "4", "customer_id": 14000, "country": "Unspecified"},
        {"invoice": "5", "unit_price": -1.0},
        {"invoice": "5", "unit_price": 0.0},  # written: a free line
        {"invoice": "6", "quantity": 0},
        {"invoice": "6", "quantity": -3},  # not a cancellation
        {"invoice": "C7", "quantity": -3},  # written, cancelled
        {"invoice": "8", "stock_code": None},
    ]
    mapped = _map(a=export_frame(rows))
    assert mapped.source_rows == {"a": 12}
    assert mapped.excluded == {
        "unreadable": 1,
        "non_product": 3,
        "guest": 1,
        "unknown_country": 1,
        "negative_price": 1,
        "bad_quantity": 2,
    }
    assert mapped.orders.select("order_id", "line_number", "quantity", "unit_price").rows() == [
        ("1", 1, 6.0, 2.55),
        ("5", 2, 6.0, 0.0),
        ("C7", 1, 3.0, 2.55),
    ]
    assert (mapped.zero_price_lines, mapped.cancelled_lines) == (1, 1)
    assert _accounted(mapped) == 12


def test_a_row_that_breaks_several_rules_counts_once_under_the_first(export_frame) -> None:
    rows = [{"stock_code": "POST", "customer_id": None, "unit_price": -1.0, "quantity": 0}]
    assert _map(a=export_frame(rows)).excluded == NO_EXCLUSIONS | {"non_product": 1}


def test_cancellations_store_the_absolute_quantity_and_status(export_frame) -> None:
    rows = [
        {"invoice": "C9", "quantity": -12},
        {"invoice": "C9", "quantity": 5},
        {"invoice": "10", "quantity": 4},
    ]
    orders = _map(a=export_frame(rows)).orders
    assert orders.select("order_id", "quantity", "order_status").rows() == [
        ("10", 4.0, "paid"),
        ("C9", 12.0, "cancelled"),
        ("C9", 5.0, "cancelled"),
    ]


def test_line_numbers_follow_file_order_and_skip_excluded_lines(export_frame) -> None:
    rows = [
        {"invoice": "20", "stock_code": "22001"},
        {"invoice": "21", "stock_code": "22002"},
        {"invoice": "20", "stock_code": "POST"},
        {"invoice": "20", "stock_code": "22003"},
        {"invoice": "21", "stock_code": "22004"},
    ]
    orders = _map(a=export_frame(rows)).orders
    assert orders.select("order_id", "line_number", "stock_code").rows() == [
        ("20", 1, "22001"),
        ("20", 3, "22003"),
        ("21", 1, "22002"),
        ("21", 2, "22004"),
    ]


def test_an_invoice_in_two_files_is_kept_once_from_the_earlier_file(export_frame) -> None:
    early = [
        {"invoice": "30", "invoice_date": datetime(2010, 11, 30, 10)},
        {"invoice": "31", "invoice_date": datetime(2010, 12, 1, 9), "stock_code": "22001"},
        {"invoice": "31", "invoice_date": datetime(2010, 12, 1, 9), "stock_code": "22002"},
        {"invoice": "32", "invoice_date": datetime(2010, 12, 2, 9), "customer_id": None},
    ]
    late = [
        {"invoice": "31", "invoice_date": datetime(2010, 12, 1, 9), "stock_code": "22002"},
        {"invoice": "31", "invoice_date": datetime(2010, 12, 1, 9), "stock_code": "22001"},
        {"invoice": "32", "invoice_date": datetime(2010, 12, 2, 9), "customer_id": None},
        {"invoice": "33", "invoice_date": datetime(2010, 12, 3, 9)},
    ]
    # Given in either order, the earlier file (by first invoice date) keeps the invoice.
    for frames in (
        {"late": export_frame(late, layout="i"), "early": export_frame(early)},
        {"early": export_frame(early), "late": export_frame(late, layout="i")},
    ):
        mapped = _map(**frames)
        assert mapped.source_rows == {"early": 4, "late": 4}
        assert (mapped.overlap_rows, mapped.overlap_invoices) == (3, 2)
        assert mapped.differing_overlap_invoices == 0
        assert mapped.excluded == NO_EXCLUSIONS | {"guest": 1}
        assert mapped.orders.select("order_id", "line_number", "stock_code").rows() == [
            ("30", 1, "85123A"),
            ("31", 1, "22001"),
            ("31", 2, "22002"),
            ("33", 1, "85123A"),
        ]
        assert _accounted(mapped) == 8


def test_overlapping_invoices_that_differ_are_counted(export_frame) -> None:
    early = [{"invoice": "40", "quantity": 6}, {"invoice": "41"}]
    late = [{"invoice": "40", "quantity": 8}, {"invoice": "41"}]
    mapped = _map(early=export_frame(early), late=export_frame(late, layout="i"))
    assert (mapped.overlap_rows, mapped.differing_overlap_invoices) == (2, 1)
    assert mapped.orders["quantity"].to_list() == [6.0, 6.0]


def test_uk_local_time_becomes_utc_and_repeats_on_every_line(export_frame) -> None:
    rows = [
        {"invoice": "50", "invoice_date": datetime(2010, 6, 1, 10, 0)},  # BST, UTC+1
        {"invoice": "50", "invoice_date": datetime(2010, 6, 1, 10, 1)},
        {"invoice": "51", "invoice_date": datetime(2010, 1, 4, 10, 0)},  # GMT
    ]
    orders = _map(a=export_frame(rows)).orders
    assert orders.select("order_id", "ordered_at").rows() == [
        ("51", datetime(2010, 1, 4, 10, 0, tzinfo=UTC)),
        ("50", datetime(2010, 6, 1, 9, 0, tzinfo=UTC)),
        ("50", datetime(2010, 6, 1, 9, 0, tzinfo=UTC)),
    ]


def test_buyers_take_the_country_of_most_rows_and_a_mapped_code(export_frame) -> None:
    rows = [
        {"invoice": "60", "customer_id": 1, "country": "EIRE", "invoice_date": MARCH},
        {"invoice": "61", "customer_id": 1, "country": "United Kingdom"},
        {"invoice": "61", "customer_id": 1, "country": "United Kingdom"},
        {"invoice": "62", "customer_id": 2, "country": "RSA"},
        {"invoice": "63", "customer_id": 2, "country": "USA", "invoice_date": datetime(2011, 5, 1)},
        {"invoice": "64", "customer_id": 3, "country": "Unspecified"},
        {"invoice": "65", "customer_id": 3, "country": "Channel Islands"},
        {"invoice": "66", "customer_id": 4, "country": "European Community"},
    ]
    mapped = _map(a=export_frame(rows))
    assert mapped.buyers.rows() == [
        ("1", "GB", date(2010, 3, 1), None, "United Kingdom"),
        ("2", "US", date(2011, 1, 10), None, "USA"),  # a tie goes to the later invoice
        ("3", "JE", date(2011, 1, 10), None, "Channel Islands"),
    ]
    assert mapped.excluded == NO_EXCLUSIONS | {"unknown_country": 1}


def test_an_unknown_country_name_stops_the_import(export_frame) -> None:
    unknown = r"^country name\(s\) with no ISO 3166-1 code: 'Mars'; add a row "
    with pytest.raises(TradePulseError, match=unknown):
        _map(a=export_frame([{"country": "Mars"}]))


def test_the_supplier_is_the_wholesaler_from_the_day_before_the_first_invoice(
    export_frame,
) -> None:
    rows = [{"invoice_date": datetime(2009, 12, 1, 7, 45)}, {"invoice": "2", "customer_id": None}]
    suppliers = _map(a=export_frame(rows)).suppliers
    assert suppliers.row(0, named=True) == {
        "supplier_id": SUPPLIER_ID,
        "supplier_name": "Online Retail (UCI), UK gift-ware wholesaler",
        "country_code": "GB",
        "province": None,
        "business_type": "wholesaler",
        "main_category": "home_decor",
        "is_verified": True,
        "joined_at": date(2009, 11, 30),
        "left_at": None,
    }


def test_order_lines_carry_gbp_categories_extras_and_nulls(export_frame) -> None:
    rows = [
        {"description": "JUMBO BAG RED RETROSPOT", "stock_code": "85099B"},
        {"description": None, "stock_code": "21232"},
    ]
    orders = _map(a=export_frame(rows, layout="i")).orders
    assert orders.columns[-2:] == ["stock_code", "description"]
    assert orders.select("product_category", "currency", "stock_code", "description").rows() == [
        ("bags_luggage", "GBP", "85099B", "JUMBO BAG RED RETROSPOT"),
        ("home_decor", "GBP", "21232", None),
    ]
    lacking = ["promised_ship_by", "shipped_at", "delivered_at", "buyer_rating"]
    assert orders.select(pl.col(*lacking, "first_response_hours").null_count()).row(0) == (2,) * 5


def test_what_is_written_meets_the_contract(export_frame) -> None:
    rows = [
        {"invoice": "C70", "quantity": -1},
        {"invoice": "71", "unit_price": 0.0},
        {"invoice": "72", "customer_id": 2, "country": "EIRE"},
    ]
    mapped = _map(a=export_frame(rows))
    suppliers = validate_frame("suppliers", mapped.suppliers)
    buyers = validate_frame("buyers", mapped.buyers)
    orders = validate_frame(
        "orders",
        mapped.orders,
        known_keys={
            "suppliers": suppliers.valid["supplier_id"],
            "buyers": buyers.valid["buyer_id"],
        },
    )
    assert (suppliers.rejected.height, buyers.rejected.height, orders.rejected.height) == (0, 0, 0)
    assert (suppliers.valid.height, buyers.valid.height, orders.valid.height) == (1, 2, 3)


def test_no_rows_is_an_error(export_frame) -> None:
    with pytest.raises(TradePulseError, match="^the exports hold no rows"):
        _map(a=export_frame([{}]).clear())

"""validate_frame: every rule, its reason code and message, vectorised over a frame."""

from datetime import UTC, date, datetime

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from pipelines.contract import ORDERS, REJECT_COLUMNS, SUPPLIERS, coerce_column, validate_frame

NOW = datetime(2023, 11, 1, tzinfo=UTC)


def _orders(**overrides: list) -> pl.DataFrame:
    """Two valid order lines as CSV text, with some columns replaced."""
    columns = {
        "order_id": ["ORD-1", "ORD-1"],
        "line_number": ["1", "2"],
        "buyer_id": ["B1", "B1"],
        "supplier_id": ["S1", "S1"],
        "ordered_at": ["2023-06-01T10:00:00Z", "2023-06-01T10:00:00Z"],
        "product_category": ["coffee", "tea"],
        "quantity": ["100", "2.5"],
        "unit_price": ["3.5", "0"],
        "currency": ["USD", "USD"],
        "order_status": ["delivered", "delivered"],
        "promised_ship_by": ["2023-06-10", ""],
        "shipped_at": ["2023-06-05 08:00:00+07:00", "2023-06-05 08:00:00+07:00"],
        "delivered_at": ["2023-06-20T00:00:00", "2023-06-20T00:00:00"],
        "buyer_rating": ["5", ""],
        "first_response_hours": ["1.5", None],
    }
    columns.update(overrides)
    return pl.DataFrame(columns, schema={name: pl.String for name in columns})


def _reasons(result) -> list[tuple[int, str, str]]:
    return result.rejected.select("row_number", "reason_code", "reason_message").rows()


def test_valid_text_rows_are_cast_to_the_contract_types() -> None:
    result = validate_frame("orders", _orders(note=["a", "b"]), now=NOW)
    assert result.rejected.height == 0
    assert result.valid.columns == [*ORDERS.column_names, "note"]
    row = result.valid.row(0, named=True)
    assert row["line_number"] == 1
    assert row["ordered_at"] == datetime(2023, 6, 1, 10, tzinfo=UTC)
    assert row["shipped_at"] == datetime(2023, 6, 5, 1, tzinfo=UTC)
    assert row["delivered_at"] == datetime(2023, 6, 20, tzinfo=UTC)
    assert row["promised_ship_by"] == date(2023, 6, 10)
    assert result.valid["quantity"].to_list() == [100.0, 2.5]
    assert result.valid["buyer_rating"].to_list() == [5, None]
    assert result.valid.schema["ordered_at"] == pl.Datetime("us", "UTC")


@pytest.mark.parametrize(
    ("override", "code", "message"),
    [
        ({"buyer_id": ["B1", "  "]}, "missing_required", "buyer_id is required but null or blank"),
        ({"line_number": ["1", "2.5"]}, "bad_type", "line_number '2.5' is not a whole number"),
        (
            {"ordered_at": ["2023-06-01T10:00:00Z", "01/06/2023"]},
            "bad_type",
            "ordered_at '01/06/2023' is not a timestamp (ISO 8601)",
        ),
        (
            {"order_status": ["delivered", "lost"]},
            "not_in_set",
            "order_status 'lost' is not one of placed, paid, shipped, delivered, cancelled, "
            "refunded, disputed",
        ),
        ({"quantity": ["1", "0"]}, "out_of_range", "quantity 0.0 is not > 0"),
        ({"unit_price": ["1", "-0.5"]}, "out_of_range", "unit_price -0.5 is not >= 0"),
        ({"buyer_rating": ["5", "6"]}, "out_of_range", "buyer_rating 6 is not between 1 and 5"),
        ({"line_number": ["1", "0"]}, "out_of_range", "line_number 0 is not >= 1"),
        (
            {"currency": ["USD", "VDN"]},
            "bad_currency",
            "currency 'VDN' is not a known ISO 4217 code",
        ),
        (
            {"delivered_at": ["2023-06-20T00:00:00", "2023-06-04T00:00:00"]},
            "date_order",
            "delivered_at 2023-06-04T00:00:00Z is before shipped_at 2023-06-05T01:00:00Z",
        ),
        (
            {"promised_ship_by": ["2023-06-10", "2023-05-31"]},
            "date_order",
            "promised_ship_by 2023-05-31 is before ordered_at 2023-06-01",
        ),
        (
            {"delivered_at": ["2023-06-20T00:00:00", "2023-11-02T00:00:00"]},
            "future_date",
            "delivered_at 2023-11-02T00:00:00Z is after the extract time 2023-11-01T00:00:00Z",
        ),
        (
            {"line_number": ["1", "1"]},
            "duplicate_key",
            "order_id, line_number repeats that of row 1",
        ),
    ],
)
def test_each_rule_rejects_the_broken_row_with_its_code(override, code, message) -> None:
    result = validate_frame("orders", _orders(**override), now=NOW)
    assert _reasons(result) == [(2, code, message)]
    assert result.rejected["reason_codes"].to_list() == [[code]]
    assert result.valid.height == 1
    assert result.reason_counts() == {code: 1}


def test_orphans_are_checked_against_known_keys_only_when_given() -> None:
    frame = _orders(buyer_id=["B1", "B9"], supplier_id=["S7", "S1"])
    assert validate_frame("orders", frame, now=NOW).rejected.height == 0
    result = validate_frame(
        "orders", frame, known_keys={"buyers": ["B1"], "suppliers": pl.Series(["S1"])}, now=NOW
    )
    assert _reasons(result) == [
        (1, "orphan_supplier", "supplier_id 'S7' is not in suppliers"),
        (2, "orphan_buyer", "buyer_id 'B9' is not in buyers"),
    ]


def test_a_row_breaking_several_rules_lists_them_all_in_precedence_order() -> None:
    frame = _orders(quantity=["1", "-3"], currency=["USD", "usd"], order_status=["paid", ""])
    result = validate_frame("orders", frame, now=NOW)
    assert result.rejected.row(0, named=True)["reason_codes"] == [
        "missing_required",
        "out_of_range",
        "bad_currency",
    ]
    assert result.rejected["reason_code"].to_list() == ["missing_required"]


def test_duplicates_keep_the_first_valid_row() -> None:
    frame = pl.DataFrame(
        {
            "buyer_id": ["B1", "B1", "B1", "B2"],
            "country_code": ["XX", "VN", "VN", "NA"],
            "registered_at": ["2021-01-01", "2021-01-01", "2021-02-01", "2022-02-02"],
            "buyer_type": [None, "importer", None, ""],
        }
    )
    result = validate_frame("buyers", frame, now=NOW)
    assert _reasons(result) == [
        (1, "bad_country", "country_code 'XX' is not a known ISO 3166-1 alpha-2 country code"),
        (3, "duplicate_key", "buyer_id repeats that of row 2"),
    ]
    assert result.valid["buyer_id"].to_list() == ["B1", "B2"]
    assert result.valid["buyer_type"].to_list() == ["importer", None]


def test_a_missing_column_rejects_every_row() -> None:
    frame = _orders().drop("currency", "buyer_rating")
    result = validate_frame("orders", frame, now=NOW)
    assert result.valid.height == 0
    assert _reasons(result) == [
        (row, "missing_column", "required column(s) missing from the file: currency, buyer_rating")
        for row in (1, 2)
    ]
    assert result.rejected.columns[:4] == list(REJECT_COLUMNS)


def test_typed_frames_booleans_and_naive_timestamps() -> None:
    frame = pl.DataFrame(
        {
            "supplier_id": ["S1", "S2", "S3"],
            "supplier_name": ["Công ty TNHH Hoàng Thanh", "A", "B"],
            "country_code": ["VN", "CN", "VN"],
            "province": ["Hà Nội", None, None],
            "business_type": ["manufacturer", "service", "factory"],
            "main_category": ["coffee", "packaging", "rice"],
            "is_verified": ["TRUE", "no", "maybe"],
            "joined_at": [datetime(2020, 1, 5, 23), datetime(2021, 3, 1), datetime(2022, 1, 1)],
            "left_at": [None, date(2021, 2, 1), None],
        }
    )
    result = validate_frame("suppliers", frame, now=NOW)
    assert result.valid.rows() == [
        (
            "S1",
            "Công ty TNHH Hoàng Thanh",
            "VN",
            "Hà Nội",
            "manufacturer",
            "coffee",
            True,
            date(2020, 1, 5),
            None,
        )
    ]
    assert _reasons(result) == [
        (2, "date_order", "left_at 2021-02-01 is before joined_at 2021-03-01"),
        (3, "bad_type", "is_verified 'maybe' is not a boolean (true or false)"),
    ]
    assert result.rejected["reason_codes"].to_list() == [["date_order"], ["bad_type", "not_in_set"]]


def test_the_default_extract_time_is_now() -> None:
    frame = pl.DataFrame(
        {
            "buyer_id": ["B1", "B2"],
            "country_code": ["VN", "US"],
            "registered_at": [date(2020, 1, 1), date(2999, 1, 1)],
            "buyer_type": [None, None],
        }
    )
    assert validate_frame("buyers", frame).rejected["reason_code"].to_list() == ["future_date"]


def test_coerce_column_reads_text_as_the_contract_does() -> None:
    frame = pl.DataFrame({"joined_at": ["2023-01-31", " 2023-02-01 ", "2023-02-30", None]})
    read = frame.select(coerce_column(SUPPLIERS.column("joined_at"), pl.String()))
    expected = pl.DataFrame({"joined_at": [date(2023, 1, 31), date(2023, 2, 1), None, None]})
    assert_frame_equal(read, expected)


def test_an_empty_frame_validates_to_empty_frames() -> None:
    result = validate_frame("orders", _orders().clear(), now=NOW)
    assert (result.valid.height, result.rejected.height) == (0, 0)
    assert result.valid.schema["ordered_at"] == pl.Datetime("us", "UTC")

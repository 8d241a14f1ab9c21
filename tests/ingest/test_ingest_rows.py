import json
from datetime import datetime

import polars as pl
from contract_rows import HOANG_THANH, order, supplier, text_frame
from ingest_helpers import NOW
from polars.testing import assert_frame_equal

from pipelines.contract import validate_frame
from pipelines.ingest.rows import MONTH, check_rows, narrowed_keys


def test_valid_rows_are_typed_with_their_row_number_and_extras() -> None:
    frame = text_frame([supplier("S1", website="hoangthanh.vn"), supplier("S2", joined_at="x")])

    checked = check_rows("suppliers", frame, now=NOW)

    assert checked.valid.select("supplier_id", "supplier_name", "joined_at", "_extra").rows() == [
        ("S1", HOANG_THANH, datetime(2020, 1, 15).date(), '{"website":"hoangthanh.vn"}')
    ]
    assert checked.valid.get_column("_source_row").to_list() == [1]
    assert checked.valid.schema["is_verified"] == pl.Boolean
    assert checked.rows_read == 2


def test_rejected_rows_hold_reason_and_the_record_as_json() -> None:
    frame = text_frame(
        [supplier("S1", note=None), supplier("S2", joined_at="2020-02-30", note="Đà Nẵng")]
    )

    rejected = check_rows("suppliers", frame, now=NOW).rejected

    assert rejected.select("_source_row", "reason_code", "reason_message").rows() == [
        (2, "bad_type", "joined_at '2020-02-30' is not a date (YYYY-MM-DD)")
    ]
    assert json.loads(rejected.get_column("record")[0])["note"] == "Đà Nẵng"
    assert json.loads(rejected.get_column("record")[0])["supplier_name"] == HOANG_THANH


def test_order_timestamps_become_naive_utc_with_their_month() -> None:
    frame = text_frame([order("O1", "2023-03-31T20:00:00-05:00"), order("O2", "31/03/2023")])

    checked = check_rows("orders", frame, now=NOW)

    assert checked.valid.select("ordered_at", MONTH).rows() == [
        (datetime(2023, 4, 1, 1, 0), datetime(2023, 4, 1))
    ]
    assert checked.rejected.select("_source_row", "reason_code", MONTH).rows() == [
        (2, "bad_type", None)
    ]


def test_narrowed_keys_give_the_same_verdicts() -> None:
    frame = text_frame(
        [order("O1", "2023-01-01"), order("O2", "2023-01-02", buyer_id="B9", supplier_id="S7")]
    )
    known = {"buyers": ["B1", "B2", "B3"], "suppliers": pl.Series(["S1", "S7", "S8"])}

    narrowed = narrowed_keys("orders", frame, known)

    assert narrowed["buyers"].to_list() == ["B1"]
    assert narrowed["suppliers"].to_list() == ["S1", "S7"]
    full = validate_frame("orders", frame, known_keys=known, now=NOW)
    fast = validate_frame("orders", frame, known_keys=narrowed, now=NOW)
    assert_frame_equal(full.rejected, fast.rejected)
    assert fast.rejected.get_column("reason_code").to_list() == ["orphan_buyer"]


def test_bytes_in_extra_columns_are_written_as_base64() -> None:
    frame = text_frame([supplier("S1")]).with_columns(pl.lit(b"\x00\xff").alias("blob"))

    checked = check_rows("suppliers", frame, now=NOW)

    assert checked.valid.get_column("_extra").to_list() == ['{"blob":"AP8="}']

"""Bad input through the real raw assets: every file and row is loaded, quarantined or rejected.

Each test delivers files into its own raw dir, materializes raw_suppliers, raw_buyers and every
month of raw_orders (`materialize_all`, as `tradepulse run` does), and checks the exact outcome:
the reason code and message in raw.rejected_rows or raw.rejected_files, and that raw.load_log
accounts for every row read (read = loaded + rejected, matching raw and raw.rejected_rows).
"""

import json
import os
import unicodedata
from pathlib import Path

import pytest
from contract_rows import HOANG_THANH, buyer, order, supplier, text_frame
from reliability_helpers import SqlSpy
from reliability_rows import Delivery


@pytest.fixture
def delivery(tradepulse_env: dict[str, Path]) -> Delivery:
    """A raw dir holding suppliers S1, S2 and buyers B1, B2, which order lines may name."""
    found = Delivery(tradepulse_env["raw_dir"], tradepulse_env["warehouse"])
    found.write("suppliers/suppliers.csv", [supplier("S1"), supplier("S2")])
    found.write("buyers/buyers.csv", [buyer("B1"), buyer("B2")])
    return found


def frame_csv(rows: list[dict[str, str | None]]) -> str:
    """Rows as CSV text, quoted where needed."""
    return text_frame(rows).write_csv()


def orders_loaded(delivery: Delivery) -> list[tuple]:
    """(order id, line, source file) of every line in raw.orders."""
    return delivery.sql("select order_id, line_number, _source_file from raw.orders order by all")


@pytest.mark.case("IN-01")
def test_an_empty_file(delivery: Delivery) -> None:
    delivery.write_bytes("orders/2023-02.csv", b"")
    delivery.write_bytes("suppliers/more.jsonl", b"")
    delivery.write("orders/2023-01.csv", [order("O1", "2023-01-05")])

    run = delivery.ingest()

    assert delivery.rejected_files() == [
        ("orders/2023-02.csv", "unreadable", "the file is empty: empty CSV"),
        ("suppliers/more.jsonl", "unreadable", "the file is empty: no JSON lines"),
    ]
    assert delivery.log(run, "orders/2023-02.csv") == [(None, "rejected", 0, 0, 0)]
    assert orders_loaded(delivery) == [("O1", 1, "orders/2023-01.csv")]
    delivery.assert_nothing_lost(run)


@pytest.mark.case("IN-02")
def test_a_header_only_file(delivery: Delivery) -> None:
    delivery.write_bytes("buyers/none.csv", b"buyer_id,country_code,registered_at,buyer_type\n")
    header = ",".join(order("O", "2023-01-01")) + "\n"
    delivery.write_bytes("orders/2023-02.csv", header.encode())

    run = delivery.ingest()

    # A reference file without rows loads nothing; an orders file without rows has no month.
    assert delivery.log(run, "buyers/none.csv") == [(None, "new", 0, 0, 0)]
    [(name, code, message)] = delivery.rejected_files()
    assert (name, code) == ("orders/2023-02.csv", "no_order_month")
    assert message.startswith("no row has an ordered_at in the months 2023-01 .. ")
    assert message.endswith(" (months found: none)")
    delivery.assert_nothing_lost(run)


@pytest.mark.case("IN-03")
def test_a_missing_required_column(delivery: Delivery) -> None:
    narrow = {
        k: v for k, v in order("O1", "2023-01-05").items() if k not in ("quantity", "currency")
    }
    delivery.write("orders/2023-01.csv", [narrow])
    delivery.write("buyers/more.parquet", [{"buyer_id": "B3", "country_code": "VN"}])

    run = delivery.ingest()

    assert delivery.rejected_files() == [
        ("buyers/more.parquet", "missing_column", "required column(s) missing: registered_at, "
         "buyer_type"),
        ("orders/2023-01.csv", "missing_column", "required column(s) missing: quantity, currency"),
    ]  # fmt: skip
    assert delivery.sql("select count(*) from raw.orders") == [(0,)]
    assert delivery.log(run, "buyers/more.parquet") == [(None, "rejected", 0, 0, 0)]
    delivery.assert_nothing_lost(run)


@pytest.mark.case("IN-04")
def test_an_unknown_extra_column(delivery: Delivery) -> None:
    delivery.write(
        "orders/2023-01.jsonl",
        [order("O1", "2023-01-05", sales_rep="Nguyễn Văn A", region_code="HN")],
    )

    run = delivery.ingest()

    assert delivery.sql("select order_id, _extra from raw.orders") == [
        ("O1", '{"sales_rep":"Nguyễn Văn A","region_code":"HN"}')
    ]
    assert delivery.log(run, "orders/2023-01.jsonl") == [("2023-01-01", "new", 1, 1, 0)]
    delivery.assert_nothing_lost(run)


@pytest.mark.case("IN-05")
def test_wrong_types(delivery: Delivery) -> None:
    delivery.write(
        "orders/2023-02.csv",
        [
            order("O1", "2023-02-01", quantity="two"),
            order("O2", "2023-02-01", line_number="1.5"),
            order("O3", "2023-02-01", buyer_rating="five"),
            order("O4", "2023-02-01T10:00:00+25:00"),
            order("O5", "2023-02-01"),
        ],
    )
    delivery.write("suppliers/more.csv", [supplier("S3", is_verified="maybe")])

    run = delivery.ingest()

    assert delivery.rejected_rows("orders/2023-02.csv") == [
        (1, "bad_type", "quantity 'two' is not a number"),
        (2, "bad_type", "line_number '1.5' is not a whole number"),
        (3, "bad_type", "buyer_rating 'five' is not a whole number"),
        (4, "bad_type", "ordered_at '2023-02-01T10:00:00+25:00' is not a timestamp (ISO 8601)"),
    ]
    assert delivery.rejected_rows("suppliers/more.csv") == [
        (1, "bad_type", "is_verified 'maybe' is not a boolean (true or false)")
    ]
    assert delivery.log(run, "orders/2023-02.csv") == [("2023-02-01", "new", 5, 1, 4)]
    delivery.assert_nothing_lost(run)


@pytest.mark.case("IN-06")
def test_a_latin1_csv(delivery: Delivery) -> None:
    row = supplier("S3", supplier_name="Hoàng Thành Co.", province="Hà Tây")
    content = frame_csv([row]).encode("latin-1")
    delivery.write_bytes("suppliers/latin1.csv", content)

    run = delivery.ingest()

    first_bad_byte = content.index("à".encode("latin-1"))
    assert delivery.rejected_files() == [
        ("suppliers/latin1.csv", "bad_encoding",
         f"not valid UTF-8 text at byte {first_bad_byte}: save the file as UTF-8"),
    ]  # fmt: skip
    assert delivery.log(run, "suppliers/latin1.csv") == [(None, "rejected", 0, 0, 0)]
    assert delivery.sql("select supplier_id from raw.suppliers order by 1") == [("S1",), ("S2",)]
    delivery.assert_nothing_lost(run)


@pytest.mark.case("IN-07")
def test_utf8_with_a_byte_order_mark(delivery: Delivery) -> None:
    path = delivery.write("suppliers/bom.csv", [supplier("S3")])
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    path = delivery.write("orders/2023-01.jsonl", [order("O1", "2023-01-05", supplier_id="S3")])
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())

    run = delivery.ingest()

    assert delivery.rejected_files() == []
    assert delivery.sql("select supplier_id, supplier_name from raw.suppliers where _source_file "
                        "= 'suppliers/bom.csv'") == [("S3", HOANG_THANH)]  # fmt: skip
    assert delivery.sql("select order_id, supplier_id from raw.orders") == [("O1", "S3")]
    delivery.assert_nothing_lost(run)


@pytest.mark.case("IN-08")
def test_quoted_commas_and_newlines(delivery: Delivery) -> None:
    name = 'Công ty TNHH "Hoàng Phát", chi nhánh Hà Nội\nTầng 3, số 12'
    path = delivery.write("suppliers/quoted.csv", [supplier("S3", supplier_name=name)])
    assert '"Công ty TNHH ""Hoàng Phát"", chi nhánh Hà Nội\nTầng 3, số 12"' in path.read_text()

    run = delivery.ingest()

    assert delivery.sql("select supplier_name, province from raw.suppliers where supplier_id = "
                        "'S3'") == [(name, "Hà Nội")]  # fmt: skip
    assert delivery.log(run, "suppliers/quoted.csv") == [(None, "new", 1, 1, 0)]
    delivery.assert_nothing_lost(run)


VIETNAMESE = [
    "Công ty Cổ phần Dệt may Đông Á",
    "Hợp tác xã Thủ công mỹ nghệ Ứng Hòa",
    "Doanh nghiệp tư nhân Nguyễn Thị Ánh Tuyết",
]


@pytest.mark.case("IN-09")
@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".jsonl"])
def test_vietnamese_diacritics_in_names(delivery: Delivery, suffix: str) -> None:
    rows = [supplier(f"S{n}", supplier_name=name) for n, name in enumerate(VIETNAMESE, start=3)]
    delivery.write(f"suppliers/vn{suffix}", rows)

    run = delivery.ingest()

    names = delivery.sql(
        "select supplier_name from raw.suppliers where _source_file = ? order by supplier_id",
        [f"suppliers/vn{suffix}"],
    )
    assert [row[0] for row in names] == VIETNAMESE
    assert all(unicodedata.is_normalized("NFC", row[0]) for row in names)
    delivery.assert_nothing_lost(run)


@pytest.mark.case("IN-10")
def test_duplicate_lines_within_a_file(delivery: Delivery) -> None:
    lines = [order("O1", "2023-01-05"), order("O1", "2023-01-05", line_number="2")]
    delivery.write("orders/2023-01.csv", [*lines, lines[0], lines[1], lines[0]])

    run = delivery.ingest()

    assert delivery.rejected_rows("orders/2023-01.csv") == [
        (3, "duplicate_key", "order_id, line_number repeats that of row 1"),
        (4, "duplicate_key", "order_id, line_number repeats that of row 2"),
        (5, "duplicate_key", "order_id, line_number repeats that of row 1"),
    ]
    assert orders_loaded(delivery) == [("O1", 1, "orders/2023-01.csv"), ("O1", 2,
                                       "orders/2023-01.csv")]  # fmt: skip
    delivery.assert_nothing_lost(run)


@pytest.mark.case("IN-11")
def test_duplicate_lines_across_files(delivery: Delivery) -> None:
    delivery.write("orders/2023-01.csv", [order("O1", "2023-01-05"), order("O2", "2023-01-06")])
    delivery.write("orders/2023-01 resent.parquet", [order("O2", "2023-01-06", quantity="3")])

    run = delivery.ingest()

    # Raw keeps what was delivered, each copy with its lineage; staging keeps one (see IN-22).
    assert delivery.sql("select order_id, quantity, _source_file from raw.orders order by all") == [
        ("O1", 2.0, "orders/2023-01.csv"),
        ("O2", 2.0, "orders/2023-01.csv"),
        ("O2", 3.0, "orders/2023-01 resent.parquet"),
    ]
    assert delivery.sql("select count(*) from raw.rejected_rows") == [(0,)]
    delivery.assert_nothing_lost(run)


@pytest.mark.case("IN-12")
def test_the_same_file_delivered_twice(delivery: Delivery) -> None:
    rows = [order("O1", "2023-01-05"), order("O2", "2023-01-06", currency="VDN")]
    path = delivery.write("orders/2023-01.csv", rows)
    delivery.ingest()
    before = delivery.sql("select * from raw.orders order by all")
    rejected_before = delivery.sql("select * exclude (loaded_at) from raw.rejected_rows")

    # Delivered again: the same bytes written anew (a new modification time).
    content = path.read_bytes()
    path.unlink()
    path.write_bytes(content)
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    run = delivery.ingest()

    assert delivery.sql("select * from raw.orders order by all") == before
    assert delivery.sql("select * exclude (loaded_at) from raw.rejected_rows") == rejected_before
    assert delivery.sql(
        "select status, rows_read, rows_loaded, rows_rejected, rows_replaced from raw.load_log "
        "where run_id = ? and entity = 'orders'",
        [run],
    ) == [("unchanged", 2, 1, 1, 2)]
    delivery.assert_nothing_lost(run)


@pytest.mark.case("IN-13")
def test_a_corrected_file_under_the_same_name(delivery: Delivery) -> None:
    name = "orders/2023-01.csv"
    delivery.write(name, [order("O1", "2023-01-05"), order("O2", "2023-01-06", currency="VDN")])
    delivery.ingest()
    first_sha = delivery.sql("select distinct _file_sha256 from raw.orders")

    delivery.write(name, [order("O1", "2023-01-05", quantity="5"), order("O2", "2023-01-06")])
    run = delivery.ingest()

    assert delivery.sql("select order_id, quantity from raw.orders order by 1") == [
        ("O1", 5.0),
        ("O2", 2.0),
    ]
    assert delivery.rejected_rows(name) == []
    assert delivery.sql("select distinct _file_sha256 from raw.orders") != first_sha
    assert delivery.sql(
        "select status, rows_read, rows_loaded, rows_rejected, rows_replaced from raw.load_log "
        "where run_id = ? and entity = 'orders'",
        [run],
    ) == [("changed", 2, 2, 0, 2)]
    delivery.assert_nothing_lost(run)


@pytest.mark.case("IN-14")
def test_orphan_buyer_and_supplier_ids(delivery: Delivery) -> None:
    delivery.write(
        "orders/2023-03.csv",
        [
            order("O1", "2023-03-01", buyer_id="B404"),
            order("O2", "2023-03-01", supplier_id="S404"),
            order("O3", "2023-03-01", buyer_id="B404", supplier_id="S404"),
            order("O4", "2023-03-01", buyer_id="B2", supplier_id="S2"),
        ],
    )

    run = delivery.ingest()

    assert delivery.rejected_rows("orders/2023-03.csv") == [
        (1, "orphan_buyer", "buyer_id 'B404' is not in buyers"),
        (2, "orphan_supplier", "supplier_id 'S404' is not in suppliers"),
        (3, "orphan_buyer", "buyer_id 'B404' is not in buyers"),
    ]
    assert delivery.sql("select reason_codes from raw.rejected_rows where source_row = 3") == [
        (["orphan_buyer", "orphan_supplier"],)
    ]
    assert orders_loaded(delivery) == [("O4", 1, "orders/2023-03.csv")]
    delivery.assert_nothing_lost(run)


@pytest.mark.case("IN-15")
def test_future_dates(delivery: Delivery) -> None:
    delivery.write(
        "orders/2023-03.csv",
        [
            order("O1", "2023-03-01", delivered_at="2099-01-01"),
            order("O2", "2099-03-01"),
            order("O3", "2023-03-02"),
        ],
    )
    delivery.write("suppliers/new.csv", [supplier("S3", joined_at="2099-01-01")])

    run = delivery.ingest()

    found = delivery.sql(
        "select source_file, source_row, partition_key, reason_code, "
        "regexp_replace(reason_message, 'time .*', 'time') from raw.rejected_rows order by 1, 2"
    )
    assert found == [
        ("orders/2023-03.csv", 1, "2023-03-01", "future_date",
         "delivered_at 2099-01-01T00:00:00Z is after the extract time"),
        # A line ordered in the future belongs to its file's first month.
        ("orders/2023-03.csv", 2, "2023-03-01", "future_date",
         "ordered_at 2099-03-01T00:00:00Z is after the extract time"),
        ("suppliers/new.csv", 1, None, "future_date", "joined_at 2099-01-01 is after the extract "
         "time"),
    ]  # fmt: skip
    assert delivery.log(run, "orders/2023-03.csv") == [("2023-03-01", "new", 3, 1, 2)]
    delivery.assert_nothing_lost(run)


@pytest.mark.case("IN-16")
def test_shipped_before_ordered(delivery: Delivery) -> None:
    delivery.write(
        "orders/2023-03.csv",
        [
            order("O1", "2023-03-05T10:00:00Z", shipped_at="2023-03-03T08:00:00Z"),
            order("O2", "2023-03-05", shipped_at="2023-03-06", delivered_at="2023-03-05"),
        ],
    )

    run = delivery.ingest()

    assert delivery.rejected_rows("orders/2023-03.csv") == [
        (1, "date_order", "shipped_at 2023-03-03T08:00:00Z is before ordered_at "
         "2023-03-05T10:00:00Z"),
        (2, "date_order", "delivered_at 2023-03-05T00:00:00Z is before shipped_at "
         "2023-03-06T00:00:00Z"),
    ]  # fmt: skip
    delivery.assert_nothing_lost(run)


@pytest.mark.case("IN-17")
def test_negative_quantity(delivery: Delivery) -> None:
    delivery.write(
        "orders/2023-03.parquet",
        [order("O1", "2023-03-01", quantity="-3"), order("O2", "2023-03-01", quantity="0")],
    )

    run = delivery.ingest()

    assert delivery.rejected_rows("orders/2023-03.parquet") == [
        (1, "out_of_range", "quantity -3.0 is not > 0"),
        (2, "out_of_range", "quantity 0.0 is not > 0"),
    ]
    delivery.assert_nothing_lost(run)


@pytest.mark.case("IN-18")
def test_unknown_currency_status_or_country(delivery: Delivery) -> None:
    delivery.write(
        "orders/2023-03.csv",
        [
            order("O1", "2023-03-01", currency="VDN"),
            order("O2", "2023-03-01", order_status="lost"),
            order("O3", "2023-03-01", currency="usd"),
        ],
    )
    delivery.write("buyers/more.csv", [buyer("B3", country_code="UK"), buyer("B4")])

    run = delivery.ingest()

    assert delivery.rejected_rows("orders/2023-03.csv") == [
        (1, "bad_currency", "currency 'VDN' is not a known ISO 4217 code"),
        (2, "not_in_set", "order_status 'lost' is not one of placed, paid, shipped, delivered, "
         "cancelled, refunded, disputed"),
        (3, "bad_currency", "currency 'usd' is not a known ISO 4217 code"),
    ]  # fmt: skip
    assert delivery.rejected_rows("buyers/more.csv") == [
        (1, "bad_country", "country_code 'UK' is not a known ISO 3166-1 alpha-2 country code")
    ]
    delivery.assert_nothing_lost(run)


@pytest.mark.case("IN-19")
def test_a_truncated_parquet_file(delivery: Delivery) -> None:
    path = delivery.write(
        "orders/2023-03.parquet", [order(f"O{n}", "2023-03-01") for n in range(9)]
    )
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    delivery.write("orders/2023-04.parquet", [order("O9", "2023-04-01")])

    run = delivery.ingest()

    assert delivery.rejected_files() == [
        ("orders/2023-03.parquet", "unreadable", "not a complete Parquet file (truncated or "
         "corrupt): parquet: File out of specification: The file must end with PAR1 or PARE"),
    ]  # fmt: skip
    assert orders_loaded(delivery) == [("O9", 1, "orders/2023-04.parquet")]
    delivery.assert_nothing_lost(run)


@pytest.mark.case("IN-20")
def test_a_malformed_json_line(delivery: Delivery) -> None:
    good = json.dumps(order("O1", "2023-03-01"), ensure_ascii=False)
    delivery.write_bytes(
        "orders/2023-03.jsonl",
        f'{good}\n{{"order_id": "O2", "line_number": "1",\n{good}\n'.encode(),
    )
    delivery.write_bytes("buyers/more.jsonl", f'{json.dumps(buyer("B3"))}\n["B4", "VN"]\n'.encode())

    run = delivery.ingest()

    # One broken line rejects its file whole: which line, and why, is in the message.
    assert delivery.rejected_files() == [
        ("buyers/more.jsonl", "unreadable", "line 2 is not a JSON object: one object per line is "
         "expected"),
        ("orders/2023-03.jsonl", "unreadable", "line 2 is not valid JSON (Expecting property name "
         "enclosed in double quotes at character 39)"),
    ]  # fmt: skip
    delivery.assert_nothing_lost(run)


HOSTILE_NAMES = [
    "suppliers/Nhà cung cấp 'mới'; drop table raw.suppliers; --.csv",
    'buyers/buyers "final" v2; delete from raw.buyers.csv',
    "orders/2023-03 O'Brien; select 1 --.csv",
]


@pytest.mark.case("IN-21")
def test_file_names_with_spaces_quotes_and_semicolons(
    delivery: Delivery, monkeypatch: pytest.MonkeyPatch
) -> None:
    delivery.write(HOSTILE_NAMES[0], [supplier("S3")])
    delivery.write(HOSTILE_NAMES[1], [buyer("B3"), buyer("B4", country_code="XX")])
    delivery.write(HOSTILE_NAMES[2], [order("O1", "2023-03-01", buyer_id="B3", supplier_id="S3")])
    spy = SqlSpy.install(monkeypatch)

    run = delivery.ingest()

    lineage = (
        "select _source_file from raw.suppliers where supplier_id = 'S3' union all "
        "select _source_file from raw.buyers where buyer_id = 'B3' union all "
        "select _source_file from raw.orders"
    )
    assert delivery.sql(lineage) == [(name,) for name in HOSTILE_NAMES]
    assert delivery.rejected_rows(HOSTILE_NAMES[1]) == [
        (2, "bad_country", "country_code 'XX' is not a known ISO 3166-1 alpha-2 country code")
    ]
    assert delivery.sql("select source_file from raw.source_files order by 1") == sorted(
        [(name,) for name in HOSTILE_NAMES] + [("buyers/buyers.csv",), ("suppliers/suppliers.csv",)]
    )
    # The names reached DuckDB only as values: no statement's text holds any part of one.
    assert len(spy.statements) > 20
    fragments = ["'mới'", "drop table raw.suppliers; --", '"final"', "O'Brien", "select 1 --"]
    assert [text for text in spy.statements if any(part in text for part in fragments)] == []
    delivery.assert_nothing_lost(run)

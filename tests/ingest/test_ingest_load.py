import json
import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from contract_rows import HOANG_THANH, buyer, order, supplier, write_rows
from ingest_helpers import NOW, months_of

from pipelines.errors import TradePulseError
from pipelines.ingest.report import LoadReport

Load = Callable[..., LoadReport]
Sql = Callable[..., list[tuple]]


def test_counts_reason_codes_and_the_log_add_up(raw_dir: Path, load: Load, sql: Sql) -> None:
    write_rows(
        raw_dir / "suppliers" / "suppliers.csv",
        [
            supplier("S1"),
            supplier("S2", country_code="UK"),
            supplier("S3", business_type="factory"),
            supplier("S1"),
            supplier("S4", supplier_name=" "),
        ],
    )

    report = load("suppliers")

    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (5, 1, 4)
    assert report.rejected_by_reason() == {
        "bad_country": 1,
        "duplicate_key": 1,
        "missing_required": 1,
        "not_in_set": 1,
    }
    assert sql(
        "select source_row, reason_code, reason_message from raw.rejected_rows order by 1"
    ) == [
        (2, "bad_country", "country_code 'UK' is not a known ISO 3166-1 alpha-2 country code"),
        (
            3,
            "not_in_set",
            "business_type 'factory' is not one of manufacturer, trading_company, wholesaler, "
            "service",
        ),
        (4, "duplicate_key", "supplier_id repeats that of row 1"),
        (5, "missing_required", "supplier_name is required but null or blank"),
    ]
    assert sql(
        "select source_file, status, rows_read, rows_loaded, rows_rejected, rejected_by_reason "
        "from raw.load_log"
    ) == [
        (
            "suppliers/suppliers.csv",
            "new",
            5,
            1,
            4,
            json.dumps(
                {"bad_country": 1, "duplicate_key": 1, "missing_required": 1, "not_in_set": 1}
            ),
        )
    ]


def test_rejected_rows_keep_the_record_as_delivered(raw_dir: Path, load: Load, sql: Sql) -> None:
    write_rows(raw_dir / "buyers" / "b.csv", [buyer("B9", country_code="XX", note="gọi lại")])

    load("buyers")

    [(entity, source_file, record, codes)] = sql(
        "select entity, source_file, record, reason_codes from raw.rejected_rows"
    )
    assert (entity, source_file, codes) == ("buyers", "buyers/b.csv", ["bad_country"])
    assert json.loads(record) == {
        "buyer_id": "B9",
        "country_code": "XX",
        "registered_at": "2020-02-01",
        "buyer_type": "importer",
        "note": "gọi lại",
    }


def test_lineage_columns_and_extra_columns(raw_dir: Path, load: Load, sql: Sql) -> None:
    write_rows(raw_dir / "buyers" / "b.parquet", [buyer("B1", tier="gold"), buyer("B2")])

    load("buyers")

    rows = sql(
        "select buyer_id, _extra, _source_file, _source_row, _file_sha256, _loaded_at "
        "from raw.buyers order by _source_row"
    )
    sha256 = sql("select file_sha256 from raw.source_files")[0][0]
    assert rows == [
        ("B1", '{"tier":"gold"}', "buyers/b.parquet", 1, sha256, NOW),
        ("B2", '{"tier":null}', "buyers/b.parquet", 2, sha256, NOW),
    ]
    assert len(sha256) == 64


@pytest.mark.parametrize("name", ["s.csv", "s.parquet", "s.jsonl"])
def test_non_ascii_text_survives_each_format(
    raw_dir: Path, load: Load, sql: Sql, name: str
) -> None:
    write_rows(raw_dir / "suppliers" / name, [supplier("S1", province="Thừa Thiên Huế")])

    load("suppliers")

    assert sql("select supplier_name, province from raw.suppliers") == [
        (HOANG_THANH, "Thừa Thiên Huế")
    ]


def test_csv_with_a_byte_order_mark(raw_dir: Path, load: Load, sql: Sql) -> None:
    path = write_rows(raw_dir / "suppliers" / "bom.csv", [supplier("S1")])
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())

    report = load("suppliers")

    assert (report.rows_loaded, report.rows_rejected) == (1, 0)
    assert sql("select supplier_id, supplier_name from raw.suppliers") == [("S1", HOANG_THANH)]


def test_unreadable_files_are_quarantined_and_the_others_load(
    raw_dir: Path, load: Load, sql: Sql
) -> None:
    write_rows(raw_dir / "suppliers" / "good.csv", [supplier("S1")])
    (raw_dir / "suppliers" / "corrupt.parquet").write_bytes(b"PAR1 not really parquet")
    (raw_dir / "suppliers" / "latin1.csv").write_bytes(
        "supplier_id,supplier_name\nS2,Hoàng\n".encode("latin-1")
    )
    write_rows(raw_dir / "suppliers" / "narrow.csv", [{"supplier_id": "S3", "province": "x"}])
    (raw_dir / "suppliers" / "notes.xlsx").write_bytes(b"PK")

    report = load("suppliers")

    assert report.rows_loaded == 1
    assert sql("select source_file, reason_code from raw.rejected_files order by 1") == [
        ("suppliers/corrupt.parquet", "unreadable"),
        ("suppliers/latin1.csv", "bad_encoding"),
        ("suppliers/narrow.csv", "missing_column"),
        ("suppliers/notes.xlsx", "unsupported_format"),
    ]
    assert sql(
        "select reason_message from raw.rejected_files where source_file = 'suppliers/narrow.csv'"
    ) == [
        (
            "required column(s) missing: supplier_name, country_code, business_type, "
            "main_category, is_verified, joined_at, left_at",
        )
    ]
    assert sql("select status, count(*) from raw.load_log group by 1 order by 1") == [
        ("new", 1),
        ("rejected", 4),
    ]


def test_loading_the_same_files_again_changes_nothing(raw_dir: Path, load: Load, sql: Sql) -> None:
    write_rows(raw_dir / "buyers" / "a.csv", [buyer("B1"), buyer("B2", country_code="XX")])
    load("buyers")
    before = sql("select * from raw.buyers order by all")
    rejected_before = sql("select * from raw.rejected_rows order by all")

    report = load("buyers", now=datetime(2024, 7, 1))

    assert sql("select * from raw.buyers order by all") == before
    assert sql("select * from raw.rejected_rows order by all") == rejected_before
    assert report.files_by_status() == {"unchanged": 1}
    assert report.rows_replaced == 2


def test_a_touched_but_identical_file_is_unchanged(raw_dir: Path, load: Load, sql: Sql) -> None:
    path = write_rows(raw_dir / "buyers" / "a.csv", [buyer("B1")])
    load("buyers")
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))

    report = load("buyers", now=datetime(2024, 7, 1))

    assert report.files_by_status() == {"unchanged": 1}
    assert sql("select _loaded_at from raw.buyers") == [(NOW,)]


def test_a_corrected_file_replaces_its_previous_version(
    raw_dir: Path, load: Load, sql: Sql
) -> None:
    write_rows(raw_dir / "buyers" / "a.csv", [buyer("B1"), buyer("B2", country_code="XX")])
    write_rows(raw_dir / "buyers" / "other.csv", [buyer("B7")])
    load("buyers")
    later = datetime(2024, 7, 1)
    write_rows(raw_dir / "buyers" / "a.csv", [buyer("B1"), buyer("B2", country_code="GB")])

    report = load("buyers", now=later)

    assert sql(
        "select buyer_id, country_code, _source_file, _loaded_at from raw.buyers order by 1"
    ) == [
        ("B1", "US", "buyers/a.csv", later),
        ("B2", "GB", "buyers/a.csv", later),
        ("B7", "US", "buyers/other.csv", NOW),
    ]
    assert sql("select count(*) from raw.rejected_rows") == [(0,)]
    assert report.files_by_status() == {"changed": 1, "unchanged": 1}


def test_a_removed_file_takes_its_rows_with_it(raw_dir: Path, load: Load, sql: Sql) -> None:
    write_rows(raw_dir / "buyers" / "a.csv", [buyer("B1"), buyer("B2", country_code="XX")])
    write_rows(raw_dir / "buyers" / "b.csv", [buyer("B3")])
    load("buyers")
    (raw_dir / "buyers" / "a.csv").unlink()

    report = load("buyers")

    assert sql("select buyer_id from raw.buyers") == [("B3",)]
    assert sql("select count(*) from raw.rejected_rows") == [(0,)]
    assert sql("select count(*) from raw.source_files") == [(1,)]
    removed = [log for log in report.logs if log.status == "removed"]
    assert [(log.source_file, log.rows_replaced) for log in removed] == [("buyers/a.csv", 2)]


def test_a_file_name_with_spaces_quotes_and_semicolons(raw_dir: Path, load: Load, sql: Sql) -> None:
    name = """it's a "test"; drop table raw.buyers; --.csv"""
    write_rows(raw_dir / "buyers" / name, [buyer("B1")])

    load("buyers")
    load("buyers")

    assert sql("select buyer_id, _source_file from raw.buyers") == [("B1", f"buyers/{name}")]
    assert sql("select source_file, status from raw.load_log order by logged_at") == [
        (f"buyers/{name}", "new"),
        (f"buyers/{name}", "unchanged"),
    ]


def test_orders_need_the_reference_tables(raw_dir: Path, load: Load) -> None:
    write_rows(raw_dir / "orders" / "2023-01.csv", [order("O1", "2023-01-05T10:00:00Z")])

    with pytest.raises(TradePulseError, match="raw.buyers does not exist yet"):
        load("orders")


@pytest.mark.usefixtures("reference")
def test_orphans_are_rejected_against_the_loaded_reference(
    raw_dir: Path, load: Load, sql: Sql
) -> None:
    write_rows(
        raw_dir / "orders" / "2023-01.csv",
        [
            order("O1", "2023-01-05T10:00:00Z"),
            order("O2", "2023-01-06T10:00:00Z", buyer_id="B404"),
            order("O3", "2023-01-07T10:00:00Z", supplier_id="S404"),
        ],
    )

    report = load("orders")

    assert report.rejected_by_reason() == {"orphan_buyer": 1, "orphan_supplier": 1}
    assert sql("select order_id from raw.orders") == [("O1",)]


@pytest.mark.usefixtures("reference")
def test_a_month_partition_replaces_that_month_only(raw_dir: Path, load: Load, sql: Sql) -> None:
    times = {
        "O0": "2023-01-31T22:00:00Z",
        "O1": "2023-01-31T23:30:00-02:00",  # 2023-02-01 01:30 UTC: February
        "O2": "2023-02-10T08:00:00Z",
        "O3": "2023-03-01T00:00:00Z",
    }
    path = raw_dir / "orders" / "span.csv"
    write_rows(path, [order(order_id, at) for order_id, at in times.items()])
    load("orders")
    write_rows(path, [order(order_id, at, quantity="9") for order_id, at in times.items()])

    report = load("orders", months_of("2023-02-01"))

    assert sql("select order_id, quantity from raw.orders order by 1") == [
        ("O0", 2.0),
        ("O1", 9.0),
        ("O2", 9.0),
        ("O3", 2.0),
    ]
    assert [(log.partition_key, log.rows_loaded, log.rows_replaced) for log in report.logs] == [
        ("2023-02-01", 2, 2)
    ]


@pytest.mark.usefixtures("reference")
def test_a_month_gathers_its_rows_from_every_file(raw_dir: Path, load: Load, sql: Sql) -> None:
    write_rows(raw_dir / "orders" / "a.csv", [order("O1", "2023-05-02"), order("O2", "2023-06-02")])
    write_rows(raw_dir / "orders" / "b.parquet", [order("O3", "2023-06-09")])
    write_rows(raw_dir / "orders" / "c.jsonl", [order("O4", "2023-07-01")])

    report = load("orders", months_of("2023-06-01"))

    assert sql("select order_id, _source_file from raw.orders order by 1") == [
        ("O2", "orders/a.csv"),
        ("O3", "orders/b.parquet"),
    ]
    assert report.files_read() == ["orders/a.csv", "orders/b.parquet"]


@pytest.mark.usefixtures("reference")
def test_duplicate_lines_across_files_are_kept_with_their_lineage(
    raw_dir: Path, load: Load, sql: Sql
) -> None:
    write_rows(raw_dir / "orders" / "a.csv", [order("O1", "2023-05-02", quantity="1")])
    write_rows(raw_dir / "orders" / "b.csv", [order("O1", "2023-05-02", quantity="3")])

    load("orders")

    assert sql("select order_id, quantity, _source_file from raw.orders order by 3") == [
        ("O1", 1.0, "orders/a.csv"),
        ("O1", 3.0, "orders/b.csv"),
    ]


@pytest.mark.usefixtures("reference")
def test_rejected_lines_without_a_month_go_to_the_files_first_month(
    raw_dir: Path, load: Load, sql: Sql
) -> None:
    write_rows(
        raw_dir / "orders" / "a.csv",
        [
            order("O1", "2023-04-02"),
            order("O2", "2023-05-02"),
            order("O3", "yesterday"),
            order("O4", "2030-01-01", quantity="-1"),
        ],
    )

    load("orders", months_of("2023-05-01"))
    assert sql("select count(*) from raw.rejected_rows") == [(0,)]
    report = load("orders", months_of("2023-04-01"))

    assert sql("select partition_key, source_row, reason_code from raw.rejected_rows") == [
        ("2023-04-01", 3, "bad_type"),
        ("2023-04-01", 4, "out_of_range"),
    ]
    assert [(log.partition_key, log.rows_read) for log in report.logs] == [("2023-04-01", 3)]


@pytest.mark.usefixtures("reference")
def test_an_orders_file_with_no_month_is_quarantined(raw_dir: Path, load: Load, sql: Sql) -> None:
    write_rows(raw_dir / "orders" / "good.csv", [order("O1", "2023-04-02")])
    write_rows(raw_dir / "orders" / "dates.csv", [order("O2", "02/04/2023")])

    load("orders")

    assert sql("select source_file, reason_code from raw.rejected_files") == [
        ("orders/dates.csv", "no_order_month")
    ]
    assert sql("select order_id from raw.orders") == [("O1",)]


@pytest.mark.usefixtures("reference")
def test_a_removed_orders_file_leaves_its_months(raw_dir: Path, load: Load, sql: Sql) -> None:
    write_rows(raw_dir / "orders" / "a.csv", [order("O1", "2023-04-02"), order("O2", "2023-05-02")])
    write_rows(raw_dir / "orders" / "b.csv", [order("O3", "2023-05-03")])
    load("orders")
    (raw_dir / "orders" / "a.csv").unlink()

    report = load("orders", months_of("2023-04-01", "2023-05-01"))

    assert sql("select order_id from raw.orders") == [("O3",)]
    removed = [
        (log.source_file, log.partition_key, log.rows_replaced)
        for log in report.logs
        if log.status == "removed"
    ]
    assert removed == [("orders/a.csv", "2023-04-01", 1), ("orders/a.csv", "2023-05-01", 1)]


@pytest.mark.usefixtures("reference")
def test_every_log_row_adds_up(raw_dir: Path, load: Load, sql: Sql) -> None:
    write_rows(
        raw_dir / "orders" / "a.csv",
        [
            order("O1", "2023-04-02"),
            order("O1", "2023-04-02"),
            order("O2", "2023-05-02", currency="VND$"),
            order("O3", "2023-05-02"),
        ],
    )

    load("orders")

    assert sql(
        "select partition_key, rows_read, rows_loaded, rows_rejected from raw.load_log "
        "where entity = 'orders' order by 1"
    ) == [("2023-04-01", 2, 1, 1), ("2023-05-01", 2, 1, 1)]
    assert sql(
        "select count(*) from raw.load_log where rows_read <> rows_loaded + rows_rejected"
    ) == [(0,)]

import threading
import time
from datetime import datetime
from pathlib import Path

import pytest
from contract_rows import order, write_rows
from ingest_helpers import NOW, months_of

from pipelines.ingest.files import list_source_files
from pipelines.ingest.prepare import PARTITION, MonthRange, prefetched, prepare_file
from pipelines.ingest.reasons import FileReason


def test_a_month_range_and_its_bounds() -> None:
    months = MonthRange(("2023-11-01", "2023-12-01"), "2023-01-01", "2024-06-01")

    assert (months.start, months.end) == (datetime(2023, 11, 1), datetime(2024, 1, 1))
    assert not months.covers_all
    assert months.holds("2024-06-01") and not months.holds("2024-07-01")
    assert MonthRange(("2023-01-01",), "2023-01-01", "2023-01-01").covers_all


def test_prepare_keeps_the_rows_of_the_requested_months(tmp_path: Path) -> None:
    write_rows(
        tmp_path / "orders" / "o.csv",
        [
            order("O1", "2023-02-02"),
            order("O2", "2023-03-03"),
            order("O3", "bad date"),
            order("O4", "2023-03-04", quantity="0"),
        ],
    )
    [source] = list_source_files(tmp_path, "orders")

    march = prepare_file(
        source, known_sha256="x", months=months_of("2023-03-01"), known_keys=None, now=NOW
    )
    february = prepare_file(
        source, known_sha256="x", months=months_of("2023-02-01"), known_keys=None, now=NOW
    )

    assert march.valid.get_column("order_id").to_list() == ["O2"]
    assert march.rejected.select("_source_row", PARTITION).rows() == [(4, "2023-03-01")]
    assert february.valid.get_column("order_id").to_list() == ["O1"]
    assert february.rejected.select("_source_row", PARTITION).rows() == [(3, "2023-02-01")]


def test_prepare_reports_a_file_missing_columns(tmp_path: Path) -> None:
    (tmp_path / "buyers").mkdir()
    (tmp_path / "buyers" / "b.csv").write_text("buyer_id\nB1\n")
    [source] = list_source_files(tmp_path, "buyers")

    prepared = prepare_file(source, known_sha256=None, months=None, known_keys=None, now=NOW)

    assert prepared.problem.reason is FileReason.MISSING_COLUMN
    assert prepared.problem.message == (
        "required column(s) missing: country_code, registered_at, buyer_type"
    )
    assert len(prepared.sha256) == 64


def test_prefetched_keeps_order_and_raises_errors() -> None:
    assert list(prefetched([3, 1, 2], lambda n: n * 10)) == [30, 10, 20]
    with pytest.raises(ZeroDivisionError):
        list(prefetched([1, 0], lambda n: 1 / n))


def test_prefetched_keeps_order_across_workers_and_bounds_what_waits() -> None:
    started: list[int] = []
    lock = threading.Lock()

    def work(n: int) -> int:
        with lock:
            started.append(n)
        time.sleep(0.05 if n == 0 else 0)  # the first item finishes last
        return n

    for consumed, n in enumerate(prefetched(range(8), work, workers=2, ahead=2), start=1):
        assert n == consumed - 1
        # the one handed over, plus at most `ahead` submitted after it
        assert len(started) <= consumed + 2
    assert sorted(started) == list(range(8))


def test_a_file_gone_since_listing_is_unreadable(tmp_path: Path) -> None:
    write_rows(tmp_path / "buyers" / "b.csv", [{"buyer_id": "B1"}])
    [source] = list_source_files(tmp_path, "buyers")
    source.path.unlink()

    prepared = prepare_file(source, known_sha256=None, months=None, known_keys=None, now=NOW)

    assert prepared.problem.reason is FileReason.UNREADABLE
    assert prepared.problem.message.startswith("cannot read the file: [Errno 2]")

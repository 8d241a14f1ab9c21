from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from contract_rows import order, write_rows

from pipelines.ingest import partitions
from pipelines.ingest.files import list_source_files
from pipelines.ingest.partitions import (
    DEFAULT_START_MONTH,
    MonthsCache,
    data_start_month,
    month_key,
    orders_partitions_def,
    orders_partitions_from_data,
    read_file_months,
)
from pipelines.ingest.reasons import FileReason


def test_month_key() -> None:
    assert month_key(datetime(2023, 12, 31, 23, 59)) == "2023-12-01"


def test_a_file_spanning_months_lists_each_month_in_utc(tmp_path: Path) -> None:
    path = write_rows(
        tmp_path / "o.csv",
        [
            order("O1", "2023-01-31T23:30:00-02:00"),
            order("O2", "2023-03-05"),
            order("O3", "garbage"),
        ],
    )

    assert read_file_months(path).months == ("2023-02-01", "2023-03-01")


def test_a_file_without_ordered_at_has_a_reason(tmp_path: Path) -> None:
    path = tmp_path / "o.csv"
    path.write_text("order_id\nO1\n")

    found = read_file_months(path)

    assert (found.months, found.reason) == ((), FileReason.MISSING_COLUMN)


def test_the_cache_reads_a_file_only_when_it_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_rows(tmp_path / "orders" / "o.csv", [order("O1", "2023-05-05")])
    reads = []
    real = partitions.read_file_months
    monkeypatch.setattr(partitions, "read_file_months", lambda p: reads.append(p) or real(p))
    cache_path = tmp_path / "cache.json"

    [source] = list_source_files(tmp_path, "orders")
    first = MonthsCache(cache_path)
    assert first.months(source).months == ("2023-05-01",)
    first.save()
    assert MonthsCache(cache_path).months(source).months == ("2023-05-01",)
    write_rows(path, [order("O1", "2023-06-05"), order("O2", "2023-07-05")])
    [changed] = list_source_files(tmp_path, "orders")
    assert MonthsCache(cache_path).months(changed).months == ("2023-06-01", "2023-07-01")

    assert reads == [path, path]


def test_the_partitions_start_with_the_earliest_month_in_the_data(tmp_path: Path) -> None:
    write_rows(tmp_path / "orders" / "a.csv", [order("O1", "2021-06-05")])
    write_rows(tmp_path / "orders" / "b.parquet", [order("O2", "2009-12-01T08:00:00Z")])
    write_rows(tmp_path / "orders" / "c.csv", [order("O3", "2999-01-01")])

    assert data_start_month(tmp_path, MonthsCache(None)) == date(2009, 12, 1)


def test_without_data_the_partitions_start_at_the_default(
    tradepulse_env: dict[str, Path],
) -> None:
    assert date(2009, 12, 1) == DEFAULT_START_MONTH
    assert orders_partitions_from_data().get_first_partition_key() == "2009-12-01"


def test_the_partitions_run_to_the_current_month() -> None:
    keys = orders_partitions_def(date(2023, 11, 1)).get_partition_keys()

    assert keys[:3] == ["2023-11-01", "2023-12-01", "2024-01-01"]
    assert keys[-1] == month_key(datetime.now(UTC))

from pathlib import Path

import polars as pl
import pytest
from contract_rows import HOANG_THANH

from pipelines.ingest.readers import read_source
from pipelines.ingest.reasons import FileReason, FileRejected


def rejection(path: Path, columns: list[str] | None = None) -> tuple[FileReason, str]:
    with pytest.raises(FileRejected) as caught:
        read_source(path, columns)
    return caught.value.reason, caught.value.message


def test_csv_fields_stay_text_and_a_bom_is_dropped(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_bytes(f"\ufeffsupplier_id,supplier_name,n\nS1,{HOANG_THANH},007\n".encode())

    frame = read_source(path)

    assert frame.columns == ["supplier_id", "supplier_name", "n"]
    assert frame.rows() == [("S1", HOANG_THANH, "007")]
    assert frame.schema["n"] == pl.String


def test_json_lines_with_a_bom_and_mixed_types(tmp_path: Path) -> None:
    path = tmp_path / "b.jsonl"
    path.write_bytes('\ufeff{"a": 1, "b": "Huế"}\n{"a": "x", "c": true}\n'.encode())

    frame = read_source(path)

    assert frame.columns == ["a", "b", "c"]
    assert frame.get_column("b").to_list() == ["Huế", None]
    assert frame.get_column("a").to_list() == ["1", "x"]


def test_parquet_keeps_its_types(tmp_path: Path) -> None:
    path = tmp_path / "o.parquet"
    pl.DataFrame({"quantity": [1.5], "line_number": [2]}).write_parquet(path)

    assert read_source(path).schema == pl.Schema({"quantity": pl.Float64, "line_number": pl.Int64})


def test_reading_only_some_columns(tmp_path: Path) -> None:
    path = tmp_path / "o.csv"
    path.write_text("ordered_at,order_id\n2023-01-01,O1\n")

    assert read_source(path, ["ordered_at"]).rows() == [("2023-01-01",)]
    assert rejection(path, ["missing"])[0] is FileReason.MISSING_COLUMN


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("latin1.csv", "a\nHoàng\n".encode("latin-1"), FileReason.BAD_ENCODING),
        ("utf16.csv", "a\nb\n".encode("utf-16"), FileReason.BAD_ENCODING),
        ("bad.jsonl", b'{"a": "\xff"}\n', FileReason.BAD_ENCODING),
        ("corrupt.parquet", b"PAR1 garbage", FileReason.UNREADABLE),
        ("empty.csv", b"", FileReason.UNREADABLE),
        ("ragged.csv", b"a,b\n1,2,3\n", FileReason.UNREADABLE),
        ("array.json", b'[{"a": 1}]', FileReason.UNREADABLE),
        ("sheet.xlsx", b"PK", FileReason.UNSUPPORTED_FORMAT),
    ],
)
def test_files_that_cannot_be_read(
    tmp_path: Path, name: str, content: bytes, reason: FileReason
) -> None:
    path = tmp_path / name
    path.write_bytes(content)

    assert rejection(path)[0] is reason


def test_the_message_says_what_is_wrong(tmp_path: Path) -> None:
    path = tmp_path / "sheet.xlsx"
    path.write_bytes(b"PK")

    assert rejection(path)[1] == "unsupported file type '.xlsx': use .csv, .parquet or .jsonl"

import hashlib
from pathlib import Path

import pytest

from pipelines.ingest import files
from pipelines.ingest.files import file_sha256, list_source_files


def test_lists_data_files_of_an_entity_with_subfolders(tmp_path: Path) -> None:
    orders = tmp_path / "orders"
    (orders / "2023").mkdir(parents=True)
    for name in ("b.csv", "a.parquet", '2023/01 ; o\'k "x".jsonl', ".hidden.csv", "README.md"):
        (orders / name).write_text("x")
    (orders / ".cache").mkdir()
    (orders / ".cache" / "c.csv").write_text("x")

    found = list_source_files(tmp_path, "orders")

    assert [source.name for source in found] == [
        'orders/2023/01 ; o\'k "x".jsonl',
        "orders/a.parquet",
        "orders/b.csv",
    ]
    assert [source.format for source in found] == ["jsonl", "parquet", "csv"]
    assert found[1].stat_key == (1, (orders / "a.parquet").stat().st_mtime_ns)


def test_a_missing_entity_folder_has_no_files(tmp_path: Path) -> None:
    assert list_source_files(tmp_path, "buyers") == []


def test_unsupported_files_are_listed_without_a_format(tmp_path: Path) -> None:
    (tmp_path / "buyers").mkdir()
    (tmp_path / "buyers" / "export.xlsx").write_bytes(b"PK")

    [source] = list_source_files(tmp_path, "buyers")

    assert (source.name, source.format) == ("buyers/export.xlsx", None)


def test_sha256_reads_in_chunks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(files, "_HASH_CHUNK_BYTES", 7)
    path = tmp_path / "data.bin"
    payload = bytes(range(256)) * 3
    path.write_bytes(payload)

    assert file_sha256(path) == hashlib.sha256(payload).hexdigest()

from pathlib import Path

import pytest

from pipelines.errors import TradePulseError
from pipelines.rawdir import data_files, is_empty, prepare_out_dir


def test_readmes_and_hidden_notes_are_not_data(tmp_path: Path) -> None:
    assert is_empty(tmp_path / "missing")
    (tmp_path / "README.md").write_text("contract")
    (tmp_path / ".tradepulse-source.json").write_text("{}")
    assert is_empty(tmp_path)
    (tmp_path / "orders").mkdir()
    (tmp_path / "orders" / "2023-01.parquet").write_bytes(b"x")
    assert data_files(tmp_path) == [tmp_path / "orders" / "2023-01.parquet"]
    assert not is_empty(tmp_path)


def test_prepare_replaces_only_the_raw_folders(tmp_path: Path) -> None:
    (tmp_path / "orders").mkdir()
    (tmp_path / "orders" / "old.parquet").write_bytes(b"x")
    with pytest.raises(TradePulseError, match=r"already holds data \(orders/old.parquet\)"):
        prepare_out_dir(tmp_path, overwrite=False)

    prepare_out_dir(tmp_path, overwrite=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["buyers", "orders", "suppliers"]
    assert is_empty(tmp_path)

    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(TradePulseError, match=r"holds other data \(notes.txt\)"):
        prepare_out_dir(tmp_path, overwrite=True)
    assert (tmp_path / "notes.txt").read_text() == "mine"

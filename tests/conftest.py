"""Shared fixtures: every test gets its own raw dir, warehouse and marts dir under tmp_path."""

from pathlib import Path

import pytest


@pytest.fixture
def tradepulse_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """Point TRADEPULSE_* at fresh locations in tmp_path and return them."""
    paths = {
        "raw_dir": tmp_path / "raw",
        "warehouse": tmp_path / "warehouse.duckdb",
        "marts_dir": tmp_path / "marts",
    }
    monkeypatch.setenv("TRADEPULSE_RAW_DIR", str(paths["raw_dir"]))
    monkeypatch.setenv("TRADEPULSE_WAREHOUSE", str(paths["warehouse"]))
    monkeypatch.setenv("TRADEPULSE_MARTS_DIR", str(paths["marts_dir"]))
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    return paths

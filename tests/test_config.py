from pathlib import Path

import pytest

from pipelines.config import duckdb_config, get_settings
from pipelines.ingest.tables import connect


def test_defaults_resolve_against_the_working_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("TRADEPULSE_RAW_DIR", "TRADEPULSE_WAREHOUSE", "TRADEPULSE_MARTS_DIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    settings = get_settings()
    assert settings.raw_dir == tmp_path / "data" / "raw"
    assert settings.warehouse == tmp_path / "data" / "warehouse.duckdb"
    assert settings.marts_dir == tmp_path / "data" / "marts"


def test_environment_overrides_and_dbt_sees_absolute_paths(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TRADEPULSE_WAREHOUSE", "elsewhere/wh.duckdb")
    settings = get_settings()
    assert settings.dbt_env()["TRADEPULSE_WAREHOUSE"] == str(tmp_path / "elsewhere" / "wh.duckdb")


def test_one_memory_cap_for_every_duckdb_connection(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TRADEPULSE_DUCKDB_MEMORY_LIMIT", raising=False)
    assert duckdb_config() == {"memory_limit": "3GB"}

    monkeypatch.setenv("TRADEPULSE_DUCKDB_MEMORY_LIMIT", "512MB")
    assert get_settings().dbt_env()["TRADEPULSE_DUCKDB_MEMORY_LIMIT"] == "512MB"
    assert duckdb_config(temp_directory="t") == {"memory_limit": "512MB", "temp_directory": "t"}
    with connect(tmp_path / "w.duckdb") as conn:
        limit = conn.execute("select current_setting('memory_limit')").fetchall()
    assert limit == [("488.2 MiB",)]

from pathlib import Path

import pytest

from pipelines.config import get_settings


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

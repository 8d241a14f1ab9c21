"""The engine settings: TRADEPULSE_ENGINE, TRADEPULSE_SPARK_DIR and what dbt is told."""

from pathlib import Path

import pytest

from pipelines.config import get_settings
from pipelines.errors import TradePulseError


@pytest.fixture
def clean_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("TRADEPULSE_WAREHOUSE", "TRADEPULSE_ENGINE", "TRADEPULSE_SPARK_DIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_duckdb_is_the_default_and_spark_files_sit_beside_the_warehouse(clean_env: Path) -> None:
    settings = get_settings()
    assert settings.engine == "duckdb"
    assert settings.spark_dir == clean_env / "data" / "spark"
    assert settings.dbt_env()["TRADEPULSE_SPARK_DIR"] == str(clean_env / "data" / "spark")


def test_the_spark_dir_follows_the_warehouse_unless_set(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRADEPULSE_WAREHOUSE", "elsewhere/wh.duckdb")
    assert get_settings().spark_dir == clean_env / "elsewhere" / "spark"
    monkeypatch.setenv("TRADEPULSE_SPARK_DIR", "/srv/spark")
    assert get_settings().spark_dir == Path("/srv/spark")


def test_engine_is_read_case_insensitively_and_checked(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRADEPULSE_ENGINE", " Spark ")
    assert get_settings().engine == "spark"
    assert get_settings().dbt_env()["TRADEPULSE_ENGINE"] == "spark"
    monkeypatch.setenv("TRADEPULSE_ENGINE", "snowflake")
    with pytest.raises(TradePulseError) as raised:
        get_settings()
    assert str(raised.value) == "TRADEPULSE_ENGINE must be one of duckdb, spark, got 'snowflake'"

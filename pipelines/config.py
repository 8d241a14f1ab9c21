"""Configuration of TradePulse, read from environment variables in this one place."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from pipelines.errors import TradePulseError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"
ENGINES = ("duckdb", "spark")
# DuckDB takes up to 80% of RAM by default and keeps what it takes; with a cap it spills to disk.
DEFAULT_DUCKDB_MEMORY_LIMIT = "3GB"


@dataclass(frozen=True)
class Settings:
    """Where TradePulse reads raw files, keeps its warehouse and publishes marts, and which
    engine builds the dbt project."""

    raw_dir: Path
    warehouse: Path
    marts_dir: Path
    engine: str = "duckdb"
    # Spark's files (metastore, warehouse dir, raw Parquet, exports); default beside the warehouse.
    spark_dir: Path = None  # type: ignore[assignment]
    spark_driver_memory: str = "4g"
    # The memory cap of every DuckDB connection of a run (ingestion, dbt, checks, publish).
    duckdb_memory_limit: str = DEFAULT_DUCKDB_MEMORY_LIMIT

    def __post_init__(self) -> None:
        if self.spark_dir is None:
            object.__setattr__(self, "spark_dir", self.warehouse.parent / "spark")

    def dbt_env(self) -> dict[str, str]:
        """Environment variables that point dbt's `profiles.yml` at the same files."""
        return {
            "TRADEPULSE_RAW_DIR": str(self.raw_dir),
            "TRADEPULSE_WAREHOUSE": str(self.warehouse),
            "TRADEPULSE_MARTS_DIR": str(self.marts_dir),
            "TRADEPULSE_ENGINE": self.engine,
            "TRADEPULSE_SPARK_DIR": str(self.spark_dir),
            "TRADEPULSE_SPARK_DRIVER_MEMORY": self.spark_driver_memory,
            "TRADEPULSE_DUCKDB_MEMORY_LIMIT": self.duckdb_memory_limit,
        }


def _path(name: str, default: str) -> Path:
    value = os.environ.get(name) or default
    path = Path(value).expanduser()
    return path if path.is_absolute() else (Path.cwd() / path).resolve()


def _engine() -> str:
    engine = (os.environ.get("TRADEPULSE_ENGINE") or "duckdb").strip().lower()
    if engine not in ENGINES:
        raise TradePulseError(
            f"TRADEPULSE_ENGINE must be one of {', '.join(ENGINES)}, got {engine!r}"
        )
    return engine


def get_settings() -> Settings:
    """Read the settings from the environment; relative paths resolve against the working dir.

    >>> get_settings().warehouse.name
    'warehouse.duckdb'
    """
    warehouse = _path("TRADEPULSE_WAREHOUSE", "data/warehouse.duckdb")
    return Settings(
        raw_dir=_path("TRADEPULSE_RAW_DIR", "data/raw"),
        warehouse=warehouse,
        marts_dir=_path("TRADEPULSE_MARTS_DIR", "data/marts"),
        engine=_engine(),
        spark_dir=_path("TRADEPULSE_SPARK_DIR", str(warehouse.parent / "spark")),
        spark_driver_memory=os.environ.get("TRADEPULSE_SPARK_DRIVER_MEMORY") or "4g",
        duckdb_memory_limit=(
            os.environ.get("TRADEPULSE_DUCKDB_MEMORY_LIMIT") or DEFAULT_DUCKDB_MEMORY_LIMIT
        ),
    )


def duckdb_config(**extra: str) -> dict[str, str]:
    """The `config` of a DuckDB connection the pipeline opens: its memory cap, and `extra`."""
    return {"memory_limit": get_settings().duckdb_memory_limit, **extra}

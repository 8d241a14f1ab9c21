"""Configuration of TradePulse, read from environment variables in this one place."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"


@dataclass(frozen=True)
class Settings:
    """Where TradePulse reads raw files, keeps its warehouse and publishes marts."""

    raw_dir: Path
    warehouse: Path
    marts_dir: Path

    def dbt_env(self) -> dict[str, str]:
        """Environment variables that point dbt's `profiles.yml` at the same files."""
        return {
            "TRADEPULSE_RAW_DIR": str(self.raw_dir),
            "TRADEPULSE_WAREHOUSE": str(self.warehouse),
            "TRADEPULSE_MARTS_DIR": str(self.marts_dir),
        }


def _path(name: str, default: str) -> Path:
    value = os.environ.get(name) or default
    path = Path(value).expanduser()
    return path if path.is_absolute() else (Path.cwd() / path).resolve()


def get_settings() -> Settings:
    """Read the settings from the environment; relative paths resolve against the working dir.

    >>> get_settings().warehouse.name
    'warehouse.duckdb'
    """
    return Settings(
        raw_dir=_path("TRADEPULSE_RAW_DIR", "data/raw"),
        warehouse=_path("TRADEPULSE_WAREHOUSE", "data/warehouse.duckdb"),
        marts_dir=_path("TRADEPULSE_MARTS_DIR", "data/marts"),
    )

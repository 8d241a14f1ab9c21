"""Fixtures for the dbt warehouse tests: generated samples loaded into throwaway DuckDB files.

Each fixture generates a seeded sample, loads it into `raw.*` with the lineage columns the thin
ingestion adds, and runs `dbt build` against a DuckDB file under pytest's tmp dirs. Tests that
change data copy the built file into their own tmp_path first.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from dbt_commands import run_dbt

ENTITIES = ("suppliers", "buyers", "orders")


@dataclass(frozen=True)
class Warehouse:
    """A generated sample and the DuckDB warehouse dbt built from it."""

    raw_dir: Path
    path: Path
    work_dir: Path

    def copy_to(self, directory: Path) -> Warehouse:
        """A copy of the warehouse file in `directory`, for a test that changes data."""
        directory.mkdir(parents=True, exist_ok=True)
        target = directory / "warehouse.duckdb"
        shutil.copyfile(self.path, target)
        return Warehouse(self.raw_dir, target, directory)

    def query(self, sql: str, parameters: Sequence[object] = ()) -> list[tuple]:
        """Rows of a query, on a connection closed right after."""
        with duckdb.connect(str(self.path)) as conn:
            return conn.execute(sql, list(parameters)).fetchall()

    def execute(self, sql: str, parameters: Sequence[object] = ()) -> None:
        """Run a statement that changes data."""
        with duckdb.connect(str(self.path)) as conn:
            conn.execute(sql, list(parameters))


def load_raw(raw_dir: Path, warehouse: Path) -> None:
    """Load each entity's Parquet files into raw.<entity>, as the thin ingestion does."""
    with duckdb.connect(str(warehouse)) as conn:
        conn.execute("create schema if not exists raw")
        for entity in ENTITIES:
            files = sorted(str(path) for path in (raw_dir / entity).glob("*.parquet"))
            conn.execute(
                f"create or replace table raw.{entity} as "
                "select * exclude (filename, file_row_number), filename as _source_file, "
                "file_row_number + 1 as _source_row, current_timestamp as _loaded_at "
                "from read_parquet(?, filename = true, file_row_number = true)",
                [files],
            )


def build_sample(directory: Path, order_lines: int) -> Warehouse:
    """Generate the seed-42 sample, load it and `dbt build` everything."""
    from pipelines.generate.sample import generate_sample

    raw_dir = directory / "raw"
    generate_sample(raw_dir, seed=42, order_lines=order_lines)
    warehouse = Warehouse(raw_dir, directory / "warehouse.duckdb", directory)
    load_raw(raw_dir, warehouse.path)
    run_dbt(["build"], warehouse.path, directory)
    return warehouse


@pytest.fixture(scope="session")
def dbt():
    """run_dbt(args, warehouse, work_dir, check=True): the project's dbt, as a fixture."""
    return run_dbt


@pytest.fixture(scope="session")
def small_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    """The 50,000-line sample, built (read it; copy it before changing anything)."""
    return build_sample(tmp_path_factory.mktemp("dbt_50k"), 50_000)


@pytest.fixture(scope="session")
def default_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    """The default sample (seed 42, 1,000,000 lines), built."""
    return build_sample(tmp_path_factory.mktemp("dbt_1m"), 1_000_000)

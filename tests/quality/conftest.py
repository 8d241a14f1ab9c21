"""Warehouses for the quality tests, built once per session from generated samples.

A test that changes data works on its own copy (`copy_of`), so no test sees another's changes.
"""

import shutil
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest
from quality_helpers import Built, build


@pytest.fixture(scope="session")
def clean_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The clean sample, ingested and built by dbt (read only: copy it to change it)."""
    return build(tmp_path_factory.mktemp("quality_clean"), faults=0.0, with_dbt=True)


@pytest.fixture(scope="session")
def faulty_raw(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The sample with 2% faults, ingested only (the raw tables and the rejections)."""
    return build(tmp_path_factory.mktemp("quality_faulty"), faults=0.02, with_dbt=False)


@pytest.fixture
def copy_of(tmp_path: Path) -> Callable[[Built], Path]:
    """Copy a built warehouse into this test's tmp_path; return the copy's path."""

    def copy(built: Built) -> Path:
        target = tmp_path / "warehouse.duckdb"
        shutil.copyfile(built.path, target)
        return target

    return copy


@pytest.fixture
def execute() -> Callable[[Path, str], None]:
    """Run statements on a warehouse file, closing the connection right after."""

    def run(path: Path, sql: str) -> None:
        with duckdb.connect(str(path)) as conn:
            conn.execute(sql)

    return run

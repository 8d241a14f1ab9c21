"""Samples shared by the generator tests: each is written once per test session."""

from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from pipelines.generate import GenerationSummary, generate_sample


@pytest.fixture(scope="session")
def default_sample(tmp_path_factory: pytest.TempPathFactory) -> GenerationSummary:
    """The sample `tradepulse run` writes: seed 42, 1,000,000 order lines, 2020-01 .. 2023-10."""
    return generate_sample(tmp_path_factory.mktemp("default") / "raw")


@pytest.fixture(scope="session")
def faulty_sample(tmp_path_factory: pytest.TempPathFactory) -> GenerationSummary:
    """A small sample with 2% of its rows broken on purpose."""
    return generate_sample(
        tmp_path_factory.mktemp("faulty") / "raw", seed=7, order_lines=50_000, faults=0.02
    )


@pytest.fixture
def raw_sql() -> Callable[[Path], duckdb.DuckDBPyConnection]:
    """Open an in-memory DuckDB (UTC session) with views suppliers, buyers and orders over a dir."""

    def connect(raw_dir: Path) -> duckdb.DuckDBPyConnection:
        con = duckdb.connect()
        con.execute("set TimeZone = 'UTC'")
        for name, pattern in (
            ("suppliers", "suppliers/*.parquet"),
            ("buyers", "buyers/*.parquet"),
            ("orders", "orders/*.parquet"),
        ):
            con.execute(f"create view {name} as select * from read_parquet('{raw_dir / pattern}')")
        return con

    return connect

"""Small raw files and loaders for the ingestion tests: each test gets its own dir and DuckDB."""

from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import duckdb
import pytest
from contract_rows import buyer, supplier, write_rows
from ingest_helpers import NOW, all_months

from pipelines.ingest.load import load_entity
from pipelines.ingest.partitions import MonthsCache
from pipelines.ingest.prepare import MonthRange
from pipelines.ingest.report import LoadReport
from pipelines.ingest.tables import connect


@pytest.fixture
def raw_dir(tradepulse_env: dict[str, Path]) -> Path:
    """An empty raw dir holding the three entity folders."""
    path = tradepulse_env["raw_dir"]
    for entity in ("suppliers", "buyers", "orders"):
        (path / entity).mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def warehouse(tradepulse_env: dict[str, Path]) -> Path:
    """The test's own DuckDB file (not created yet)."""
    return tradepulse_env["warehouse"]


@pytest.fixture
def sql(warehouse: Path) -> Callable[[str], list[tuple]]:
    """Run a query on the warehouse and return its rows."""

    def run(query: str, parameters: list | None = None) -> list[tuple]:
        with duckdb.connect(str(warehouse), read_only=True) as conn:
            return conn.execute(query, parameters).fetchall()

    return run


@pytest.fixture
def load(raw_dir: Path, warehouse: Path) -> Iterator[Callable[..., LoadReport]]:
    """Load one entity (orders: a month range, every month by default) as a new run."""
    runs = iter(range(1, 1_000))

    def run(entity: str, months: MonthRange | None = None, now: datetime = NOW) -> LoadReport:
        if entity == "orders" and months is None:
            months = all_months()
        with connect(warehouse) as conn:
            return load_entity(
                conn,
                raw_dir,
                entity,
                run_id=f"run-{next(runs)}",
                now=now,
                months=months,
                months_cache=MonthsCache(warehouse.with_name("months.json")),
            )

    yield run


@pytest.fixture
def reference(raw_dir: Path, load: Callable[..., LoadReport]) -> None:
    """Supplier S1 and buyer B1 delivered and loaded, as orders need them."""
    write_rows(raw_dir / "suppliers" / "suppliers.csv", [supplier("S1")])
    write_rows(raw_dir / "buyers" / "buyers.csv", [buyer("B1")])
    load("suppliers")
    load("buyers")

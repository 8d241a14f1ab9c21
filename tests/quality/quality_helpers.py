"""Samples for the quality tests: generated, loaded by the real ingestion, built by dbt."""

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from dbt_commands import run_dbt

from pipelines.generate.sample import GenerationSummary, generate_sample
from pipelines.ingest.load import load_entity
from pipelines.ingest.partitions import month_key
from pipelines.ingest.prepare import MonthRange
from pipelines.ingest.tables import connect

# The load's extract time: after the sample (which ends 2023-10-31), before today.
LOADED_AT = datetime(2023, 11, 1)
ORDER_LINES = 20_000


@dataclass(frozen=True)
class Built:
    """A generated sample and the warehouse built from it."""

    summary: GenerationSummary
    path: Path


def all_months() -> MonthRange:
    """Every month of the sample generator's default span, as one load."""
    keys = tuple(
        month_key(datetime(year, month, 1)) for year in range(2020, 2024) for month in range(1, 13)
    )
    keys = tuple(key for key in keys if key <= "2023-10-01")
    return MonthRange(keys, keys[0], keys[-1])


def ingest(raw_dir: Path, warehouse: Path) -> None:
    """Load suppliers, buyers and every month of orders, as the raw assets do."""
    with connect(warehouse) as conn:
        for entity in ("suppliers", "buyers", "orders"):
            load_entity(
                conn,
                raw_dir,
                entity,
                run_id=f"test-{entity}",
                now=LOADED_AT,
                months=all_months() if entity == "orders" else None,
            )


def build(directory: Path, *, faults: float, with_dbt: bool) -> Built:
    """Generate a 20,000-line sample (seed 5), ingest it and optionally build the dbt models."""
    summary = generate_sample(directory / "raw", seed=5, order_lines=ORDER_LINES, faults=faults)
    path = directory / "warehouse.duckdb"
    ingest(directory / "raw", path)
    if with_dbt:
        run_dbt(["build"], path, directory)
    return Built(summary, path)

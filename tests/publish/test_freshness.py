import json
from datetime import date
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from pipelines.generate.sample import write_sample_marker
from pipelines.publish.freshness import (
    months_between,
    published_marts_fresh,
    raw_orders_fresh,
    reference_month,
)
from pipelines.resources import WarehouseResource


def _orders_up_to(warehouse: Path, newest: str) -> None:
    with duckdb.connect(str(warehouse)) as conn:
        conn.execute("create schema raw")
        conn.execute("create table raw.orders as select ?::timestamp as ordered_at", [newest])


def test_months_between() -> None:
    assert months_between(date(2022, 11, 30), date(2023, 1, 1)) == 2


def test_sample_is_judged_against_its_own_last_month(tradepulse_env: dict[str, Path]) -> None:
    tradepulse_env["raw_dir"].mkdir(parents=True)
    write_sample_marker(tradepulse_env["raw_dir"], end="2023-10-31", seed=42)
    _orders_up_to(tradepulse_env["warehouse"], "2023-10-31 18:00:00")

    assert reference_month() == (date(2023, 10, 1), "sample")
    result = raw_orders_fresh(WarehouseResource())
    assert result.passed
    assert result.metadata["months_behind"].value == 0


def test_real_data_is_judged_against_the_clock(tradepulse_env: dict[str, Path]) -> None:
    _orders_up_to(tradepulse_env["warehouse"], "2011-12-09 12:50:00")

    result = raw_orders_fresh(WarehouseResource())
    assert not result.passed
    assert result.severity == dg.AssetCheckSeverity.WARN
    assert result.metadata["reference"].value == "clock"
    assert result.metadata["newest_order_month"].value == "2011-12-01"
    assert reference_month(date(2012, 1, 20)) == (date(2012, 1, 1), "clock")


@pytest.mark.parametrize(("last_month", "fresh"), [("2023-09", True), ("2023-08", False)])
def test_published_marts_against_the_sample_month(
    tradepulse_env: dict[str, Path], last_month: str, fresh: bool
) -> None:
    tradepulse_env["raw_dir"].mkdir(parents=True)
    write_sample_marker(tradepulse_env["raw_dir"], end="2023-10-31")
    tradepulse_env["marts_dir"].mkdir(parents=True)
    manifest = {"last_month": last_month, "published_at": "2020-01-01T00:00:00Z"}
    (tradepulse_env["marts_dir"] / "_manifest.json").write_text(json.dumps(manifest))

    result = published_marts_fresh()
    assert result.passed is fresh
    assert result.metadata["reference_month"].value == "2023-10-01"


def test_nothing_published_is_not_fresh(tradepulse_env: dict[str, Path]) -> None:
    result = published_marts_fresh()
    assert not result.passed
    assert result.metadata["reason"].value.startswith("nothing published at ")

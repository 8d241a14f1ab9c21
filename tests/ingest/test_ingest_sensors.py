import os
from collections.abc import Callable, Iterator
from pathlib import Path

import dagster as dg
import pytest
from contract_rows import FIRST_MONTH, buyer, order, supplier, write_rows
from dagster._core.storage.tags import (
    ASSET_PARTITION_RANGE_END_TAG,
    ASSET_PARTITION_RANGE_START_TAG,
)

from pipelines.ingest.assets import build_raw_assets
from pipelines.ingest.partitions import orders_partitions_def
from pipelines.ingest.sensors import build_raw_files_sensor, month_runs, read_cursor
from pipelines.resources import WarehouseResource

PARTITIONS = orders_partitions_def(FIRST_MONTH)
LAST = PARTITIONS.get_last_partition_key()
RAW_SUPPLIERS, RAW_BUYERS, RAW_ORDERS = (
    dg.AssetKey("raw_suppliers"),
    dg.AssetKey("raw_buyers"),
    dg.AssetKey("raw_orders"),
)


@pytest.fixture
def instance() -> Iterator[dg.DagsterInstance]:
    with dg.instance_for_test() as test_instance:
        yield test_instance


@pytest.fixture
def defs() -> dg.Definitions:
    sensor = build_raw_files_sensor(PARTITIONS)
    return dg.Definitions(
        assets=build_raw_assets(PARTITIONS),
        sensors=[sensor],
        resources={"warehouse": WarehouseResource()},
    )


class Ticks:
    """Evaluates the sensor tick after tick, carrying the cursor like the daemon does."""

    def __init__(self, defs: dg.Definitions, instance: dg.DagsterInstance) -> None:
        self.defs = defs
        self.instance = instance
        self.cursor: str | None = None

    def __call__(self) -> dg.SensorResult:
        sensor = self.defs.resolve_sensor_def("raw_files_sensor")
        context = dg.build_sensor_context(
            instance=self.instance, cursor=self.cursor, definitions=self.defs
        )
        result = sensor(context)
        self.cursor = result.cursor
        return result


@pytest.fixture
def tick(defs: dg.Definitions, instance: dg.DagsterInstance) -> Ticks:
    return Ticks(defs, instance)


def describe(request: dg.RunRequest) -> tuple:
    """A run request as (asset keys, partition key or range)."""
    selection = tuple(key.to_user_string() for key in request.asset_selection or ())
    if request.partition_key:
        return selection, request.partition_key
    tags = request.tags
    return selection, (tags[ASSET_PARTITION_RANGE_START_TAG], tags[ASSET_PARTITION_RANGE_END_TAG])


@pytest.fixture
def delivered(raw_dir: Path) -> Path:
    write_rows(raw_dir / "suppliers" / "s.csv", [supplier("S1")])
    write_rows(raw_dir / "buyers" / "b.csv", [buyer("B1")])
    write_rows(raw_dir / "orders" / "2023-03.csv", [order("O1", "2023-03-05")])
    return raw_dir


def run(defs: dg.Definitions, instance: dg.DagsterInstance, request: dg.RunRequest) -> None:
    """Execute a run request in process, as the daemon would launch it."""
    job = defs.resolve_implicit_global_asset_job_def()
    result = job.execute_in_process(
        instance=instance,
        asset_selection=list(request.asset_selection or ()),
        partition_key=request.partition_key,
        tags=request.tags,
    )
    assert result.success


def test_the_first_tick_loads_everything_in_one_run(delivered: Path, tick: Ticks) -> None:
    result = tick()

    assert [describe(request) for request in result.run_requests] == [
        (("raw_suppliers", "raw_buyers", "raw_orders"), ("2023-01-01", LAST))
    ]
    assert sorted(read_cursor(result.cursor)) == [
        "buyers/b.csv",
        "orders/2023-03.csv",
        "suppliers/s.csv",
    ]
    assert read_cursor(result.cursor)["orders/2023-03.csv"].months == ("2023-03-01",)


def test_the_same_state_does_not_fire_twice(delivered: Path, tick: Ticks) -> None:
    tick()

    again = tick()

    assert again.run_requests == []
    assert again.skip_reason.skip_message == "no raw file is new, changed or removed"


def test_a_touched_file_with_the_same_bytes_does_not_fire(delivered: Path, tick: Ticks) -> None:
    first = tick()
    os.utime(delivered / "orders" / "2023-03.csv", ns=(10**18, 10**18))

    touched = tick()

    assert touched.run_requests == []
    assert read_cursor(touched.cursor)["orders/2023-03.csv"].mtime_ns == 10**18
    assert touched.cursor != first.cursor


def test_new_orders_files_request_their_months(delivered: Path, tick: Ticks) -> None:
    tick()
    write_rows(
        delivered / "orders" / "spring.parquet",
        [order("O2", "2023-04-30T23:00:00-05:00"), order("O3", "2023-06-01")],
    )
    write_rows(delivered / "orders" / "autumn.jsonl", [order("O4", "2023-09-09")])

    result = tick()

    assert [describe(request) for request in result.run_requests] == [
        (("raw_orders",), ("2023-05-01", "2023-06-01")),
        (("raw_orders",), "2023-09-01"),
    ]


def test_a_changed_file_requests_its_old_and_new_months(delivered: Path, tick: Ticks) -> None:
    tick()
    write_rows(delivered / "orders" / "2023-03.csv", [order("O1", "2023-05-05")])

    result = tick()

    assert [describe(request) for request in result.run_requests] == [
        (("raw_orders",), "2023-03-01"),
        (("raw_orders",), "2023-05-01"),
    ]


def test_a_removed_file_requests_its_months(delivered: Path, tick: Ticks) -> None:
    tick()
    (delivered / "orders" / "2023-03.csv").unlink()

    result = tick()

    assert [describe(request) for request in result.run_requests] == [
        (("raw_orders",), "2023-03-01")
    ]
    assert "orders/2023-03.csv" not in read_cursor(result.cursor)


def test_a_reference_change_reloads_it_and_every_month(delivered: Path, tick: Ticks) -> None:
    tick()
    write_rows(delivered / "buyers" / "b.csv", [buyer("B1"), buyer("B2")])

    result = tick()

    assert [describe(request) for request in result.run_requests] == [
        (("raw_buyers", "raw_orders"), ("2023-01-01", LAST))
    ]


def test_an_unreadable_orders_file_requests_the_last_month(delivered: Path, tick: Ticks) -> None:
    tick()
    (delivered / "orders" / "broken.parquet").write_bytes(b"not parquet")

    result = tick()

    assert [describe(request) for request in result.run_requests] == [(("raw_orders",), LAST)]
    assert read_cursor(result.cursor)["orders/broken.parquet"].months is None


def test_run_keys_differ_between_states(delivered: Path, tick: Ticks) -> None:
    first = tick()
    write_rows(delivered / "suppliers" / "s.csv", [supplier("S1"), supplier("S2")])

    second = tick()

    assert first.run_requests[0].run_key != second.run_requests[0].run_key


def test_the_requested_runs_bring_the_warehouse_up_to_date(
    delivered: Path,
    tick: Ticks,
    defs: dg.Definitions,
    instance: dg.DagsterInstance,
    sql: Callable[..., list[tuple]],
) -> None:
    for request in tick().run_requests:
        run(defs, instance, request)
    write_rows(delivered / "orders" / "2023-03.csv", [order("O1", "2023-04-05")])
    write_rows(delivered / "orders" / "2023-05.csv", [order("O5", "2023-05-05")])

    requests = tick().run_requests
    for request in requests:
        run(defs, instance, request)

    assert [describe(request) for request in requests] == [
        (("raw_orders",), ("2023-03-01", "2023-05-01"))
    ]
    assert sql("select order_id, ordered_at::date::varchar from raw.orders order by 1") == [
        ("O1", "2023-04-05"),
        ("O5", "2023-05-05"),
    ]


def test_month_runs_splits_at_gaps_and_ignores_unknown_months() -> None:
    keys = ["2023-01-01", "2023-02-01", "2023-03-01", "2023-04-01"]

    runs = month_runs(["2022-12-01", "2023-04-01", "2023-01-01", "2023-02-01"], keys)

    assert runs == [("2023-01-01", "2023-02-01"), ("2023-04-01", "2023-04-01")]

from collections.abc import Callable
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
from pipelines.resources import WarehouseResource
from pipelines.run.pipeline import materialize_all, partition_range_tags

PARTITIONS = orders_partitions_def(FIRST_MONTH)
Sql = Callable[..., list[tuple]]


@pytest.fixture
def assets() -> tuple[dg.AssetsDefinition, ...]:
    return build_raw_assets(PARTITIONS)


@pytest.fixture
def delivered(raw_dir: Path) -> Path:
    write_rows(raw_dir / "suppliers" / "s.csv", [supplier("S1"), supplier("S2", country_code="ZZ")])
    write_rows(raw_dir / "buyers" / "b.parquet", [buyer("B1")])
    write_rows(
        raw_dir / "orders" / "q1.csv",
        [
            order("O1", "2023-01-20"),
            order("O2", "2023-02-03"),
            order("O3", "2023-02-04", buyer_id="B2"),
            order("O4", "2023-03-30"),
        ],
    )
    return raw_dir


def metadata(result: dg.ExecuteInProcessResult, key: str) -> dict:
    [event] = [
        event
        for event in result.get_asset_materialization_events()
        if event.asset_key == dg.AssetKey(key)
    ][:1]
    return {name: value.value for name, value in event.materialization.metadata.items()}


def test_the_raw_assets_are_wired_for_partitions(assets: tuple) -> None:
    raw_suppliers, raw_buyers, raw_orders = assets
    defs = dg.Definitions(assets=list(assets), resources={"warehouse": WarehouseResource()})
    graph = defs.resolve_asset_graph()

    assert {asset.key.to_user_string() for asset in assets} == {
        "raw_suppliers",
        "raw_buyers",
        "raw_orders",
    }
    assert {graph.get(asset.key).group_name for asset in assets} == {"raw"}
    assert graph.get(raw_orders.key).parent_keys == {raw_suppliers.key, raw_buyers.key}
    assert raw_orders.partitions_def == PARTITIONS
    assert raw_orders.backfill_policy == dg.BackfillPolicy.single_run()
    assert raw_suppliers.partitions_def is None


@pytest.mark.usefixtures("delivered")
def test_one_month_partition_and_its_metadata(assets: tuple, sql: Sql) -> None:
    resources = {"warehouse": WarehouseResource()}
    dg.materialize(list(assets[:2]), resources=resources)

    result = dg.materialize(
        list(assets), selection=[assets[2]], partition_key="2023-02-01", resources=resources
    )

    assert sql("select order_id from raw.orders order by 1") == [("O2",)]
    found = metadata(result, "raw_orders")
    assert {
        name: found[name] for name in ("files", "rows_read", "rows_loaded", "rows_rejected")
    } == {
        "files": 1,
        "rows_read": 2,
        "rows_loaded": 1,
        "rows_rejected": 1,
    }
    assert found["rejected_by_reason"] == {"orphan_buyer": 1}
    assert found["months"] == "2023-02-01 .. 2023-02-01"


@pytest.mark.usefixtures("delivered")
def test_suppliers_metadata_counts_by_reason(assets: tuple) -> None:
    result = dg.materialize([assets[0]], resources={"warehouse": WarehouseResource()})

    found = metadata(result, "raw_suppliers")
    assert (found["files"], found["rows_read"], found["rows_loaded"], found["rows_rejected"]) == (
        1,
        2,
        1,
        1,
    )
    assert found["rejected_by_reason"] == {"bad_country": 1}
    assert found["files_by_status"] == {"new": 1}


@pytest.mark.usefixtures("delivered")
def test_materialize_all_covers_every_month_in_one_run(assets: tuple, sql: Sql) -> None:
    defs = dg.Definitions(assets=list(assets), resources={"warehouse": WarehouseResource()})

    result = materialize_all(defs)

    assert sql("select order_id from raw.orders order by 1") == [("O1",), ("O2",), ("O4",)]
    assert len({event.step_key for event in result.all_events if event.is_step_success}) == 3
    assert partition_range_tags(defs) == {
        ASSET_PARTITION_RANGE_START_TAG: "2023-01-01",
        ASSET_PARTITION_RANGE_END_TAG: PARTITIONS.get_last_partition_key(),
    }


def test_partition_range_tags_without_partitions() -> None:
    @dg.asset
    def plain() -> None:
        return None

    assert partition_range_tags(dg.Definitions(assets=[plain])) == {}

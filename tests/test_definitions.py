from pathlib import Path

import dagster as dg
import yaml

from pipelines.config import PROJECT_ROOT


def test_definitions_load_and_validate() -> None:
    from pipelines.definitions import defs

    dg.Definitions.validate_loadable(defs)
    keys = {key.to_user_string() for key in defs.resolve_all_asset_keys()}
    assert {"raw_suppliers", "raw_buyers", "raw_orders", "marts/kpi_growth"} <= keys


def test_dbt_sources_are_the_raw_assets() -> None:
    from pipelines.definitions import defs

    graph = defs.resolve_asset_graph()
    staging = dg.AssetKey(["staging", "stg_marketplace__order_lines"])
    assert graph.get(staging).parent_keys == {
        dg.AssetKey("raw_orders"),
        dg.AssetKey(["reference", "fx_rates_monthly"]),
    }


def test_workspace_loads_the_definitions_module() -> None:
    workspace = yaml.safe_load(Path(PROJECT_ROOT, "workspace.yaml").read_text())
    assert workspace["load_from"][0]["python_module"]["module_name"] == "pipelines.definitions"

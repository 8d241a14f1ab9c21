"""dbt models as Dagster assets: staging, intermediate and marts, downstream of the raw assets.

`fct_order_lines` is incremental by month. A run over raw_orders' month partitions (one month
from a schedule, or a range from `tradepulse run` or a backfill) passes the same months to dbt
(TRADEPULSE_MONTHS_FROM/TO, read by macros/month_range.sql), and dbt replaces just those
months; a run with no partition lets dbt rebuild the months that received newer rows. One dbt
invocation builds every node, on DuckDB or, with TRADEPULSE_ENGINE=spark, on Spark
(pipelines/transform/spark.py).
"""

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import dagster as dg
from dagster._core.storage.tags import (
    ASSET_PARTITION_RANGE_END_TAG,
    ASSET_PARTITION_RANGE_START_TAG,
    PARTITION_NAME_TAG,
)
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

from pipelines.config import get_settings
from pipelines.transform.project import (
    TradePulseDbtCli,
    dbt_executable,
    dbt_project,
    invocation_target_path,
    prune_invocation_targets,
    restore_parse_state,
    save_parse_state,
)


class TradePulseTranslator(DagsterDbtTranslator):
    """Groups each dbt node by its layer (the schema it lands in)."""

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        """The layer: staging, intermediate, marts or reference (seeds)."""
        schema = dbt_resource_props.get("config", {}).get("schema")
        return schema or super().get_group_name(dbt_resource_props)


def month_vars(tags: Mapping[str, str]) -> dict[str, str]:
    """The dbt vars for the months a run covers, from its partition tags (none: no vars).

    >>> month_vars({"dagster/partition": "2023-06-01"})
    {'months_from': '2023-06-01', 'months_to': '2023-06-01'}
    """
    if PARTITION_NAME_TAG in tags:
        return {"months_from": tags[PARTITION_NAME_TAG], "months_to": tags[PARTITION_NAME_TAG]}
    if ASSET_PARTITION_RANGE_START_TAG in tags and ASSET_PARTITION_RANGE_END_TAG in tags:
        return {
            "months_from": tags[ASSET_PARTITION_RANGE_START_TAG],
            "months_to": tags[ASSET_PARTITION_RANGE_END_TAG],
        }
    return {}


# dbt's unit tests check the models' logic on fixed inputs, not the data: they run in `make
# test` (every `dbt build` of tests/transform), not in each pipeline run.
BUILD = ["build", "--exclude-resource-type", "unit_test"]


# The environment variables that macros/month_range.sql reads when the vars are unset.
MONTH_ENV = {"months_from": "TRADEPULSE_MONTHS_FROM", "months_to": "TRADEPULSE_MONTHS_TO"}


def month_env(tags: Mapping[str, str]) -> dict[str, str]:
    """The run's months as dbt's environment (empty values: no month range).

    Not `--vars`: dbt parses the whole project again whenever the vars differ from its last
    parse, but re-parses only the files that read a changed environment variable.

    >>> month_env({"dagster/partition": "2023-06-01"})["TRADEPULSE_MONTHS_TO"]
    '2023-06-01'
    """
    months = month_vars(tags)
    return {variable: months.get(name, "") for name, variable in MONTH_ENV.items()}


@dbt_assets(manifest=dbt_project.manifest_path, dagster_dbt_translator=TradePulseTranslator())
def dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource) -> Iterator[Any]:
    """Build the selected seeds, models and tests in one dbt invocation."""
    settings = get_settings()
    with environment({**settings.dbt_env(), **month_env(context.run.tags)}):
        if settings.engine == "spark":
            from pipelines.transform.spark import build_on_spark

            yield from build_on_spark(context, settings, list(BUILD))
        else:
            op_name = context.op_execution_context.op.name
            target_path = invocation_target_path(dbt_project, op_name, context.run.run_id)
            context.log.info(f"dbt's logs, compiled SQL and run_results.json: {target_path}")
            restore_parse_state(dbt_project, settings, target_path)
            yield from dbt.cli(list(BUILD), context=context, target_path=target_path).stream()
            save_parse_state(dbt_project, settings, target_path)
            prune_invocation_targets(target_path.parent)


@contextmanager
def environment(variables: Mapping[str, str]) -> Iterator[None]:
    """Set `variables` in this process's environment (dbt inherits it), then put back what was
    there: a run's months must not stay behind for the next dbt this process starts."""
    previous = {name: os.environ.get(name) for name in variables}
    os.environ.update(variables)
    try:
        yield
    finally:
        for name, value in previous.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def dbt_resource() -> DbtCliResource:
    """The dbt CLI resource for the project."""
    return TradePulseDbtCli(project_dir=dbt_project, dbt_executable=dbt_executable())

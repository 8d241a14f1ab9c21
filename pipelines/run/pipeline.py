"""Materialize every asset of the code location in this process, as `dagster dev` would."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import dagster as dg
from dagster._core.storage.tags import (
    ASSET_PARTITION_RANGE_END_TAG,
    ASSET_PARTITION_RANGE_START_TAG,
)

from pipelines.errors import TradePulseError
from pipelines.run.dead_runs import release_dead_runs, run_tags

QUIET_RUN_CONFIG = {"loggers": {"console": {"config": {"log_level": "INFO"}}}}


def instance() -> dg.DagsterInstance:
    """The persistent instance under DAGSTER_HOME when set (runs show in the UI), else ephemeral."""
    home = os.environ.get("DAGSTER_HOME")
    if home:
        Path(home).mkdir(parents=True, exist_ok=True)
        return dg.DagsterInstance.get()
    return dg.DagsterInstance.ephemeral()


def partition_range_tags(defs: dg.Definitions) -> dict[str, str]:
    """Run tags that select every partition of the partitioned assets (raw_orders' months).

    The partitioned assets share one partitions definition and a single-run backfill policy, so
    one run covers their whole range; unpartitioned assets in the same run ignore the tags.
    """
    graph = defs.resolve_asset_graph()
    partitions = {node.partitions_def for node in graph.asset_nodes if node.partitions_def}
    if not partitions:
        return {}
    if len(partitions) > 1:
        raise TradePulseError(
            "the assets have more than one partitions definition; one run cannot cover them all"
        )
    keys = partitions.pop().get_partition_keys()
    if not keys:
        return {}
    return {
        ASSET_PARTITION_RANGE_START_TAG: keys[0],
        ASSET_PARTITION_RANGE_END_TAG: keys[-1],
    }


def materialize_all(defs: dg.Definitions) -> dg.ExecuteInProcessResult:
    """Run the implicit job of every asset and check in the definitions, in process.

    Partitioned assets (raw_orders) are materialized for every partition in the same run.
    """
    job = defs.resolve_implicit_global_asset_job_def()
    with instance() as dagster_instance:
        for run_id, pid in release_dead_runs(dagster_instance):
            print(
                f"run {run_id} was killed before it finished (pid {pid} is gone): "
                "marked it failed and freed its pool slots",
                file=sys.stderr,
            )
        result = job.execute_in_process(
            instance=dagster_instance,
            raise_on_error=False,
            run_config=QUIET_RUN_CONFIG,
            tags=partition_range_tags(defs) | run_tags(),
        )
    if not result.success:
        failures = [
            f"{event.step_key}: {event.event_specific_data.error.message.strip()}"
            for event in result.all_events
            if event.is_step_failure and event.event_specific_data is not None
        ]
        details = "\n  ".join(failures or ["see the log above"])
        raise TradePulseError(f"the pipeline run failed:\n  {details}")
    return result

"""Materialize every asset of the code location in this process, as `dagster dev` would."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Mapping
from pathlib import Path

import dagster as dg
from dagster._core.instance.config import dagster_instance_config
from dagster._core.instance.ref import InstanceRef
from dagster._core.storage.tags import (
    ASSET_PARTITION_RANGE_END_TAG,
    ASSET_PARTITION_RANGE_START_TAG,
)

from pipelines.config import get_settings
from pipelines.errors import TradePulseError
from pipelines.run.dead_runs import release_dead_runs, run_tags
from pipelines.run.event_log import PooledSqliteEventLogStorage

# dagster.yaml keys that choose the instance's storage: when one is set, it is left as it is.
STORAGE_KEYS = ("storage", "run_storage", "event_log_storage", "schedule_storage")
QUIET_RUN_CONFIG = {"loggers": {"console": {"config": {"log_level": "INFO"}}}}

# How DuckDB's errors begin when it has no memory left, and what they say when it could not
# spill either: the disk filled, or the spill reached DuckDB's max_temp_directory_size, whose
# default is the free disk space where it spills.
OUT_OF_MEMORY = "Out of Memory Error"
OUT_OF_DISK = ("No space left on device", "failed to offload data block")


def instance() -> dg.DagsterInstance:
    """The persistent instance under DAGSTER_HOME when set (runs show in the UI), else ephemeral.

    Unless DAGSTER_HOME's dagster.yaml names a storage of its own, events go through
    PooledSqliteEventLogStorage: Dagster's SQLite files, written with fewer syncs.
    """
    home = os.environ.get("DAGSTER_HOME")
    if not home:
        return dg.DagsterInstance.ephemeral()
    Path(home).mkdir(parents=True, exist_ok=True)
    if (Path(home) / "dagster.yaml").exists():
        config, _ = dagster_instance_config(home)
        if any(config.get(key) for key in STORAGE_KEYS):
            return dg.DagsterInstance.get()
    pooled = {
        "module": PooledSqliteEventLogStorage.__module__,
        "class": PooledSqliteEventLogStorage.__name__,
        "config": {"base_dir": os.path.join(home, "history", "runs", "")},
    }
    ref = InstanceRef.from_dir(home, overrides={"event_log_storage": pooled})
    return dg.DagsterInstance.from_ref(ref)


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
        raise run_failed(
            {
                event.step_key: event.event_specific_data.error.message.strip()
                for event in result.all_events
                if event.is_step_failure and event.event_specific_data is not None
            }
        )
    return result


def run_failed(failures: Mapping[str | None, str]) -> TradePulseError:
    """The error for a failed run: each failed step's message, then what to change when DuckDB
    ran out of memory or disk."""
    details = "\n  ".join(f"{step}: {message}" for step, message in failures.items())
    text = f"the pipeline run failed:\n  {details or 'see the log above'}"
    hint = resource_hint("\n".join(failures.values()))
    return TradePulseError(f"{text}\n\n{hint}" if hint else text)


def resource_hint(message: str) -> str | None:
    """What to change, in TradePulse's settings, when DuckDB ran out of disk or memory.

    DuckDB's own advice names its SQL settings; a run sets them from the environment.

    >>> resource_hint("Binder Error: column not found") is None
    True
    """
    settings = get_settings()
    if any(sign in message for sign in OUT_OF_DISK):
        folder = settings.warehouse.resolve().parent
        free = shutil.disk_usage(existing_parent(folder)).free / 2**30
        return (
            f"DuckDB ran out of disk for its spill files, which it writes beside the warehouse in "
            f"{folder} ({free:.1f} GiB free now). Free space there, or set TRADEPULSE_WAREHOUSE "
            "to a disk with more room: at 50 M order lines the warehouse and its spill files "
            "took up to 27 GiB (docs/performance.md)."
        )
    if OUT_OF_MEMORY in message:
        return (
            "DuckDB ran out of memory under TRADEPULSE_DUCKDB_MEMORY_LIMIT="
            f"{settings.duckdb_memory_limit} (each DuckDB connection of a run gets that cap). "
            "Raise it if the machine has the memory to spare, or free memory used by other "
            "processes (docs/performance.md)."
        )
    return None


def existing_parent(path: Path) -> Path:
    """`path`, or its nearest ancestor that exists (the warehouse's folder may not exist yet)."""
    return next(folder for folder in (path, *path.parents) if folder.exists())

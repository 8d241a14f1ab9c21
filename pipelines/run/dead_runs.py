"""Runs a killed `tradepulse run` left behind: marked failed, their pool slots freed.

A run killed with SIGKILL never reports its end, so the instance under DAGSTER_HOME keeps it
`STARTED`. With a pool limit set (`dagster instance concurrency set tradepulse_warehouse 1`), the
slots and queue places of its steps stay taken and every later run waits for them forever.
Dagster's run monitoring daemon would clean up; `tradepulse run` has no daemon, so before it
starts it releases the runs that it started itself, on this machine, whose process is gone.
"""

from __future__ import annotations

import os
import socket

import dagster as dg
from dagster._core.storage.dagster_run import IN_PROGRESS_RUN_STATUSES

HOST_TAG = "tradepulse/host"
PID_TAG = "tradepulse/pid"


def run_tags() -> dict[str, str]:
    """Tags that say which process on which machine runs a `tradepulse run`."""
    return {HOST_TAG: socket.gethostname(), PID_TAG: str(os.getpid())}


def process_is_alive(pid: int) -> bool:
    """Whether a process with this id exists on this machine."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def release_dead_runs(instance: dg.DagsterInstance) -> list[tuple[str, int]]:
    """Mark this machine's unfinished `tradepulse run` runs whose process is gone as failed.

    Frees the pool slots and queue places their steps held. Returns (run id, pid) of each.
    """
    records = instance.get_run_records(
        filters=dg.RunsFilter(
            statuses=list(IN_PROGRESS_RUN_STATUSES), tags={HOST_TAG: socket.gethostname()}
        )
    )
    released = []
    for record in records:
        run = record.dagster_run
        pid = int(run.tags.get(PID_TAG, "0"))
        if pid <= 0 or pid == os.getpid() or process_is_alive(pid):
            continue
        instance.report_run_failed(
            run, message=f"The process that ran it (pid {pid}) is gone: it was killed or crashed."
        )
        if instance.event_log_storage.supports_global_concurrency_limits:
            instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)
        released.append((run.run_id, pid))
    return released

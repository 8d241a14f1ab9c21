"""SIGKILL during ingestion, during `dbt build` and during publishing, then run again.

On a copy of the published sample, with 20 late order lines delivered and a pool limit on the
warehouse (`dagster instance concurrency set tradepulse_warehouse 1`, as docs/ingestion.md
suggests): `tradepulse run` starts in its own process group and is killed (the group, dbt
included) while a raw asset holds the pool slot; the next run is killed in `dbt build`; the next
one while it writes the new publish; the last one runs to the end. Nobody cleans up in between.
After every kill analysts must still see the old publish, whole; in the end the new one, whole,
with the late lines, and no pool slot or queued step left behind.
"""

from __future__ import annotations

import signal
import time
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from reliability_helpers import (
    BIN,
    Process,
    Published,
    Workspace,
    query,
    read_published,
    run_to_end,
    tradepulse,
    versions,
)
from reliability_sample import PublishedSample

LATE_FILE = "orders/late delivery 2023-10.parquet"
LATE_LINES = 20
POOL = "tradepulse_warehouse"
DBT_BUILDING = " START sql incremental model marts.fct_order_lines "
RELEASED = "was killed before it finished"


@dataclass(frozen=True)
class Crash:
    """One killed run: what it printed, and what analysts saw right after."""

    returncode: int
    group_gone: bool
    output: str
    published: Published
    versions: list[str]
    slots_held_by: list[str]


@dataclass(frozen=True)
class Crashes:
    """The whole sequence: the publish before, each crash, the run that finished it."""

    before: Published
    crashes: dict[str, Crash]
    after: Published
    after_versions: list[str]
    final_output: str
    workspace: Workspace
    pool_left: tuple[list, list]
    statuses: list[str]


def deliver_late_lines(workspace: Workspace) -> None:
    """LATE_LINES new order lines of 2023-10 (copies of loaded ones under new order ids)."""
    with duckdb.connect(str(workspace.warehouse), read_only=True) as conn:
        late = conn.sql(
            "select * exclude (order_id, _extra, _source_file, _source_row, _file_sha256, "
            "_loaded_at), 'LATE-' || order_id as order_id from raw.orders "
            "where ordered_at >= '2023-10-01' order by order_id, line_number "
            f"limit {LATE_LINES}"
        ).pl()
    late.write_parquet(workspace.raw_dir / LATE_FILE)


def gone(process: Process) -> bool:
    """Wait up to 10 s for every process of the killed group to disappear."""
    deadline = time.monotonic() + 10
    while not process.group_is_gone():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def slots_held_by(instance: dg.DagsterInstance) -> list[str]:
    """The runs holding a slot of the warehouse pool."""
    return [
        slot.run_id for slot in instance.event_log_storage.get_concurrency_info(POOL).claimed_slots
    ]


def kill_when(workspace: Workspace, instance: dg.DagsterInstance, log: Path, stage: str) -> Crash:
    """Start `tradepulse run`, SIGKILL its process group once it reaches `stage`."""
    process = tradepulse(workspace, "run", log=log)
    if stage == "ingestion":
        process.wait_until(
            lambda: bool(slots_held_by(instance)), "a raw asset holding the pool", every=0.05
        )
    elif stage == "dbt build":
        process.wait_until(lambda: DBT_BUILDING in process.output(), stage)
    else:
        known = set(versions(workspace.marts_dir))
        process.wait_until(
            lambda: bool(set(versions(workspace.marts_dir)) - known), "a new version folder"
        )
    process.kill()
    return Crash(
        process.popen.returncode,
        gone(process),
        process.output(),
        read_published(workspace.marts_dir),
        versions(workspace.marts_dir),
        slots_held_by(instance),
    )


@pytest.fixture(scope="module")
def crashes(published_sample: PublishedSample, tmp_path_factory: pytest.TempPathFactory) -> Crashes:
    """Kill three runs in a row at three stages, then run to the end."""
    workspace = published_sample.workspace.copy_to(tmp_path_factory.mktemp("crashes") / "ws")
    logs = tmp_path_factory.mktemp("crash-logs")
    before = read_published(workspace.marts_dir)
    deliver_late_lines(workspace)
    limit = ["instance", "concurrency", "set", POOL, "1"]
    assert Process([str(BIN / "dagster"), *limit], workspace, logs / "pool.log").finish() == 0
    with dg.DagsterInstance.from_config(str(workspace.dagster_home)) as instance:
        found = {
            stage: kill_when(workspace, instance, logs / f"killed in {stage}.log", stage)
            for stage in ("ingestion", "dbt build", "publishing")
        }
        final_output = run_to_end(workspace, logs / "final.log")
        pool = instance.event_log_storage.get_concurrency_info(POOL)
        pool_left = (list(pool.claimed_slots), list(pool.pending_steps))
        statuses = [record.dagster_run.status.value for record in instance.get_run_records()]
    return Crashes(
        before,
        found,
        read_published(workspace.marts_dir),
        versions(workspace.marts_dir),
        final_output,
        workspace,
        pool_left,
        statuses,
    )


def assert_old_publish_intact(crash: Crash, before: Published) -> None:
    """Killed: the process group is gone, and analysts still see the old publish, whole."""
    assert crash.returncode == -signal.SIGKILL
    assert crash.group_gone
    crash.published.assert_whole()
    assert crash.published == before


def assert_new_publish(crashes: Crashes) -> None:
    """The last run published the new data, whole, and cleaned up after the killed ones."""
    before, after = crashes.before, crashes.after
    after.assert_whole()
    assert after.history_ids == (*before.history_ids, after.manifest_id)
    lines = after.manifest_counts["fct_order_lines"]
    assert lines == before.manifest_counts["fct_order_lines"] + LATE_LINES
    assert query(
        crashes.workspace.marts_dir / "marts.duckdb",
        "select count(*) from fct_order_lines where order_id like 'LATE-%'",
    ) == [(LATE_LINES,)]
    assert crashes.after_versions == sorted([before.manifest_id, after.manifest_id])


@pytest.mark.slow
@pytest.mark.case("CR-01")
def test_killed_during_ingestion(crashes: Crashes) -> None:
    crash = crashes.crashes["ingestion"]

    assert "raw_orders - orders for " not in crash.output  # raw_orders had not finished
    assert_old_publish_intact(crash, crashes.before)
    # The next run ingested everything, the late file included, with no clean-up in between.
    assert "raw_orders - orders for " in crashes.crashes["dbt build"].output
    assert_new_publish(crashes)


@pytest.mark.slow
@pytest.mark.case("CR-02")
def test_killed_during_dbt_build(crashes: Crashes) -> None:
    crash = crashes.crashes["dbt build"]

    assert DBT_BUILDING in crash.output
    assert "Finished dbt command" not in crash.output
    assert_old_publish_intact(crash, crashes.before)
    # The next run built every dbt node and passed every check: it got as far as publishing.
    assert "Finished dbt command" in crashes.crashes["publishing"].output
    assert_new_publish(crashes)


@pytest.mark.slow
@pytest.mark.case("CR-03")
def test_killed_during_publishing(crashes: Crashes) -> None:
    crash = crashes.crashes["publishing"]

    assert_old_publish_intact(crash, crashes.before)
    # The killed publish left its half-written version folder; nothing points to it.
    [leftover] = sorted(set(crash.versions) - {crashes.before.manifest_id})
    assert leftover != crashes.before.manifest_id
    # The next run succeeded without clean-up and removed the leftover.
    assert "done in " in crashes.final_output
    assert leftover not in crashes.after_versions
    assert_new_publish(crashes)


@pytest.mark.slow
@pytest.mark.case("CR-05")
def test_a_killed_run_leaves_no_pool_slot_behind(crashes: Crashes) -> None:
    [killed_in_ingestion] = crashes.crashes["ingestion"].slots_held_by

    # Killed while a raw asset ran, the run kept its slot of the pool (limit 1) ...
    assert killed_in_ingestion
    # ... so the next run released it first (else it would have waited for ever), and so on.
    next_output = crashes.crashes["dbt build"].output
    assert f"run {killed_in_ingestion} {RELEASED}" in next_output
    for later in (crashes.crashes["publishing"].output, crashes.final_output):
        assert later.count(RELEASED) == 1
    assert crashes.pool_left == ([], [])  # no slot held, no step queued
    # Every killed run is marked failed; the first run and the last one succeeded.
    assert sorted(crashes.statuses) == ["FAILURE"] * 3 + ["SUCCESS"] * 2

"""Re-runs and concurrent readers on a copy of the published sample.

One second `tradepulse run` with no new data, while an analyst's process queries marts.duckdb in
a loop; then one month re-materialized through the `refresh_month` job after a correction.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl
import pytest
from reliability_helpers import (
    BIN,
    Process,
    Published,
    Workspace,
    checksum,
    query,
    read_published,
    run_to_end,
)
from reliability_sample import PublishedSample

READER = Path(__file__).with_name("marts_reader.py")
RAW_TABLES = ("suppliers", "buyers", "orders", "rejected_rows", "rejected_files", "source_files")
# A month without re-delivered lines: only the corrected line may change in it.
MONTH = "2021-03-01"
MONTH_FILE = "orders/2021-03.parquet"


# A future_date message names the extract time of the load that judged it: a new one each run.
REJECTED_ROWS = (
    "(select * replace (regexp_replace(reason_message, 'extract time \\S+$', 'extract time') "
    "as reason_message) from raw.rejected_rows)"
)


def raw_checksums(warehouse: Path) -> dict[str, tuple]:
    """Checksums of the raw tables that hold data (not the append-only load log)."""
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        return {
            table: checksum(conn, REJECTED_ROWS if table == "rejected_rows" else f"raw.{table}")
            for table in RAW_TABLES
        }


@dataclass(frozen=True)
class Rerun:
    """The second run with no new data, and what the reader saw meanwhile."""

    workspace: Workspace
    before: Published
    after: Published
    raw_before: dict[str, tuple]
    raw_after: dict[str, tuple]
    reads: list[dict]


@pytest.fixture(scope="module")
def rerun(published_sample: PublishedSample, tmp_path_factory: pytest.TempPathFactory) -> Rerun:
    """Run `tradepulse run` again on a copy, a reader process querying marts.duckdb throughout."""
    workspace = published_sample.workspace.copy_to(tmp_path_factory.mktemp("rerun") / "ws")
    logs = tmp_path_factory.mktemp("rerun-logs")
    before = read_published(workspace.marts_dir)
    raw_before = raw_checksums(workspace.warehouse)
    reads, stop = logs / "reads.jsonl", logs / "stop"
    reader = subprocess.Popen(
        [sys.executable, str(READER), str(workspace.marts_dir / "marts.duckdb"), reads, stop]
    )
    try:
        deadline = time.monotonic() + 60
        while not (reads.exists() and reads.read_text()):
            assert reader.poll() is None and time.monotonic() < deadline, "the reader never read"
            time.sleep(0.05)
        run_to_end(workspace, logs / "second-run.log")
    finally:
        stop.touch()
        reader.wait(timeout=120)
    lines = reads.read_text().splitlines()
    return Rerun(
        workspace,
        before,
        read_published(workspace.marts_dir),
        raw_before,
        raw_checksums(workspace.warehouse),
        [json.loads(line) for line in lines],
    )


@pytest.mark.slow
@pytest.mark.case("RR-01")
def test_a_second_run_without_new_data_publishes_identical_marts(rerun: Rerun) -> None:
    before, after = rerun.before, rerun.after

    after.assert_whole()
    assert after.manifest_id != before.manifest_id
    # Every mart, and the new publish's kpi_history rows (publish columns aside), the same.
    assert after.checksums == before.checksums
    assert after.parquet_checksums == before.parquet_checksums
    assert after.history_ids == (*before.history_ids, after.manifest_id)
    history = before.manifest_counts["kpi_history"]
    assert after.manifest_counts == before.manifest_counts | {"kpi_history": 2 * history}
    assert rerun.raw_after == rerun.raw_before


@pytest.mark.slow
@pytest.mark.case("CO-01")
def test_a_reader_during_a_run_sees_whole_publishes_and_never_blocks_it(rerun: Rerun) -> None:
    before, after = rerun.before, rerun.after
    reads = rerun.reads
    expected = {
        before.manifest_id: before.manifest_counts,
        after.manifest_id: after.manifest_counts,
    }

    assert [read for read in reads if "error" in read] == []
    assert len(reads) >= 10
    # Each read saw one whole publish: the old one, then (once switched) the new one.
    assert all(read["counts"] == expected[read["publish_id"]] for read in reads)
    assert all(read["history_rows"] == read["key_rows"] > 0 for read in reads)
    seen = [read["publish_id"] for read in reads]
    assert seen == [before.manifest_id] * seen.count(before.manifest_id) + [
        after.manifest_id
    ] * seen.count(after.manifest_id)
    assert seen[0] == before.manifest_id and seen[-1] == after.manifest_id
    # The connection held open through the whole run kept its snapshot; the run did not wait.
    assert {read["held_publish_id"] for read in reads} == {before.manifest_id}


@dataclass(frozen=True)
class Refresh:
    """One month re-materialized after a correction, and the state around it."""

    corrected: tuple[str, int]
    run_id: str
    before: dict[str, tuple]
    after: dict[str, tuple]
    published: Published
    previous_id: str


def month_slices(workspace: Workspace, key: tuple[str, int]) -> dict[str, tuple]:
    """Checksums of raw and published rows inside and outside MONTH, the corrected line apart."""
    not_key = "not (order_id = ? and line_number = ?)"
    outside = "date_trunc('month', ordered_at) <> ?::date"
    inside = f"date_trunc('month', ordered_at) = ?::date and {not_key}"
    lineage = "exclude (_file_sha256, _loaded_at)"
    slices = {}
    with duckdb.connect(str(workspace.warehouse), read_only=True) as conn:
        slices["raw.orders outside"] = checksum(
            conn, f"(select * from raw.orders where {outside})", [MONTH]
        )
        slices["raw.orders inside"] = checksum(
            conn, f"(select * {lineage} from raw.orders where {inside})", [MONTH, *key]
        )
        slices["raw.orders line"] = conn.execute(
            f"select quantity from raw.orders where not ({not_key}) and _source_file = ?",
            [*key, MONTH_FILE],
        ).fetchall()
    with duckdb.connect(str(workspace.marts_dir / "marts.duckdb"), read_only=True) as conn:
        for table in ("fct_order_lines", "fct_orders"):
            slices[f"{table} outside"] = checksum(
                conn, f"(select * from {table} where order_month <> ?::date)", [MONTH]
            )
        slices["fct_order_lines inside"] = checksum(
            conn,
            f"(select * exclude (_loaded_at) from fct_order_lines "
            f"where order_month = ?::date and {not_key})",
            [MONTH, *key],
        )
        slices["fct_order_lines line"] = conn.execute(
            f"select quantity from fct_order_lines where not ({not_key})", list(key)
        ).fetchall()
    return slices


@pytest.fixture(scope="module")
def refresh(rerun: Rerun) -> Refresh:
    """Correct one line of MONTH and run `refresh_month` for that partition, via the CLI."""
    workspace = rerun.workspace
    [key] = query(
        workspace.warehouse,
        "select order_id, line_number from raw.orders where _source_file = ? order by 1, 2 limit 1",
        [MONTH_FILE],
    )
    before = month_slices(workspace, key)
    path = workspace.raw_dir / MONTH_FILE
    june = pl.read_parquet(path)
    is_key = (pl.col("order_id") == key[0]) & (pl.col("line_number") == key[1])
    june.with_columns(
        pl.when(is_key).then(77.0).otherwise("quantity").alias("quantity")
    ).write_parquet(path)
    command = [
        str(BIN / "dagster"), "job", "execute", "-m", "pipelines.definitions",
        "-j", "refresh_month", "--tags", json.dumps({"dagster/partition": MONTH}),
    ]  # fmt: skip
    log = workspace.root.parent / "refresh.log"
    job = Process(command, workspace, log)
    assert job.finish() == 0, job.output()[-5000:]
    [(run_id,)] = query(
        workspace.warehouse,
        "select run_id from raw.load_log order by logged_at desc limit 1",
    )
    return Refresh(
        key,
        run_id,
        before,
        month_slices(workspace, key),
        read_published(workspace.marts_dir),
        rerun.after.manifest_id,
    )


@pytest.mark.slow
@pytest.mark.case("RR-02")
def test_re_materializing_one_month_changes_nothing_else(refresh: Refresh, rerun: Rerun) -> None:
    before, after = refresh.before, refresh.after

    # The corrected line changed, in raw and in the published facts ...
    assert before["raw.orders line"] != [(77.0,)]
    assert after["raw.orders line"] == after["fct_order_lines line"] == [(77.0,)]
    # ... and nothing else did: the other months, and the month's other lines.
    for name in (
        "raw.orders outside",
        "raw.orders inside",
        "fct_order_lines outside",
        "fct_orders outside",
        "fct_order_lines inside",
    ):
        assert after[name] == before[name], name
    # Ingestion touched that month alone.
    assert query(
        rerun.workspace.warehouse,
        "select distinct partition_key, status from raw.load_log "
        "where run_id = ? and entity = 'orders' order by all",
        [refresh.run_id],
    ) == [(MONTH, "changed")]
    refresh.published.assert_whole()
    assert refresh.published.history_ids[-2:] == (
        refresh.previous_id,
        refresh.published.manifest_id,
    )

from pathlib import Path

import dagster as dg
import pytest

from pipelines.run.event_log import OPEN_DATABASES, PooledSqliteEventLogStorage
from pipelines.run.pipeline import instance

CHECKS = 5


@dg.asset(check_specs=[dg.AssetCheckSpec(f"check_{i}", asset="numbers") for i in range(CHECKS)])
def numbers():
    yield dg.Output(1)
    for i in range(CHECKS):
        yield dg.AssetCheckResult(check_name=f"check_{i}", passed=i != 3)


JOB = dg.Definitions(assets=[numbers]).resolve_implicit_global_asset_job_def()


def run_once(dagster_instance: dg.DagsterInstance) -> str:
    return JOB.execute_in_process(instance=dagster_instance, raise_on_error=False).run_id


def check_results(dagster_instance: dg.DagsterInstance, run_id: str) -> list[tuple[str, bool]]:
    return sorted(
        (
            event.dagster_event.event_specific_data.check_name,
            event.dagster_event.event_specific_data.passed,
        )
        for event in dagster_instance.all_logs(
            run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION
        )
    )


def test_runs_stored_through_the_pooled_log_read_back_with_dagsters_own_class(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))
    with instance() as pooled:
        assert isinstance(pooled.event_log_storage, PooledSqliteEventLogStorage)
        run_ids = [run_once(pooled) for _ in range(OPEN_DATABASES + 2)]
        assert len(pooled.event_log_storage._engines) == OPEN_DATABASES
        written = len(pooled.all_logs(run_ids[0]))

    (tmp_path / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    with dg.DagsterInstance.get() as default:
        assert type(default.event_log_storage).__name__ == "SqliteEventLogStorage"
        assert len(default.all_logs(run_ids[0])) == written
        assert check_results(default, run_ids[-1]) == [
            (f"check_{i}", i != 3) for i in range(CHECKS)
        ]
        status = default.event_log_storage.get_asset_check_summary_records(
            [dg.AssetCheckKey(dg.AssetKey("numbers"), "check_3")]
        )
    last = status[dg.AssetCheckKey(dg.AssetKey("numbers"), "check_3")].last_check_execution_record
    assert last.run_id == run_ids[-1]


def test_a_storage_named_in_dagster_yaml_is_left_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))
    (tmp_path / "dagster.yaml").write_text(
        f"storage:\n  sqlite:\n    base_dir: {tmp_path / 'elsewhere'}\n"
    )

    with instance() as configured:
        assert not isinstance(configured.event_log_storage, PooledSqliteEventLogStorage)
        run_id = run_once(configured)

    assert (tmp_path / "elsewhere" / "history" / "runs" / f"{run_id}.db").exists()


def test_wipe_closes_the_open_databases_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))
    with instance() as pooled:
        run_id = run_once(pooled)
        pooled.event_log_storage.wipe()

        assert run_id not in pooled.event_log_storage._engines
        assert not (tmp_path / "history" / "runs" / f"{run_id}.db").exists()
        assert pooled.all_logs(run_id) == []
        assert check_results(pooled, run_once(pooled)) == [
            (f"check_{i}", i != 3) for i in range(CHECKS)
        ]

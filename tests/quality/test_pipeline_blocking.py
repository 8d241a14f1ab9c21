"""End to end: a blocking check in the real pipeline stops the publish and keeps the last one."""

import hashlib
import json
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from pipelines.errors import TradePulseError
from pipelines.generate.sample import generate_sample
from pipelines.publish.layout import manifest_file, marts_file
from pipelines.run.pipeline import materialize_all


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _latest_run(instance: dg.DagsterInstance, key: str) -> str | None:
    event = instance.get_latest_materialization_event(dg.AssetKey(key))
    return None if event is None else event.run_id


@pytest.mark.slow
def test_a_rejected_orders_file_blocks_the_publish(
    tradepulse_env: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipelines.definitions import defs

    # A persistent instance, so that both runs' events can be read afterwards.
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))
    (tmp_path / "dagster_home").mkdir()
    raw_dir, marts_dir = tradepulse_env["raw_dir"], tradepulse_env["marts_dir"]
    generate_sample(raw_dir, seed=9, order_lines=20_000)

    first = materialize_all(defs)
    published = json.loads(manifest_file(marts_dir).read_text())
    assert published["checks"]["failed"] == []
    marts_digest = _digest(marts_file(marts_dir))

    (raw_dir / "orders" / "2021-03.parquet").write_bytes(b"not a Parquet file")
    with pytest.raises(TradePulseError) as failed:
        materialize_all(defs)

    message = str(failed.value)
    assert "gx_raw_orders" in message
    assert message.rstrip().endswith(
        "1 blocking asset check failed with ERROR severity:\nraw_orders: no_rejected_files"
    )
    # The previous publish is untouched: same manifest, same file, nothing newer materialized.
    assert json.loads(manifest_file(marts_dir).read_text()) == published
    assert _digest(marts_file(marts_dir)) == marts_digest
    with dg.DagsterInstance.get() as instance:
        assert _latest_run(instance, "published_marts") == first.run_id
        assert _latest_run(instance, "report_html") == first.run_id
        assert _latest_run(instance, "raw_orders") != first.run_id
        (second_run,) = [
            record.dagster_run.run_id
            for record in instance.get_run_records()
            if record.dagster_run.run_id != first.run_id
        ]
        check = instance.event_log_storage.get_latest_asset_check_execution_by_key(
            [dg.AssetCheckKey(dg.AssetKey("raw_orders"), "no_rejected_files")]
        )
        (execution,) = check.values()
        assert execution.run_id == second_run
        evaluation = execution.event.dagster_event.event_specific_data
        assert (evaluation.passed, evaluation.metadata["unexpected_count"].value) == (False, 1)
    with duckdb.connect(str(tradepulse_env["warehouse"]), read_only=True) as conn:
        assert conn.execute(
            "select source_file, reason_code from raw.rejected_files"
        ).fetchall() == [("orders/2021-03.parquet", "unreadable")]
    index = (marts_dir / "quality" / "index.html").read_text()
    assert "raw_orders on warehouse-raw.orders</a>: FAILED" in index

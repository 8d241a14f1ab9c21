"""A run that fails because DuckDB ran out of memory or disk says which setting to change.

The messages come from DuckDB and the operating system themselves, so a change in their wording
fails these tests instead of silently dropping the hint.
"""

from pathlib import Path

import duckdb
import pytest

from pipelines.run.pipeline import resource_hint, run_failed

# A group by with more distinct keys than 30 MB holds.
TOO_BIG = """
select i::varchar || 'padding-padding-padding' as k, count(*)
from range(3000000) as t(i)
group by k
"""


def duckdb_error(config: dict[str, str]) -> str:
    """The message of the error DuckDB raises for TOO_BIG under `config`."""
    conn = duckdb.connect(config=config)
    with pytest.raises(duckdb.OutOfMemoryException) as raised:
        conn.sql(TOO_BIG).fetchall()
    return str(raised.value)


def test_out_of_memory_names_the_cap_and_its_value(
    tradepulse_env: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRADEPULSE_DUCKDB_MEMORY_LIMIT", "30MB")
    message = duckdb_error({"memory_limit": "30MB", "temp_directory": ""})

    hint = resource_hint(message)

    assert hint is not None
    assert "TRADEPULSE_DUCKDB_MEMORY_LIMIT=30MB" in hint
    assert "disk" not in hint


def test_a_spill_that_cannot_grow_points_at_the_disk_beside_the_warehouse(
    tradepulse_env: dict[str, Path], tmp_path: Path
) -> None:
    message = duckdb_error(
        {
            "memory_limit": "30MB",
            "temp_directory": str(tmp_path / "spill"),
            "max_temp_directory_size": "1MB",
        }
    )

    hint = resource_hint(message)

    assert hint is not None
    assert f"in {tradepulse_env['warehouse'].parent}" in hint
    assert "TRADEPULSE_WAREHOUSE" in hint
    assert "GiB free now" in hint


def test_a_full_disk_points_at_the_disk_beside_the_warehouse(
    tradepulse_env: dict[str, Path],
) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full to fill")
    with pytest.raises(OSError) as raised, Path("/dev/full").open("w") as full:
        full.write("x")
        full.flush()

    hint = resource_hint(f"IO Error: could not write: {raised.value}")

    assert hint is not None
    assert "ran out of disk" in hint


def test_other_failures_get_no_hint(tradepulse_env: dict[str, Path]) -> None:
    error = run_failed({"dbt_models": "Compilation Error in model fct_orders"})

    assert str(error) == (
        "the pipeline run failed:\n  dbt_models: Compilation Error in model fct_orders"
    )


def test_the_run_error_lists_each_step_then_the_hint(
    tradepulse_env: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRADEPULSE_DUCKDB_MEMORY_LIMIT", "3GB")
    error = run_failed(
        {
            "raw_orders": "Binder Error: column not found",
            "dbt_models": "Out of Memory Error: could not allocate block of size 256.0 KiB",
        }
    )

    lines = str(error).splitlines()
    assert lines[:3] == [
        "the pipeline run failed:",
        "  raw_orders: Binder Error: column not found",
        "  dbt_models: Out of Memory Error: could not allocate block of size 256.0 KiB",
    ]
    assert "TRADEPULSE_DUCKDB_MEMORY_LIMIT=3GB" in lines[-1]


def test_a_run_with_no_step_message_points_at_the_log(tradepulse_env: dict[str, Path]) -> None:
    assert str(run_failed({})) == "the pipeline run failed:\n  see the log above"

"""dbt for the Spark target: ANSI mode as the profile sets it, and the `dbt` wrapper."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip(
    "dbt.adapters.spark", reason="dbt-spark is not installed: pip install -e '.[spark]'"
)

from dbt.adapters.spark.connections import SparkCredentials  # noqa: E402

from pipelines.spark.dbt_cli import ANSI_MODE, dbt_executable, keep_profile_ansi_mode  # noqa: E402


def _credentials(**parameters: str) -> SparkCredentials:
    return SparkCredentials(
        method="session", host="local", schema="main", server_side_parameters=parameters
    )


def test_the_profiles_ansi_mode_survives_dbt_spark(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(SparkCredentials, "__post_init__", SparkCredentials.__post_init__)
    assert _credentials(**{ANSI_MODE: "true"}).server_side_parameters[ANSI_MODE] == "false"

    keep_profile_ansi_mode()
    keep_profile_ansi_mode()  # twice changes nothing

    kept = _credentials(**{ANSI_MODE: "true", "spark.sql.session.timeZone": "UTC"})
    assert kept.server_side_parameters == {
        ANSI_MODE: "true",
        "spark.sql.session.timeZone": "UTC",
    }
    assert _credentials().server_side_parameters == {ANSI_MODE: "false"}  # dbt-spark's default


def test_the_wrapper_runs_this_interpreters_dbt(tmp_path: Path) -> None:
    path = dbt_executable(tmp_path / "bin")

    assert path == tmp_path / "bin" / "dbt"
    assert path.read_text().splitlines()[0] == f"#!{sys.executable}"
    assert os.access(path, os.X_OK)
    assert dbt_executable(tmp_path / "bin").stat().st_mtime_ns == path.stat().st_mtime_ns
    completed = subprocess.run([str(path), "--version"], capture_output=True, text=True)
    assert completed.returncode == 0
    assert "spark:" in completed.stdout

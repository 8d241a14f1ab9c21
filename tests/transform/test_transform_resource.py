"""What the dbt asset hands dagster-dbt: the run's months as environment, dbt's version."""

import importlib.metadata
import os
import subprocess

import pytest
from packaging import version

from pipelines.transform.assets import BUILD, environment, month_env
from pipelines.transform.project import TradePulseDbtCli, dbt_executable, dbt_project


def test_a_partition_or_a_range_becomes_the_month_environment() -> None:
    assert month_env({"dagster/partition": "2023-06-01"}) == {
        "TRADEPULSE_MONTHS_FROM": "2023-06-01",
        "TRADEPULSE_MONTHS_TO": "2023-06-01",
    }
    assert month_env(
        {
            "dagster/asset_partition_range_start": "2020-01-01",
            "dagster/asset_partition_range_end": "2023-12-01",
        }
    ) == {"TRADEPULSE_MONTHS_FROM": "2020-01-01", "TRADEPULSE_MONTHS_TO": "2023-12-01"}
    # No partition: both cleared, so a previous run's months never leak into this one.
    assert month_env({}) == {"TRADEPULSE_MONTHS_FROM": "", "TRADEPULSE_MONTHS_TO": ""}


def test_builds_leave_unit_tests_to_the_test_suite() -> None:
    assert BUILD == ["build", "--exclude-resource-type", "unit_test"]


def test_dbt_version_comes_from_the_package_without_a_subprocess(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def no_subprocess(*args: object, **kwargs: object) -> bytes:
        raise AssertionError(f"ran {args[0]!r}")

    monkeypatch.setattr(subprocess, "check_output", no_subprocess)
    resource = TradePulseDbtCli(project_dir=dbt_project, dbt_executable=dbt_executable())

    assert resource._cli_version == version.parse(importlib.metadata.version("dbt-core"))
    assert resource._cli_version.major == 1


def test_the_run_environment_is_put_back_afterwards(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRADEPULSE_MONTHS_FROM", "2020-01-01")
    monkeypatch.delenv("TRADEPULSE_MONTHS_TO", raising=False)

    with environment({"TRADEPULSE_MONTHS_FROM": "2023-06-01", "TRADEPULSE_MONTHS_TO": "x"}):
        inside = (os.environ["TRADEPULSE_MONTHS_FROM"], os.environ["TRADEPULSE_MONTHS_TO"])

    assert inside == ("2023-06-01", "x")
    assert os.environ["TRADEPULSE_MONTHS_FROM"] == "2020-01-01"
    assert "TRADEPULSE_MONTHS_TO" not in os.environ

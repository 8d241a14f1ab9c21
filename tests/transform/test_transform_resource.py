"""What the dbt asset hands dagster-dbt: the run's months as environment, dbt's version, the
parse saved for the run's settings."""

import importlib.metadata
import os
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest
from packaging import version

from pipelines.config import Settings
from pipelines.transform.assets import BUILD, environment, month_env
from pipelines.transform.project import (
    INVOCATION_TARGETS_KEPT,
    PARSE_STATES_KEPT,
    PARTIAL_PARSE_FILE,
    TradePulseDbtCli,
    dbt_executable,
    dbt_project,
    parse_state_path,
    prune_invocation_targets,
    restore_parse_state,
    save_parse_state,
)


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


def _settings(tmp_path: Path, location: str) -> Settings:
    return Settings(
        raw_dir=tmp_path / location / "raw",
        warehouse=tmp_path / location / "warehouse.duckdb",
        marts_dir=tmp_path / location / "marts",
    )


def test_each_location_keeps_its_own_saved_parse(tmp_path: Path) -> None:
    project = SimpleNamespace(project_dir=tmp_path / "dbt", target_path=Path("target"))
    here, there = _settings(tmp_path, "here"), _settings(tmp_path, "there")
    build = tmp_path / "dbt" / "target" / "build-1"
    build.mkdir(parents=True)
    (build / PARTIAL_PARSE_FILE).write_bytes(b"parsed with here's profile")

    save_parse_state(project, here, build)

    restored_here, restored_there = tmp_path / "next-here", tmp_path / "next-there"
    assert restore_parse_state(project, here, restored_here)
    assert (restored_here / PARTIAL_PARSE_FILE).read_bytes() == b"parsed with here's profile"
    # Another warehouse path renders another profile: dbt could not re-use that parse.
    assert not restore_parse_state(project, there, restored_there)
    assert not (restored_there / PARTIAL_PARSE_FILE).exists()


def test_only_the_newest_saved_parses_are_kept(tmp_path: Path) -> None:
    project = SimpleNamespace(project_dir=tmp_path / "dbt", target_path=Path("target"))
    build = tmp_path / "build"
    build.mkdir()
    (build / PARTIAL_PARSE_FILE).write_bytes(b"parse")
    locations = [f"location-{index}" for index in range(PARSE_STATES_KEPT + 3)]
    for index, location in enumerate(locations):
        save_parse_state(project, _settings(tmp_path, location), build)
        saved = parse_state_path(project, _settings(tmp_path, location))
        os.utime(saved, (1_000_000 + index, 1_000_000 + index))

    kept = sorted(parse_state_path(project, _settings(tmp_path, "x")).parent.glob("*.msgpack"))
    assert len(kept) == PARSE_STATES_KEPT
    newest = {parse_state_path(project, _settings(tmp_path, name)) for name in locations[3:]}
    assert set(kept) == newest


def test_only_the_newest_build_target_dirs_are_kept(tmp_path: Path) -> None:
    builds = [tmp_path / f"dbt_models-{index:07x}-abcdef{index % 10}" for index in range(14)]
    others = [tmp_path / "parse-states", tmp_path / "compiled", tmp_path / "dbt_models-notarun"]
    for index, directory in enumerate([*others, *builds]):
        (directory / "run").mkdir(parents=True)
        os.utime(directory, (1_000_000 + index, 1_000_000 + index))
    (tmp_path / "manifest.json").write_text("{}")

    prune_invocation_targets(tmp_path)

    kept = {entry.name for entry in tmp_path.iterdir()}
    newest = {path.name for path in builds[-INVOCATION_TARGETS_KEPT:]}
    assert kept == newest | {path.name for path in others} | {"manifest.json"}


def test_dagster_dbt_builds_no_dbt_adapter_in_this_process() -> None:
    resource = TradePulseDbtCli(project_dir=dbt_project, dbt_executable=dbt_executable())

    assert resource._initialize_dbt_core_adapter(list(BUILD)) is None

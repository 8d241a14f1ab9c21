"""`tradepulse run --engine`: which engine builds the dbt project."""

from pathlib import Path

import pytest

from pipelines.cli import main
from pipelines.config import get_settings
from pipelines.spark import requirements


def test_engine_flag_sets_the_engine_and_says_what_spark_lacks(
    tradepulse_env: dict[str, Path],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("TRADEPULSE_ENGINE", "duckdb")  # restored after the test
    monkeypatch.setattr(
        requirements, "missing_spark_requirements", lambda: ["a Java 17+ runtime (`java` on PATH)"]
    )

    assert main(["run", "--engine", "spark"]) == 2

    assert get_settings().engine == "spark"
    assert capsys.readouterr().err == (
        "tradepulse run: error: the Spark engine needs a Java 17+ runtime (`java` on PATH)\n"
    )
    assert not tradepulse_env["warehouse"].exists()  # nothing ran


def test_an_unknown_engine_is_refused_by_the_parser(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["run", "--engine", "snowflake"])
    assert exited.value.code == 2
    assert "argument --engine: invalid choice: 'snowflake'" in capsys.readouterr().err

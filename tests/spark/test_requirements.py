"""What `--engine spark` needs here, said plainly when it is missing."""

import importlib.util

import pytest

from pipelines.errors import TradePulseError
from pipelines.spark import requirements
from pipelines.spark.requirements import missing_spark_requirements, require_spark


def test_nothing_is_missing_with_the_spark_extra_and_java() -> None:
    pytest.importorskip("pyspark", reason="pyspark is not installed: pip install -e '.[spark]'")
    assert missing_spark_requirements() == []


def test_missing_packages_and_java_are_named(monkeypatch: pytest.MonkeyPatch) -> None:
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name: None if name == "pyspark" else real_find_spec(name),
    )
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setattr(requirements.shutil, "which", lambda name: None)

    with pytest.raises(TradePulseError) as raised:
        require_spark()

    assert str(raised.value) == (
        "the Spark engine needs the Python package pyspark (`pip install -e '.[spark]'`) "
        "and a Java 17+ runtime (`java` on PATH or JAVA_HOME)"
    )

"""What a Spark build needs on this machine: the spark extra and a Java runtime."""

from __future__ import annotations

import importlib.util
import os
import shutil

from pipelines.errors import TradePulseError


def missing_spark_requirements() -> list[str]:
    """What is missing for `--engine spark`, as sentences; empty when nothing is."""
    missing = [
        f"the Python package {package} (`pip install -e '.[spark]'`)"
        for package, module in (("pyspark", "pyspark"), ("dbt-spark", "dbt.adapters.spark"))
        if _find_spec(module) is None
    ]
    java_home = os.environ.get("JAVA_HOME")
    if not (java_home and os.path.exists(os.path.join(java_home, "bin", "java"))) and not (
        shutil.which("java")
    ):
        missing.append("a Java 17+ runtime (`java` on PATH or JAVA_HOME)")
    return missing


def _find_spec(module: str) -> object | None:
    try:
        return importlib.util.find_spec(module)
    except ModuleNotFoundError:
        return None


def require_spark() -> None:
    """Raise a TradePulseError that says what to install when Spark cannot run here."""
    missing = missing_spark_requirements()
    if missing:
        raise TradePulseError("the Spark engine needs " + " and ".join(missing))

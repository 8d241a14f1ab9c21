"""One dbt build on Spark, framed: the metastore held, raw tables out, built models back in.

>>> with spark_build(warehouse, spark_dir) as build:  # doctest: +SKIP
...     subprocess.run([dbt_executable(spark_dir / "bin"), "build", "--target", "spark"])
>>> build.copied_rows["marts.kpi_growth"]  # doctest: +SKIP
141636
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from pipelines.spark.copy_back import clear_exports, copy_into_warehouse
from pipelines.spark.lock import metastore_lock
from pipelines.spark.raw import export_raw_tables
from pipelines.spark.requirements import require_spark


@dataclass
class SparkBuild:
    """What the frame around one Spark build moved: raw rows out, model rows back."""

    raw_rows: dict[str, int]
    copied_rows: dict[str, int] = field(default_factory=dict)


@contextmanager
def spark_build(warehouse: Path, spark_dir: Path) -> Iterator[SparkBuild]:
    """Hold the metastore of `spark_dir` and export `warehouse`'s raw tables for the body (the
    dbt build); when it succeeds, copy the models it exported into `warehouse`."""
    require_spark()
    # Local Spark binds to the loopback interface, whatever the host name resolves to.
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    with metastore_lock(spark_dir):
        build = SparkBuild(raw_rows=export_raw_tables(warehouse, spark_dir))
        clear_exports(spark_dir)
        yield build
        build.copied_rows = copy_into_warehouse(spark_dir, warehouse)

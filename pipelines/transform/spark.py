"""The dbt build on Spark, inside the dbt asset: raw tables out, dbt on Spark, models back.

Ingestion still lands in the DuckDB warehouse. Holding the metastore lock, the build exports
`raw.*` to Parquet under the Spark dir (the sources' `external.location`), runs the same `dbt
build` with `--target spark`, then copies the models it exported into the warehouse, so the
quality checks and the publish step downstream read the warehouse as after a DuckDB build.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import dagster as dg

from pipelines.config import Settings
from pipelines.spark.build import spark_build
from pipelines.spark.dbt_cli import dbt_executable
from pipelines.transform.project import TradePulseDbtCli, dbt_project

SPARK_TARGET = "spark"


def spark_dbt_resource(settings: Settings) -> TradePulseDbtCli:
    """dbt with `--target spark`, through the wrapper that keeps ANSI mode on."""
    return TradePulseDbtCli(
        project_dir=dbt_project,
        dbt_executable=str(dbt_executable(settings.spark_dir / "bin")),
        target=SPARK_TARGET,
    )


def build_on_spark(
    context: dg.AssetExecutionContext, settings: Settings, args: Sequence[str]
) -> Iterator[Any]:
    """Run `dbt <args>` on Spark and leave its models in the DuckDB warehouse."""
    with spark_build(settings.warehouse, settings.spark_dir) as build:
        context.log.info(
            f"raw tables exported for Spark to {settings.spark_dir / 'raw'}: "
            + ", ".join(f"{table} {count:,} rows" for table, count in build.raw_rows.items())
        )
        yield from spark_dbt_resource(settings).cli(list(args), context=context).stream()
    context.log.info(
        f"copied {len(build.copied_rows)} models built on Spark into {settings.warehouse}: "
        + ", ".join(f"{name} {count:,}" for name, count in build.copied_rows.items())
    )

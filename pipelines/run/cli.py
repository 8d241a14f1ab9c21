"""The `tradepulse run` subcommand."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import time


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `tradepulse run` to the command line."""
    parser = subparsers.add_parser(
        "run",
        help="run the whole pipeline and print the headline KPIs",
        description=(
            "Generate the sample when the raw dir is empty, materialize every asset of the "
            "code location in this process (ingest, dbt, checks), then print the headline KPIs."
        ),
    )
    parser.add_argument(
        "--engine",
        choices=("duckdb", "spark"),
        help=(
            "what builds the dbt project: duckdb (the default) or spark (local Apache Spark; "
            "needs `pip install -e '.[spark]'` and Java 17+); default: $TRADEPULSE_ENGINE, "
            "else duckdb. Either way the marts are published from the DuckDB warehouse."
        ),
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Run the pipeline end to end and print the headline KPIs."""
    from pipelines.config import get_settings
    from pipelines.rawdir import is_empty
    from pipelines.run.locations import check_locations

    if args.engine:
        os.environ["TRADEPULSE_ENGINE"] = args.engine
    settings = get_settings()
    check_locations(settings)
    if settings.engine == "spark":
        from pipelines.spark.requirements import require_spark

        require_spark()
    started = time.perf_counter()
    if is_empty(settings.raw_dir):
        from pipelines.generate.sample import generate_sample

        print(f"[1/3] {settings.raw_dir} is empty: generating the sample data", file=sys.stderr)
        generate_sample(settings.raw_dir)
    else:
        print(f"[1/3] using the raw files in {settings.raw_dir}", file=sys.stderr)

    dbt_on = "dbt on Spark" if settings.engine == "spark" else "dbt"
    print(f"[2/3] materializing every asset (ingest, {dbt_on}, checks, publish)", file=sys.stderr)
    from pipelines.run.warm import warm_imports

    warm_imports()
    from pipelines.definitions import defs
    from pipelines.run.pipeline import materialize_all

    with contextlib.redirect_stdout(sys.stderr):
        materialize_all(defs)

    from pipelines.publish.layout import REPORT_FILE, marts_file
    from pipelines.run.headline import read_headlines

    print(f"[3/3] headline KPIs from {marts_file(settings.marts_dir)}", file=sys.stderr)
    for kpi in read_headlines(marts_file(settings.marts_dir)):
        print(kpi.describe())
    print(f"report: {settings.marts_dir / REPORT_FILE}", file=sys.stderr)
    print(f"done in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return 0

"""The `tradepulse kpi` and `tradepulse report` subcommands."""

from __future__ import annotations

import argparse
import json

from pipelines.publish.formatting import FORMATS


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `tradepulse kpi` and `tradepulse report` to the command line."""
    kpi = subparsers.add_parser(
        "kpi",
        help="print growth KPIs from the published marts",
        description=(
            "Print value, prior-year value and year-on-year growth of a metric for a period "
            "from the published marts (opened read-only). `tradepulse kpi diff` shows what "
            "changed between the last two publishes."
        ),
        epilog="example: tradepulse kpi --metric listed_suppliers --period 2023-H1 "
        "--dimension supplier_country --value VN",
    )
    kpi.add_argument(
        "action", nargs="?", choices=["diff"], help="diff: compare the last two publishes"
    )
    kpi.add_argument("--metric", help="e.g. active_buyers (see --list)")
    kpi.add_argument("--period", help="YYYY, YYYY-MM, YYYY-Qn or YYYY-Hn, e.g. 2023-H1")
    kpi.add_argument(
        "--dimension", default="all", help="slice, e.g. supplier_country (default: all)"
    )
    kpi.add_argument("--value", help="one value of the dimension, e.g. VN (default: every value)")
    kpi.add_argument("--format", choices=FORMATS, default="table", help="output format")
    kpi.add_argument("--list", action="store_true", help="list metrics, dimensions and periods")
    kpi.set_defaults(handler=run_kpi)

    report = subparsers.add_parser(
        "report",
        help="write report.html from the published marts",
        description="Write a self-contained HTML report (no network needed) into the marts dir.",
    )
    report.set_defaults(handler=run_report)


def run_kpi(args: argparse.Namespace) -> int:
    """Print KPIs, the list of what is available, or the diff of the last two publishes."""
    from pipelines.config import get_settings
    from pipelines.errors import TradePulseError
    from pipelines.publish.formatting import render
    from pipelines.publish.kpi import KpiQuery, available, kpi_diff, open_published, query_kpi

    with open_published(get_settings().marts_dir) as conn:
        if args.list:
            choices = available(conn)
            if args.format == "json":
                print(json.dumps(choices, indent=2))
            else:
                for name, values in choices.items():
                    print(f"{name}: {', '.join(values)}")
            return 0
        if args.action == "diff":
            (older, newer), rows = kpi_diff(conn)
            print(f"changes from publish {older} to {newer}: {len(rows)} row(s)")
            print(render(rows, args.format))
            return 0
        if not args.metric or not args.period:
            raise TradePulseError("--metric and --period are required (or use --list / diff)")
        query = KpiQuery(args.metric, args.period, args.dimension, args.value)
        print(render(query_kpi(conn, query), args.format))
    return 0


def run_report(args: argparse.Namespace) -> int:
    """Write report.html from the published marts."""
    from pipelines.config import get_settings
    from pipelines.publish.report import write_report

    path = write_report(get_settings().marts_dir)
    print(f"wrote {path}")
    return 0

"""The `tradepulse import` subcommand: `tradepulse import online-retail FILE...`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `tradepulse import` and its `online-retail` source to the command line."""
    parser = subparsers.add_parser(
        "import",
        help="map a real export onto the raw contract (suppliers, buyers, orders)",
        description="Map a real export onto the raw contract files under DIR.",
    )
    sources = parser.add_subparsers(dest="source", metavar="SOURCE", required=True)
    retail = sources.add_parser(
        "online-retail",
        help="the UCI Online Retail and Online Retail II invoice exports",
        description=(
            "Map the UCI Online Retail exports (either layout, Parquet or CSV) onto "
            "suppliers/suppliers.parquet, buyers/buyers.parquet and one orders/YYYY-MM.parquet "
            "per month, and print how many rows went where and why. See docs/real-data.md."
        ),
        epilog="example: tradepulse import online-retail online_retail_ii_2009_2010.parquet "
        "online_retail_2010_2011.parquet --out data/raw",
    )
    retail.add_argument("files", nargs="+", type=Path, metavar="FILE", help="export file(s)")
    retail.add_argument(
        "--out",
        type=Path,
        default=None,
        metavar="DIR",
        help="directory to write into (default: the configured raw dir, TRADEPULSE_RAW_DIR)",
    )
    retail.add_argument(
        "--overwrite",
        action="store_true",
        help="replace suppliers/, buyers/ and orders/ in DIR instead of refusing a non-empty DIR",
    )
    retail.set_defaults(handler=run_online_retail)


def run_online_retail(args: argparse.Namespace) -> int:
    """Import the files and print the table of rows in, overlap, excluded and written."""
    from pipelines.config import get_settings
    from pipelines.imports.online_retail import import_online_retail
    from pipelines.imports.summary import describe

    out_dir = args.out if args.out is not None else get_settings().raw_dir
    summary = import_online_retail(
        args.files,
        out_dir,
        overwrite=args.overwrite,
        progress=lambda message: print(f"import: {message}", file=sys.stderr, flush=True),
    )
    print(describe(summary))
    return 0

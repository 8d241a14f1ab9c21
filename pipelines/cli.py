"""The `tradepulse` command line: one subcommand per task, each registered by its domain."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from pipelines.errors import TradePulseError


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser with every subcommand."""
    from pipelines.generate.cli import register as register_generate
    from pipelines.imports.cli import register as register_import
    from pipelines.publish.cli import register as register_publish
    from pipelines.run.cli import register as register_run

    parser = argparse.ArgumentParser(
        prog="tradepulse",
        description=(
            "TradePulse: buyer and supplier growth, supplier performance and the pavilion "
            "shortlist for B2B trade platforms."
        ),
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    register_run(subparsers)
    register_generate(subparsers)
    register_import(subparsers)
    register_publish(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `tradepulse` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except TradePulseError as error:
        print(f"tradepulse {args.command}: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"tradepulse {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())

"""The `tradepulse generate` subcommand."""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path
from typing import TextIO

from pipelines.generate.faults import FAULT_KINDS
from pipelines.generate.sample import GenerationSummary, generate_sample


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `tradepulse generate` to the command line."""
    parser = subparsers.add_parser(
        "generate",
        help="write a calibrated, seeded sample of raw suppliers, buyers and orders",
        description=(
            "Write suppliers/suppliers.parquet, buyers/buyers.parquet and one "
            "orders/YYYY-MM.parquet per month. The same arguments always give byte-identical files."
        ),
    )
    parser.add_argument("--seed", type=int, default=42, help="random seed (default: 42)")
    parser.add_argument(
        "--order-lines",
        type=int,
        default=1_000_000,
        metavar="N",
        help="order lines to write, before any faults (default: 1000000)",
    )
    parser.add_argument(
        "--start",
        type=_iso_date,
        default=date(2020, 1, 1),
        metavar="DATE",
        help="first order date (default: 2020-01-01)",
    )
    parser.add_argument(
        "--end",
        type=_iso_date,
        default=date(2023, 10, 31),
        metavar="DATE",
        help="last order date; the extract is taken the day after (default: 2023-10-31)",
    )
    parser.add_argument(
        "--faults",
        type=float,
        default=0.0,
        metavar="RATE",
        help="share of rows to break with contract faults, e.g. 0.01 (default: 0)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        metavar="DIR",
        help="directory to write into (default: the configured raw dir, TRADEPULSE_RAW_DIR)",
    )
    parser.add_argument(
        "--overwrite",
        action="store_true",
        help="replace an earlier sample in DIR instead of refusing a non-empty directory",
    )
    parser.set_defaults(handler=generate)


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2023-10-31") from None


class ProgressPrinter:
    """Shows the stage and how far along it is on a stream: in place on a terminal, else lines."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.live = stream.isatty()
        self.began = time.perf_counter()
        self.last_line: tuple[str, int] | None = None

    def __call__(self, stage: str, done: int, total: int) -> None:
        """Report that `done` of `total` steps of `stage` are finished."""
        unit = "month files" if stage == "orders" else "file"
        text = f"generate: {stage:<9} {done:>3}/{total} {unit}  {self._elapsed()}"
        if self.live:
            end = "\n" if done == total else ""
            print(f"\r{text}", end=end, file=self.stream, flush=True)
            return
        quarter = 4 * done // max(total, 1)
        if (stage, quarter) != self.last_line:
            self.last_line = (stage, quarter)
            print(text, file=self.stream, flush=True)

    def _elapsed(self) -> str:
        return f"{time.perf_counter() - self.began:.1f} s"


def describe(summary: GenerationSummary) -> str:
    """The end-of-run summary: rows and files per dataset, faults, seconds."""
    files: dict[str, int] = {}
    for path in summary.files:
        files[path.parent.name] = files.get(path.parent.name, 0) + 1
    lines = [f"wrote {summary.out_dir} in {summary.seconds:.1f} s (seed {summary.seed})"]
    for dataset, rows in summary.rows.items():
        count = files.get(dataset, 0)
        lines.append(f"  {dataset:<10} {rows:>12,} rows {count:>4} file{'s' if count != 1 else ''}")
    if summary.fault_rows:
        lines.append(f"  faults     {summary.fault_rows:>12,} rows broken on purpose:")
        for kind in FAULT_KINDS:
            if summary.faults.get(kind.name):
                lines.append(
                    f"    {kind.name:<32} {summary.faults[kind.name]:>8,}  {kind.reason.value}"
                )
    if not summary.calibrated:
        lines.append("  note: the span does not cover 2022-01 .. 2023-06, so the headline growth")
        lines.append("        figures are not calibrated")
    return "\n".join(lines)


def generate(args: argparse.Namespace) -> int:
    """Write the sample and print a summary."""
    from pipelines.config import get_settings

    out_dir = args.out if args.out is not None else get_settings().raw_dir
    summary = generate_sample(
        out_dir,
        seed=args.seed,
        order_lines=args.order_lines,
        start=args.start,
        end=args.end,
        faults=args.faults,
        overwrite=args.overwrite,
        progress=ProgressPrinter(sys.stderr),
    )
    print(describe(summary))
    return 0

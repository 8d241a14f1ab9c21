"""What an import read, left out and wrote: a typed summary and the table the CLI prints."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipelines.imports.rules import RULES, Exclusion


@dataclass(frozen=True)
class ImportSummary:
    """Rows per source file, removed as overlap, excluded per rule and written per entity."""

    out_dir: Path
    source_rows: dict[str, int]
    overlap_rows: int
    overlap_invoices: int
    differing_overlap_invoices: int
    excluded: dict[str, int]
    written: dict[str, int]
    zero_price_lines: int
    cancelled_lines: int
    files: tuple[Path, ...]
    seconds: float

    @property
    def rows_in(self) -> int:
        """Rows read, over all source files."""
        return sum(self.source_rows.values())

    @property
    def rows_excluded(self) -> int:
        """Rows left out by a rule (the overlap not included)."""
        return sum(self.excluded.values())

    @property
    def rows_accounted(self) -> int:
        """Overlap, excluded and written order lines: equals `rows_in` when nothing is lost."""
        return self.overlap_rows + self.rows_excluded + self.written["orders"]


def describe(summary: ImportSummary) -> str:
    """The table the CLI prints: rows in, overlap, exclusions per reason, rows written."""
    files: dict[str, int] = {}
    for path in summary.files:
        files[path.parent.name] = files.get(path.parent.name, 0) + 1
    width = max(len(name) for name in [*summary.source_rows, "unknown_country"])
    lines = [f"imported into {summary.out_dir} in {summary.seconds:.1f} s", "  source rows"]
    lines += [f"    {name:<{width}} {rows:>11,}" for name, rows in summary.source_rows.items()]
    lines.append(f"    {'total':<{width}} {summary.rows_in:>11,}")
    invoices = summary.overlap_invoices
    lines.append(
        f"  removed as overlap ({invoices:,} invoice{'s' if invoices != 1 else ''} "
        "also in an earlier file)"
    )
    lines.append(f"    {Exclusion.OVERLAP.value:<{width}} {summary.overlap_rows:>11,}")
    lines.append("  excluded by rule")
    lines += [
        f"    {reason.value:<{width}} {summary.excluded[reason.value]:>11,}  {reason.label}"
        for reason in RULES
    ]
    lines.append(f"    {'total':<{width}} {summary.rows_excluded:>11,}")
    lines.append("  written")
    for entity, rows in summary.written.items():
        count = files.get(entity, 0)
        lines.append(
            f"    {entity:<{width}} {rows:>11,} row{'s' if rows != 1 else ' '} "
            f"{count:>3} file{'s' if count != 1 else ''}"
        )
    lines.append(
        f"    of the order lines: {summary.cancelled_lines:,} cancelled, "
        f"{summary.zero_price_lines:,} at price 0"
    )
    lines.append(
        f"  check: {summary.rows_in:,} in = {summary.overlap_rows:,} overlap + "
        f"{summary.rows_excluded:,} excluded + {summary.written['orders']:,} written"
    )
    if summary.differing_overlap_invoices:
        lines.append(
            f"  note: {summary.differing_overlap_invoices:,} invoice(s) differ between files; "
            "the copy in the earlier file was kept"
        )
    return "\n".join(lines)

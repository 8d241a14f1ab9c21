"""Render rows of KPIs as a terminal table, CSV, JSON or Markdown."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence

FORMATS = ("table", "csv", "json", "markdown")


def _human(column: str, value: object) -> str:
    if value is None:
        return "n/a"
    if "growth" in column and isinstance(value, float):
        return f"{value:+.1%}"
    if isinstance(value, float):
        return f"{value:,.2f}"
    return str(value)


def render(rows: Sequence[dict[str, object]], fmt: str) -> str:
    """Rows as text in one of FORMATS; growth is a fraction in csv/json, a percent otherwise.

    >>> print(render([{"metric": "orders", "yoy_growth": 0.55}], "markdown"))
    | metric | yoy_growth |
    |---|---|
    | orders | +55.0% |
    """
    if not rows:
        return "(no rows)" if fmt in ("table", "markdown") else ("[]" if fmt == "json" else "")
    columns = list(rows[0])
    if fmt == "json":
        return json.dumps(rows, indent=2, default=str)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return buffer.getvalue().rstrip("\n")
    cells = [[_human(column, row[column]) for column in columns] for row in rows]
    if fmt == "markdown":
        lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
        lines += ["| " + " | ".join(row) + " |" for row in cells]
        return "\n".join(lines)
    widths = [max(len(column), *(len(row[i]) for row in cells)) for i, column in enumerate(columns)]
    lines = ["  ".join(column.ljust(width) for column, width in zip(columns, widths, strict=True))]
    lines.append("  ".join("-" * width for width in widths))
    lines += [
        "  ".join(
            cell.rjust(width) if cell[:1] in "+-0123456789n" else cell.ljust(width)
            for cell, width in zip(row, widths, strict=True)
        )
        for row in cells
    ]
    return "\n".join(lines)

"""The headline KPIs: the rows of kpi_growth that the news report quotes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb


@dataclass(frozen=True)
class HeadlineKpi:
    """One headline row of kpi_growth."""

    label: str
    metric: str
    period: str
    dimension: str
    dimension_value: str
    value: float | None = None
    value_prior_year: float | None = None
    yoy_growth: float | None = None

    def describe(self) -> str:
        """A line for the terminal, e.g. 'Buyer growth 2023-H1: +55.0% (…)'."""
        if self.value is None:
            return f"{self.label} {self.period}: not in the data"
        growth = "n/a" if self.yoy_growth is None else f"{self.yoy_growth:+.1%}"
        prior = "n/a" if self.value_prior_year is None else f"{self.value_prior_year:,.1f}"
        return (
            f"{self.label} {self.period}: {growth} year on year "
            f"(average per month {self.value:,.1f}, a year earlier {prior})"
        )


HEADLINES = (
    HeadlineKpi("Active buyers", "active_buyers", "2023-H1", "all", "all"),
    HeadlineKpi(
        "Listed Vietnamese suppliers", "listed_suppliers", "2023-H1", "supplier_country", "VN"
    ),
)


def read_headlines(database: Path, table: str = "kpi_growth") -> list[HeadlineKpi]:
    """Read the headline rows from a DuckDB file holding kpi_growth, opened read-only."""
    found = []
    with duckdb.connect(str(database), read_only=True) as conn:
        for kpi in HEADLINES:
            row = conn.execute(
                f"select value, value_prior_year, yoy_growth from {table} "
                "where metric = ? and period_grain = 'half' and period = ? "
                "and dimension = ? and dimension_value = ?",
                [kpi.metric, kpi.period, kpi.dimension, kpi.dimension_value],
            ).fetchone()
            if row is None:
                found.append(kpi)
            else:
                found.append(
                    HeadlineKpi(
                        kpi.label,
                        kpi.metric,
                        kpi.period,
                        kpi.dimension,
                        kpi.dimension_value,
                        value=row[0],
                        value_prior_year=row[1],
                        yoy_growth=row[2],
                    )
                )
    return found

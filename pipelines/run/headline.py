"""The headline KPIs: the rows of kpi_growth that the news report quotes."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import duckdb


@dataclass(frozen=True)
class HeadlineKpi:
    """One headline row of kpi_growth, for the latest complete half-year."""

    label: str
    metric: str
    dimension: str
    dimension_value: str
    period: str | None = None
    value: float | None = None
    value_prior_year: float | None = None
    yoy_growth: float | None = None

    def describe(self) -> str:
        """A line for the terminal, e.g. 'Active buyers 2023-H1: +55.0% year on year (...)'."""
        if self.period is None:
            return f"{self.label}: no complete half-year in the data"
        if self.value is None:
            return f"{self.label} {self.period}: none in the data"
        growth = "n/a" if self.yoy_growth is None else f"{self.yoy_growth:+.1%}"
        prior = "n/a" if self.value_prior_year is None else f"{self.value_prior_year:,.1f}"
        return (
            f"{self.label} {self.period}: {growth} year on year "
            f"(average per month {self.value:,.1f}, a year earlier {prior})"
        )


HEADLINES = (
    HeadlineKpi("Active buyers", "active_buyers", "all", "all"),
    HeadlineKpi("Listed Vietnamese suppliers", "listed_suppliers", "supplier_country", "VN"),
)


def headline_period(conn: duckdb.DuckDBPyConnection) -> str | None:
    """The latest complete half-year in kpi_growth: the period the news reports."""
    return conn.execute(
        "select max(period) from kpi_growth where period_grain = 'half' and is_complete_period"
    ).fetchone()[0]


def read_headlines(database: Path) -> list[HeadlineKpi]:
    """Read the headline rows from a DuckDB file holding kpi_growth, opened read-only."""
    found = []
    with duckdb.connect(str(database), read_only=True) as conn:
        period = headline_period(conn)
        for kpi in HEADLINES:
            row = conn.execute(
                "select value, value_prior_year, yoy_growth from kpi_growth "
                "where metric = ? and period_grain = 'half' and period = ? "
                "and dimension = ? and dimension_value = ?",
                [kpi.metric, period, kpi.dimension, kpi.dimension_value],
            ).fetchone()
            values = dict(zip(("value", "value_prior_year", "yoy_growth"), row or (), strict=False))
            found.append(replace(kpi, period=period, **values))
    return found

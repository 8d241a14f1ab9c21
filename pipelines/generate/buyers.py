"""Buyers: when they registered, where they are, and how much and how loyally they buy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import polars as pl

from pipelines.contract.entities import BUYERS
from pipelines.generate.markets import Markets
from pipelines.generate.plan import MonthPlan, day_number

STOCK_PER_FIRST_MONTH_BUYER = 3.0
REGISTRATIONS_PER_ACTIVE_BUYER = 0.28
EARLIEST_REGISTRATION = date(2012, 1, 1)
BUYER_TYPES = (
    ("importer", 30),
    ("wholesaler", 20),
    ("retailer", 18),
    ("distributor", 14),
    ("brand_owner", 10),
    ("sourcing_agent", 8),
)


@dataclass(frozen=True)
class BuyerPool:
    """The buyers table, sorted by registration, and the traits that drive their orders."""

    frame: pl.DataFrame
    registered_day: np.ndarray
    country: np.ndarray
    weight: np.ndarray
    loyalty: np.ndarray
    forced_month: np.ndarray

    def __len__(self) -> int:
        return len(self.registered_day)


def _registrations(rng: np.random.Generator, plan: MonthPlan, start: date) -> np.ndarray:
    """Registration days: a stock before `start`, then a flow that follows activity."""
    stock = round(
        STOCK_PER_FIRST_MONTH_BUYER * plan.active_buyers[: min(3, len(plan.months))].max()
    )
    first, last = day_number(EARLIEST_REGISTRATION), day_number(start) - 1
    span = max(last - first, 1)
    # Older registrations are rarer: the platform grew.
    stock_days = last - np.floor(rng.exponential(span / 3, size=stock)).astype(np.int64) % span
    per_month = np.rint(
        plan.active_buyers
        * REGISTRATIONS_PER_ACTIVE_BUYER
        * rng.uniform(0.85, 1.15, len(plan.months))
    ).astype(np.int64)
    month = np.repeat(np.arange(len(plan.months)), per_month)
    width = plan.last_day[month] - plan.first_day[month] + 1
    flow_days = plan.first_day[month] + np.floor(rng.random(len(month)) * width).astype(np.int64)
    return np.sort(np.concatenate([stock_days, flow_days]))


def build_buyers(
    rng: np.random.Generator, markets: Markets, plan: MonthPlan, start: date
) -> BuyerPool:
    """Draw the buyers; one per inhabited country is bound to buy at least once."""
    registered = _registrations(rng, plan, start)
    n = len(registered)
    country = rng.choice(len(markets.country_codes), size=n, p=markets.buyer_country_p)
    covered = markets.buyer_countries_covered
    bound = np.sort(rng.choice(n, size=min(len(covered), n), replace=False))
    country[bound] = rng.permutation(covered)[: len(bound)]
    month_of = np.clip(
        np.searchsorted(plan.first_day, registered, side="right") - 1, 0, len(plan.months) - 1
    )
    forced = np.full(n, -1, dtype=np.int64)
    forced[bound] = rng.integers(month_of[bound], len(plan.months))

    types = pl.Series([label for label, _ in BUYER_TYPES])
    type_p = np.array([weight for _, weight in BUYER_TYPES], dtype=float)
    buyer_type = types.gather(rng.choice(len(types), size=n, p=type_p / type_p.sum()))
    unknown = pl.Series(rng.random(n) < 0.15)
    frame = pl.DataFrame(
        {
            "buyer_id": "B" + pl.Series(np.arange(1, n + 1)).cast(pl.String).str.zfill(8),
            "country_code": markets.country_codes.gather(country),
            "registered_at": pl.Series(registered).cast(pl.Date),
            "buyer_type": buyer_type,
        }
    ).with_columns(pl.when(unknown).then(None).otherwise(pl.col("buyer_type")).alias("buyer_type"))
    return BuyerPool(
        frame=frame.select(BUYERS.column_names),
        registered_day=registered,
        country=country,
        weight=rng.lognormal(0, 1.3, n),
        loyalty=rng.beta(6, 2.5, n),
        forced_month=forced,
    )

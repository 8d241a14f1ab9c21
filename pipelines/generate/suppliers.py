"""Suppliers: membership history calibrated for Vietnam, traits, and how well each one performs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import polars as pl

from pipelines.contract.entities import BUSINESS_TYPES, SUPPLIERS
from pipelines.generate.markets import (
    BUSINESS_TYPE_MIX,
    CN_CATEGORIES,
    SERVICE_CATEGORIES,
    VN_CATEGORIES,
    Markets,
)
from pipelines.generate.names import provinces, supplier_names
from pipelines.generate.plan import (
    CALIBRATION_BASE,
    CALIBRATION_PERIOD,
    VN_SUPPLIER_GROWTH_TARGET,
    day_number,
    month_days,
)

HISTORY_START = "2010-01"
NO_END = np.iinfo(np.int64).max // 4
VN_SUPPLIERS_PER_LINE = 0.0021
OTHER_SUPPLIERS_PER_LINE = 0.0042
MIN_VN_SUPPLIERS = 60
MIN_OTHER_SUPPLIERS = 120


@dataclass(frozen=True)
class SupplierPool:
    """The suppliers table and the hidden traits that drive their orders (index = row)."""

    frame: pl.DataFrame
    join_day: np.ndarray
    left_day: np.ndarray
    country: np.ndarray
    is_vn: np.ndarray
    lunar_new_year: np.ndarray
    category: np.ndarray
    weight: np.ndarray
    trend: np.ndarray
    retain: np.ndarray
    price_level: np.ndarray
    on_time: np.ndarray
    cancel: np.ndarray
    dispute: np.ndarray
    refund: np.ndarray
    rating_mean: np.ndarray
    rating_share: np.ndarray
    response_hours: np.ndarray

    def __len__(self) -> int:
        return len(self.join_day)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-x))


def _join_days(
    rng: np.random.Generator, n: int, end_day: int, early: float, late: float
) -> np.ndarray:
    """Join dates: growth of `early` a year to 2019, `late` after, fewer joins in Covid's spring."""
    end_month = np.datetime64(np.datetime64(end_day, "D"), "M")
    months = np.arange(np.datetime64(HISTORY_START), end_month + 1, dtype="datetime64[M]")
    years = (months - months[0]).astype(np.int64) / 12
    weight = np.exp(early * np.minimum(years, 9.0) + late * np.maximum(years - 9.0, 0.0))
    spring_2020 = (months >= np.datetime64("2020-03")) & (months <= np.datetime64("2020-06"))
    weight[spring_2020] *= 0.5
    first, last = month_days(months)
    last = np.minimum(last, end_day)
    weight *= (last - first + 1) / 30.5
    month = rng.choice(len(months), size=n, p=weight / weight.sum())
    return first[month] + np.floor(rng.random(n) * (last[month] - first[month] + 1)).astype(
        np.int64
    )


def _left_days(
    rng: np.random.Generator, join: np.ndarray, renew: np.ndarray, end_day: int, early_exit: bool
) -> np.ndarray:
    """Memberships end at an anniversary that was not renewed, or early for a few."""
    years = rng.geometric(1 - renew)
    left = join + np.rint(years * 365.25).astype(np.int64) - 1
    if early_exit:
        early = rng.random(len(join)) < 0.04
        left[early] = join[early] + rng.integers(30, 330, size=int(early.sum()))
    left[left > end_day] = NO_END
    return left


def _listed_months(join: np.ndarray, left: np.ndarray, first: str, last: str) -> np.ndarray:
    """How many months from `first` to `last` each membership counts as listed in."""
    months = np.arange(np.datetime64(first), np.datetime64(last) + 1, dtype="datetime64[M]")
    starts, ends = month_days(months)
    return ((join[:, None] <= ends[None, :]) & (left[:, None] >= starts[None, :])).sum(axis=1)


def _calibration_joins(
    rng: np.random.Generator, join: np.ndarray, left: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Add or drop Vietnamese joins between the periods so VN growth hits its target exactly."""
    base = int(_listed_months(join, left, *CALIBRATION_BASE).sum())
    period = int(_listed_months(join, left, *CALIBRATION_PERIOD).sum())
    short = int(np.rint((1 + VN_SUPPLIER_GROWTH_TARGET) * base)) - period
    window = np.arange(
        np.datetime64(CALIBRATION_BASE[1]) + 1,
        np.datetime64(CALIBRATION_PERIOD[1]) + 1,
        dtype="datetime64[M]",
    )
    # A member from month w is listed in (months of the period from w on) of them.
    credit = np.minimum(6, (np.datetime64(CALIBRATION_PERIOD[1]) - window).astype(np.int64) + 1)
    keep = np.ones(len(join), dtype=bool)
    new_months = np.empty(0, dtype=np.int64)
    if short < 0:
        in_window = (join >= day_number(f"{window[0]}-01")) & (join <= day_number("2023-06-30"))
        candidates = rng.permutation(np.flatnonzero(in_window))
        gained = _listed_months(join[candidates], left[candidates], *CALIBRATION_PERIOD)
        upto = int(np.searchsorted(np.cumsum(gained), -short, side="right"))
        keep[candidates[:upto]] = False
        short += int(gained[:upto].sum())
        rest, spare = gained[upto:], candidates[upto:]
        if short and (rest == -short).any():
            keep[spare[np.flatnonzero(rest == -short)[0]]] = False
            short = 0
        elif short and (rest > -short).any():
            # Drop one more and win back the overshoot with a join in the period.
            pick = np.flatnonzero(rest > -short)[np.argmin(rest[rest > -short])]
            keep[spare[pick]] = False
            short += int(rest[pick])
    if short > 0:
        drawn = rng.integers(0, len(window), size=short)
        taken = drawn[np.cumsum(credit[drawn]) <= short]
        rest = short - int(credit[taken].sum())
        new_months = np.concatenate([taken, np.flatnonzero(credit == rest)[:1]]) if rest else taken
    first, last = month_days(window[new_months])
    new_join = first + np.floor(rng.random(len(new_months)) * (last - first + 1)).astype(np.int64)
    return keep, new_join


def build_suppliers(
    rng: np.random.Generator, markets: Markets, order_lines: int, end: date
) -> SupplierPool:
    """Draw the suppliers, their membership spans and their performance traits."""
    end_day = day_number(end)
    vn = markets.country_index("VN")
    n_vn = max(MIN_VN_SUPPLIERS, round(order_lines * VN_SUPPLIERS_PER_LINE))
    n_other = max(MIN_OTHER_SUPPLIERS, round(order_lines * OTHER_SUPPLIERS_PER_LINE))

    vn_join = _join_days(rng, n_vn, end_day, early=0.24, late=0.10)
    vn_left = _left_days(rng, vn_join, np.full(n_vn, 0.84), end_day, early_exit=True)
    if end_day >= day_number("2023-06-30"):
        keep, added = _calibration_joins(rng, vn_join, vn_left)
        added_left = _left_days(rng, added, np.full(len(added), 0.84), end_day, early_exit=False)
        vn_join = np.concatenate([vn_join[keep], added])
        vn_left = np.concatenate([vn_left[keep], added_left])
    other_join = _join_days(rng, n_other, end_day, early=0.20, late=0.08)
    other_left = _left_days(rng, other_join, np.full(n_other, 0.82), end_day, early_exit=True)
    other_country = rng.choice(len(markets.country_codes), n_other, p=markets.supplier_country_p)

    join = np.concatenate([vn_join, other_join])
    left = np.concatenate([vn_left, other_left])
    country = np.concatenate([np.full(len(vn_join), vn), other_country])
    order = np.argsort(join, kind="stable")
    join, left, country = join[order], left[order], country[order]
    n = len(join)
    is_vn = country == vn
    is_cn = country == markets.country_index("CN")

    business = np.empty(n, dtype=np.int64)
    for key, mask in (("VN", is_vn), ("CN", is_cn), ("other", ~is_vn & ~is_cn)):
        business[mask] = rng.choice(4, size=int(mask.sum()), p=BUSINESS_TYPE_MIX[key])
    is_service = business == BUSINESS_TYPES.index("service")
    category = np.empty(n, dtype=np.int64)
    other_p = markets.category_p(
        {code: 1.0 for code in markets.category_codes.to_list() if code not in SERVICE_CATEGORIES}
    )
    for p, mask in (
        (markets.category_p(VN_CATEGORIES), is_vn & ~is_service),
        (markets.category_p(CN_CATEGORIES), is_cn & ~is_service),
        (other_p, ~is_vn & ~is_cn & ~is_service),
        (markets.category_p(SERVICE_CATEGORIES), is_service),
    ):
        category[mask] = rng.choice(len(p), size=int(mask.sum()), p=p)

    tenure = (end_day - join) / 365.25
    verified = rng.random(n) < 0.6 + 0.045 * np.minimum(tenure, 6)
    quality = rng.normal(0, 1, n) + 0.35 * verified

    def noise() -> np.ndarray:
        return rng.normal(0, 1, n)

    type_weight = np.array([1.8, 1.0, 0.8, 0.4])[business]
    weight = (
        rng.lognormal(0, 0.75, n)
        * type_weight
        * np.where(verified, 1.4, 1.0)
        * np.exp(0.35 * quality)
        * np.where(is_vn, 1.5, 1.0)
    )
    countries = markets.country_codes.gather(country)
    categories = markets.category_codes.gather(category)
    frame = pl.DataFrame(
        {
            "supplier_id": pl.Series(np.arange(1, n + 1)).cast(pl.String).str.zfill(7),
            "supplier_name": supplier_names(rng, countries, categories),
            "country_code": countries,
            "province": provinces(rng, countries, categories),
            "business_type": pl.Series(BUSINESS_TYPES).gather(business),
            "main_category": categories,
            "is_verified": verified,
            "joined_at": pl.Series(join).cast(pl.Date),
            "left_at": pl.Series(np.where(left == NO_END, 0, left)).cast(pl.Date),
        }
    ).with_columns(
        ("S" + pl.col("supplier_id")).alias("supplier_id"),
        pl.when(pl.Series(left == NO_END)).then(None).otherwise(pl.col("left_at")).alias("left_at"),
    )
    return SupplierPool(
        frame=frame.select(SUPPLIERS.column_names),
        join_day=join,
        left_day=left,
        country=country,
        is_vn=is_vn,
        lunar_new_year=is_vn | is_cn,
        category=category,
        weight=weight,
        trend=rng.normal(0.02, 0.28, n) + 0.08 * quality,
        retain=_sigmoid(1.3 + 0.7 * quality + 0.5 * noise()),
        price_level=rng.lognormal(0, 0.25, n),
        on_time=_sigmoid(2.9 + 1.0 * quality + 0.35 * noise()),
        cancel=_sigmoid(-3.6 - 0.6 * quality + 0.35 * noise()),
        dispute=_sigmoid(-5.7 - 0.5 * quality + 0.45 * noise()),
        refund=_sigmoid(-5.9 - 0.5 * quality + 0.45 * noise()),
        rating_mean=np.clip(4.6 + 0.3 * quality + 0.12 * noise(), 2.5, 4.95),
        rating_share=rng.uniform(0.3, 0.65, n),
        response_hours=np.exp(np.log(8.0) - 0.55 * quality + 0.8 * noise()),
    )

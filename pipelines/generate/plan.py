"""The monthly story of the sample and the headline numbers it is calibrated to."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

BUYER_GROWTH_TARGET = 0.55
VN_SUPPLIER_GROWTH_TARGET = 0.24
CALIBRATION_BASE = ("2022-01", "2022-06")
CALIBRATION_PERIOD = ("2023-01", "2023-06")

LINES_PER_ORDER = 2.4
EXTRA_ORDERS_PER_ACTIVE_BUYER = 0.42
CANCEL_ONLY_ORDERS_PER_ACTIVE_BUYER = 0.03

# Underlying activity level at a few months, interpolated in log space.
LEVEL_ANCHORS = {
    "2010-01": 0.12, "2012-01": 0.22, "2016-01": 0.50, "2019-01": 0.88, "2020-01": 1.00,
    "2020-07": 1.03, "2021-01": 1.12, "2021-07": 1.26, "2022-01": 1.36, "2022-07": 1.43,
    "2023-01": 1.70, "2023-07": 2.10, "2024-01": 2.35,
}  # fmt: skip
COVID = {
    "2020-02": 0.90, "2020-03": 0.82, "2020-04": 0.66, "2020-05": 0.71, "2020-06": 0.83,
    "2020-07": 0.91, "2020-08": 0.96,
}  # fmt: skip
SEASONALITY = (0.97, 0.91, 1.03, 1.01, 1.02, 0.98, 0.94, 0.95, 1.04, 1.07, 1.06, 0.95)
TET = {
    2010: "2010-02-14", 2011: "2011-02-03", 2012: "2012-01-23", 2013: "2013-02-10",
    2014: "2014-01-31", 2015: "2015-02-19", 2016: "2016-02-08", 2017: "2017-01-28",
    2018: "2018-02-16", 2019: "2019-02-05", 2020: "2020-01-25", 2021: "2021-02-12",
    2022: "2022-02-01", 2023: "2023-01-22", 2024: "2024-02-10",
}  # fmt: skip


@dataclass(frozen=True)
class MonthPlan:
    """Exact per-month counts the order generator must meet; days are days since 1970-01-01."""

    months: np.ndarray
    first_day: np.ndarray
    last_day: np.ndarray
    active_buyers: np.ndarray
    extra_orders: np.ndarray
    cancel_only_orders: np.ndarray
    lines: np.ndarray
    calibrated: bool

    @property
    def orders(self) -> np.ndarray:
        """Orders per month."""
        return self.active_buyers + self.extra_orders + self.cancel_only_orders


def day_number(value: date | str) -> int:
    """Days since 1970-01-01 of a date."""
    return int(np.datetime64(value, "D").astype(np.int64))


def month_days(months: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """First and last day number of each month."""
    first = months.astype("datetime64[D]").astype(np.int64)
    last = (months + 1).astype("datetime64[D]").astype(np.int64) - 1
    return first, last


def lunar_new_year_factor(months: np.ndarray) -> np.ndarray:
    """How much business Vietnamese (and Chinese) suppliers do in each month around Tet."""
    factor = np.ones(len(months))
    for value in TET.values():
        tet = np.datetime64(value, "D")
        month = tet.astype("datetime64[M]")
        day = int((tet - month.astype("datetime64[D]")).astype(int)) + 1
        factor[months == month] *= 0.55
        if day <= 8:
            factor[months == month - 1] *= 0.85
        if day >= 20:
            factor[months == month + 1] *= 0.80
    return factor


def activity_index(months: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Relative number of active buyers per month: trend, Covid dip, seasonality, noise."""
    anchor_months = np.array(list(LEVEL_ANCHORS), dtype="datetime64[M]").astype(np.int64)
    anchor_levels = np.log(np.array(list(LEVEL_ANCHORS.values())))
    level = np.exp(np.interp(months.astype(np.int64), anchor_months, anchor_levels))
    covid = np.array([COVID.get(str(month), 1.0) for month in months])
    season = np.array(SEASONALITY)[months.astype(np.int64) % 12]
    noise = rng.lognormal(0.0, 0.015, size=len(months))
    return level * covid * season * noise


def _calibration_masks(months: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    base = (months >= np.datetime64(CALIBRATION_BASE[0])) & (
        months <= np.datetime64(CALIBRATION_BASE[1])
    )
    period = (months >= np.datetime64(CALIBRATION_PERIOD[0])) & (
        months <= np.datetime64(CALIBRATION_PERIOD[1])
    )
    if base.sum() != 6 or period.sum() != 6:
        return None
    return base, period


def _bend_to_target(index: np.ndarray, months: np.ndarray, base, period, target: float):
    """Bend the curve after the base period so that period / base = 1 + target exactly."""
    ramp = np.clip((months - np.datetime64(CALIBRATION_BASE[1])).astype(np.int64) / 12, 0, 1)
    wanted = (1 + target) * index[base].sum()
    low, high = -3.0, 3.0
    for _ in range(80):
        middle = (low + high) / 2
        if (index[period] * np.exp(middle * ramp[period])).sum() < wanted:
            low = middle
        else:
            high = middle
    return index * np.exp((low + high) / 2 * ramp)


def largest_remainder(total: int, weights: np.ndarray) -> np.ndarray:
    """Integers proportional to `weights` that add up to `total` exactly."""
    share = weights / weights.sum() * total
    whole = np.floor(share).astype(np.int64)
    short = total - int(whole.sum())
    if short:
        order = np.argsort(-(share - whole), kind="stable")
        whole[order[:short]] += 1
    return whole


def plan_months(start: date, end: date, order_lines: int, rng: np.random.Generator) -> MonthPlan:
    """Plan active buyers, orders and lines per month so the buyer headline holds exactly."""
    months = np.arange(
        np.datetime64(start, "M"), np.datetime64(end, "M") + 1, dtype="datetime64[M]"
    )
    first, last = month_days(months)
    first = np.maximum(first, day_number(start))
    last = np.minimum(last, day_number(end))
    coverage = (last - first + 1) / (month_days(months)[1] - month_days(months)[0] + 1)
    index = activity_index(months, rng) * coverage
    covered = start <= date(2022, 1, 1) and end >= date(2023, 6, 30)
    masks = _calibration_masks(months) if covered else None
    if masks is not None:
        index = _bend_to_target(index, months, *masks, BUYER_GROWTH_TARGET)
    per_buyer = (
        1 + EXTRA_ORDERS_PER_ACTIVE_BUYER + CANCEL_ONLY_ORDERS_PER_ACTIVE_BUYER
    ) * LINES_PER_ORDER
    active = np.maximum(np.rint(index * order_lines / per_buyer / index.sum()), 1).astype(np.int64)
    if masks is not None:
        base, period = masks
        wanted = int(np.rint((1 + BUYER_GROWTH_TARGET) * active[base].sum()))
        active[period] += largest_remainder(wanted - int(active[period].sum()), np.ones(6))
    extra = np.rint(active * EXTRA_ORDERS_PER_ACTIVE_BUYER * rng.uniform(0.9, 1.1, len(months)))
    cancel_only = np.rint(active * CANCEL_ONLY_ORDERS_PER_ACTIVE_BUYER)
    orders = active + extra + cancel_only
    lines = largest_remainder(order_lines, orders.astype(float))
    return MonthPlan(
        months=months,
        first_day=first,
        last_day=last,
        active_buyers=active,
        extra_orders=extra.astype(np.int64),
        cancel_only_orders=cancel_only.astype(np.int64),
        lines=lines,
        calibrated=masks is not None,
    )

"""The monthly plan: exact integer bookkeeping behind the calibration."""

from datetime import date

import numpy as np

from pipelines.generate.plan import (
    largest_remainder,
    lunar_new_year_factor,
    month_days,
    plan_months,
)


def test_largest_remainder_adds_up_exactly() -> None:
    assert largest_remainder(10, np.array([1.0, 1.0, 1.0])).tolist() == [4, 3, 3]
    assert largest_remainder(-4, np.ones(6)).tolist() == [0, 0, -1, -1, -1, -1]
    assert largest_remainder(0, np.array([2.0, 5.0])).tolist() == [0, 0]


def test_month_days_are_first_and_last_days() -> None:
    months = np.array(["2023-02", "2024-02"], dtype="datetime64[M]")
    first, last = month_days(months)
    assert (last - first + 1).tolist() == [28, 29]
    assert np.datetime64(int(first[0]), "D") == np.datetime64("2023-02-01")


def test_lunar_new_year_dips_the_tet_month() -> None:
    months = np.arange(np.datetime64("2022-12"), np.datetime64("2023-04"), dtype="datetime64[M]")
    # Tet 2023 fell on 22 January: January dips, February dips a little after it.
    assert lunar_new_year_factor(months).tolist() == [1.0, 0.55, 0.8, 1.0]


def test_plan_hits_the_buyer_target_and_the_line_budget_exactly() -> None:
    plan = plan_months(date(2020, 1, 1), date(2023, 10, 31), 123_457, np.random.default_rng(5))
    assert len(plan.months) == 46
    assert plan.calibrated
    assert int(plan.lines.sum()) == 123_457
    assert (plan.lines >= plan.orders).all()
    base, period = plan.active_buyers[24:30].sum(), plan.active_buyers[36:42].sum()
    assert period == round(1.55 * base)


def test_a_span_without_both_halves_is_not_calibrated() -> None:
    plan = plan_months(date(2021, 3, 15), date(2021, 12, 31), 20_000, np.random.default_rng(1))
    assert not plan.calibrated
    assert (str(plan.months[0]), str(plan.months[-1])) == ("2021-03", "2021-12")
    assert int(plan.lines.sum()) == 20_000
    assert np.datetime64(int(plan.first_day[0]), "D") == np.datetime64("2021-03-15")

"""Expectations as data: built into GX objects only when a check runs."""

from datetime import datetime

import pytest

from pipelines.quality.expect import NOW, Expect, Suite
from pipelines.quality.suites import get_suite


def test_build_puts_in_the_check_time_severity_and_row_condition() -> None:
    expect = Expect(
        "yoy_plausible",
        "ExpectColumnValuesToBeBetween",
        {"column": "yoy_growth", "min_value": -1.0, "max_value": NOW},
        description="plausible",
        action="look",
        severity="warning",
        where=("dimension", "all"),
    )
    built = expect.build(datetime(2024, 5, 1, 12))
    assert type(built).__name__ == "ExpectColumnValuesToBeBetween"
    assert (built.column, built.min_value, built.max_value) == (
        "yoy_growth",
        -1.0,
        datetime(2024, 5, 1, 12),
    )
    assert built.severity == "warning"
    condition = built.row_condition
    assert (condition.column.name, str(condition.operator), condition.parameter) == (
        "dimension",
        "==",
        "all",
    )
    assert expect.blocking is False


def test_query_expectations_use_our_gx_class_and_carry_their_description() -> None:
    expect = get_suite("raw_orders").expect("no_rejected_files")
    built = expect.build(datetime(2024, 1, 1))
    assert type(built).__name__ == "ExpectQueryToReturnNoRows"
    assert built.expectation_type == "expect_query_to_return_no_rows"
    assert built.unexpected_rows_query == expect.rows_query
    assert built.description == expect.description
    assert built.severity == "critical"


def test_a_suite_refuses_two_expectations_of_one_name() -> None:
    rule = Expect("a_not_null", "ExpectColumnValuesToNotBeNull", {"column": "a"}, "", "")
    with pytest.raises(ValueError, match=r"suite t repeats expectation names: \['a_not_null'\]"):
        Suite("t", ("t",), "main.t", (rule, rule))
    with pytest.raises(KeyError, match="suite t has no expectation 'b'"):
        Suite("t", ("t",), "main.t", (rule,)).expect("b")

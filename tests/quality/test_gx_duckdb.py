"""Every expectation type the pipeline uses returns exact counts on DuckDB through the adapter."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import duckdb
import great_expectations as gx
import pytest
import sqlalchemy as sa
from great_expectations.data_context.types.base import ProgressBarsConfig
from great_expectations.execution_engine import SqlAlchemyExecutionEngine

from pipelines.quality.gx_duckdb import DuckDBDatasource, DuckDBExecutionEngine, duckdb_url

E = gx.expectations

SCHEMA_SQL = """
create schema raw;
create table raw.customers as select range + 1 as customer_id from range(5);
create table raw.orders (
    order_id bigint, customer_id bigint, status varchar, order_code varchar,
    ordered_at timestamp, order_date date, amount_usd decimal(10, 2)
);
insert into raw.orders values
    (1, 1, 'placed', 'ORD-0001', '2024-01-01 08:00:00', '2024-01-01', 10.00),
    (2, 2, 'shipped', 'ORD-0002', '2024-01-15 09:00:00', '2024-01-15', 20.00),
    (3, 3, 'delivered', 'ORD-0003', '2024-01-31 23:59:59', '2024-01-31', 30.00),
    (4, 4, 'cancelled', 'ORD-0004', '2024-02-01 00:00:00', '2024-02-01', 40.00),
    -- customer 9 does not exist; lowercase code
    (5, 9, 'placed', 'ord-5', '2024-02-10 12:00:00', '2024-02-10', 50.00),
    -- no customer; unknown status; before 2024
    (6, null, 'lost', 'ORD-0006', '2023-12-31 23:00:00', '2023-12-31', 60.00),
    -- no status (ignored by in-set); code without the ORD- prefix
    (7, 1, null, 'X-7', '2024-03-01 00:00:00', '2024-03-01', 70.00),
    -- order_id 7 again; unknown status
    (7, 2, 'returned', 'ORD-0008', '2024-01-20 10:00:00', '2024-01-20', 80.00);
create table raw.order_lines (
    order_id bigint, line_number integer, quantity integer, unit_price_usd decimal(10, 2),
    ordered_at timestamp, shipped_at timestamp, delivered_at timestamp
);
insert into raw.order_lines values
    (1, 1, 1, 10.00, '2024-01-01 08:00', '2024-01-02 08:00', '2024-01-03 08:00'),
    -- shipped at the minute it was ordered; 3 x 10 does not reconcile with the order's 20
    (2, 1, 3, 10.00, '2024-01-15 09:00', '2024-01-15 09:00', '2024-01-16 09:00'),
    -- not shipped yet
    (3, 1, 1, 10.00, '2024-01-31 23:59', null, null),
    (3, 2, 2, 10.00, '2024-01-31 23:59', null, null),
    -- shipped before it was ordered
    (4, 1, 4, 10.00, '2024-02-01 00:00', '2024-01-31 00:00', '2024-02-02 00:00'),
    -- line (5, 1) twice; the second has quantity 0
    (5, 1, 5, 10.00, '2024-02-10 12:00', '2024-02-11 12:00', '2024-02-12 12:00'),
    (5, 1, 0, 10.00, '2024-02-10 12:00', '2024-02-11 12:00', null),
    -- no order time
    (6, 1, 6, 10.00, null, '2024-01-01 00:00', '2024-01-01 00:00');
"""

ORDER_CODE = r"^ORD-\d{4}$"
STATUSES = ["placed", "shipped", "delivered", "cancelled"]
FOREIGN_KEY = """
    select o.* from {batch} as o
    left join raw.customers as c on c.customer_id = o.customer_id
    where o.customer_id is not null and c.customer_id is null
"""
RECONCILIATION = """
    select o.order_id from {batch} as o
    join (
        select order_id, sum(quantity * unit_price_usd) as lines_usd
        from raw.order_lines group by order_id
    ) as l on l.order_id = o.order_id
    where abs(l.lines_usd - o.amount_usd) > {tolerance}
"""


class Case(NamedTuple):
    """One expectation on one table, with the outcome DuckDB must give."""

    table: str
    expectation: Any
    success: bool
    unexpected: int | None = None  # unexpected_count (or rows of an UnexpectedRowsExpectation)
    observed: Any = None  # observed_value, for aggregate and table expectations


def _pair(**kwargs: Any) -> Any:
    return E.ExpectColumnPairValuesAToBeGreaterThanB(
        ignore_row_if="either_value_is_missing", **kwargs
    )


CASES: dict[str, Case] = {
    # expect_column_values_to_not_be_null
    "not_null_fails": Case(
        "orders", E.ExpectColumnValuesToNotBeNull(column="customer_id"), False, 1
    ),
    "not_null_passes": Case("orders", E.ExpectColumnValuesToNotBeNull(column="order_id"), True, 0),
    # expect_column_values_to_be_unique (both rows of a duplicate count)
    "unique_fails": Case("orders", E.ExpectColumnValuesToBeUnique(column="order_id"), False, 2),
    "unique_passes": Case("orders", E.ExpectColumnValuesToBeUnique(column="order_code"), True, 0),
    # expect_compound_columns_to_be_unique
    "compound_unique_fails": Case(
        "order_lines",
        E.ExpectCompoundColumnsToBeUnique(column_list=["order_id", "line_number"]),
        False,
        2,
    ),
    "compound_unique_passes": Case(
        "orders",
        E.ExpectCompoundColumnsToBeUnique(column_list=["order_id", "customer_id"]),
        True,
        0,
    ),
    # expect_column_values_to_be_in_set (nulls are not unexpected)
    "in_set_fails": Case(
        "orders", E.ExpectColumnValuesToBeInSet(column="status", value_set=STATUSES), False, 2
    ),
    "in_set_passes": Case(
        "orders",
        E.ExpectColumnValuesToBeInSet(column="status", value_set=[*STATUSES, "lost", "returned"]),
        True,
        0,
    ),
    # expect_column_values_to_be_between: numbers, strict bounds, timestamps, dates
    "between_passes_inclusive": Case(
        "orders",
        E.ExpectColumnValuesToBeBetween(column="amount_usd", min_value=10, max_value=80),
        True,
        0,
    ),
    "between_fails_strict": Case(
        "orders",
        E.ExpectColumnValuesToBeBetween(
            column="amount_usd", min_value=10, max_value=80, strict_min=True, strict_max=True
        ),
        False,
        2,
    ),
    "between_fails_quantity": Case(
        "order_lines",
        E.ExpectColumnValuesToBeBetween(column="quantity", min_value=1, max_value=100),
        False,
        1,
    ),
    "between_fails_timestamps": Case(
        "orders",
        E.ExpectColumnValuesToBeBetween(
            column="ordered_at",
            min_value=dt.datetime(2024, 1, 1),
            max_value=dt.datetime(2024, 1, 31, 23, 59, 59),
        ),
        False,
        4,
    ),
    "between_fails_timestamps_strict_max": Case(
        "orders",
        E.ExpectColumnValuesToBeBetween(
            column="ordered_at",
            min_value=dt.datetime(2024, 1, 1),
            max_value=dt.datetime(2024, 1, 31, 23, 59, 59),
            strict_max=True,
        ),
        False,
        5,
    ),
    "between_fails_dates": Case(
        "orders",
        E.ExpectColumnValuesToBeBetween(
            column="order_date", min_value=dt.date(2024, 1, 1), max_value=dt.date(2024, 1, 31)
        ),
        False,
        4,
    ),
    "between_passes_dates": Case(
        "orders",
        E.ExpectColumnValuesToBeBetween(
            column="order_date", min_value=dt.date(2023, 12, 31), max_value=dt.date(2024, 3, 1)
        ),
        True,
        0,
    ),
    # expect_column_pair_values_a_to_be_greater_than_b, rows with a null on either side ignored
    "pair_or_equal_fails": Case(
        "order_lines", _pair(column_A="shipped_at", column_B="ordered_at", or_equal=True), False, 1
    ),
    "pair_strict_fails": Case(
        "order_lines", _pair(column_A="shipped_at", column_B="ordered_at", or_equal=False), False, 2
    ),
    "pair_passes": Case(
        "order_lines", _pair(column_A="delivered_at", column_B="shipped_at", or_equal=True), True, 0
    ),
    # expect_column_values_to_match_regex: DuckDB's `~` searches, like Python's re.search
    "regex_fails": Case(
        "orders", E.ExpectColumnValuesToMatchRegex(column="order_code", regex=ORDER_CODE), False, 2
    ),
    "regex_passes_unanchored": Case(
        "orders", E.ExpectColumnValuesToMatchRegex(column="order_code", regex=r"\d"), True, 0
    ),
    # expect_column_values_to_match_like_pattern
    "like_fails": Case(
        "orders",
        E.ExpectColumnValuesToMatchLikePattern(column="order_code", like_pattern="ORD-%"),
        False,
        2,
    ),
    "like_passes": Case(
        "orders",
        E.ExpectColumnValuesToMatchLikePattern(column="order_code", like_pattern="%-%"),
        True,
        0,
    ),
    # expect_table_row_count_to_be_between / _to_equal
    "row_count_between_passes": Case(
        "orders", E.ExpectTableRowCountToBeBetween(min_value=1, max_value=8), True, observed=8
    ),
    "row_count_between_fails": Case(
        "orders", E.ExpectTableRowCountToBeBetween(min_value=9), False, observed=8
    ),
    "row_count_equal_passes": Case(
        "order_lines", E.ExpectTableRowCountToEqual(value=8), True, observed=8
    ),
    "row_count_equal_fails": Case(
        "orders", E.ExpectTableRowCountToEqual(value=9), False, observed=8
    ),
    # expect_column_values_to_be_of_type (SQLAlchemy type names) / expect_table_columns_to_match_set
    "type_passes_bigint": Case(
        "orders",
        E.ExpectColumnValuesToBeOfType(column="order_id", type_="BigInteger"),
        True,
        observed="BigInteger",
    ),
    "type_passes_timestamp": Case(
        "order_lines",
        E.ExpectColumnValuesToBeOfType(column="ordered_at", type_="TIMESTAMP"),
        True,
        observed="TIMESTAMP",
    ),
    "type_fails": Case(
        "orders",
        E.ExpectColumnValuesToBeOfType(column="status", type_="Integer"),
        False,
        observed="String",
    ),
    "columns_match_set_passes": Case(
        "orders",
        E.ExpectTableColumnsToMatchSet(
            column_set=[
                "order_id",
                "customer_id",
                "status",
                "order_code",
                "ordered_at",
                "order_date",
                "amount_usd",
            ]
        ),
        True,
    ),
    "columns_match_set_fails": Case(
        "orders", E.ExpectTableColumnsToMatchSet(column_set=["order_id", "gmv_usd"]), False
    ),
    # expect_column_sum_to_be_between / expect_column_min_to_be_between
    "sum_passes": Case(
        "orders",
        E.ExpectColumnSumToBeBetween(column="amount_usd", min_value=360, max_value=360),
        True,
        observed=360,
    ),
    "sum_fails": Case(
        "order_lines",
        E.ExpectColumnSumToBeBetween(column="quantity", max_value=20),
        False,
        observed=22,
    ),
    "min_fails_dates": Case(
        "orders",
        E.ExpectColumnMinToBeBetween(column="order_date", min_value=dt.date(2024, 1, 1)),
        False,
        observed=dt.date(2023, 12, 31),
    ),
    # UnexpectedRowsExpectation: a foreign key and a reconciliation, with {batch}
    "foreign_key_fails": Case(
        "orders", E.UnexpectedRowsExpectation(unexpected_rows_query=FOREIGN_KEY), False, 1
    ),
    "reconciliation_fails": Case(
        "orders",
        E.UnexpectedRowsExpectation(
            unexpected_rows_query=RECONCILIATION.replace("{tolerance}", "0")
        ),
        False,
        1,
    ),
    "reconciliation_passes_within_tolerance": Case(
        "orders",
        E.UnexpectedRowsExpectation(
            unexpected_rows_query=RECONCILIATION.replace("{tolerance}", "10")
        ),
        True,
        0,
    ),
    "unexpected_rows_without_join_passes": Case(
        "order_lines",
        E.UnexpectedRowsExpectation(
            unexpected_rows_query="select * from {batch} where quantity < 0"
        ),
        True,
        0,
    ),
}


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small DuckDB file with orders, order lines and customers in schema `raw`."""
    path = tmp_path_factory.mktemp("gx_duckdb") / "warehouse.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute(SCHEMA_SQL)
    return path


@pytest.fixture(scope="module")
def datasource(warehouse: Path) -> Iterator[DuckDBDatasource]:
    """The adapter's datasource on the test file, read-only, disposed after the module."""
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    source = context.data_sources.add_duckdb(
        name="warehouse",
        connection_string=duckdb_url(warehouse),
        default_schema="raw",
        kwargs={"connect_args": {"read_only": True}},
    )
    yield source
    source.dispose()


@pytest.fixture(scope="module")
def results(datasource: DuckDBDatasource) -> dict[str, Any]:
    """Validate every case, one suite per table, and index the results by case name."""
    found: dict[str, Any] = {}
    for table in sorted({case.table for case in CASES.values()}):
        batch = (
            datasource.add_table_asset(name=table, table_name=table)
            .add_batch_definition_whole_table("whole_table")
            .get_batch()
        )
        expectations = [
            case.expectation.copy(update={"meta": {"case": name}})
            for name, case in CASES.items()
            if case.table == table
        ]
        suite = gx.ExpectationSuite(name=table, expectations=expectations)
        run = batch.validate(suite, result_format={"result_format": "BASIC"})
        found.update({r.expectation_config.meta["case"]: r for r in run.results})
    return found


@pytest.mark.parametrize("name", list(CASES))
def test_expectation_gives_exact_result_on_duckdb(results: dict[str, Any], name: str) -> None:
    case = CASES[name]
    result = results[name]
    assert not result.exception_info.get("raised_exception"), result.exception_info
    assert not any(
        isinstance(info, dict) and info.get("raised_exception")
        for info in result.exception_info.values()
    ), result.exception_info
    details = result.result
    if case.unexpected is not None:
        key = "observed_value" if "observed_value" in details else "unexpected_count"
        assert details[key] == case.unexpected
    if case.observed is not None:
        assert details["observed_value"] == case.observed
    assert result.success is case.success


def test_regex_failure_samples_the_offending_values(results: dict[str, Any]) -> None:
    assert sorted(results["regex_fails"].result["partial_unexpected_list"]) == ["X-7", "ord-5"]


def test_pair_ignores_rows_with_a_null_side(results: dict[str, Any]) -> None:
    result = results["pair_or_equal_fails"].result
    assert result["element_count"] == 8
    assert result["unexpected_count"] == 1
    assert result["partial_unexpected_list"] == [
        (dt.datetime(2024, 1, 31), dt.datetime(2024, 2, 1))
    ]


def test_engine_rows_stay_readable_after_the_connection_block(warehouse: Path) -> None:
    engine = DuckDBExecutionEngine(
        connection_string=duckdb_url(warehouse), connect_args={"read_only": True}
    )
    try:
        rows = engine.execute_query(sa.text("select count(*) from raw.orders")).fetchall()
    finally:
        engine.close()
    assert [tuple(row) for row in rows] == [(8,)]


def test_engine_recovers_from_a_failed_query(warehouse: Path) -> None:
    engine = DuckDBExecutionEngine(
        connection_string=duckdb_url(warehouse), connect_args={"read_only": True}
    )
    try:
        with pytest.raises(sa.exc.ProgrammingError, match="no_such_table"):
            engine.execute_query(sa.text("select * from raw.no_such_table"))
        rows = engine.execute_query(sa.text("select count(*) from raw.order_lines")).fetchall()
    finally:
        engine.close()
    assert [tuple(row) for row in rows] == [(8,)]


def test_engine_plain_gx_still_loses_duckdb_rows(warehouse: Path) -> None:
    """Canary: when this fails, GX reads DuckDB rows itself and the adapter may be dropped."""
    engine = SqlAlchemyExecutionEngine(
        connection_string=duckdb_url(warehouse), connect_args={"read_only": True}
    )
    try:
        rows = engine.execute_query(sa.text("select count(*) from raw.orders")).fetchall()
    finally:
        engine.close()
    assert rows == []


def test_engine_dispose_releases_the_file(tmp_path: Path) -> None:
    path = tmp_path / "small.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("create table t as select range as id from range(3)")
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    source = context.data_sources.add_duckdb(
        name="small",
        connection_string=duckdb_url(path),
        kwargs={"connect_args": {"read_only": True}},
    )
    batch = (
        source.add_table_asset(name="t", table_name="t")
        .add_batch_definition_whole_table("whole_table")
        .get_batch()
    )
    assert batch.validate(E.ExpectTableRowCountToEqual(value=3)).success
    source.dispose()
    # A read-only connection still open in this process would make this read-write one fail.
    with duckdb.connect(str(path)) as con:
        con.execute("insert into t values (3)")
        assert con.execute("select count(*) from t").fetchone() == (4,)

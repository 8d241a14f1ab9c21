"""The monthly models downstream of fct_order_lines rebuild from the run's first month on
(macros/rebuilt_months.sql), and give what a full rebuild gives."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest
from dbt_commands import run_dbt
from warehouse_diff import compare_table

pytestmark = pytest.mark.slow

JUNE = "{months_from: 2023-06-01, months_to: 2023-06-01}"
# Each incremental model and its key (the marked-row test picks one row by it).
MONTHLY_MODELS = {
    "staging.stg_marketplace__order_lines": "order_id, line_number",
    "marts.fct_order_lines": "order_id, line_number",
    "marts.fct_orders": "order_id",
    "intermediate.int_buyers_aggregated_to_months": "buyer_id, month_start",
    "intermediate.int_supplier_buyers_aggregated_to_months": "supplier_id, buyer_id, month_start",
    "intermediate.int_suppliers_aggregated_to_months": "supplier_id, month_start",
    "intermediate.int_metrics_monthly": "metric, month_start, dimension, dimension_value",
}
MARTS = ("marts.kpi_growth", "marts.supplier_performance", "marts.pavilion_shortlist")
# A column to mark one row per month with in each model (month column, marked column, rows)
# and the marked months a June rebuild keeps: staging and fct_order_lines rebuild the range,
# the models after them every month from its first on.
RANGE_KEPT = [date(2023, 5, 1), date(2023, 7, 1)]
FROM_KEPT = [date(2023, 5, 1)]
MARKED = {
    "staging.stg_marketplace__order_lines": ("order_month", "quantity", "true", RANGE_KEPT),
    "marts.fct_order_lines": ("order_month", "quantity", "true", RANGE_KEPT),
    "marts.fct_orders": ("order_month", "order_lines", "true", FROM_KEPT),
    "intermediate.int_buyers_aggregated_to_months": ("month_start", "orders", "true", FROM_KEPT),
    "intermediate.int_supplier_buyers_aggregated_to_months": (
        "month_start",
        "orders",
        "true",
        FROM_KEPT,
    ),
    "intermediate.int_suppliers_aggregated_to_months": ("month_start", "orders", "true", FROM_KEPT),
    "intermediate.int_metrics_monthly": (
        "month_start",
        "value",
        "metric <> 'listed_suppliers'",
        FROM_KEPT,
    ),
}
JUNE_LINES = "ordered_at >= '2023-06-01' and ordered_at < '2023-07-01'"


def _add_copy(warehouse, line: tuple, order_id: str, quantity: float, ordered_at: str = "") -> None:
    """A copy of a raw line loaded an hour later from another file, with a quantity of its own,
    `order_id` as its id (padded, say) and, when given, another ordered_at."""
    warehouse.execute(
        "insert into raw.orders by name "
        "select * replace (? as order_id, ? as quantity, _source_file || '~' as _source_file, "
        "coalesce(cast(nullif(?, '') as timestamp), ordered_at) as ordered_at, "
        "_loaded_at + interval 1 hour as _loaded_at) "
        "from raw.orders where order_id = ? and line_number = ?",
        [order_id, quantity, ordered_at, *line],
    )


def _change_june_and_a_listing(warehouse) -> None:
    """A June line's quantity, a June line gone, a June line delivered again, a padded copy of
    another, and a supplier listed from 2020 on."""
    first, last = warehouse.query(
        f"select min((order_id, line_number)), max((order_id, line_number)) "
        f"from raw.orders where {JUNE_LINES}"
    )[0]
    warehouse.execute(
        "update raw.orders set quantity = quantity + 1000 where order_id = ? and line_number = ?",
        list(first),
    )
    warehouse.execute(
        "delete from raw.orders where order_id = ? and line_number = ?",
        list(last),
    )
    again, padded = warehouse.query(
        f"select (order_id, line_number) from raw.orders where {JUNE_LINES} "
        "order by order_id, line_number limit 2 offset 1"
    )
    _add_copy(warehouse, again[0], again[0][0], 7)
    _add_copy(warehouse, padded[0], f"  {padded[0][0]} ", 9)
    warehouse.execute(
        "update raw.suppliers set joined_at = '2020-01-01' where supplier_id = "
        "(select max(supplier_id) from raw.suppliers where joined_at > '2023-01-01')"
    )


def _assert_same_tables(found, expected, tables: list[str]) -> None:
    """Same columns and rows; sums of doubles may differ in the last bits (by 1e-12 times the
    value, or 1e-12 below 1) with the order DuckDB adds them in."""
    with duckdb.connect() as conn:
        conn.execute("attach ? as expected (read_only)", [str(expected.path)])
        conn.execute("attach ? as found (read_only)", [str(found.path)])
        differences = {
            table: compare_table(
                conn, *table.split("."), labels=("full rebuild", "incremental"),
                tolerance=1e-12,
            )
            for table in tables
        }  # fmt: skip
    assert differences == {table: [] for table in tables}


@pytest.fixture(scope="module")
def rebuilt_in_full(small_warehouse, tmp_path_factory: pytest.TempPathFactory):
    """The changed data, every model rebuilt from scratch."""
    warehouse = small_warehouse.copy_to(tmp_path_factory.mktemp("full"))
    _change_june_and_a_listing(warehouse)
    run_dbt(["run", "--full-refresh"], warehouse.path, warehouse.work_dir)
    return warehouse


def test_rebuilding_june_gives_what_a_full_rebuild_gives(
    small_warehouse, rebuilt_in_full, dbt, tmp_path: Path
) -> None:
    warehouse = small_warehouse.copy_to(tmp_path)
    _change_june_and_a_listing(warehouse)
    june_buyers = warehouse.query(
        "select is_first_active_month, count(*) from intermediate.int_buyers_aggregated_to_months "
        "where month_start = '2023-06-01' group by all order by all"
    )
    carried_pairs = warehouse.query(
        "select count(*) from intermediate.int_supplier_buyers_aggregated_to_months "
        "where month_start = '2023-06-01' and cumulative_orders > orders"
    )

    dbt(["run", "--vars", JUNE], warehouse.path, tmp_path)

    # June has buyers new that month and buyers seen before, and pairs with earlier orders.
    assert [first for first, count in june_buyers if count > 0] == [False, True]
    assert carried_pairs[0][0] > 0
    _assert_same_tables(warehouse, rebuilt_in_full, [*MONTHLY_MODELS, *MARTS])


def test_an_incremental_run_without_months_rebuilds_everything(
    small_warehouse, rebuilt_in_full, dbt, tmp_path: Path
) -> None:
    warehouse = small_warehouse.copy_to(tmp_path)
    _change_june_and_a_listing(warehouse)
    # The copies loaded an hour later make fct_order_lines rebuild June (its rule without
    # months); everything after it is rebuilt whole.
    dbt(["run"], warehouse.path, tmp_path)

    _assert_same_tables(warehouse, rebuilt_in_full, [*MONTHLY_MODELS, *MARTS])


def test_a_june_rebuild_keeps_the_months_before_it(small_warehouse, dbt, tmp_path: Path) -> None:
    warehouse = small_warehouse.copy_to(tmp_path)
    for table, (month, column, rows, _) in MARKED.items():
        key = MONTHLY_MODELS[table]
        for month_start in ("2023-05-01", "2023-06-01", "2023-07-01"):
            warehouse.execute(
                f"update {table} set {column} = -1 where ({key}) = "
                f"(select min(({key})) from {table} where {month} = ? and {rows})",
                [month_start],
            )
    models = [table.split(".")[1] for table in MONTHLY_MODELS]

    dbt(["run", "--select", *models, "--vars", JUNE], warehouse.path, tmp_path)

    for table, (month, column, _, kept) in MARKED.items():
        found = warehouse.query(f"select {month} from {table} where {column} = -1 order by all")
        assert [row[0] for row in found] == kept, table


def test_staging_moves_a_line_delivered_again_in_june_and_keeps_may(
    small_warehouse, dbt, tmp_path: Path
) -> None:
    warehouse = small_warehouse.copy_to(tmp_path)
    moved, padded = (
        row[0]
        for row in warehouse.query(
            "select (order_id, line_number) from raw.orders "
            "where ordered_at >= '2023-05-01' and ordered_at < '2023-06-01' order by all limit 2"
        )
    )
    padded_quantity = warehouse.query(
        "select quantity from staging.stg_marketplace__order_lines "
        "where order_id = ? and line_number = ?",
        list(padded),
    )
    _add_copy(warehouse, moved, moved[0], 5, "2023-06-15 10:00:00")
    _add_copy(warehouse, padded, f" {padded[0]}  ", 9)

    dbt(
        ["run", "--select", "stg_marketplace__order_lines", "--vars", JUNE],
        warehouse.path,
        tmp_path,
    )

    def stored(line: tuple) -> list[tuple]:
        return warehouse.query(
            "select order_month, quantity from staging.stg_marketplace__order_lines "
            "where order_id = ? and line_number = ?",
            list(line),
        )

    assert stored(moved) == [(date(2023, 6, 1), 5.0)]
    # May is not rebuilt: its line stays as it was, once, whatever arrived for it since.
    assert stored(padded) == [(date(2023, 5, 1), padded_quantity[0][0])]

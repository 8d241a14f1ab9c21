"""fct_order_lines: month-by-month rebuilds, the month-range vars, de-duplication and FX."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from pipelines.config import DBT_PROJECT_DIR

pytestmark = pytest.mark.slow

JUNE = "{months_from: 2023-06-01, months_to: 2023-06-01}"
MAY = "{months_from: 2023-05-01, months_to: 2023-05-01}"
# The staging order lines are a table that fct_order_lines reads: rebuild both, as a build does.
REBUILT = ("stg_marketplace__order_lines", "fct_order_lines")
FIRST_LINE_OF_MONTH = """
select order_id, line_number, quantity
from raw.orders
where ordered_at >= cast(? as timestamptz) and ordered_at < cast(? as timestamptz)
order by order_id, line_number
limit 1
"""
MONTH_TOTALS = """
select order_month, count(*), sum(quantity)
from marts.fct_order_lines
group by order_month
order by order_month
"""
LINE_QUANTITY = "select quantity from marts.fct_order_lines where order_id = ? and line_number = ?"


def _first_line(warehouse, month_start: str, next_month: str) -> tuple[str, int, float]:
    return warehouse.query(FIRST_LINE_OF_MONTH, [month_start, next_month])[0]


def _add_to_quantity(warehouse, line: tuple[str, int, float], extra: float) -> None:
    warehouse.execute(
        "update raw.orders set quantity = quantity + ? where order_id = ? and line_number = ?",
        [extra, line[0], line[1]],
    )


def test_rebuilding_june_lands_only_june(small_warehouse, dbt, tmp_path: Path) -> None:
    warehouse = small_warehouse.copy_to(tmp_path)
    june = _first_line(warehouse, "2023-06-01", "2023-07-01")
    july = _first_line(warehouse, "2023-07-01", "2023-08-01")
    gone = warehouse.query(
        "select order_id, line_number, quantity from raw.orders "
        "where ordered_at >= '2023-06-01' and ordered_at < '2023-07-01' "
        "order by order_id desc, line_number desc limit 1"
    )[0]
    before = {month: (lines, total) for month, lines, total in warehouse.query(MONTH_TOTALS)}
    _add_to_quantity(warehouse, june, 1000)
    _add_to_quantity(warehouse, july, 1000)
    warehouse.execute(
        "delete from raw.orders where order_id = ? and line_number = ?", [gone[0], gone[1]]
    )

    dbt(["build", "--select", *REBUILT, "--vars", JUNE], warehouse.path, tmp_path)

    after = {month: (lines, total) for month, lines, total in warehouse.query(MONTH_TOTALS)}
    assert warehouse.query(LINE_QUANTITY, june[:2]) == [(june[2] + 1000,)]
    assert warehouse.query(LINE_QUANTITY, gone[:2]) == []
    assert warehouse.query(LINE_QUANTITY, july[:2]) == [(july[2],)]
    assert after.keys() == before.keys()
    june_lines, june_total = before.pop(date(2023, 6, 1))
    assert after.pop(date(2023, 6, 1)) == (june_lines - 1, june_total + 1000 - gone[2])
    assert after == before


def test_a_rebuilt_month_without_rows_left_is_emptied(small_warehouse, dbt, tmp_path: Path) -> None:
    warehouse = small_warehouse.copy_to(tmp_path)
    before = {month: (lines, total) for month, lines, total in warehouse.query(MONTH_TOTALS)}
    warehouse.execute(
        "delete from raw.orders where ordered_at >= '2023-05-01' and ordered_at < '2023-06-01'"
    )

    dbt(
        ["run", "--select", *REBUILT, "--vars", MAY],
        warehouse.path,
        tmp_path,
    )

    after = {month: (lines, total) for month, lines, total in warehouse.query(MONTH_TOTALS)}
    assert before.pop(date(2023, 5, 1))[0] > 0
    assert after == before


def test_without_vars_only_months_with_newly_loaded_rows_are_rebuilt(
    small_warehouse, dbt, tmp_path: Path
) -> None:
    warehouse = small_warehouse.copy_to(tmp_path)
    june = _first_line(warehouse, "2023-06-01", "2023-07-01")
    july = _first_line(warehouse, "2023-07-01", "2023-08-01")
    _add_to_quantity(warehouse, june, 1000)
    _add_to_quantity(warehouse, july, 1000)

    dbt(["run", "--select", *REBUILT], warehouse.path, tmp_path)
    unchanged = (warehouse.query(LINE_QUANTITY, june[:2]), warehouse.query(LINE_QUANTITY, july[:2]))

    warehouse.execute(
        "update raw.orders set _loaded_at = _loaded_at + interval 1 hour "
        "where ordered_at >= '2023-07-01' and ordered_at < '2023-08-01'"
    )
    dbt(["run", "--select", *REBUILT], warehouse.path, tmp_path)

    assert unchanged == ([(june[2],)], [(july[2],)])
    assert warehouse.query(LINE_QUANTITY, june[:2]) == [(june[2],)]
    assert warehouse.query(LINE_QUANTITY, july[:2]) == [(july[2] + 1000,)]


@pytest.mark.parametrize(
    ("month_vars", "message"),
    [
        (
            "{months_from: 2023-06-01}",
            "set both months_from and months_to (got months_from=2023-06-01, months_to=None)",
        ),
        (
            "{months_from: 2023-06-15, months_to: 2023-06-15}",
            "months_from and months_to must be first days of months (YYYY-MM-01), got 2023-06-15",
        ),
        (
            "{months_from: 2023-07-01, months_to: 2023-06-01}",
            "months_from (2023-07-01) is after months_to (2023-06-01)",
        ),
    ],
)
def test_month_range_vars_are_checked(
    small_warehouse, dbt, tmp_path: Path, month_vars: str, message: str
) -> None:
    completed = dbt(
        ["compile", "--select", "fct_order_lines", "--vars", month_vars],
        small_warehouse.path,
        tmp_path,
        check=False,
    )
    assert completed.returncode == 2  # dbt: a compilation error
    assert message in completed.stdout


def test_staging_keeps_the_latest_loaded_copy_then_file_then_row(
    small_warehouse, dbt, tmp_path: Path
) -> None:
    warehouse = small_warehouse.copy_to(tmp_path)
    order_id, line_number, _ = _first_line(warehouse, "2023-06-01", "2023-07-01")

    def add_copy(quantity: int, file_suffix: str, row: int, hours_later: int) -> int:
        warehouse.execute(
            "insert into raw.orders by name "
            "select * replace (? as quantity, _source_file || ? as _source_file, "
            "? as _source_row, _loaded_at + to_hours(?) as _loaded_at) "
            "from raw.orders where order_id = ? and line_number = ? and _source_row < 1000000000 "
            "order by _source_row limit 1",
            [quantity, file_suffix, row, hours_later, order_id, line_number],
        )
        # The staging order lines are a table: rebuild it from raw.orders as a build does.
        dbt(["run", "--select", "stg_marketplace__order_lines"], warehouse.path, tmp_path)
        return warehouse.query(
            "select quantity from staging.stg_marketplace__order_lines "
            "where order_id = ? and line_number = ?",
            [order_id, line_number],
        )

    assert add_copy(111, "", 1_000_000_001, 0) == [(111,)]  # same load and file, later row
    assert add_copy(222, "~", 1_000_000_002, 0) == [(222,)]  # same load, later file name
    assert add_copy(333, "~~", 1_000_000_003, -1) == [(222,)]  # an earlier load loses
    assert add_copy(444, "", 1_000_000_004, 1) == [(444,)]  # the latest load wins


def test_staging_converts_prices_to_usd_with_the_month_rate(small_warehouse) -> None:
    with open(DBT_PROJECT_DIR / "seeds" / "fx_rates_monthly.csv", newline="") as seed:
        rates = {
            (row["month"], row["currency_code"]): float(row["usd_per_unit"])
            for row in csv.DictReader(seed)
        }
    rows = small_warehouse.query(
        "select currency, quantity, unit_price, usd_per_unit, unit_price_usd, line_amount_usd "
        "from staging.stg_marketplace__order_lines "
        "where order_month = '2023-06-01' and currency in ('VND', 'USD', 'EUR') "
        "order by order_id, line_number"
    )
    by_currency = {row[0]: row for row in rows}

    assert sorted(by_currency) == ["EUR", "USD", "VND"]
    for currency, quantity, price, rate, price_usd, amount_usd in by_currency.values():
        assert rate == rates[("2023-06-01", currency)]
        assert price_usd == pytest.approx(price * rate, rel=1e-15)
        assert amount_usd == pytest.approx(quantity * price * rate, rel=1e-15)


def test_the_pipelines_month_environment_is_read_and_checked_when_vars_are_unset(
    small_warehouse, dbt, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRADEPULSE_MONTHS_FROM", "2023-06-15")
    monkeypatch.setenv("TRADEPULSE_MONTHS_TO", "2023-06-15")
    from_env = dbt(
        ["compile", "--select", "fct_order_lines"], small_warehouse.path, tmp_path, False
    )
    vars_win = dbt(
        ["compile", "--select", "fct_order_lines", "--vars", JUNE],
        small_warehouse.path,
        tmp_path,
    )

    assert from_env.returncode == 2
    assert "must be first days of months (YYYY-MM-01), got 2023-06-15" in from_env.stdout
    assert vars_win.returncode == 0

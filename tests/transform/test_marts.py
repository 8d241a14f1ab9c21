"""The marts on the 50,000-line sample: kpi_growth's shape and flows, supplier_performance and
the docs, checked against plain SQL over the raw Parquet files."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import duckdb
import pytest

from pipelines.config import DBT_PROJECT_DIR

pytestmark = pytest.mark.slow

KPI_GROWTH_COLUMNS = [
    "metric",
    "period_grain",
    "period",
    "dimension",
    "dimension_value",
    "value",
    "value_prior_year",
    "yoy_growth",
    "is_complete_period",
]
ALL_DIMENSIONS = {"all", "buyer_country", "buyer_region", "supplier_country", "category"}
DIMENSIONS_BY_METRIC = {
    "active_buyers": ALL_DIMENSIONS,
    "new_buyers": {"all", "buyer_country", "buyer_region"},
    "listed_suppliers": {"all", "supplier_country", "category"},
    "transacting_suppliers": ALL_DIMENSIONS,
    "orders": ALL_DIMENSIONS,
    "gmv_usd": ALL_DIMENSIONS,
    "avg_order_value_usd": ALL_DIMENSIONS,
}

# Non-cancelled orders and GMV in USD per year, from the files and the FX seed.
FLOWS_BY_YEAR = """
with lines as (
    select distinct
        order_id, line_number, order_status, currency, quantity, unit_price,
        cast(date_trunc('month', timezone('UTC', ordered_at)) as date) as month_start
    from read_parquet(?)
),
rates as (
    select cast(month as date) as month_start, currency_code, usd_per_unit
    from read_csv(?, header = true)
)
select
    cast(year(lines.month_start) as varchar) as period,
    count(distinct lines.order_id) as orders,
    sum(lines.quantity * lines.unit_price * rates.usd_per_unit) as gmv_usd
from lines
inner join rates
    on lines.currency = rates.currency_code and lines.month_start = rates.month_start
where lines.order_status <> 'cancelled'
group by all
order by period
"""

# One supplier's June 2023, order by order, from the files.
SUPPLIER_MONTH = """
with orders as (
    select distinct order_id, buyer_id, order_status, first_response_hours, buyer_rating
    from read_parquet(?)
    where supplier_id = ? and ordered_at >= '2023-06-01' and ordered_at < '2023-07-01'
)
select
    count(*) as orders_received,
    count(*) filter (where order_status <> 'cancelled') as orders,
    count(distinct buyer_id) filter (where order_status <> 'cancelled') as buyers,
    count(*) filter (where order_status = 'cancelled') / count(*) as cancellation_rate,
    count(*) filter (where order_status in ('disputed', 'refunded')) / count(*)
        as dispute_refund_rate,
    avg(buyer_rating) as avg_rating,
    count(buyer_rating) as rating_count,
    median(first_response_hours) as median_first_response_hours
from orders
"""


def test_kpi_growth_columns_grains_and_slices(small_warehouse) -> None:
    columns = [row[0] for row in small_warehouse.query("describe marts.kpi_growth")]
    combinations = small_warehouse.query("select distinct metric, dimension from marts.kpi_growth")
    periods = small_warehouse.query(
        "select period_grain, min(period), max(period), count(distinct period) "
        "from marts.kpi_growth group by period_grain order by period_grain"
    )
    incomplete = small_warehouse.query(
        "select distinct period from marts.kpi_growth where not is_complete_period order by 1"
    )

    assert columns == KPI_GROWTH_COLUMNS
    found: dict[str, set[str]] = {}
    for metric, dimension in combinations:
        found.setdefault(metric, set()).add(dimension)
    assert found == DIMENSIONS_BY_METRIC
    assert periods == [
        ("half", "2020-H1", "2023-H2", 8),
        ("month", "2020-01", "2023-10", 46),
        ("quarter", "2020-Q1", "2023-Q4", 16),
        ("year", "2020", "2023", 4),
    ]
    assert incomplete == [("2023",), ("2023-H2",), ("2023-Q4",)]


def test_kpi_growth_flows_match_plain_sql(small_warehouse) -> None:
    with duckdb.connect() as conn:
        expected = conn.execute(
            FLOWS_BY_YEAR,
            [
                str(small_warehouse.raw_dir / "orders" / "*.parquet"),
                str(DBT_PROJECT_DIR / "seeds" / "fx_rates_monthly.csv"),
            ],
        ).fetchall()
    flows = small_warehouse.query(
        "select period, metric, value, value_prior_year, yoy_growth from marts.kpi_growth "
        "where period_grain = 'year' and dimension = 'all' "
        "and metric in ('orders', 'gmv_usd', 'avg_order_value_usd')"
    )
    found = {(period, metric): values for period, metric, *values in flows}

    assert [row[0] for row in expected] == ["2020", "2021", "2022", "2023"]
    for period, orders, gmv in expected:
        assert found[(period, "orders")][0] == orders
        assert found[(period, "gmv_usd")][0] == pytest.approx(gmv, rel=1e-12)
        assert found[(period, "avg_order_value_usd")][0] == pytest.approx(gmv / orders, rel=1e-12)
    assert found[("2022", "orders")][1:] == [
        expected[1][1],
        pytest.approx(expected[2][1] / expected[1][1] - 1, rel=1e-12),
    ]
    # 2023 ends in October (not complete) but is still compared with the complete 2022.
    assert found[("2023", "orders")][1:] == [
        expected[2][1],
        pytest.approx(expected[3][1] / expected[2][1] - 1, rel=1e-12),
    ]
    assert found[("2020", "gmv_usd")][1:] == [None, None]  # no 2019 in the data


def test_supplier_performance_matches_plain_sql(small_warehouse) -> None:
    supplier = small_warehouse.query(
        "select supplier_id from marts.supplier_performance where month_start = '2023-06-01' "
        "order by orders_received desc, supplier_id limit 1"
    )[0][0]
    with duckdb.connect() as conn:
        expected = conn.execute(
            SUPPLIER_MONTH, [str(small_warehouse.raw_dir / "orders" / "*.parquet"), supplier]
        ).fetchone()
    found = small_warehouse.query(
        "select orders_received, orders, buyers, cancellation_rate, dispute_refund_rate, "
        "avg_rating, rating_count, median_first_response_hours "
        "from marts.supplier_performance where supplier_id = ? and month_start = '2023-06-01'",
        [supplier],
    )

    assert len(found) == 1
    assert found[0][:3] == expected[:3]
    assert found[0][3:] == tuple(pytest.approx(value, rel=1e-12) for value in expected[3:])


def test_supplier_performance_trailing_gmv(small_warehouse) -> None:
    rows = small_warehouse.query(
        "select month_start, gmv_usd, t12m_gmv_usd, t12m_gmv_usd_prior_year, "
        "t12m_gmv_yoy_growth from marts.supplier_performance "
        "where supplier_id = (select supplier_id from marts.supplier_performance "
        "where month_start = '2020-01-01' order by gmv_usd desc, supplier_id limit 1) "
        "order by month_start"
    )
    by_month = {row[0]: row for row in rows}
    october = by_month[date(2023, 10, 1)]
    last_12 = [row[1] for row in rows if date(2022, 11, 1) <= row[0] <= date(2023, 10, 1)]
    prior_12 = [row[1] for row in rows if date(2021, 11, 1) <= row[0] <= date(2022, 10, 1)]

    assert october[2] == pytest.approx(sum(last_12), rel=1e-12)
    assert october[3] == pytest.approx(sum(prior_12), rel=1e-12)
    assert october[4] == pytest.approx(sum(last_12) / sum(prior_12) - 1, rel=1e-12)
    # The data starts in 2020-01: a trailing window needs 12 months of it, a prior one 24.
    assert [row[0] for row in rows if row[2] is None] == [
        row[0] for row in rows if row[0] < date(2020, 12, 1)
    ]
    assert [row[0] for row in rows if row[3] is None] == [
        row[0] for row in rows if row[0] < date(2021, 12, 1)
    ]
    assert len(rows) == 46


def test_docs_generate_documents_every_model(small_warehouse, dbt, tmp_path: Path) -> None:
    shutil.copytree(small_warehouse.work_dir / "target", tmp_path / "target")
    dbt(["docs", "generate", "--no-compile"], small_warehouse.path, tmp_path)
    manifest = json.loads((tmp_path / "target" / "manifest.json").read_text())
    catalog = json.loads((tmp_path / "target" / "catalog.json").read_text())
    models = {
        node["name"]: node
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model"
    }
    kpi_columns = catalog["nodes"]["model.tradepulse.kpi_growth"]["columns"]

    assert sorted(name for name, node in models.items() if not node["description"]) == []
    assert sorted(kpi_columns, key=lambda name: kpi_columns[name]["index"]) == KPI_GROWTH_COLUMNS


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("order_status", "'refunded'"),
        ("currency", "null"),
        ("ordered_at", "ordered_at + interval 1 second"),
    ],
)
def test_orders_whose_lines_disagree_are_reported(
    small_warehouse, dbt, tmp_path: Path, column: str, value: str
) -> None:
    warehouse = small_warehouse.copy_to(tmp_path)
    agreeing = dbt(
        ["test", "--select", "assert_order_level_fields_agree"], warehouse.path, tmp_path
    )
    order_id = warehouse.query(
        "select order_id from marts.fct_order_lines where line_number = 2 "
        "and order_status <> 'refunded' order by order_id limit 1"
    )[0][0]
    warehouse.execute(
        f"update marts.fct_order_lines set {column} = {value} "
        "where order_id = ? and line_number = 2",
        [order_id],
    )

    disagreeing = dbt(
        ["test", "--select", "assert_order_level_fields_agree"], warehouse.path, tmp_path
    )

    assert " WARN=0 ERROR=0 " in agreeing.stdout
    assert "Got 1 result, configured to warn if != 0" in disagreeing.stdout

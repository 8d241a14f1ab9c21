"""`run_expectations` returns typed outcomes, renders Data Docs and releases the DuckDB file."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import duckdb
import great_expectations as gx
import pytest

from pipelines.errors import TradePulseError
from pipelines.quality import runner
from pipelines.quality.runner import (
    ExpectationOutcome,
    GXSession,
    build_data_docs,
    run_expectations,
)

E = gx.expectations


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    """A DuckDB file with a raw table, a dbt-style marts schema and a table in `main`."""
    path = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute(
            """
            create schema raw;
            create table raw.orders as
                select
                    range + 1 as order_id,
                    case when range % 4 = 0 then null else 'buyer-' || range end as buyer_id,
                    range % 3 as quantity
                from range(12);
            create schema main_marts;
            create table main_marts.kpi_growth (supplier_id varchar, yoy_growth double);
            insert into main_marts.kpi_growth values ('s1', 0.55), ('s2', -0.10), (null, 1.20);
            create table suppliers as select 's' || range as supplier_id from range(2);
            """
        )
    return path


def test_outcomes_are_typed_and_in_input_order(warehouse: Path) -> None:
    outcomes = run_expectations(
        warehouse,
        "raw.orders",
        [
            E.ExpectTableRowCountToEqual(value=12),
            E.ExpectColumnValuesToNotBeNull(column="buyer_id"),
            E.ExpectColumnValuesToBeBetween(
                column="quantity", min_value=1, max_value=2, severity="warning"
            ),
            E.ExpectCompoundColumnsToBeUnique(column_list=["order_id", "buyer_id"]),
        ],
        suite_name="orders",
        partial_unexpected_count=2,
    )
    assert outcomes == [
        ExpectationOutcome(
            expectation_type="expect_table_row_count_to_equal",
            columns=(),
            kwargs={"value": 12},
            success=True,
            severity="critical",
            observed_value=12,
        ),
        ExpectationOutcome(
            expectation_type="expect_column_values_to_not_be_null",
            columns=("buyer_id",),
            kwargs={"column": "buyer_id"},
            success=False,
            severity="critical",
            element_count=12,
            unexpected_count=3,
            unexpected_percent=25.0,
            partial_unexpected_list=(None, None),
        ),
        ExpectationOutcome(
            expectation_type="expect_column_values_to_be_between",
            columns=("quantity",),
            kwargs={"column": "quantity", "min_value": 1, "max_value": 2},
            success=False,
            severity="warning",
            element_count=12,
            unexpected_count=4,
            unexpected_percent=pytest.approx(100 * 4 / 12),
            partial_unexpected_list=(0, 0),
        ),
        ExpectationOutcome(
            expectation_type="expect_compound_columns_to_be_unique",
            columns=("order_id", "buyer_id"),
            kwargs={"column_list": ["order_id", "buyer_id"]},
            success=True,
            severity="critical",
            element_count=12,
            unexpected_count=0,
            unexpected_percent=0.0,
        ),
    ]
    assert [o.blocking for o in outcomes] == [False, True, False, False]
    assert outcomes[1].summary() == (
        "expect_column_values_to_not_be_null(column=buyer_id): 3 of 12 unexpected"
    )


@pytest.mark.parametrize(
    ("table", "rows"), [("raw.orders", 12), ("main_marts.kpi_growth", 3), ("suppliers", 2)]
)
def test_schema_qualified_and_plain_table_names(warehouse: Path, table: str, rows: int) -> None:
    (outcome,) = run_expectations(
        warehouse, table, [E.ExpectTableRowCountToEqual(value=rows)], suite_name="count"
    )
    assert (outcome.success, outcome.observed_value) == (True, rows)


def test_unexpected_rows_count_foreign_key_orphans(warehouse: Path) -> None:
    query = """
        select k.* from {batch} as k
        left join main.suppliers as s on s.supplier_id = k.supplier_id
        where k.supplier_id is not null and s.supplier_id is null
    """
    (outcome,) = run_expectations(
        warehouse,
        "main_marts.kpi_growth",
        [E.UnexpectedRowsExpectation(unexpected_rows_query=query)],
        suite_name="kpi_growth_fk",
    )
    # 's2' is not among suppliers s0 and s1; the null supplier is not an orphan.
    assert (outcome.success, outcome.unexpected_count) == (False, 1)
    assert outcome.summary() == "unexpected_rows_expectation(): 1 unexpected"


def test_expectation_gx_cannot_evaluate_is_an_outcome_not_a_crash(warehouse: Path) -> None:
    broken_sql, missing, present = run_expectations(
        warehouse,
        "raw.orders",
        [
            E.UnexpectedRowsExpectation(unexpected_rows_query="select * from {batch} where nope"),
            E.ExpectColumnValuesToNotBeNull(column="no_such_column"),
            E.ExpectColumnValuesToNotBeNull(column="buyer_id"),
        ],
        suite_name="orders",
    )
    assert (broken_sql.success, broken_sql.blocking) == (False, True)
    assert broken_sql.summary() == (
        "unexpected_rows_expectation(): error: (_duckdb.BinderException) Binder Error: "
        'Referenced column "nope" not found in FROM clause!'
    )
    assert (missing.success, missing.blocking) == (False, True)
    assert missing.exception == 'Error: The column "no_such_column" in BatchData does not exist.'
    # The failed SQL did not leave the run's connection unusable.
    assert (present.exception, present.unexpected_count) == (None, 3)


def test_same_expectations_can_run_twice(warehouse: Path) -> None:
    expectations = [E.ExpectColumnValuesToNotBeNull(column="buyer_id")]
    first = run_expectations(warehouse, "raw.orders", expectations, suite_name="a")
    second = run_expectations(warehouse, "raw.orders", expectations, suite_name="b")
    assert first == second
    assert expectations[0].id is None


def test_missing_table_and_missing_file_raise_actionable_errors(
    warehouse: Path, tmp_path: Path
) -> None:
    not_null = [E.ExpectColumnValuesToNotBeNull(column="order_id")]
    with pytest.raises(TradePulseError, match=r"cannot read table 'raw\.nope' in .*warehouse"):
        run_expectations(warehouse, "raw.nope", not_null, suite_name="orders")
    with pytest.raises(TradePulseError, match=r"no DuckDB file at .*absent\.duckdb"):
        run_expectations(tmp_path / "absent.duckdb", "raw.orders", not_null, suite_name="x")


@pytest.mark.parametrize("read_only", [True, False])
def test_file_is_released_after_a_run(warehouse: Path, read_only: bool) -> None:
    run_expectations(
        warehouse,
        "raw.orders",
        [E.ExpectColumnValuesToNotBeNull(column="order_id")],
        suite_name="orders",
        read_only=read_only,
    )
    # In this process: a GX connection left open (read-only or not) would conflict with this one.
    with duckdb.connect(str(warehouse)) as con:
        con.execute("create table raw.after_gx as select 1 as x")
    # In another process: DuckDB's file lock must be free.
    writer = (
        "import duckdb, sys; con = duckdb.connect(sys.argv[1]); "
        "con.execute('create table raw.other_process as select 1 as x'); con.close()"
    )
    subprocess.run([sys.executable, "-c", writer, str(warehouse)], check=True, timeout=60)


def test_data_docs_keep_latest_result_per_suite_and_read_offline(
    warehouse: Path, tmp_path: Path
) -> None:
    site = tmp_path / "quality"
    not_null = [E.ExpectColumnValuesToNotBeNull(column="buyer_id")]
    first = run_expectations(
        warehouse, "raw.orders", not_null, suite_name="orders", data_docs_dir=site
    )
    second = run_expectations(
        warehouse, "raw.orders", not_null, suite_name="orders", data_docs_dir=site
    )
    kpi = run_expectations(
        warehouse,
        "main_marts.kpi_growth",
        [E.ExpectColumnValuesToNotBeNull(column="yoy_growth")],
        suite_name="kpi_growth",
        data_docs_dir=site,
    )

    pages = sorted(p.relative_to(site).as_posix() for p in (site / "validations").rglob("*.html"))
    assert len(pages) == 2  # the first "orders" page was replaced by the second
    assert first[0].data_docs_url != second[0].data_docs_url
    for outcome in (second[0], kpi[0]):
        assert outcome.data_docs_url is not None
        page = Path(outcome.data_docs_url.removeprefix("file://"))
        assert page.relative_to(site).as_posix() in pages
    orders_page = Path(second[0].data_docs_url.removeprefix("file://")).read_text()
    # The content is in the static HTML (no server, no script needed to read it).
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", orders_page))
    assert "3 unexpected values found" in text
    assert "orders" in text

    index = (site / "index.html").read_text()
    offline = re.search(r'<div id="tradepulse-offline-index".*?</ul>', index, flags=re.S)
    assert offline is not None
    assert re.findall(r'<li><a href="([^"]+)">([^<]+)</a>: (\w+)', offline.group(0)) == [
        (
            Path(kpi[0].data_docs_url.removeprefix("file://")).relative_to(site).as_posix(),
            "kpi_growth on warehouse-main_marts.kpi_growth",
            "passed",
        ),
        (
            Path(second[0].data_docs_url.removeprefix("file://")).relative_to(site).as_posix(),
            "orders on warehouse-raw.orders",
            "FAILED",
        ),
    ]

    (site / "index.html").unlink()
    assert build_data_docs(site) == site / "index.html"
    rebuilt = (site / "index.html").read_text()
    assert rebuilt.count('id="tradepulse-offline-index"') == 1
    assert "kpi_growth on warehouse-main_marts.kpi_growth" in rebuilt


def test_session_validates_many_tables_with_one_datasource_and_renders_docs_once(
    warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "quality"
    builds: list[list[str] | None] = []
    build_site = runner._build_site

    def counted(context: object, path: Path, keys: list | None) -> None:
        builds.append(None if keys is None else [k.expectation_suite_identifier.name for k in keys])
        build_site(context, path, keys)

    monkeypatch.setattr(runner, "_build_site", counted)
    session = GXSession(site)
    orders = session.validate(
        warehouse,
        "raw.orders",
        [E.ExpectColumnValuesToNotBeNull(column="buyer_id")],
        suite_name="orders",
    )
    kpi = session.validate(
        warehouse,
        "main_marts.kpi_growth",
        [E.ExpectColumnValuesToNotBeNull(column="supplier_id")],
        suite_name="kpi_growth",
    )
    (datasource,) = session.context.data_sources.all().values()
    assert sorted(datasource.get_asset_names()) == ["main_marts.kpi_growth", "raw.orders"]
    assert [(o.success, o.unexpected_count) for o in orders + kpi] == [(False, 3), (False, 1)]
    pages = [Path(o.data_docs_url.removeprefix("file://")) for o in orders + kpi]
    # The pages are linked now and written by the one build, after the last suite.
    assert builds == [] and not any(page.exists() for page in pages)

    session.close()
    assert session.build_data_docs() == site / "index.html"
    assert builds == [["orders", "kpi_growth"]]
    assert all(page.is_file() for page in pages)
    index = (site / "index.html").read_text()
    assert re.findall(r'<li><a href="[^"]+">([^<]+)</a>: (\w+)', index) == [
        ("kpi_growth on warehouse-main_marts.kpi_growth", "FAILED"),
        ("orders on warehouse-raw.orders", "FAILED"),
    ]
    # Nothing new to render: no second build.
    assert session.build_data_docs() is None
    assert len(builds) == 1


def test_session_frees_the_file_between_tables_and_reads_fresh_data(
    warehouse: Path, tmp_path: Path
) -> None:
    session = GXSession(tmp_path / "quality")
    count = [E.ExpectTableRowCountToEqual(value=12)]
    (first,) = session.validate(warehouse, "raw.orders", count, suite_name="orders")
    # Another process writes the file between two suites of a run, as dbt does.
    writer = (
        "import duckdb, sys; con = duckdb.connect(sys.argv[1]); "
        "con.execute('insert into raw.orders values (13, null, 1)'); con.close()"
    )
    subprocess.run([sys.executable, "-c", writer, str(warehouse)], check=True, timeout=60)
    (second,) = session.validate(warehouse, "raw.orders", count, suite_name="orders")
    assert (first.success, first.observed_value) == (True, 12)
    assert (second.success, second.observed_value) == (False, 13)
    session.close()
    session.build_data_docs()
    # The suite ran twice: the site keeps its latest result only.
    (page,) = (tmp_path / "quality" / "validations").rglob("*.html")
    assert page == Path(second.data_docs_url.removeprefix("file://"))

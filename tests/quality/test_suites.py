"""Each suite passes on a clean sample and reports injected faults with exact counts."""

import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import duckdb
import pytest
from dbt_commands import run_dbt
from quality_helpers import ORDER_LINES, Built

from pipelines.quality.evaluate import CheckOutcome, run_suite, run_suites
from pipelines.quality.suites import SUITES, get_suite

NO_VIETNAMESE = "not applicable: no Vietnamese suppliers in the data"
NONE_LISTED = "not applicable: no Vietnamese supplier is listed in the evaluation month"


def failures(results: list[CheckOutcome]) -> dict[str, int | None]:
    """Failed checks and how many rows (or keys, or months) each found."""
    return {result.expect.name: result.unexpected_count for result in results if not result.passed}


def blocking(results: list[CheckOutcome]) -> set[str]:
    """The failed checks that stop the pipeline."""
    return {result.expect.name for result in results if result.blocking}


def test_one_suite_per_guarded_table_in_pipeline_order() -> None:
    assert [(suite.name, "/".join(suite.asset), suite.table) for suite in SUITES] == [
        ("raw_suppliers", "raw_suppliers", "raw.suppliers"),
        ("raw_buyers", "raw_buyers", "raw.buyers"),
        ("raw_orders", "raw_orders", "raw.orders"),
        (
            "stg_marketplace__suppliers",
            "staging/stg_marketplace__suppliers",
            "staging.stg_marketplace__suppliers",
        ),
        (
            "stg_marketplace__buyers",
            "staging/stg_marketplace__buyers",
            "staging.stg_marketplace__buyers",
        ),
        (
            "stg_marketplace__order_lines",
            "staging/stg_marketplace__order_lines",
            "staging.stg_marketplace__order_lines",
        ),
        ("kpi_growth", "marts/kpi_growth", "marts.kpi_growth"),
        ("supplier_performance", "marts/supplier_performance", "marts.supplier_performance"),
        ("pavilion_shortlist", "marts/pavilion_shortlist", "marts.pavilion_shortlist"),
    ]


def test_raw_orders_suite_is_the_contract_plus_rejections() -> None:
    suite = get_suite("raw_orders")
    assert [expect.name for expect in suite.expectations] == [
        "order_id_not_null",
        "line_number_not_null",
        "buyer_id_not_null",
        "supplier_id_not_null",
        "ordered_at_not_null",
        "product_category_not_null",
        "quantity_not_null",
        "unit_price_not_null",
        "currency_not_null",
        "order_status_not_null",
        "key_unique_within_file",
        "key_unique_across_files",
        "line_number_in_range",
        "ordered_at_not_in_future",
        "quantity_in_range",
        "unit_price_in_range",
        "currency_allowed",
        "order_status_allowed",
        "shipped_at_not_in_future",
        "delivered_at_not_in_future",
        "buyer_rating_in_range",
        "first_response_hours_in_range",
        "promised_ship_by_not_before_ordered_at",
        "shipped_at_not_before_ordered_at",
        "delivered_at_not_before_shipped_at",
        "delivered_at_not_before_ordered_at",
        "buyer_id_exists_in_buyers",
        "supplier_id_exists_in_suppliers",
        "no_rejected_files",
        "no_rejected_rows",
        "rejected_rows_at_most_5_percent",
    ]
    warnings = {expect.name for expect in suite.expectations if not expect.blocking}
    assert warnings == {"key_unique_across_files", "no_rejected_rows"}
    assert suite.reads == (("raw_buyers",), ("raw_suppliers",))


def test_every_suite_passes_on_the_clean_sample(clean_warehouse: Built, tmp_path: Path) -> None:
    for suite in SUITES:
        results = run_suite(suite, clean_warehouse.path, data_docs_dir=tmp_path / "quality")
        assert [r.expect.name for r in results] == [e.name for e in suite.expectations]
        assert failures(results) == {}, suite.name
        assert all(r.outcome is not None and r.outcome.exception is None for r in results)
    index = (tmp_path / "quality" / "index.html").read_text()
    assert index.count(": passed, ") == len(SUITES)


def test_suites_sharing_one_session_find_what_each_finds_alone(
    faulty_raw: Built, tmp_path: Path
) -> None:
    suites = [get_suite(f"raw_{entity}") for entity in ("suppliers", "buyers", "orders")]
    now = datetime(2024, 1, 1)
    together = run_suites(suites, faulty_raw.path, data_docs_dir=tmp_path / "together", now=now)
    alone = {
        suite.name: run_suite(suite, faulty_raw.path, data_docs_dir=tmp_path / "alone", now=now)
        for suite in suites
    }
    assert {name: [r.summary() for r in results] for name, results in together.items()} == {
        name: [r.summary() for r in results] for name, results in alone.items()
    }
    # Each suite finds its entity's injected faults, rejected at ingestion (a warning).
    faults = faulty_raw.summary.faults
    assert {name: failures(results) for name, results in together.items()} == {
        f"raw_{entity}": {
            "no_rejected_rows": sum(n for kind, n in faults.items() if kind.startswith(prefix))
        }
        for entity, prefix in (
            ("suppliers", "supplier_"),
            ("buyers", "buyer_"),
            ("orders", "order_"),
        )
    }
    lists = [
        sorted(
            re.findall(
                r"<li><a [^>]+>([^<]+)</a>: (\w+)", (tmp_path / site / "index.html").read_text()
            )
        )
        for site in ("together", "alone")
    ]
    assert (
        lists[0]
        == lists[1]
        == [
            ("raw_buyers on warehouse-raw.buyers", "FAILED"),
            ("raw_orders on warehouse-raw.orders", "FAILED"),
            ("raw_suppliers on warehouse-raw.suppliers", "FAILED"),
        ]
    )


def test_faults_of_the_sample_are_rejected_at_ingestion_and_reported(faulty_raw: Built) -> None:
    faults = faulty_raw.summary.faults
    injected = {
        entity: sum(count for kind, count in faults.items() if kind.startswith(prefix))
        for entity, prefix in (
            ("suppliers", "supplier_"),
            ("buyers", "buyer_"),
            ("orders", "order_"),
        )
    }
    assert min(injected.values()) > 0
    for entity, count in injected.items():
        results = run_suite(get_suite(f"raw_{entity}"), faulty_raw.path)
        # Every broken row was rejected: the raw table itself is clean, the rejections are a
        # warning, and they stay under the 5% that would block.
        assert failures(results) == {"no_rejected_rows": count}, entity
        assert blocking(results) == set()
        (rejected,) = [r for r in results if r.expect.name == "no_rejected_rows"]
        assert rejected.outcome.partial_unexpected_list[0]["source_file"].startswith(entity)
        assert len(rejected.outcome.partial_unexpected_list) == min(5, count)


def test_raw_orders_reports_each_broken_rule(
    clean_warehouse: Built,
    copy_of: Callable[[Built], Path],
    execute: Callable[[Path, str], None],
) -> None:
    path = copy_of(clean_warehouse)
    execute(
        path,
        """
        update raw.orders set quantity = -quantity where rowid in (10, 11, 12);
        update raw.orders set order_status = 'lost' where rowid in (20, 21);
        update raw.orders set currency = 'VDN' where rowid in (30, 31);
        update raw.orders set supplier_id = 'S-unknown' where rowid = 40;
        update raw.orders set buyer_rating = 6 where rowid = 50;
        update raw.orders set buyer_id = null where rowid = 60;
        update raw.orders set delivered_at = shipped_at - interval 1 minute
        where rowid in (
            select rowid from raw.orders
            where rowid > 100 and delivered_at is not null
                and shipped_at > ordered_at + interval 1 hour
            order by rowid limit 2
        );
        update raw.orders set delivered_at = timestamp '2099-01-01'
        where rowid = (
            select min(rowid) from raw.orders where rowid > 1000 and delivered_at is not null
        );
        insert into raw.orders select * from raw.orders where rowid in (70, 71);
        insert into raw.orders
        select * replace ('orders/corrections.parquet' as _source_file)
        from raw.orders where rowid = 80;
        insert into raw.rejected_files (entity, source_file, reason_code, reason_message)
        values ('orders', 'orders/2023-11.csv', 'bad_encoding', 'not UTF-8');
        """,
    )
    results = run_suite(get_suite("raw_orders"), path)
    assert failures(results) == {
        "buyer_id_not_null": 1,
        "key_unique_within_file": 2,
        "key_unique_across_files": 3,
        "quantity_in_range": 3,
        "currency_allowed": 2,
        "order_status_allowed": 2,
        "delivered_at_not_in_future": 1,
        "buyer_rating_in_range": 1,
        "delivered_at_not_before_shipped_at": 2,
        "supplier_id_exists_in_suppliers": 1,
        "no_rejected_files": 1,
    }
    assert blocking(results) == set(failures(results)) - {"key_unique_across_files"}
    by_name = {r.expect.name: r for r in results}
    assert set(by_name["currency_allowed"].outcome.partial_unexpected_list) == {"VDN"}
    assert all(v < 0 for v in by_name["quantity_in_range"].outcome.partial_unexpected_list)
    (orphan,) = by_name["supplier_id_exists_in_suppliers"].outcome.partial_unexpected_list
    assert orphan["supplier_id"] == "S-unknown"
    (rejected_file,) = by_name["no_rejected_files"].outcome.partial_unexpected_list
    assert (rejected_file["source_file"], rejected_file["reason_code"]) == (
        "orders/2023-11.csv",
        "bad_encoding",
    )
    repeated = by_name["key_unique_across_files"].outcome.partial_unexpected_list
    assert sorted(len(row["files"]) for row in repeated) == [2, 2, 2]
    assert sum("orders/corrections.parquet" in row["files"] for row in repeated) == 1


def test_a_large_share_of_rejected_rows_blocks(
    clean_warehouse: Built,
    copy_of: Callable[[Built], Path],
    execute: Callable[[Path, str], None],
) -> None:
    path = copy_of(clean_warehouse)
    with duckdb.connect(str(path), read_only=True) as conn:
        (buyers,) = conn.execute("select count(*) from raw.buyers").fetchone()
    rejected = buyers // 10  # 1 in 11 rows read: above 5%
    execute(
        path,
        "insert into raw.rejected_rows (entity, source_file, source_row, reason_code) "
        f"select 'buyers', 'buyers/buyers.parquet', i, 'bad_country' from range({rejected}) r(i)",
    )
    results = run_suite(get_suite("raw_buyers"), path)
    assert failures(results) == {"no_rejected_rows": rejected, "rejected_rows_at_most_5_percent": 1}
    assert blocking(results) == {"rejected_rows_at_most_5_percent"}
    (share,) = [r for r in results if r.expect.name == "rejected_rows_at_most_5_percent"]
    assert share.outcome.partial_unexpected_list == (
        {
            "rows_rejected": rejected,
            "rows_loaded": buyers,
            "rejected_share": round(rejected / (rejected + buyers), 4),
        },
    )


def test_staging_finds_lines_without_usd_and_negative_amounts(
    clean_warehouse: Built,
    copy_of: Callable[[Built], Path],
    execute: Callable[[Path, str], None],
    tmp_path: Path,
) -> None:
    path = copy_of(clean_warehouse)
    execute(
        path,
        "update raw.orders set currency = 'XXX' where rowid in (10, 11);"
        "update raw.orders set quantity = -1 where rowid = 20 and unit_price > 0;",
    )
    run_dbt(["run", "--select", "stg_marketplace__order_lines"], path, tmp_path)
    results = run_suite(get_suite("stg_marketplace__order_lines"), path)
    assert failures(results) == {"line_amount_usd_not_null": 2, "line_amount_usd_not_negative": 1}
    by_name = {r.expect.name: r for r in results}
    assert {row["currency"] for row in by_name["line_amount_usd_not_null"].sample_rows} == {"XXX"}
    assert sum(row["lines"] for row in by_name["line_amount_usd_not_null"].sample_rows) == 2
    (negative,) = by_name["line_amount_usd_not_negative"].sample_rows
    assert negative["quantity"] == -1


def test_staging_finds_a_broken_deduplication(
    clean_warehouse: Built,
    copy_of: Callable[[Built], Path],
    execute: Callable[[Path, str], None],
) -> None:
    path = copy_of(clean_warehouse)
    execute(
        path,
        """
        alter table staging.stg_marketplace__order_lines rename to stg_built;
        create view staging.stg_marketplace__order_lines as
        select * from staging.stg_built
        union all (select * from staging.stg_built order by order_id, line_number limit 3);
        """,
    )
    results = run_suite(get_suite("stg_marketplace__order_lines"), path)
    assert failures(results) == {"key_unique": 3, "row_count_matches_raw": 1}
    by_name = {r.expect.name: r for r in results}
    assert by_name["row_count_matches_raw"].outcome.partial_unexpected_list == (
        {"staging_rows": ORDER_LINES + 3, "raw_distinct_keys": ORDER_LINES, "difference": 3},
    )
    assert [row["copies"] for row in by_name["key_unique"].outcome.partial_unexpected_list] == [
        2,
        2,
        2,
    ]


def test_kpi_growth_finds_repeated_keys_negative_values_and_implausible_growth(
    clean_warehouse: Built,
    copy_of: Callable[[Built], Path],
    execute: Callable[[Path, str], None],
) -> None:
    path = copy_of(clean_warehouse)
    execute(
        path,
        """
        insert into marts.kpi_growth select * from marts.kpi_growth
        where metric = 'orders' and period = '2022-06' and dimension = 'all';
        update marts.kpi_growth set value = -5
        where metric = 'gmv_usd' and period = '2022' and dimension = 'all';
        update marts.kpi_growth set yoy_growth = 12.5
        where metric = 'active_buyers' and period = '2023-H1' and dimension = 'all';
        """,
    )
    results = run_suite(get_suite("kpi_growth"), path)
    assert failures(results) == {
        "keys_unique": 1,
        "value_not_negative": 1,
        "yoy_growth_plausible": 1,
    }
    assert blocking(results) == {"keys_unique", "value_not_negative"}
    (implausible,) = [r for r in results if r.expect.name == "yoy_growth_plausible"]
    assert implausible.sample_rows[0]["metric"] == "active_buyers"
    assert implausible.sample_rows[0]["yoy_growth"] == 12.5


def test_supplier_performance_reconciles_gmv_with_order_lines(
    clean_warehouse: Built,
    copy_of: Callable[[Built], Path],
    execute: Callable[[Path, str], None],
) -> None:
    path = copy_of(clean_warehouse)
    execute(
        path,
        """
        create temp table picked as
        select supplier_id, month_start from marts.supplier_performance
        where gmv_usd > 0 order by supplier_id, month_start limit 1;
        update marts.supplier_performance set gmv_usd = gmv_usd + 250
        where (supplier_id, month_start) in (select * from picked);
        update marts.supplier_performance set cancellation_rate = 1.5
        where (supplier_id, month_start) in (
            select supplier_id, month_start from marts.supplier_performance
            where orders_received > 0 order by supplier_id desc, month_start limit 1
        );
        insert into marts.supplier_performance
        select * from marts.supplier_performance
        where gmv_usd = 0 order by supplier_id, month_start limit 1;
        """,
    )
    results = run_suite(get_suite("supplier_performance"), path)
    assert failures(results) == {
        "keys_unique": 1,
        "cancellation_rate_between_0_and_1": 1,
        "gmv_reconciles_with_fct_order_lines": 1,
    }
    (month,) = [
        r.outcome.partial_unexpected_list
        for r in results
        if r.expect.name == "gmv_reconciles_with_fct_order_lines"
    ]
    (row,) = month
    difference = row["supplier_performance_gmv_usd"] - row["fct_order_lines_gmv_usd"]
    assert difference == pytest.approx(250)


def test_pavilion_shortlist_counts_rows_flags_and_country(
    clean_warehouse: Built,
    copy_of: Callable[[Built], Path],
    execute: Callable[[Path, str], None],
) -> None:
    path = copy_of(clean_warehouse)
    with duckdb.connect(str(path), read_only=True) as conn:
        (candidates,) = conn.execute(
            "select count(*) from intermediate.int_pavilion_candidates_measured"
        ).fetchone()
        (rows,) = conn.execute("select count(*) from marts.pavilion_shortlist").fetchone()
    assert 0 < rows == min(100, candidates)
    execute(
        path,
        """
        delete from marts.pavilion_shortlist
        where shortlist_rank = (select max(shortlist_rank) from marts.pavilion_shortlist);
        update marts.pavilion_shortlist set criteria_met = criteria_met + 1
        where shortlist_rank in (1, 2);
        update marts.pavilion_shortlist set country_code = 'TH' where shortlist_rank = 3;
        """,
    )
    results = run_suite(get_suite("pavilion_shortlist"), path)
    assert failures(results) == {
        "row_count_expected": 1,
        "suppliers_are_vietnamese": 1,
        "criteria_met_counts_the_flags": 2,
    }
    by_name = {r.expect.name: r for r in results}
    assert by_name["row_count_expected"].outcome.partial_unexpected_list == (
        {"shortlist_rows": rows - 1, "expected_rows": rows},
    )
    assert by_name["suppliers_are_vietnamese"].outcome.partial_unexpected_list == ("TH",)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (
            "update marts.dim_suppliers set country_code = 'TH' where country_code = 'VN';",
            NO_VIETNAMESE,
        ),
        ("", NONE_LISTED),
    ],
)
def test_pavilion_checks_without_candidates_are_not_applicable(
    clean_warehouse: Built,
    copy_of: Callable[[Built], Path],
    execute: Callable[[Path, str], None],
    change: str,
    reason: str,
) -> None:
    path = copy_of(clean_warehouse)
    execute(
        path,
        change + "delete from intermediate.int_pavilion_candidates_measured;"
        "delete from marts.pavilion_shortlist;",
    )
    results = run_suite(get_suite("pavilion_shortlist"), path)
    assert failures(results) == {}
    assert {r.expect.name: r.not_applicable for r in results} == {
        "row_count_expected": None,
        "has_the_14_criteria": None,
        "suppliers_are_vietnamese": reason,
        "criteria_met_counts_the_flags": reason,
    }
    assert [r.outcome.observed_value for r in results if r.expect.name == "row_count_expected"] == [
        0
    ]
    assert [r.summary() for r in results][2] == f"suppliers_are_vietnamese: {reason}"

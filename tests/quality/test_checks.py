"""The suites as Dagster asset checks: specs, metadata, wiring, and blocking in a real run."""

import re
from collections.abc import Callable
from pathlib import Path

import dagster as dg
import pytest
from quality_helpers import Built

from pipelines.quality import runner
from pipelines.quality.checks import (
    build_suite_checks,
    check_result,
    check_specs,
    quality_checks,
    result_metadata,
)
from pipelines.quality.evaluate import CheckOutcome
from pipelines.quality.resources import GreatExpectationsResource
from pipelines.quality.runner import ExpectationOutcome
from pipelines.quality.suites import SUITES, get_suite
from pipelines.resources import WarehouseResource

MART_SUITES = {"gx_kpi_growth", "gx_supplier_performance", "gx_pavilion_shortlist"}
STAGING_SUITES = {
    "gx_stg_marketplace__suppliers",
    "gx_stg_marketplace__buyers",
    "gx_stg_marketplace__order_lines",
}


def test_one_multi_asset_check_per_suite() -> None:
    assert [checks.node_def.name for checks in quality_checks] == [
        f"gx_{suite.name}" for suite in SUITES
    ]
    for checks, suite in zip(quality_checks, SUITES, strict=True):
        keys = {(key.asset_key.path[-1], key.name) for key in checks.check_keys}
        assert keys == {(suite.asset[-1], expect.name) for expect in suite.expectations}


def test_critical_checks_block_and_warnings_do_not() -> None:
    specs = {spec.name: spec for spec in check_specs(get_suite("raw_orders"))}
    assert {name for name, spec in specs.items() if not spec.blocking} == {
        "key_unique_across_files",
        "no_rejected_rows",
    }
    spec = specs["no_rejected_files"]
    assert spec.asset_key == dg.AssetKey("raw_orders")
    assert {dep.asset_key for dep in spec.additional_deps} == {
        dg.AssetKey("raw_buyers"),
        dg.AssetKey("raw_suppliers"),
    }
    assert spec.description == (
        "No orders file was rejected whole by ingestion (raw.rejected_files). "
        "(critical; GX on raw.orders)"
    )
    assert spec.metadata["what_to_do"].startswith("A whole orders file was not loaded")


def test_metadata_of_a_failed_check_says_what_to_do() -> None:
    expect = get_suite("raw_orders").expect("quantity_in_range")
    outcome = ExpectationOutcome(
        expectation_type="expect_column_values_to_be_between",
        columns=("quantity",),
        kwargs={"column": "quantity", "min_value": 0.0, "strict_min": True},
        success=False,
        severity="critical",
        element_count=200,
        unexpected_count=3,
        unexpected_percent=1.5,
        partial_unexpected_list=(-2.0, -1.0),
        data_docs_url="file:///marts/quality/validations/raw_orders/x.html",
    )
    result = check_result(get_suite("raw_orders"), CheckOutcome(expect, outcome))
    assert (result.passed, result.severity, result.check_name) == (
        False,
        dg.AssetCheckSeverity.ERROR,
        "quantity_in_range",
    )
    assert result.description == (
        "quantity_in_range: FAILED (critical): expect_column_values_to_be_between(column=quantity,"
        " min_value=0.0, strict_min=True): 3 of 200 unexpected"
    )
    assert {key: value.value for key, value in result.metadata.items()} == {
        "severity": "critical",
        "what_to_do": expect.action,
        "expectation": (
            "expect_column_values_to_be_between(column=quantity, min_value=0.0, strict_min=True)"
        ),
        "element_count": 200,
        "unexpected_count": 3,
        "unexpected_percent": 1.5,
        "sample_values": [-2.0, -1.0],
        "data_docs": "file:///marts/quality/validations/raw_orders/x.html",
        "data_docs_path": "/marts/quality/validations/raw_orders/x.html",
    }


def test_metadata_of_a_query_check_shows_rows_and_sql() -> None:
    suite = get_suite("raw_orders")
    expect = suite.expect("no_rejected_files")
    outcome = ExpectationOutcome(
        expectation_type="expect_query_to_return_no_rows",
        columns=(),
        kwargs=dict(expect.kwargs),
        success=False,
        severity="critical",
        unexpected_count=1,
        partial_unexpected_list=({"source_file": "orders/x.csv", "reason_code": "unreadable"},),
        observed_value=1,
    )
    metadata = result_metadata(CheckOutcome(expect, outcome))
    assert metadata["sample_rows"].value == (
        "| source_file | reason_code |\n|---|---|\n| orders/x.csv | unreadable |"
    )
    assert metadata["query"].value == f"```sql\n{expect.rows_query}\n```"
    assert "observed_value" not in metadata


def test_a_check_that_does_not_apply_passes_and_says_why() -> None:
    suite = get_suite("pavilion_shortlist")
    reason = "not applicable: no Vietnamese suppliers in the data"
    result = check_result(
        suite, CheckOutcome(suite.expect("suppliers_are_vietnamese"), None, reason)
    )
    assert (result.passed, result.description) == (True, f"suppliers_are_vietnamese: {reason}")
    assert result.metadata["not_applicable"].value == reason


def _upstream_steps(job: dg.JobDefinition, node: str) -> set[str]:
    structure = job.graph.dependency_structure
    return {
        output.node.name
        for outputs in structure.input_to_upstream_outputs_for_node(node).values()
        for output in outputs
    }


def test_definitions_gate_everything_downstream_on_blocking_checks() -> None:
    from pipelines.definitions import defs

    job = defs.resolve_implicit_global_asset_job_def()
    # Raw checks gate the dbt steps that read the raw tables.
    dbt_steps = [name for name in job.graph.node_names() if name.startswith("dbt_models")]
    assert any("gx_raw_orders" in _upstream_steps(job, name) for name in dbt_steps)
    # Staging checks gate the mart checks, and those gate the publish.
    for mart_suite in MART_SUITES:
        assert _upstream_steps(job, mart_suite) >= STAGING_SUITES
    assert _upstream_steps(job, "published_marts") >= MART_SUITES
    check_keys = {key for checks in quality_checks for key in checks.check_keys}
    assert check_keys <= set(defs.resolve_asset_graph().asset_check_keys)


def _guarded_tables() -> dg.AssetsDefinition:
    """Stands for ingestion and dbt: every table a suite reads is already in the warehouse."""
    keys = sorted({suite.asset for suite in SUITES} | {key for s in SUITES for key in s.reads})

    @dg.multi_asset(specs=[dg.AssetSpec(dg.AssetKey(list(key))) for key in keys])
    def warehouse_tables() -> None:
        for key in keys:
            yield dg.MaterializeResult(asset_key=dg.AssetKey(list(key)))

    return warehouse_tables


@dg.asset(deps=[dg.AssetKey(list(s.asset)) for s in SUITES if s.asset[0] == "marts"])
def publish() -> None:
    """Stands for published_marts."""


def _run(path: Path) -> dg.ExecuteInProcessResult:
    return dg.materialize(
        [_guarded_tables(), publish, *[build_suite_checks(suite) for suite in SUITES]],
        resources={
            "warehouse": WarehouseResource(database=str(path)),
            "gx": GreatExpectationsResource(),
        },
        instance=dg.DagsterInstance.ephemeral(),
        raise_on_error=False,
    )


def _evaluations(result: dg.ExecuteInProcessResult) -> dict[str, bool]:
    return {
        f"{e.asset_key.to_user_string()}:{e.check_name}": e.passed
        for e in result.get_asset_check_evaluations()
    }


def test_clean_warehouse_passes_every_check_and_publishes(
    clean_warehouse: Built, copy_of: Callable[[Built], Path], tradepulse_env: dict[str, Path]
) -> None:
    result = _run(copy_of(clean_warehouse))
    assert result.success
    evaluations = _evaluations(result)
    assert len(evaluations) == sum(len(suite.expectations) for suite in SUITES)
    assert all(evaluations.values())
    assert dg.AssetKey("publish") in {
        m.asset_key for m in result.get_asset_materialization_events()
    }
    index = tradepulse_env["marts_dir"] / "quality" / "index.html"
    assert index.read_text().count(": passed, ") == len(SUITES)


def test_a_run_shares_one_gx_context_and_builds_data_docs_once(
    clean_warehouse: Built,
    copy_of: Callable[[Built], Path],
    tradepulse_env: dict[str, Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls = {"context": 0, "site": 0}
    make_context, build_site = runner._context, runner._build_site

    def counted_context(*args: object) -> object:
        calls["context"] += 1
        return make_context(*args)

    def counted_site(*args: object) -> None:
        calls["site"] += 1
        build_site(*args)

    monkeypatch.setattr(runner, "_context", counted_context)
    monkeypatch.setattr(runner, "_build_site", counted_site)
    result = _run(copy_of(clean_warehouse))
    assert result.success
    assert calls == {"context": 1, "site": 1}
    site = tradepulse_env["marts_dir"] / "quality"
    # Every check links its suite's page, which the one build at the end of the run wrote.
    pages = {
        e.asset_key.to_user_string(): e.metadata["data_docs_path"].value
        for e in result.get_asset_check_evaluations()
    }
    assert len(pages) == len(SUITES)
    rendered = set((site / "validations").resolve().rglob("*.html"))
    assert {Path(page).resolve() for page in pages.values()} == rendered
    index = (site / "index.html").read_text()
    assert sorted(re.findall(r'<li><a href="[^"]+">(\w+) on ', index)) == sorted(
        suite.name for suite in SUITES
    )


def test_a_failed_staging_check_skips_the_mart_checks_and_the_publish(
    clean_warehouse: Built,
    copy_of: Callable[[Built], Path],
    execute: Callable[[Path, str], None],
    tradepulse_env: dict[str, Path],
) -> None:
    path = copy_of(clean_warehouse)
    execute(
        path,
        """
        alter table staging.stg_marketplace__order_lines rename to stg_built;
        create view staging.stg_marketplace__order_lines as
        select * from staging.stg_built
        union all (select * from staging.stg_built order by order_id, line_number limit 1);
        """,
    )
    result = _run(path)
    assert not result.success
    evaluations = _evaluations(result)
    assert {name for name, passed in evaluations.items() if not passed} == {
        "staging/stg_marketplace__order_lines:key_unique",
        "staging/stg_marketplace__order_lines:row_count_matches_raw",
    }
    ran = {name.split(":")[0] for name in evaluations}
    assert ran == {"/".join(s.asset) for s in SUITES if s.asset[0] != "marts"}
    assert dg.AssetKey("publish") not in {
        m.asset_key for m in result.get_asset_materialization_events()
    }
    (failure,) = [e for e in result.all_events if e.is_step_failure]
    assert failure.step_key == "gx_stg_marketplace__order_lines"
    assert failure.event_specific_data.error.message.strip().endswith(
        "2 blocking asset checks failed with ERROR severity:\n"
        "staging/stg_marketplace__order_lines: key_unique,row_count_matches_raw"
    )

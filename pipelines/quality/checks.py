"""The GX suites as Dagster asset checks: one multi-asset check (one GX run) per guarded asset.

Each expectation is a check of its own. Critical ones are blocking: when one fails, Dagster
fails the check step and skips every asset downstream, so no mart is published from bad data.
Warnings are reported with severity WARN only. Mart suites list the staging models among their
dependencies, so a failed staging check skips them and, with them, `published_marts`.

The suites of a run share one GX session (the `gx` resource, `resources.py`), which renders
the Data Docs once, when the run ends.

Checks on the monthly-partitioned `raw_orders` are not partitioned: they run once per run, over
the whole table, after the run's months are loaded.
"""

from collections.abc import Iterator, Sequence

import dagster as dg

from pipelines.ingest.assets import POOL
from pipelines.quality.evaluate import CheckOutcome, run_suite
from pipelines.quality.expect import Suite
from pipelines.quality.resources import GreatExpectationsResource
from pipelines.quality.suites import SUITES
from pipelines.resources import WarehouseResource

_SEVERITY = {"critical": dg.AssetCheckSeverity.ERROR, "warning": dg.AssetCheckSeverity.WARN}


def check_specs(suite: Suite) -> list[dg.AssetCheckSpec]:
    """One spec per expectation of the suite; critical ones blocking."""
    return [
        dg.AssetCheckSpec(
            name=expect.name,
            asset=dg.AssetKey(list(suite.asset)),
            description=f"{expect.description} ({expect.severity}; GX on {suite.table})",
            blocking=expect.blocking,
            additional_deps=[dg.AssetKey(list(key)) for key in suite.reads],
            metadata={"what_to_do": expect.action},
        )
        for expect in suite.expectations
    ]


def _jsonable(value: object) -> object:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _table(rows: Sequence[dict]) -> str:
    """Rows as a Markdown table, one column per key of the first row."""

    def cell(value: object) -> str:
        return str(value).replace("|", "\\|").replace("\n", " ")

    columns = list(rows[0])
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(cell(row.get(c)) for c in columns) + " |" for row in rows]
    return "\n".join(lines)


def result_metadata(result: CheckOutcome) -> dict[str, dg.MetadataValue]:
    """What a person needs to act: the expectation, counts, samples, Data Docs, next step."""
    expect, outcome = result.expect, result.outcome
    metadata = {
        "severity": dg.MetadataValue.text(expect.severity),
        "what_to_do": dg.MetadataValue.text(expect.action),
    }
    if outcome is None:
        metadata["not_applicable"] = dg.MetadataValue.text(result.not_applicable or "")
        return metadata
    arguments = {k: v for k, v in outcome.kwargs.items() if k != "unexpected_rows_query"}
    metadata["expectation"] = dg.MetadataValue.text(
        f"{outcome.expectation_type}({', '.join(f'{k}={v}' for k, v in arguments.items())})"
    )
    query = outcome.kwargs.get("unexpected_rows_query")
    if query is not None:
        metadata["query"] = dg.MetadataValue.md(f"```sql\n{query}\n```")
    for name in ("element_count", "unexpected_count"):
        if getattr(outcome, name) is not None:
            metadata[name] = dg.MetadataValue.int(int(getattr(outcome, name)))
    if outcome.unexpected_percent is not None:
        metadata["unexpected_percent"] = dg.MetadataValue.float(float(outcome.unexpected_percent))
    if outcome.observed_value is not None and outcome.unexpected_count is None:
        metadata["observed_value"] = dg.MetadataValue.json(_jsonable(outcome.observed_value))
    samples = list(outcome.partial_unexpected_list)
    if samples and all(isinstance(sample, dict) for sample in samples):
        metadata["sample_rows"] = dg.MetadataValue.md(_table(samples))
    elif samples:
        metadata["sample_values"] = dg.MetadataValue.json(_jsonable(samples))
    if result.sample_rows:
        metadata["sample_rows"] = dg.MetadataValue.md(_table(result.sample_rows))
    if outcome.exception:
        metadata["error"] = dg.MetadataValue.text(outcome.exception)
    if outcome.data_docs_url:
        metadata["data_docs"] = dg.MetadataValue.url(outcome.data_docs_url)
        metadata["data_docs_path"] = dg.MetadataValue.path(
            outcome.data_docs_url.removeprefix("file://")
        )
    return metadata


def check_result(suite: Suite, result: CheckOutcome) -> dg.AssetCheckResult:
    """The Dagster result of one expectation."""
    return dg.AssetCheckResult(
        asset_key=dg.AssetKey(list(suite.asset)),
        check_name=result.expect.name,
        passed=result.passed,
        severity=_SEVERITY[result.expect.severity],
        description=result.summary(),
        metadata=result_metadata(result),
    )


def build_suite_checks(suite: Suite) -> dg.AssetChecksDefinition:
    """The multi-asset check that runs `suite` once and reports each expectation."""

    @dg.multi_asset_check(
        name=f"gx_{suite.name}",
        specs=check_specs(suite),
        description=f"Great Expectations suite {suite.name} on {suite.table}. {suite.description}",
        pool=POOL,
    )
    def _suite_checks(
        context: dg.AssetCheckExecutionContext,
        warehouse: WarehouseResource,
        gx: GreatExpectationsResource,
    ) -> Iterator[dg.AssetCheckResult]:
        results = run_suite(suite, warehouse.path(), session=gx.session())
        failed = [result for result in results if not result.passed]
        skipped = {result.not_applicable for result in results if result.outcome is None}
        context.log.info(
            f"{suite.name} on {suite.table}: {len(results) - len(failed)} of {len(results)} "
            f"checks passed{''.join(f' ({reason})' for reason in skipped)}; "
            f"Data Docs in {gx.docs_dir() / 'index.html'} when the run ends"
        )
        for result in failed:
            log = context.log.error if result.blocking else context.log.warning
            log(f"{result.summary()}. What to do: {result.expect.action}")
        for result in results:
            yield check_result(suite, result)

    return _suite_checks


quality_checks: list[dg.AssetChecksDefinition] = [build_suite_checks(s) for s in SUITES]

"""The publish assets: marts snapshot for analysts, then the HTML report."""

from collections import Counter

import dagster as dg

from pipelines.config import get_settings
from pipelines.provenance import read_provenance
from pipelines.publish.snapshot import publish_snapshot
from pipelines.transform.assets import dbt_models

MART_KEYS = sorted(
    (key for key in dbt_models.keys if key.path[0] == "marts"),
    key=lambda key: key.to_user_string(),
)


def run_check_summary(context: dg.AssetExecutionContext) -> dict[str, object]:
    """Counts and failures of the asset checks evaluated so far in this run."""
    records = context.instance.all_logs(
        context.run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION
    )
    outcomes: Counter[str] = Counter()
    failed = []
    for record in records:
        evaluation = record.dagster_event.event_specific_data
        outcome = "passed" if evaluation.passed else evaluation.severity.value.lower()
        outcomes[outcome] += 1
        if not evaluation.passed:
            failed.append(
                {
                    "asset": evaluation.asset_key.to_user_string(),
                    "check": evaluation.check_name,
                    "severity": evaluation.severity.value.lower(),
                }
            )
    return {"evaluated": sum(outcomes.values()), **dict(outcomes), "failed": failed}


@dg.asset(
    group_name="publish",
    deps=MART_KEYS,
    description=(
        "The marts published for analysts: marts.duckdb (readable by DuckDB 1.2 and later, "
        "the duckdb CLI 1.5 included; fct_order_lines and fct_orders in it are views over their "
        "Parquet), one Parquet file per mart, kpi_history and a manifest, switched into place "
        "atomically."
    ),
)
def published_marts(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    """Publish the marts after every blocking check upstream has passed."""
    settings = get_settings()
    provenance = read_provenance(settings.raw_dir) or {}
    publication = publish_snapshot(
        settings.warehouse,
        settings.marts_dir,
        checks=run_check_summary(context),
        data_source=str(provenance.get("source", f"raw files in {settings.raw_dir}")),
    )
    context.log.info(f"published {publication.publish_id} to {publication.marts_file}")
    return dg.MaterializeResult(
        metadata={
            "publish_id": publication.publish_id,
            "path": dg.MetadataValue.path(str(publication.marts_file)),
            "first_month": publication.first_month or "",
            "last_month": publication.last_month or "",
            "row_counts": dg.MetadataValue.json(publication.row_counts),
        }
    )


@dg.asset(
    group_name="publish",
    deps=[published_marts],
    description="report.html beside the published marts: cards, narrative, charts, shortlist.",
)
def report_html(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    """Write the HTML report from what was just published."""
    from pipelines.publish.report import write_report

    path = write_report(get_settings().marts_dir)
    context.log.info(f"wrote {path}")
    return dg.MaterializeResult(metadata={"path": dg.MetadataValue.path(str(path))})

"""Raw assets: each contract entity's files under the raw dir, loaded into the `raw` schema."""

import warnings
from datetime import UTC, datetime

import dagster as dg

from pipelines.config import get_settings
from pipelines.ingest.load import load_entity
from pipelines.ingest.metadata import report_metadata
from pipelines.ingest.partitions import (
    MonthsCache,
    default_cache_path,
    orders_partitions_from_data,
)
from pipelines.ingest.prepare import MonthRange
from pipelines.ingest.report import LoadReport
from pipelines.ingest.tables import connect
from pipelines.resources import WarehouseResource

POOL = "tradepulse_warehouse"


def run_load(
    context: dg.AssetExecutionContext,
    warehouse: WarehouseResource,
    entity: str,
    months: MonthRange | None = None,
) -> dg.MaterializeResult:
    """Load one entity (or a range of order months) and describe what happened."""
    now = datetime.now(UTC).replace(tzinfo=None)
    cache = MonthsCache(default_cache_path())
    with connect(warehouse.path()) as conn:
        report = load_entity(
            conn,
            get_settings().raw_dir,
            entity,
            run_id=context.run_id,
            now=now,
            months=months,
            months_cache=cache,
        )
    _log(context, report, months)
    return dg.MaterializeResult(metadata=report_metadata(report, months))


def _log(context: dg.AssetExecutionContext, report: LoadReport, months: MonthRange | None) -> None:
    scope = "" if months is None else f" for {months.keys[0][:7]} .. {months.keys[-1][:7]}"
    context.log.info(
        f"{report.entity}{scope}: read {report.rows_read:,} rows from "
        f"{len({log.source_file for log in report.logs})} file(s), loaded {report.rows_loaded:,}, "
        f"rejected {report.rows_rejected:,}"
        + (f" {report.rejected_by_reason()}" if report.rows_rejected else "")
    )
    for name, rejected in sorted(report.rejected_files.items()):
        context.log.warning(f"rejected file {name} ({rejected.reason}): {rejected.message}")
    if report.rows_outside_partitions:
        context.log.warning(
            f"{report.rows_outside_partitions:,} valid order lines fall before the first month "
            "partition and were not loaded: reload the definitions to extend the partitions"
        )


def build_raw_assets(
    orders_partitions: dg.TimeWindowPartitionsDefinition,
) -> tuple[dg.AssetsDefinition, dg.AssetsDefinition, dg.AssetsDefinition]:
    """raw_suppliers, raw_buyers and raw_orders, the last partitioned by `orders_partitions`."""

    @dg.asset(
        name="raw_suppliers",
        group_name="raw",
        kinds={"duckdb", "polars"},
        pool=POOL,
        description="Suppliers as delivered that meet the contract, one row per supplier record.",
    )
    def raw_suppliers(
        context: dg.AssetExecutionContext, warehouse: WarehouseResource
    ) -> dg.MaterializeResult:
        """Replace raw.suppliers with the rows of every supplier file."""
        return run_load(context, warehouse, "suppliers")

    @dg.asset(
        name="raw_buyers",
        group_name="raw",
        kinds={"duckdb", "polars"},
        pool=POOL,
        description="Buyers as delivered that meet the contract, one row per buyer record.",
    )
    def raw_buyers(
        context: dg.AssetExecutionContext, warehouse: WarehouseResource
    ) -> dg.MaterializeResult:
        """Replace raw.buyers with the rows of every buyer file."""
        return run_load(context, warehouse, "buyers")

    # BackfillPolicy is marked beta; the single-run policy is what lets one run load many months.
    warnings.filterwarnings("ignore", message=".*backfill_policy.*", category=dg.BetaWarning)

    @dg.asset(
        name="raw_orders",
        group_name="raw",
        kinds={"duckdb", "polars"},
        pool=POOL,
        partitions_def=orders_partitions,
        backfill_policy=dg.BackfillPolicy.single_run(),
        deps=[raw_suppliers, raw_buyers],
        description=(
            "Order lines as delivered that meet the contract (their buyer and supplier loaded), "
            "one row per order line and file; partitioned by the UTC month of ordered_at."
        ),
    )
    def raw_orders(
        context: dg.AssetExecutionContext, warehouse: WarehouseResource
    ) -> dg.MaterializeResult:
        """Replace the order lines of the run's months with those of every file holding them."""
        months = MonthRange(
            tuple(context.partition_keys),
            orders_partitions.get_first_partition_key(),
            orders_partitions.get_last_partition_key(),
        )
        return run_load(context, warehouse, "orders", months)

    return raw_suppliers, raw_buyers, raw_orders


ORDERS_PARTITIONS = orders_partitions_from_data()
raw_suppliers, raw_buyers, raw_orders = build_raw_assets(ORDERS_PARTITIONS)

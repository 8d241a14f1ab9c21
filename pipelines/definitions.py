"""The TradePulse code location: assembles the assets, checks and resources of every domain."""

import dagster as dg

from pipelines.ingest.assets import raw_buyers, raw_orders, raw_suppliers
from pipelines.ingest.sensors import raw_files_sensor
from pipelines.publish.assets import published_marts, report_html
from pipelines.publish.freshness import freshness_checks
from pipelines.publish.schedules import refresh_job, schedules
from pipelines.quality.checks import quality_checks
from pipelines.quality.resources import GreatExpectationsResource
from pipelines.resources import WarehouseResource
from pipelines.transform.assets import dbt_models, dbt_resource

defs = dg.Definitions(
    assets=[
        raw_suppliers,
        raw_buyers,
        raw_orders,
        dbt_models,
        published_marts,
        report_html,
    ],
    asset_checks=[*quality_checks, *freshness_checks],
    jobs=[refresh_job],
    schedules=schedules,
    sensors=[raw_files_sensor],
    resources={
        "warehouse": WarehouseResource(),
        "dbt": dbt_resource(),
        "gx": GreatExpectationsResource(),
    },
    executor=dg.in_process_executor,
)

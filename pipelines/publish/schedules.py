"""Schedules: a daily refresh of the current month and a monthly close of the previous one.

Both run the whole asset graph for one month partition of raw_orders: ingestion replaces that
month's order lines, dbt rebuilds that month of fct_order_lines (and everything downstream),
the checks run, and the marts are published.
"""

from datetime import date, datetime, timedelta

import dagster as dg

from pipelines.ingest.assets import ORDERS_PARTITIONS
from pipelines.ingest.partitions import month_key

refresh_job = dg.define_asset_job(
    name="refresh_month",
    selection=dg.AssetSelection.all(),
    partitions_def=ORDERS_PARTITIONS,
    description="Ingest, rebuild and publish one month of orders (and everything downstream).",
)


def previous_month(day: date) -> date:
    """The first day of the month before `day`'s month."""
    return (date(day.year, day.month, 1) - timedelta(days=1)).replace(day=1)


@dg.schedule(
    cron_schedule="0 2 * * *",
    job=refresh_job,
    execution_timezone="UTC",
    description="Every day at 02:00 UTC: refresh the current month's partition and publish.",
)
def daily_refresh(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    """Refresh the month the schedule fires in."""
    when: datetime = context.scheduled_execution_time
    key = month_key(when)
    return dg.RunRequest(run_key=f"daily-{when:%Y-%m-%d}", partition_key=key)


@dg.schedule(
    cron_schedule="0 4 1 * *",
    job=refresh_job,
    execution_timezone="UTC",
    description="On the 1st at 04:00 UTC: close the previous month (late orders land) and publish.",
)
def monthly_close(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    """Rebuild the month that just ended."""
    when: datetime = context.scheduled_execution_time
    key = month_key(previous_month(when.date()))
    return dg.RunRequest(run_key=f"close-{key}", partition_key=key)


schedules = [daily_refresh, monthly_close]

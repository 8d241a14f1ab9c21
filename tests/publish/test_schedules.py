from datetime import UTC, datetime

import dagster as dg
import pytest

from pipelines.publish.schedules import daily_refresh, monthly_close, previous_month


@pytest.mark.parametrize(
    ("fired_at", "partition"),
    [
        (datetime(2023, 6, 15, 2, tzinfo=UTC), "2023-06-01"),
        (datetime(2023, 7, 1, 2, tzinfo=UTC), "2023-07-01"),
    ],
)
def test_daily_refresh_rebuilds_the_current_month(fired_at: datetime, partition: str) -> None:
    with dg.build_schedule_context(scheduled_execution_time=fired_at) as context:
        request = daily_refresh(context)
    assert request.partition_key == partition
    assert request.run_key == f"daily-{fired_at:%Y-%m-%d}"


@pytest.mark.parametrize(
    ("fired_at", "partition"),
    [
        (datetime(2023, 11, 1, 4, tzinfo=UTC), "2023-10-01"),
        (datetime(2024, 1, 1, 4, tzinfo=UTC), "2023-12-01"),
    ],
)
def test_monthly_close_rebuilds_the_previous_month(fired_at: datetime, partition: str) -> None:
    with dg.build_schedule_context(scheduled_execution_time=fired_at) as context:
        request = monthly_close(context)
    assert request.partition_key == partition
    assert request.run_key == f"close-{partition}"


def test_schedules_target_the_refresh_job_and_fire_when_documented() -> None:
    from pipelines.definitions import defs

    assert defs.resolve_schedule_def("daily_refresh").cron_schedule == "0 2 * * *"
    assert defs.resolve_schedule_def("monthly_close").cron_schedule == "0 4 1 * *"
    job = defs.resolve_job_def("refresh_month")
    assert daily_refresh.job_name == monthly_close.job_name == job.name
    assert dg.AssetKey("published_marts") in job.asset_layer.executable_asset_keys


def test_previous_month_crosses_the_year() -> None:
    assert str(previous_month(datetime(2024, 1, 1).date())) == "2023-12-01"

"""Freshness of the raw orders and of the published marts.

The reference month is the clock's, except for a generated sample, whose data stops at the end
it was generated for: there the reference is the sample's last month, so a sample is fresh.
"""

import json
from datetime import UTC, date, datetime

import dagster as dg

from pipelines.config import get_settings
from pipelines.provenance import read_provenance
from pipelines.publish.layout import manifest_file
from pipelines.resources import WarehouseResource

# Data may lag the reference by one month: the current month is still being delivered.
MAX_MONTHS_BEHIND = 1
MAX_PUBLISH_AGE_HOURS = 36


def month_start(day: date) -> date:
    """The first day of the month holding `day`."""
    return date(day.year, day.month, 1)


def months_between(earlier: date, later: date) -> int:
    """Whole calendar months from `earlier`'s month to `later`'s month."""
    return (later.year - earlier.year) * 12 + later.month - earlier.month


def reference_month(today: date | None = None) -> tuple[date, str]:
    """The month data should reach, and whether it comes from the sample or the clock."""
    note = read_provenance(get_settings().raw_dir)
    if note is not None and note["kind"] == "sample":
        return month_start(date.fromisoformat(str(note["end"]))), "sample"
    return month_start(today or datetime.now(UTC).date()), "clock"


@dg.asset_check(
    asset="raw_orders",
    description=(
        "Raw orders reach the reference month (the clock's, or the sample's last month) "
        f"within {MAX_MONTHS_BEHIND} month."
    ),
)
def raw_orders_fresh(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    """The newest order month in raw.orders against the reference month."""
    with warehouse.get_connection(read_only=True) as conn:
        newest = conn.execute("select max(ordered_at) from raw.orders").fetchone()[0]
    reference, mode = reference_month()
    if newest is None:
        return dg.AssetCheckResult(
            passed=False,
            severity=dg.AssetCheckSeverity.WARN,
            metadata={"reason": "raw.orders is empty", "reference_month": str(reference)},
        )
    behind = months_between(newest.date(), reference)
    return dg.AssetCheckResult(
        passed=behind <= MAX_MONTHS_BEHIND,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={
            "newest_order_month": str(month_start(newest.date())),
            "reference_month": str(reference),
            "reference": mode,
            "months_behind": behind,
        },
    )


@dg.asset_check(
    asset="published_marts",
    description=(
        "The published marts reach the reference month and, against the clock, were "
        f"published within {MAX_PUBLISH_AGE_HOURS} hours."
    ),
)
def published_marts_fresh() -> dg.AssetCheckResult:
    """The manifest's last month and publish time against the reference."""
    path = manifest_file(get_settings().marts_dir)
    if not path.exists():
        return dg.AssetCheckResult(
            passed=False,
            severity=dg.AssetCheckSeverity.WARN,
            metadata={"reason": f"nothing published at {path}"},
        )
    manifest = json.loads(path.read_text())
    reference, mode = reference_month()
    last_month = date.fromisoformat(f"{manifest['last_month']}-01")
    behind = months_between(last_month, reference)
    published_at = datetime.fromisoformat(manifest["published_at"].rstrip("Z")).replace(tzinfo=UTC)
    age_hours = (datetime.now(UTC) - published_at).total_seconds() / 3600
    fresh = behind <= MAX_MONTHS_BEHIND and (mode == "sample" or age_hours <= MAX_PUBLISH_AGE_HOURS)
    return dg.AssetCheckResult(
        passed=fresh,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={
            "last_month": manifest["last_month"],
            "reference_month": str(reference),
            "reference": mode,
            "months_behind": behind,
            "published_hours_ago": round(age_hours, 2),
        },
    )


freshness_checks = [raw_orders_fresh, published_marts_fresh]

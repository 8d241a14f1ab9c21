"""The mart suites: keys, sane figures, GMV that reconciles, the pavilion shortlist's rule."""

from functools import cache

import yaml

from pipelines.config import DBT_PROJECT_DIR
from pipelines.quality.expect import Expect, Suite, unique

# GMV of supplier_performance and fct_order_lines may differ by float rounding only.
GMV_TOLERANCE_USD = 0.01
GMV_TOLERANCE_RELATIVE = 1e-9
# yoy_growth of the totals outside these bounds is possible but rare enough to look at.
YOY_GROWTH_BOUNDS = (-1.0, 10.0)
PAVILION_CRITERIA = (
    "meets_made_in_vietnam",
    "meets_verified",
    "meets_tenure",
    "meets_continuous_activity",
    "meets_order_volume",
    "meets_gmv",
    "meets_gmv_growth",
    "meets_buyer_countries",
    "meets_repeat_buyers",
    "meets_on_time_shipment",
    "meets_cancellation_rate",
    "meets_dispute_refund_rate",
    "meets_rating",
    "meets_response_time",
)
# Mart suites wait for the staging checks: a failed one skips them, and with them the publish.
STAGING_ASSETS = (
    ("staging", "stg_marketplace__suppliers"),
    ("staging", "stg_marketplace__buyers"),
    ("staging", "stg_marketplace__order_lines"),
)
PAVILION_CANDIDATES = "intermediate.int_pavilion_candidates_measured"


@cache
def dbt_vars() -> dict:
    """The vars of dbt_project.yml (pavilion size and country, thresholds)."""
    return yaml.safe_load((DBT_PROJECT_DIR / "dbt_project.yml").read_text())["vars"]


def kpi_growth_suite() -> Suite:
    """marts.kpi_growth: one row per key, no negative figures, plausible growth of the totals."""
    key = ["metric", "period_grain", "period", "dimension", "dimension_value"]
    logic = "A bug in dbt_project/models/marts/kpi_growth.sql or its intermediate models: {what}"
    low, high = YOY_GROWTH_BOUNDS
    return Suite(
        name="kpi_growth",
        asset=("marts", "kpi_growth"),
        table="marts.kpi_growth",
        expectations=(
            unique(
                "keys_unique",
                key,
                description=f"One row per ({', '.join(key)}).",
                action=logic.format(what="a join fans out a slice; find the samples' slices."),
            ),
            *(
                Expect(
                    f"{column}_not_negative",
                    "ExpectColumnValuesToBeBetween",
                    {"column": column, "min_value": 0},
                    description=f"`{column}` is >= 0: every metric is a count, a sum or a mean.",
                    action=logic.format(what="a metric cannot be negative."),
                )
                for column in ("value", "value_prior_year")
            ),
            Expect(
                "yoy_growth_plausible",
                "ExpectColumnValuesToBeBetween",
                {"column": "yoy_growth", "min_value": low, "max_value": high},
                where=("dimension", "all"),
                severity="warning",
                description=(
                    f"For the totals (dimension 'all'), `yoy_growth` is between {low:g} and "
                    f"{high:g} (-100% .. +1000%). Small slices (one country, one category) "
                    "can grow more and are not checked."
                ),
                action=(
                    "Look at the period's value and value_prior_year: a month missing from the "
                    "raw files (see raw.load_log) or a sudden change in the export is more likely "
                    "than real growth of that size."
                ),
                samples_sql=(
                    "select metric, period, value, value_prior_year, yoy_growth from {table} "
                    f"where dimension = 'all' and (yoy_growth < {low} or yoy_growth > {high}) "
                    "order by metric, period"
                ),
            ),
        ),
        reads=STAGING_ASSETS,
        description="The growth KPIs: one row per key, no negative figures, plausible growth.",
    )


def supplier_performance_suite() -> Suite:
    """marts.supplier_performance: keys, counts and rates, GMV that reconciles."""
    reconcile = f"""
        with performance as (
            select month_start, sum(gmv_usd) as gmv_usd from {{batch}} group by month_start
        ),
        order_lines as (
            select order_month as month_start, sum(gmv_usd) as gmv_usd
            from marts.fct_order_lines
            group by order_month
        )
        select
            coalesce(performance.month_start, order_lines.month_start) as month_start,
            performance.gmv_usd as supplier_performance_gmv_usd,
            order_lines.gmv_usd as fct_order_lines_gmv_usd
        from performance
        full join order_lines on performance.month_start = order_lines.month_start
        where abs(coalesce(performance.gmv_usd, 0) - coalesce(order_lines.gmv_usd, 0))
            > greatest({GMV_TOLERANCE_USD}, {GMV_TOLERANCE_RELATIVE} * abs(order_lines.gmv_usd))
        order by month_start
    """
    logic = "A bug in dbt_project/models/marts/supplier_performance.sql: {what}"
    counts = ("orders_received", "orders", "order_lines", "buyers", "gmv_usd")
    rates = ("cancellation_rate", "dispute_refund_rate", "on_time_shipment_rate")
    return Suite(
        name="supplier_performance",
        asset=("marts", "supplier_performance"),
        table="marts.supplier_performance",
        expectations=(
            unique(
                "keys_unique",
                ["supplier_id", "month_start"],
                description="One row per (supplier_id, month_start).",
                action=logic.format(what="the month spine or a join repeats supplier months."),
            ),
            *(
                Expect(
                    f"{column}_not_negative",
                    "ExpectColumnValuesToBeBetween",
                    {"column": column, "min_value": 0},
                    description=f"`{column}` is >= 0.",
                    action=logic.format(what="counts and GMV cannot be negative."),
                )
                for column in counts
            ),
            *(
                Expect(
                    f"{column}_between_0_and_1",
                    "ExpectColumnValuesToBeBetween",
                    {"column": column, "min_value": 0, "max_value": 1},
                    description=f"`{column}` is a share between 0 and 1.",
                    action=logic.format(what="a rate's numerator exceeds its denominator."),
                )
                for column in (*rates, "repeat_buyer_share")
            ),
            Expect(
                "gmv_reconciles_with_fct_order_lines",
                "ExpectQueryToReturnNoRows",
                {"unexpected_rows_query": " ".join(reconcile.split())},
                description=(
                    "Each month's GMV summed over suppliers equals that month's GMV in "
                    f"fct_order_lines, within {GMV_TOLERANCE_USD} USD or "
                    f"{GMV_TOLERANCE_RELATIVE:g} of it (float rounding)."
                ),
                action=(
                    "The two marts disagree on GMV: lines without a supplier month (a supplier "
                    "missing from stg_marketplace__suppliers?) or a month rebuilt in one mart but "
                    "not the other. Rebuild both (`dbt build --select +supplier_performance "
                    "--full-refresh`) and compare the samples' months."
                ),
            ),
        ),
        reads=(("marts", "fct_order_lines"), *STAGING_ASSETS),
        description="Supplier months: one row per key, sane figures, GMV that reconciles.",
    )


def pavilion_shortlist_suite() -> Suite:
    """marts.pavilion_shortlist: min(size, candidates) Vietnamese rows and their 14 criteria."""
    size = int(dbt_vars()["pavilion_size"])
    country = dbt_vars()["pavilion_country_code"]
    row_count = (
        f"with expected as (select least({size}, count(*)) as n from {PAVILION_CANDIDATES}), "
        "actual as (select count(*) as n from {batch}) "
        "select actual.n as shortlist_rows, expected.n as expected_rows "
        "from actual, expected where actual.n <> expected.n"
    )
    flags = " + ".join(f"cast({flag} as integer)" for flag in PAVILION_CRITERIA)
    counted = (
        f"select supplier_id, criteria_met, {flags} as flags_true from {{batch}} "
        f"where criteria_met is distinct from {flags} order by supplier_id"
    )
    not_applicable = (
        "select case "
        f"when not exists (select 1 from marts.dim_suppliers where country_code = '{country}') "
        "then 'not applicable: no Vietnamese suppliers in the data' "
        f"when not exists (select 1 from {PAVILION_CANDIDATES}) "
        "then 'not applicable: no Vietnamese supplier is listed in the evaluation month' end"
    )
    model = "dbt_project/models/marts/pavilion_shortlist.sql"
    return Suite(
        name="pavilion_shortlist",
        asset=("marts", "pavilion_shortlist"),
        table="marts.pavilion_shortlist",
        expectations=(
            Expect(
                "row_count_expected",
                "ExpectQueryToReturnNoRows",
                {"unexpected_rows_query": row_count},
                description=(
                    f"min({size}, candidates) rows: the shortlist takes the best {size} of the "
                    f"{country} suppliers listed in the evaluation month "
                    f"({PAVILION_CANDIDATES}), or all of them when there are fewer."
                ),
                action=(
                    f"The ranking or its `shortlist_rank <= pavilion_size` filter in {model} "
                    "drops or repeats candidates."
                ),
            ),
            Expect(
                "has_the_14_criteria",
                "ExpectTableColumnsToMatchSet",
                {"column_set": list(PAVILION_CRITERIA), "exact_match": False},
                description=f"The 14 criteria columns are there: {', '.join(PAVILION_CRITERIA)}.",
                action=f"A criterion column was renamed or dropped in {model}; restore it.",
            ),
            Expect(
                "suppliers_are_vietnamese",
                "ExpectColumnValuesToBeInSet",
                {"column": "country_code", "value_set": [country]},
                description=f"Every shortlisted supplier has country_code '{country}'.",
                action=(
                    f"The candidates' country filter in {PAVILION_CANDIDATES.split('.')[1]}.sql "
                    "let another country through."
                ),
                needs_rows=True,
            ),
            Expect(
                "criteria_met_counts_the_flags",
                "ExpectQueryToReturnNoRows",
                {"unexpected_rows_query": counted},
                description="`criteria_met` is the number of true `meets_` flags.",
                action=f"The criteria_met sum in {model} misses or repeats a flag.",
                needs_rows=True,
            ),
        ),
        reads=(
            ("intermediate", "int_pavilion_candidates_measured"),
            ("marts", "dim_suppliers"),
            *STAGING_ASSETS,
        ),
        not_applicable_sql=not_applicable,
        description=f"The {size} pavilion candidates and their 14 criteria.",
    )

"""Every Great Expectations suite of TradePulse, one per guarded table, in pipeline order.

Raw suites are derived from the contract (`pipelines.contract.ENTITIES`), so a rule added there
is checked here too. Staging and mart suites guard the dbt models' own promises. Which checks
block and what to do when one fails is in docs/data-quality.md (generated from this module).

>>> [suite.name for suite in SUITES][:3]
['raw_suppliers', 'raw_buyers', 'raw_orders']
"""

from functools import cache

import polars as pl
import yaml

from pipelines.config import DBT_PROJECT_DIR
from pipelines.contract import ENTITIES, Column, Entity
from pipelines.contract.reference import reference_codes
from pipelines.ingest.tables import REJECTED_FILES, REJECTED_ROWS, entity_table
from pipelines.quality.expect import NOW, Expect, Severity, Suite

# A share of rejected rows above this means a systematic export problem, not a few bad rows.
MAX_REJECTED_SHARE = 0.05
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
STAGING_ASSETS = (
    ("staging", "stg_marketplace__suppliers"),
    ("staging", "stg_marketplace__buyers"),
    ("staging", "stg_marketplace__order_lines"),
)
PAVILION_CANDIDATES = "intermediate.int_pavilion_candidates_measured"

_RELOAD = (
    "Ingestion rejects such rows, so one here means {table} was changed outside the ingestion "
    "or the contract and the ingestion disagree. Reload with `tradepulse run`; if it persists, "
    "compare pipelines/contract with pipelines/ingest."
)


@cache
def dbt_vars() -> dict:
    """The vars of dbt_project.yml (pavilion size and country, thresholds)."""
    return yaml.safe_load((DBT_PROJECT_DIR / "dbt_project.yml").read_text())["vars"]


def _not_null(column: str, action: str) -> Expect:
    return Expect(
        f"{column}_not_null",
        "ExpectColumnValuesToNotBeNull",
        {"column": column},
        description=f"`{column}` is never null.",
        action=action,
    )


def _unique(
    name: str,
    key: list[str],
    *,
    description: str,
    action: str,
    severity: Severity = "critical",
    files: bool = False,
) -> Expect:
    """No two rows share `key`: one unexpected row per key that has more than one copy.

    SQL rather than GX's compound-uniqueness expectation, which joins the table back to its
    groups and took about 6x a plain `group by` on 10 million rows (bench/gx_suites.py).
    """
    key_text = ", ".join(key)
    seen_in = ", min(_source_file) as first_file, max(_source_file) as last_file" if files else ""
    query = (
        f"select {key_text}, count(*) as copies{seen_in} from {{batch}} "
        f"group by {key_text} having count(*) > 1 order by {key_text}"
    )
    return Expect(
        name,
        "UnexpectedRowsExpectation",
        {"unexpected_rows_query": query},
        description=description,
        action=action,
        severity=severity,
    )


def _value_rules(column: Column, action: str) -> list[Expect]:
    """Allowed values, reference codes, ranges and no-future rules of one contract column."""
    rules = []
    if column.allowed or column.reference:
        values = sorted(column.allowed or reference_codes(column.reference))
        source = (
            f"one of {', '.join(values)}"
            if column.allowed
            else f"a code of the {column.reference.value} seed"
        )
        rules.append(
            Expect(
                f"{column.name}_allowed",
                "ExpectColumnValuesToBeInSet",
                {"column": column.name, "value_set": values},
                description=f"`{column.name}` is {source}.",
                action=action,
            )
        )
    if column.range is not None:
        bounds = column.range
        rules.append(
            Expect(
                f"{column.name}_in_range",
                "ExpectColumnValuesToBeBetween",
                {
                    "column": column.name,
                    "min_value": bounds.minimum,
                    "max_value": bounds.maximum,
                    "strict_min": not bounds.min_inclusive,
                    "strict_max": not bounds.max_inclusive,
                },
                description=f"`{column.name}` is {bounds.describe()}.",
                action=action,
            )
        )
    if column.not_future:
        rules.append(
            Expect(
                f"{column.name}_not_in_future",
                "ExpectColumnValuesToBeBetween",
                {"column": column.name, "max_value": NOW},
                description=f"`{column.name}` is not after the time of the check (UTC).",
                action=action,
            )
        )
    return rules


def _date_order(entity: Entity, earlier: str, later: str, action: str) -> Expect:
    name = f"{later}_not_before_{earlier}"
    description = f"`{earlier}` <= `{later}` when both are present."
    types = {entity.column(earlier).dtype, entity.column(later).dtype}
    if pl.Date in types and len(types) > 1:
        # A date and a timestamp compare as dates (the contract's rule).
        key = ", ".join(entity.key)
        query = (
            f"select {key}, {earlier}, {later}, _source_file from {{batch}} "
            f"where cast({earlier} as date) > cast({later} as date)"
        )
        return Expect(
            name,
            "UnexpectedRowsExpectation",
            {"unexpected_rows_query": query},
            description=description,
            action=action,
        )
    return Expect(
        name,
        "ExpectColumnPairValuesAToBeGreaterThanB",
        {
            "column_A": later,
            "column_B": earlier,
            "or_equal": True,
            "ignore_row_if": "either_value_is_missing",
        },
        description=description,
        action=action,
    )


def _foreign_key(entity: Entity, column: str, parent: str, action: str) -> Expect:
    parent_key = ENTITIES[parent].key[0]
    keys = ", ".join(f"child.{name}" for name in entity.key)
    query = (
        f"select {keys}, child.{column}, child._source_file from {{batch}} as child "
        f"left join {entity_table(parent)} as parent on child.{column} = parent.{parent_key} "
        f"where child.{column} is not null and parent.{parent_key} is null"
    )
    return Expect(
        f"{column}_exists_in_{parent}",
        "UnexpectedRowsExpectation",
        {"unexpected_rows_query": query},
        description=f"Every `{column}` names a row of {entity_table(parent)}.",
        action=action,
    )


def _rejections(entity: Entity) -> list[Expect]:
    """What ingestion left out of the entity: whole files, rows, and their share."""
    name = entity.name
    files = (
        f"select source_file, reason_code, reason_message, detected_at from {REJECTED_FILES} "
        f"where entity = '{name}'"
    )
    rows = (
        f"select source_file, source_row, reason_code, reason_message from {REJECTED_ROWS} "
        f"where entity = '{name}'"
    )
    share = f"""
        with rejected as (
            select count(*) as n from {REJECTED_ROWS} where entity = '{name}'
        ),
        loaded as (
            select count(*) as n from {{batch}}
        )
        select
            rejected.n as rows_rejected,
            loaded.n as rows_loaded,
            round(rejected.n / (rejected.n + loaded.n), 4) as rejected_share
        from rejected, loaded
        where rejected.n > {MAX_REJECTED_SHARE} * (rejected.n + loaded.n)
    """
    return [
        Expect(
            "no_rejected_files",
            "UnexpectedRowsExpectation",
            {"unexpected_rows_query": files},
            description=f"No {name} file was rejected whole by ingestion ({REJECTED_FILES}).",
            action=(
                f"A whole {name} file was not loaded, so none of its rows are in any figure. "
                f"Read its reason in {REJECTED_FILES} (reason_code, reason_message), fix or "
                "remove the file under $TRADEPULSE_RAW_DIR and run again."
            ),
        ),
        Expect(
            "no_rejected_rows",
            "UnexpectedRowsExpectation",
            {"unexpected_rows_query": rows},
            severity="warning",
            description=f"No {name} row broke the contract at ingestion ({REJECTED_ROWS}).",
            action=(
                f"The rows were left out of every figure. See {REJECTED_ROWS} (reason_code, "
                "reason_message, record) and docs/data-contract.md; correct the export when the "
                "rows matter."
            ),
        ),
        Expect(
            f"rejected_rows_at_most_{MAX_REJECTED_SHARE:.0%}".replace("%", "_percent"),
            "UnexpectedRowsExpectation",
            {"unexpected_rows_query": " ".join(share.split())},
            description=(
                f"At most {MAX_REJECTED_SHARE:.0%} of the {name} rows read were rejected."
            ),
            action=(
                "So many rejected rows point to a systematic export problem (a new currency, a "
                f"renamed status, a shifted column): the figures would undercount. Group "
                f"{REJECTED_ROWS} by reason_code, fix the export (or the contract) and run again."
            ),
        ),
    ]


def raw_suite(entity: Entity) -> Suite:
    """The suite of one raw table, derived from the entity's contract."""
    table = entity_table(entity.name)
    action = _RELOAD.format(table=table)
    key = list(entity.key)
    key_text = ", ".join(key)
    expectations = [
        _not_null(column.name, action) for column in entity.columns if not column.nullable
    ]
    expectations.append(
        _unique(
            "key_unique_within_file",
            [*key, "_source_file"],
            description=f"({key_text}) is unique within each source file.",
            action=action,
        )
    )
    expectations.append(
        _unique(
            "key_unique_across_files",
            key,
            severity="warning",
            files=True,
            description=(
                f"({key_text}) is unique across files. Raw keeps every delivered copy on "
                "purpose; staging keeps the latest, so this only reports re-deliveries."
            ),
            action=(
                "Expected after a re-export or a corrections file: staging keeps the copy from "
                "the latest load. If no file was meant to repeat rows, find the files in the "
                "samples (first_file, last_file) and remove the stale one."
            ),
        )
    )
    for column in entity.columns:
        expectations.extend(_value_rules(column, action))
    expectations.extend(
        _date_order(entity, order.earlier, order.later, action) for order in entity.date_orders
    )
    expectations.extend(
        _foreign_key(entity, fk.column, fk.entity, action) for fk in entity.foreign_keys
    )
    expectations.extend(_rejections(entity))
    return Suite(
        name=f"raw_{entity.name}",
        asset=(f"raw_{entity.name}",),
        table=table,
        expectations=tuple(expectations),
        reads=tuple((f"raw_{fk.entity}",) for fk in entity.foreign_keys),
        description=f"The contract on {table}, plus what ingestion rejected.",
    )


def _staging_row_count(raw_table: str, key: str) -> str:
    return (
        "with expected as ("
        f" select count(*) as n from (select distinct {key} from {raw_table})"
        "), actual as (select count(*) as n from {batch})"
        " select actual.n as staging_rows, expected.n as raw_distinct_keys,"
        " actual.n - expected.n as difference"
        " from actual, expected where actual.n <> expected.n"
    )


def staging_suite(entity: Entity, model: str, extra: tuple[Expect, ...] = ()) -> Suite:
    """Key and row count of the staging model of one entity (one row per distinct raw key)."""
    key = list(entity.key)
    key_text = ", ".join(key)
    # The same normalisation as the model's `renamed` CTE, so equal keys count once.
    raw_key = ", ".join(
        f"trim({name})" if entity.column(name).dtype == pl.String else f"cast({name} as integer)"
        for name in key
    )
    fix_model = (
        f"The de-duplication in dbt_project/models/staging/marketplace/{model}.sql must keep one "
        f"copy per ({key_text}): check its `ranked` CTE and the row_number partition."
    )
    unique = _unique(
        "key_unique",
        key,
        description=f"({key_text}) is unique after de-duplication.",
        action=fix_model,
    )
    row_count = Expect(
        "row_count_matches_raw",
        "UnexpectedRowsExpectation",
        {"unexpected_rows_query": _staging_row_count(entity_table(entity.name), raw_key)},
        description=(
            f"One row per distinct ({key_text}) of {entity_table(entity.name)}: raw holds only "
            "accepted rows (rejected ones are in raw.rejected_rows), and staging drops none."
        ),
        action=(
            f"Staging lost or invented rows: a join or filter in {model}.sql drops lines (an "
            "inner join to a seed?) or fans them out. Compare the model with the raw keys."
        ),
    )
    return Suite(
        name=model,
        asset=("staging", model),
        table=f"staging.{model}",
        expectations=(
            *(_not_null(name, fix_model) for name in key),
            unique,
            row_count,
            *extra,
        ),
        reads=((f"raw_{entity.name}",),),
        description=f"De-duplication and conversion of {entity_table(entity.name)}.",
    )


def _order_lines_usd() -> tuple[Expect, ...]:
    fx_action = (
        "The currency has no rate for that month in dbt_project/seeds/fx_rates_monthly.csv: add "
        "the currency (currencies.csv) and its monthly rates to the seeds and run again."
    )
    by_currency = (
        "select currency, order_month, count(*) as lines from {table} "
        "where {column} is null group by all order by lines desc, currency, order_month"
    )
    negative = (
        "select order_id, line_number, quantity, unit_price, currency, usd_per_unit, "
        "line_amount_usd from {table} where {column} < 0 order by order_id, line_number"
    )
    return (
        Expect(
            "line_amount_usd_not_null",
            "ExpectColumnValuesToNotBeNull",
            {"column": "line_amount_usd"},
            description="Every line is converted to USD (`line_amount_usd` is never null).",
            action=fx_action,
            samples_sql=by_currency.replace("{column}", "line_amount_usd"),
        ),
        Expect(
            "usd_per_unit_positive",
            "ExpectColumnValuesToBeBetween",
            {"column": "usd_per_unit", "min_value": 0, "strict_min": True},
            description="Every FX rate used is > 0.",
            action="A rate in dbt_project/seeds/fx_rates_monthly.csv is 0 or negative: fix it.",
        ),
        *(
            Expect(
                f"{column}_not_negative",
                "ExpectColumnValuesToBeBetween",
                {"column": column, "min_value": 0},
                description=f"`{column}` is >= 0.",
                action=(
                    "Raw quantities are > 0 and prices >= 0, so a negative amount comes from "
                    "the conversion: check usd_per_unit in the samples and the FX seed."
                ),
                samples_sql=negative.replace("{column}", column),
            )
            for column in ("unit_price_usd", "line_amount_usd")
        ),
    )


def _kpi_growth() -> Suite:
    key = ["metric", "period_grain", "period", "dimension", "dimension_value"]
    logic = "A bug in dbt_project/models/marts/kpi_growth.sql or its intermediate models: {what}"
    low, high = YOY_GROWTH_BOUNDS
    return Suite(
        name="kpi_growth",
        asset=("marts", "kpi_growth"),
        table="marts.kpi_growth",
        expectations=(
            _unique(
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


def _supplier_performance() -> Suite:
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
            _unique(
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
                "UnexpectedRowsExpectation",
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


def _pavilion_shortlist() -> Suite:
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
                "UnexpectedRowsExpectation",
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
                "UnexpectedRowsExpectation",
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


def build_suites() -> tuple[Suite, ...]:
    """Every suite, raw first, then staging, then marts."""
    entities = [ENTITIES[name] for name in ("suppliers", "buyers", "orders")]
    return (
        *(raw_suite(entity) for entity in entities),
        staging_suite(ENTITIES["suppliers"], "stg_marketplace__suppliers"),
        staging_suite(ENTITIES["buyers"], "stg_marketplace__buyers"),
        staging_suite(ENTITIES["orders"], "stg_marketplace__order_lines", _order_lines_usd()),
        _kpi_growth(),
        _supplier_performance(),
        _pavilion_shortlist(),
    )


SUITES = build_suites()


def get_suite(name: str) -> Suite:
    """The suite called `name`, e.g. 'raw_orders'."""
    for suite in SUITES:
        if suite.name == name:
            return suite
    raise KeyError(f"no suite {name!r}; expected one of {', '.join(s.name for s in SUITES)}")

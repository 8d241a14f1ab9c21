"""The staging suites: one row per raw key after de-duplication, every line in USD."""

import polars as pl

from pipelines.contract import Entity
from pipelines.ingest.tables import entity_table
from pipelines.quality.expect import Expect, Suite, not_null, unique


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
    key_unique = unique(
        "key_unique",
        key,
        description=f"({key_text}) is unique after de-duplication.",
        action=fix_model,
    )
    row_count = Expect(
        "row_count_matches_raw",
        "ExpectQueryToReturnNoRows",
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
            *(not_null(name, fix_model) for name in key),
            key_unique,
            row_count,
            *extra,
        ),
        reads=((f"raw_{entity.name}",),),
        description=f"De-duplication and conversion of {entity_table(entity.name)}.",
    )


def order_lines_usd() -> tuple[Expect, ...]:
    """Every order line converted to USD, with no negative amount."""
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

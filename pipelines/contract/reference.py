"""Reference sets from the dbt seeds, read once per process."""

from __future__ import annotations

from functools import cache

import polars as pl

from pipelines.config import DBT_PROJECT_DIR
from pipelines.contract.rules import RefSet

SEEDS_DIR = DBT_PROJECT_DIR / "seeds"


def _read_seed(name: str, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    # Namibia's code "NA" must stay text: no value is read as null except an empty field.
    return pl.read_csv(SEEDS_DIR / f"{name}.csv", schema=schema, null_values=[""])


@cache
def countries() -> pl.DataFrame:
    """ISO 3166-1 countries with their UN M49 region and sub-region."""
    return _read_seed(
        "countries",
        {
            "country_code": pl.String,
            "country_code_alpha3": pl.String,
            "country_name": pl.String,
            "region": pl.String,
            "sub_region": pl.String,
        },
    )


@cache
def currencies() -> pl.DataFrame:
    """ISO 4217 currencies that TradePulse has monthly FX rates for."""
    return _read_seed(
        "currencies",
        {"currency_code": pl.String, "currency_name": pl.String, "minor_units": pl.Int32},
    )


@cache
def fx_rates_monthly() -> pl.DataFrame:
    """Approximate monthly average USD value of one unit of each currency."""
    return _read_seed(
        "fx_rates_monthly",
        {"month": pl.Date, "currency_code": pl.String, "usd_per_unit": pl.Float64},
    )


@cache
def product_categories() -> pl.DataFrame:
    """Product categories of B2B trade and the group each belongs to."""
    return _read_seed(
        "product_categories",
        {"category_code": pl.String, "category_name": pl.String, "parent_group": pl.String},
    )


@cache
def reference_codes(refset: RefSet) -> frozenset[str]:
    """The codes of a reference set, e.g. every ISO country code."""
    if refset is RefSet.COUNTRY:
        return frozenset(countries()["country_code"].to_list())
    return frozenset(currencies()["currency_code"].to_list())

"""Country names as exports spell them, mapped to ISO 3166-1 alpha-2 codes."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

import polars as pl

from pipelines.contract.reference import SEEDS_DIR, countries
from pipelines.errors import TradePulseError

ALIASES_SEED = SEEDS_DIR / "country_aliases.csv"


@cache
def country_aliases() -> pl.DataFrame:
    """The alias seed: country_name, country_code (empty where no ISO country fits), note."""
    # Only an empty field is null: Namibia's code "NA" stays text.
    return pl.read_csv(
        ALIASES_SEED,
        schema={"country_name": pl.String, "country_code": pl.String, "note": pl.String},
        null_values=[""],
    )


def country_lookup(names: Iterable[str]) -> dict[str, str | None]:
    """Map each country name to its code: the alias seed first, then the ISO short name.

    A name in the alias seed with an empty code maps to None (no ISO country). A name found in
    neither raises TradePulseError naming the seed to extend.

    >>> country_lookup(["EIRE", "France", "Unspecified"])
    {'EIRE': 'IE', 'France': 'FR', 'Unspecified': None}
    """
    aliases = {
        name.casefold(): code for name, code, _ in country_aliases().iter_rows() if name is not None
    }
    iso = {
        name.casefold(): code
        for code, name in countries().select("country_code", "country_name").iter_rows()
    }
    found: dict[str, str | None] = {}
    unknown: list[str] = []
    for name in sorted(set(names)):
        key = name.strip().casefold()
        if key in aliases:
            found[name] = aliases[key]
        elif key in iso:
            found[name] = iso[key]
        else:
            unknown.append(name)
    if unknown:
        shown = ", ".join(repr(name) for name in unknown)
        raise TradePulseError(
            f"country name(s) with no ISO 3166-1 code: {shown}; add a row "
            f"(country_name,country_code,note) for each to {ALIASES_SEED}, with an empty "
            "country_code for a name that is no country (its customers' rows are then excluded)"
        )
    return found


def buyer_countries(lines: pl.DataFrame) -> pl.DataFrame:
    """One row per customer: the ISO code of the country on most of their rows, and that name.

    `lines` has customer_id, country_code (null where the name has no ISO code), country and
    invoice_date. A tie goes to the country of the later invoice, then to the lower code;
    customers with no ISO-coded row at all are left out.
    """
    return (
        lines.filter(pl.col("customer_id").is_not_null() & pl.col("country_code").is_not_null())
        .group_by("customer_id", "country_code")
        .agg(
            pl.len().alias("rows"),
            pl.col("invoice_date").max().alias("latest"),
            pl.col("country").first().alias("source_country"),
        )
        .sort(
            ["customer_id", "rows", "latest", "country_code"],
            descending=[False, True, True, False],
            nulls_last=True,
        )
        .unique("customer_id", keep="first", maintain_order=True)
        .select("customer_id", "country_code", "source_country")
    )

"""The reference seeds: complete, unique and plausible."""

from datetime import date

import polars as pl

from pipelines.contract.reference import (
    countries,
    currencies,
    fx_rates_monthly,
    product_categories,
    reference_codes,
)
from pipelines.contract.rules import RefSet


def test_countries_cover_iso_3166_once_each() -> None:
    table = countries()
    assert table.height == 249
    assert table["country_code"].n_unique() == 249
    assert table["country_code_alpha3"].n_unique() == 249
    assert table["country_name"].n_unique() == 249
    assert table["country_code"].str.contains(r"^[A-Z]{2}$").all()
    assert table["country_code_alpha3"].str.contains(r"^[A-Z]{3}$").all()


def test_countries_carry_un_m49_regions() -> None:
    table = countries()
    assert table.group_by("region").len().sort("region").rows() == [
        (None, 1),
        ("Africa", 60),
        ("Americas", 57),
        ("Asia", 51),
        ("Europe", 51),
        ("Oceania", 29),
    ]
    assert table["sub_region"].n_unique() == 18  # 17 M49 sub-regions and Antarctica's null
    rows = table.filter(pl.col("country_code").is_in(["VN", "NA", "GB", "AQ", "TW"])).sort(
        "country_code"
    )
    assert rows.rows() == [
        ("AQ", "ATA", "Antarctica", None, None),
        ("GB", "GBR", "United Kingdom", "Europe", "Northern Europe"),
        ("NA", "NAM", "Namibia", "Africa", "Sub-Saharan Africa"),
        ("TW", "TWN", "Taiwan", "Asia", "Eastern Asia"),
        ("VN", "VNM", "Viet Nam", "Asia", "South-eastern Asia"),
    ]


def test_currencies_hold_the_common_ones_with_minor_units() -> None:
    table = currencies()
    assert table.height == 42
    assert table["currency_code"].n_unique() == 42
    required = {"USD", "VND", "CNY", "EUR", "GBP", "JPY", "KRW", "INR", "THB", "IDR", "MYR"}
    required |= {"SGD", "AUD", "CAD", "HKD", "TWD", "PHP", "AED", "CHF", "BRL", "MXN"}
    assert required <= reference_codes(RefSet.CURRENCY)
    minor = dict(table.select("currency_code", "minor_units").iter_rows())
    assert (minor["USD"], minor["VND"], minor["JPY"], minor["KRW"], minor["EUR"]) == (2, 0, 0, 0, 2)


def test_fx_rates_cover_every_currency_and_month() -> None:
    table = fx_rates_monthly()
    months = table["month"].unique().sort()
    assert months.len() == 169
    assert (months[0], months[-1]) == (date(2009, 12, 1), date(2023, 12, 1))
    assert table.height == 169 * 42
    assert table.select(pl.struct("month", "currency_code").n_unique()).item() == 169 * 42
    assert set(table["currency_code"].unique()) == reference_codes(RefSet.CURRENCY)
    assert (table["usd_per_unit"] > 0).all()
    assert table.filter(pl.col("currency_code") == "USD")["usd_per_unit"].unique().to_list() == [
        1.0
    ]


def test_fx_rates_are_plausible() -> None:
    table = fx_rates_monthly()

    def span(code: str, first: str, last: str) -> tuple[float, float]:
        rates = table.filter(
            (pl.col("currency_code") == code)
            & pl.col("month").is_between(date.fromisoformat(first), date.fromisoformat(last))
        )["usd_per_unit"]
        return rates.min(), rates.max()

    vnd = span("VND", "2022-01-01", "2023-12-01")
    assert (round(1 / vnd[1]), round(1 / vnd[0])) == (23_000, 24_500)
    gbp = span("GBP", "2009-12-01", "2023-12-01")
    assert (round(gbp[0], 2), round(gbp[1], 2)) == (1.13, 1.66)
    eur = span("EUR", "2009-12-01", "2023-12-01")
    assert (round(eur[0], 2), round(eur[1], 2)) == (0.98, 1.46)
    jpy = span("JPY", "2023-01-01", "2023-12-01")
    assert (round(1 / jpy[1], 1), round(1 / jpy[0], 1)) == (130.4, 151.2)
    aed = span("AED", "2009-12-01", "2023-12-01")
    assert (round(1 / aed[0], 4), round(1 / aed[1], 4)) == (3.6725, 3.6725)


def test_product_categories_are_many_and_unique() -> None:
    table = product_categories()
    assert table.height == 57
    assert table["category_code"].n_unique() == 57
    assert table["parent_group"].n_unique() == 13
    assert {"apparel", "footwear", "furniture", "coffee", "seafood", "rice"} <= set(
        table["category_code"]
    )
    assert "electronic_components" in set(table["category_code"])

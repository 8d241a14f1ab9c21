"""Country names as the exports spell them, mapped to ISO codes through country_aliases.csv."""

import polars as pl
import pytest

from pipelines.contract.reference import reference_codes
from pipelines.contract.rules import RefSet
from pipelines.errors import TradePulseError
from pipelines.imports.countries import country_aliases, country_lookup

# Every distinct Country of the two real files and its code (None: no ISO country).
REAL_COUNTRIES = {
    "Australia": "AU", "Austria": "AT", "Bahrain": "BH", "Belgium": "BE", "Bermuda": "BM",
    "Brazil": "BR", "Canada": "CA", "Channel Islands": "JE", "Cyprus": "CY",
    "Czech Republic": "CZ", "Denmark": "DK", "EIRE": "IE", "European Community": None,
    "Finland": "FI", "France": "FR", "Germany": "DE", "Greece": "GR", "Hong Kong": "HK",
    "Iceland": "IS", "Israel": "IL", "Italy": "IT", "Japan": "JP", "Korea": "KR",
    "Lebanon": "LB", "Lithuania": "LT", "Malta": "MT", "Netherlands": "NL", "Nigeria": "NG",
    "Norway": "NO", "Poland": "PL", "Portugal": "PT", "RSA": "ZA", "Saudi Arabia": "SA",
    "Singapore": "SG", "Spain": "ES", "Sweden": "SE", "Switzerland": "CH", "Thailand": "TH",
    "USA": "US", "United Arab Emirates": "AE", "United Kingdom": "GB", "Unspecified": None,
    "West Indies": None,
}  # fmt: skip


def test_every_country_of_both_real_files_maps(online_retail_files) -> None:
    frames = [pl.read_parquet(path, columns=["Country"]) for path in online_retail_files]
    names = pl.concat(frames)["Country"].unique()
    assert sorted(names) == sorted(REAL_COUNTRIES)
    assert country_lookup(names.to_list()) == REAL_COUNTRIES


def test_the_alias_seed_names_each_country_once_with_a_known_code() -> None:
    seed = country_aliases()
    assert seed.columns == ["country_name", "country_code", "note"]
    assert seed.height == 57
    assert seed["country_name"].str.to_lowercase().n_unique() == seed.height
    assert set(seed["country_code"].drop_nulls()) <= reference_codes(RefSet.COUNTRY)
    assert seed["note"].null_count() == 0
    assert set(REAL_COUNTRIES) <= set(seed["country_name"])
    assert seed.filter(pl.col("country_code").is_null())["country_name"].to_list() == [
        "European Community",
        "Unspecified",
        "West Indies",
    ]


def test_iso_short_names_map_without_an_alias_in_any_case() -> None:
    assert country_lookup(["Viet Nam", "GERMANY", " Ireland "]) == {
        " Ireland ": "IE",
        "GERMANY": "DE",
        "Viet Nam": "VN",
    }


def test_a_name_that_is_in_neither_seed_says_where_to_add_it() -> None:
    with pytest.raises(TradePulseError) as error:
        country_lookup(["Atlantis", "France", "Narnia"])
    assert str(error.value).startswith(
        "country name(s) with no ISO 3166-1 code: 'Atlantis', 'Narnia'; add a row "
        "(country_name,country_code,note) for each to "
    )
    assert str(error.value).endswith(
        "dbt_project/seeds/country_aliases.csv, with an empty country_code for a name that is no "
        "country (its customers' rows are then excluded)"
    )

"""Which stock codes are products, and the category each description gets."""

import polars as pl

from pipelines.contract.reference import product_categories
from pipelines.imports.categories import CATEGORY_RULES, DEFAULT_CATEGORY, category_expr
from pipelines.imports.rules import RULES, Exclusion, is_product

# Every stock code in the two real files without a five-digit product number, and a verdict.
NON_PRODUCTS = [
    "ADJUST", "ADJUST2", "AMAZONFEE", "B", "BANK CHARGES", "C2", "C3", "CRUK", "D", "DCGSLBOY",
    "DCGSLGIRL", "DCGSSBOY", "DCGSSGIRL", "DOT", "GIFT", "M", "PADS", "POST", "S", "TEST001",
    "TEST002", "gift_0001_10", "gift_0001_90", "m",
]  # fmt: skip
PRODUCTS = ["85123A", "22423", "79323P", "DCGS0003", "DCGS0066N", "SP1002", "84029G", "10002"]


def _apply(expr, values: list) -> list:
    return pl.select(expr(pl.lit(pl.Series(values, dtype=pl.String)))).to_series().to_list()


def test_product_codes_have_a_digit_run_and_are_no_vouchers_or_tests() -> None:
    assert _apply(is_product, NON_PRODUCTS) == [False] * len(NON_PRODUCTS)
    assert _apply(is_product, PRODUCTS) == [True] * len(PRODUCTS)


def test_rules_run_in_the_documented_order() -> None:
    assert [reason.value for reason in RULES] == [
        "unreadable",
        "non_product",
        "guest",
        "unknown_country",
        "negative_price",
        "bad_quantity",
    ]
    assert list(Exclusion)[0] == Exclusion.OVERLAP


def test_categories_come_from_keywords_first_rule_first() -> None:
    descriptions = [
        "JUMBO BAG RED RETROSPOT",
        "WHITE HANGING HEART T-LIGHT HOLDER",
        "SET OF 3 CAKE TINS PANTRY DESIGN",
        "SPACEBOY BIRTHDAY CARD",
        "PLAYING CARDS KEEP CALM",
        "DIAMANTE NECKLACE",
        "RED RETROSPOT CUSHION COVER",
        "HOT WATER BOTTLE I AM SO POORLY",
        "STRAWBERRY CERAMIC TRINKET BOX",
        "WOOD 2 DRAWER CABINET WHITE FINISH",
        "lunch bag dolly girl design",
        "REGENCY CAKESTAND 3 TIER",
        "HEART OF WICKER SMALL",
        None,
    ]
    assert _apply(category_expr, descriptions) == [
        "bags_luggage",
        "lighting",
        "kitchenware",
        "stationery",
        "toys",
        "jewelry",
        "home_textiles",
        "home_textiles",
        "ceramics",
        "furniture",
        "bags_luggage",
        "home_decor",  # CAKESTAND is not the word CAKE
        "home_decor",
        "home_decor",
    ]


def test_every_category_is_in_the_seed() -> None:
    seed = set(product_categories()["category_code"])
    assert {category for category, _ in CATEGORY_RULES} | {DEFAULT_CATEGORY} <= seed

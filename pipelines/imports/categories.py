"""Product categories of Online Retail lines, from keywords in the description."""

from __future__ import annotations

import polars as pl

DEFAULT_CATEGORY = "home_decor"

# (category_code, keywords): the first rule with a keyword in the description, as a whole word
# in any case, gives the line its category; lines that match none are DEFAULT_CATEGORY.
CATEGORY_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("bags_luggage", ("BAG", "BAGS", "SHOPPER", "PURSE", "HANDBAG", "RUCKSACK", "BACKPACK")),
    ("lighting", (
        "LIGHT", "LIGHTS", "T-LIGHT", "LANTERN", "LANTERNS", "LAMP", "CANDLE", "CANDLES",
    )),
    ("kitchenware", (
        "MUG", "MUGS", "CUP", "CUPS", "SAUCER", "PLATE", "PLATES", "BOWL", "BOWLS", "TEAPOT",
        "CUTLERY", "SPOON", "SPOONS", "JUG", "NAPKINS", "APRON", "CAKE", "BAKING", "LUNCH BOX",
        "TEA TOWEL", "TEA TOWELS", "KITCHEN", "PANTRY", "JAM", "TRAY", "BEAKERS",
    )),
    ("toys", (
        "TOY", "TOYS", "GAME", "GAMES", "DOLL", "DOLLS", "PUZZLE", "JIGSAW", "PLAYING CARDS",
    )),
    ("stationery", (
        "CARD", "CARDS", "WRAP", "PAPER", "NOTEBOOK", "PENCIL", "PENCILS", "PEN", "PENS",
        "STICKER", "STICKERS", "RIBBON", "RIBBONS", "ENVELOPES", "CALENDAR", "DIARY", "TAGS",
    )),
    ("jewelry", (
        "NECKLACE", "BRACELET", "EARRINGS", "BROOCH", "RING", "RINGS", "HAIR CLIP", "CHARM",
    )),
    ("home_textiles", (
        "CUSHION", "CUSHIONS", "THROW", "BLANKET", "QUILT", "DOORMAT", "HOT WATER BOTTLE",
    )),
    ("ceramics", ("CERAMIC", "PORCELAIN")),
    ("furniture", ("CHAIR", "STOOL", "CABINET", "SHELF", "DRAWERS", "TABLE")),
)  # fmt: skip


def _pattern(keywords: tuple[str, ...]) -> str:
    return rf"(?i)\b({'|'.join(keywords)})\b"


def category_expr(description: pl.Expr) -> pl.Expr:
    """The category_code of each line from its description; DEFAULT_CATEGORY when nothing matches.

    >>> names = pl.Series(["JUMBO BAG RED RETROSPOT", "WHITE METAL LANTERN", "DOORSTOP", None])
    >>> pl.select(category_expr(pl.lit(names))).to_series().to_list()
    ['bags_luggage', 'lighting', 'home_decor', 'home_decor']
    """
    chain = pl.when(pl.lit(False)).then(pl.lit(None, dtype=pl.String))
    for category, keywords in CATEGORY_RULES:
        chain = chain.when(description.str.contains(_pattern(keywords))).then(pl.lit(category))
    return chain.otherwise(pl.lit(DEFAULT_CATEGORY))

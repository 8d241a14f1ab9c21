"""Why an Online Retail row is not written as an order line, and which stock codes are products."""

from __future__ import annotations

from enum import StrEnum

import polars as pl

# A product's stock code carries a product number: a run of at least this many digits.
PRODUCT_DIGITS = 3
# Codes that carry a number but are no goods: test items and gift vouchers (money, not stock).
NON_PRODUCT_PREFIXES: tuple[str, ...] = ("TEST", "GIFT_")


class Exclusion(StrEnum):
    """Why a source row is left out; the declaration order is the precedence."""

    OVERLAP = "overlap"
    UNREADABLE = "unreadable"
    NON_PRODUCT = "non_product"
    GUEST = "guest"
    UNKNOWN_COUNTRY = "unknown_country"
    NEGATIVE_PRICE = "negative_price"
    BAD_QUANTITY = "bad_quantity"

    @property
    def meaning(self) -> str:
        """One line that says which rows the reason covers."""
        return EXCLUSION_MEANINGS[self]

    @property
    def label(self) -> str:
        """A few words for the summary table."""
        return EXCLUSION_LABELS[self]


EXCLUSION_MEANINGS: dict[Exclusion, str] = {
    Exclusion.OVERLAP: "The invoice is also in an earlier file (files ordered by first invoice "
    "date); that copy is kept, this one is counted once as overlap.",
    Exclusion.UNREADABLE: "Invoice, stock code, quantity, price or invoice date is missing or "
    "cannot be read.",
    Exclusion.NON_PRODUCT: "The stock code is no product: it has no run of "
    f"{PRODUCT_DIGITS} or more digits (POST, DOT, M, C2, D, S, B, BANK CHARGES, AMAZONFEE, CRUK, "
    "PADS, ADJUST, ...), or it starts with TEST or gift_ in any case (test items, gift vouchers).",
    Exclusion.GUEST: "No customer id (guest checkout): there is no buyer to attach it to.",
    Exclusion.UNKNOWN_COUNTRY: "The customer's country has no ISO 3166-1 code (Unspecified, "
    "European Community, West Indies: an empty code in country_aliases.csv).",
    Exclusion.NEGATIVE_PRICE: "The unit price is below zero.",
    Exclusion.BAD_QUANTITY: "The quantity is zero, or negative on an invoice that is not a "
    "cancellation.",
}

EXCLUSION_LABELS: dict[Exclusion, str] = {
    Exclusion.OVERLAP: "invoice also in an earlier file",
    Exclusion.UNREADABLE: "a required field is missing or unreadable",
    Exclusion.NON_PRODUCT: "stock code is no product (postage, fees, adjustments, ...)",
    Exclusion.GUEST: "no customer id (guest checkout)",
    Exclusion.UNKNOWN_COUNTRY: "the customer's country has no ISO code",
    Exclusion.NEGATIVE_PRICE: "unit price below zero",
    Exclusion.BAD_QUANTITY: "quantity zero, or negative outside a cancellation",
}

# The reasons a rule decides row by row, after the overlap is removed.
RULES: tuple[Exclusion, ...] = tuple(reason for reason in Exclusion if reason != Exclusion.OVERLAP)


def is_product(stock_code: pl.Expr) -> pl.Expr:
    """True where a stock code names goods: a digit run, and not a test item or gift voucher.

    >>> codes = pl.Series(["85123A", "POST", "C2", "gift_0001_10", "DCGS0058"])
    >>> pl.select(is_product(pl.lit(codes))).to_series().to_list()
    [True, False, False, False, True]
    """
    code = stock_code.str.strip_chars().str.to_uppercase()
    has_number = code.str.contains(f"[0-9]{{{PRODUCT_DIGITS},}}")
    return has_number & ~pl.any_horizontal(code.str.starts_with(p) for p in NON_PRODUCT_PREFIXES)

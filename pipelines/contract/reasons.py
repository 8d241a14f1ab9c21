"""Stable reason codes that say why a raw row breaks the contract."""

from __future__ import annotations

from enum import StrEnum


class ReasonCode(StrEnum):
    """Why a raw row was rejected; the declaration order is the precedence of the primary reason."""

    MISSING_COLUMN = "missing_column"
    MISSING_REQUIRED = "missing_required"
    BAD_TYPE = "bad_type"
    NOT_IN_SET = "not_in_set"
    OUT_OF_RANGE = "out_of_range"
    BAD_COUNTRY = "bad_country"
    BAD_CURRENCY = "bad_currency"
    DATE_ORDER = "date_order"
    FUTURE_DATE = "future_date"
    ORPHAN_BUYER = "orphan_buyer"
    ORPHAN_SUPPLIER = "orphan_supplier"
    DUPLICATE_KEY = "duplicate_key"

    @property
    def meaning(self) -> str:
        """One line that says what the code means."""
        return REASON_MEANINGS[self]


REASON_MEANINGS: dict[ReasonCode, str] = {
    ReasonCode.MISSING_COLUMN: "A required column is absent from the file, so every row of it is "
    "rejected.",
    ReasonCode.MISSING_REQUIRED: "A column that may not be null is null or blank.",
    ReasonCode.BAD_TYPE: "A value cannot be read as the column's type (text in a number, "
    "an impossible date, a fractional line number).",
    ReasonCode.NOT_IN_SET: "A value is not one of the column's allowed values.",
    ReasonCode.OUT_OF_RANGE: "A number is outside the column's minimum or maximum.",
    ReasonCode.BAD_COUNTRY: "A country code is not an ISO 3166-1 alpha-2 code listed in the "
    "countries seed.",
    ReasonCode.BAD_CURRENCY: "A currency code is not an ISO 4217 code listed in the currencies "
    "seed.",
    ReasonCode.DATE_ORDER: "Two dates of the row are in an impossible order (for example "
    "delivered before shipped).",
    ReasonCode.FUTURE_DATE: "A date or timestamp that records a past event lies after the "
    "extract time.",
    ReasonCode.ORPHAN_BUYER: "The order line's buyer_id is not a valid buyer.",
    ReasonCode.ORPHAN_SUPPLIER: "The order line's supplier_id is not a valid supplier.",
    ReasonCode.DUPLICATE_KEY: "The row's key repeats that of an earlier valid row; the first one "
    "is kept.",
}

"""The building blocks of the raw contract: plain, typed, immutable data."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import polars as pl

from pipelines.contract.reasons import ReasonCode


class RefSet(StrEnum):
    """A reference set of codes loaded from a dbt seed."""

    COUNTRY = "country"
    CURRENCY = "currency"

    @property
    def reason(self) -> ReasonCode:
        """The reason code of a value missing from this set."""
        return ReasonCode.BAD_COUNTRY if self is RefSet.COUNTRY else ReasonCode.BAD_CURRENCY


@dataclass(frozen=True)
class Range:
    """Bounds of a number; a bound of None is open."""

    minimum: float | None = None
    maximum: float | None = None
    min_inclusive: bool = True
    max_inclusive: bool = True

    def describe(self) -> str:
        """Say the bounds in words, e.g. '> 0' or 'between 1 and 5'.

        >>> Range(minimum=0, min_inclusive=False).describe()
        '> 0'
        """
        low = None if self.minimum is None else f"{'>=' if self.min_inclusive else '>'} "
        high = None if self.maximum is None else f"{'<=' if self.max_inclusive else '<'} "
        if low and high and self.min_inclusive and self.max_inclusive:
            return f"between {_num(self.minimum)} and {_num(self.maximum)}"
        parts = []
        if low:
            parts.append(f"{low}{_num(self.minimum)}")
        if high:
            parts.append(f"{high}{_num(self.maximum)}")
        return " and ".join(parts)


def _num(value: float | None) -> str:
    return f"{value:g}"


@dataclass(frozen=True)
class Column:
    """One required column of a raw entity and the rules its values obey."""

    name: str
    dtype: pl.DataType
    description: str
    nullable: bool = False
    allowed: tuple[str, ...] | None = None
    range: Range | None = None
    reference: RefSet | None = None
    not_future: bool = False


@dataclass(frozen=True)
class DateOrder:
    """`earlier` must not be after `later` when both are present; dates if either one is a date."""

    earlier: str
    later: str


@dataclass(frozen=True)
class ForeignKey:
    """`column` must name a valid row of `entity`; a miss is rejected with `reason`."""

    column: str
    entity: str
    reason: ReasonCode


@dataclass(frozen=True)
class Entity:
    """A raw dataset: its folder name, grain, ordered columns, key and cross-column rules."""

    name: str
    grain: str
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    date_orders: tuple[DateOrder, ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = ()

    @property
    def column_names(self) -> tuple[str, ...]:
        """The required column names in contract order."""
        return tuple(column.name for column in self.columns)

    @property
    def schema(self) -> pl.Schema:
        """The polars schema of the required columns."""
        return pl.Schema({column.name: column.dtype for column in self.columns})

    def column(self, name: str) -> Column:
        """The column called `name`."""
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(f"{self.name} has no column {name!r}")

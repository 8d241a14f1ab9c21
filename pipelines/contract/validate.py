"""Check a frame of raw rows against the contract: valid rows out, broken rows with a reason."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

import polars as pl

from pipelines.contract.entities import UTC_TIMESTAMP, get_entity
from pipelines.contract.reasons import ReasonCode
from pipelines.contract.reference import reference_codes
from pipelines.contract.rules import Column, Entity

REJECT_COLUMNS: tuple[str, ...] = ("row_number", "reason_code", "reason_message", "reason_codes")
_PRECEDENCE = {code: index for index, code in enumerate(ReasonCode)}
_ROW = "__tp_row"
_FAILED = "__tp_failed"
_FIRST = "__tp_first_of_key"
_TRUE_WORDS = ("true", "t", "yes", "y", "1")
_FALSE_WORDS = ("false", "f", "no", "n", "0")
_TIMESTAMP_FORMATS = ("%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f")
_ISO_UTC = "%Y-%m-%dT%H:%M:%SZ"


@dataclass(frozen=True)
class ValidationResult:
    """The outcome of validating one frame of an entity."""

    entity: str
    valid: pl.DataFrame
    rejected: pl.DataFrame

    def reason_counts(self) -> dict[str, int]:
        """Rejected rows per primary reason code, in precedence order."""
        counts = dict(self.rejected.group_by("reason_code").len().iter_rows())
        return {code.value: counts[code.value] for code in ReasonCode if code.value in counts}


@dataclass(frozen=True)
class _Check:
    reason: ReasonCode
    position: int
    failed: pl.Expr
    message: pl.Expr


def validate_frame(
    entity: Entity | str,
    frame: pl.DataFrame,
    *,
    known_keys: Mapping[str, Collection[str] | pl.Series] | None = None,
    now: datetime | None = None,
) -> ValidationResult:
    """Split `frame` into rows that meet the contract and rejected rows with a reason code.

    `valid` holds the contract columns cast to their types, then any extra columns as they came.
    `rejected` holds `row_number` (1-based position in `frame`), the primary `reason_code` and its
    `reason_message`, every code the row breaks in `reason_codes`, then the contract columns as
    text and the extra columns. `known_keys` maps "buyers" / "suppliers" to their valid ids; the
    orphan checks run only for the entities it names. `now` is the extract time for the
    not-in-the-future rules (default: the current time).

    >>> frame = pl.DataFrame({"buyer_id": ["B1", "B2"], "country_code": ["VN", "UK"],
    ...     "registered_at": ["2021-03-04", "2022-01-02"], "buyer_type": [None, "importer"]})
    >>> validate_frame("buyers", frame).rejected["reason_code"].to_list()
    ['bad_country']
    """
    entity = get_entity(entity) if isinstance(entity, str) else entity
    now = now or datetime.now(UTC)
    now = now.replace(tzinfo=UTC) if now.tzinfo is None else now.astimezone(UTC)
    missing = [name for name in entity.column_names if name not in frame.columns]
    extras = [name for name in frame.columns if name not in entity.column_names]
    schema = dict(frame.schema) | {name: pl.String() for name in missing}
    # One lazy plan for the typed values and the flags, so that polars computes shared
    # subexpressions (the trimmed text of a column) once.
    plan = frame.lazy().with_columns(pl.lit(None, dtype=pl.String).alias(name) for name in missing)
    plan = plan.with_row_index(_ROW, offset=1).with_columns(
        coerce_column(column, schema[column.name]).alias(_value(column.name))
        for column in entity.columns
    )

    checks: list[_Check] = []
    if missing:
        message = f"required column(s) missing from the file: {', '.join(missing)}"
        checks.append(_Check(ReasonCode.MISSING_COLUMN, -1, pl.lit(True), pl.lit(message)))
    for position, column in enumerate(entity.columns):
        if column.name not in missing:
            checks.extend(_column_checks(column, position, schema[column.name], now))
    checks.extend(_date_order_checks(entity))
    checks.extend(_foreign_key_checks(entity, known_keys or {}))
    checks.sort(key=lambda check: (_PRECEDENCE[check.reason], check.position))

    # Flags for every row first; messages only for the rows that fail.
    flags = [f"__tp_check_{index}" for index in range(len(checks))]
    plan = plan.with_columns(
        check.failed.fill_null(False).alias(flag) for check, flag in zip(checks, flags, strict=True)
    )
    work = plan.with_columns(_any(flags).alias(_FAILED)).collect()
    duplicate = _duplicate_check(entity, missing)
    if duplicate is not None:
        flags.append("__tp_check_duplicate")
        checks.append(duplicate)
        work = work.with_columns(duplicate.failed.alias(flags[-1]))
        work = _with_first_of_key(work, entity, flags[-1]).with_columns(_any(flags).alias(_FAILED))

    valid = work.filter(~pl.col(_FAILED)).select(
        *(pl.col(_value(name)).alias(name) for name in entity.column_names), *extras
    )
    pairs = list(zip(checks, flags, strict=True))
    codes = [pl.when(flag).then(pl.lit(c.reason.value)) for c, flag in pairs]
    messages = [pl.when(flag).then(c.message) for c, flag in pairs]
    # One chunk first: polars 2.1 panics ("i < self.len()") formatting the messages of rows
    # filtered from a frame whose text columns span several chunks. The rejected rows are few.
    rejected = (
        work.filter(pl.col(_FAILED))
        .rechunk()
        .select(
            pl.col(_ROW).cast(pl.Int64).alias("row_number"),
            pl.coalesce(codes).alias("reason_code"),
            pl.coalesce(messages).alias("reason_message"),
            pl.concat_list(codes)
            .list.drop_nulls()
            .list.unique(maintain_order=True)
            .alias("reason_codes"),
            *(_as_text(name, work.schema[name]) for name in entity.column_names),
            *extras,
        )
    )
    return ValidationResult(entity.name, valid, rejected)


def _value(name: str) -> str:
    return f"__tp_v_{name}"


def coerce_column(column: Column, source: pl.DataType) -> pl.Expr:
    """An expression reading `column` (of dtype `source`) as its contract type; null if unreadable.

    Text is read as the contract documents: trimmed, `true`/`false`/`1`/`0`/`yes`/`no` for
    booleans, `YYYY-MM-DD` for dates, ISO 8601 for timestamps (an offset or `Z` is honoured,
    naive text is UTC); a number with a fraction is not a whole number.
    """
    target = column.dtype
    raw = pl.col(column.name)
    if source == target and target != pl.String:
        return raw
    if isinstance(source, pl.Categorical | pl.Enum):
        raw, source = raw.cast(pl.String), pl.String()
    if source == pl.Null:
        return raw.cast(target)
    if source == pl.String:
        text = raw.str.strip_chars()
        if target == pl.String:
            return pl.when(text == "").then(None).otherwise(raw)
        if target == pl.Boolean:
            lower = text.str.to_lowercase()
            return (
                pl.when(lower.is_in(_TRUE_WORDS))
                .then(True)
                .when(lower.is_in(_FALSE_WORDS))
                .then(False)
                .otherwise(None)
            )
        if target == pl.Date:
            return text.str.to_date("%Y-%m-%d", strict=False)
        if isinstance(target, pl.Datetime):
            return _parse_timestamp(text, target)
        if target.is_integer():
            number = text.cast(pl.Float64, strict=False)
            return _whole(number, target)
        return text.cast(target, strict=False)
    if isinstance(target, pl.Datetime):
        if isinstance(source, pl.Datetime):
            stamped = raw.dt.replace_time_zone("UTC") if source.time_zone is None else raw
            return stamped.dt.convert_time_zone("UTC").dt.cast_time_unit(target.time_unit)
        if source == pl.Date:
            return raw.cast(pl.Datetime(target.time_unit)).dt.replace_time_zone("UTC")
        return pl.lit(None, dtype=target)
    if target == pl.Date:
        if isinstance(source, pl.Datetime):
            in_utc = raw if source.time_zone is None else raw.dt.convert_time_zone("UTC")
            return in_utc.dt.date()
        return pl.lit(None, dtype=target)
    if target.is_integer() and source.is_float():
        return _whole(raw, target)
    if target.is_numeric() and (source.is_numeric() or source == pl.Boolean):
        return raw.cast(target, strict=False)
    if target == pl.Boolean and source.is_integer():
        return pl.when(raw == 1).then(True).when(raw == 0).then(False).otherwise(None)
    if target == pl.String and not source.is_nested():
        return raw.cast(pl.String)
    return pl.lit(None, dtype=target)


# The name ingestion's adapter used before coerce_column was public.
_coerce = coerce_column


def _whole(number: pl.Expr, target: pl.DataType) -> pl.Expr:
    """`number` as an integer type, null unless it is a whole number."""
    return pl.when(number == number.floor()).then(number.cast(target, strict=False))


def _parse_timestamp(text: pl.Expr, target: pl.Datetime) -> pl.Expr:
    """ISO 8601 text as a UTC timestamp; an offset or `Z` is honoured, naive text is UTC."""
    with_offset = text.str.replace(r"[Zz]$", "+00:00")
    unit = target.time_unit
    attempts = [
        with_offset.str.to_datetime(f"{fmt}%:z", time_zone="UTC", time_unit=unit, strict=False)
        for fmt in _TIMESTAMP_FORMATS
    ]
    attempts += [
        text.str.to_datetime(fmt, time_unit=unit, strict=False).dt.replace_time_zone("UTC")
        for fmt in _TIMESTAMP_FORMATS
    ]
    attempts.append(
        text.str.to_date("%Y-%m-%d", strict=False)
        .cast(pl.Datetime(unit))
        .dt.replace_time_zone("UTC")
    )
    return pl.coalesce(attempts)


def _type_name(dtype: pl.DataType) -> str:
    if dtype == pl.Boolean:
        return "boolean (true or false)"
    if dtype == pl.Date:
        return "date (YYYY-MM-DD)"
    if isinstance(dtype, pl.Datetime):
        return "timestamp (ISO 8601)"
    if dtype.is_integer():
        return "whole number"
    if dtype.is_numeric():
        return "number"
    return "text"


def _shown(value: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    """A contract-typed value as message text; timestamps as ISO 8601 in UTC."""
    if isinstance(dtype, pl.Datetime):
        return value.dt.strftime(_ISO_UTC)
    return value.cast(pl.String)


def _as_text(name: str, dtype: pl.DataType) -> pl.Expr:
    if dtype.is_nested():
        return pl.lit(None, dtype=pl.String).alias(name)
    return pl.col(name).cast(pl.String).alias(name)


def _column_checks(
    column: Column, position: int, source: pl.DataType, now: datetime
) -> list[_Check]:
    name = column.name
    raw, value = pl.col(name), pl.col(_value(name))
    present = raw.is_not_null()
    if source == pl.String:
        present = present & (raw.str.strip_chars() != "")
    checks = []
    if not column.nullable:
        message = pl.lit(f"{name} is required but null or blank")
        checks.append(_Check(ReasonCode.MISSING_REQUIRED, position, ~present, message))
    if source != column.dtype:  # a value already of the contract type cannot be of a bad type
        shown = _as_text(name, source)
        bad_type = pl.format(f"{name} '{{}}' is not a {_type_name(column.dtype)}", shown)
        checks.append(_Check(ReasonCode.BAD_TYPE, position, present & value.is_null(), bad_type))
    if column.allowed is not None:
        message = pl.format(f"{name} '{{}}' is not one of {', '.join(column.allowed)}", value)
        failed = value.is_not_null() & ~value.is_in(column.allowed)
        checks.append(_Check(ReasonCode.NOT_IN_SET, position, failed, message))
    if column.range is not None:
        bounds = column.range
        failed = pl.lit(False)
        if bounds.minimum is not None:
            low = value < bounds.minimum if bounds.min_inclusive else value <= bounds.minimum
            failed = failed | low
        if bounds.maximum is not None:
            high = value > bounds.maximum if bounds.max_inclusive else value >= bounds.maximum
            failed = failed | high
        message = pl.format(f"{name} {{}} is not {bounds.describe()}", value)
        checks.append(_Check(ReasonCode.OUT_OF_RANGE, position, failed, message))
    if column.reference is not None:
        codes = sorted(reference_codes(column.reference))
        failed = value.is_not_null() & ~value.is_in(codes)
        kind = "ISO 3166-1 alpha-2 country" if column.reference.value == "country" else "ISO 4217"
        message = pl.format(f"{name} '{{}}' is not a known {kind} code", value)
        checks.append(_Check(column.reference.reason, position, failed, message))
    if column.not_future:
        limit = now.date() if column.dtype == pl.Date else now
        shown_limit = (
            limit.isoformat() if column.dtype == pl.Date else now.strftime("%Y-%m-%dT%H:%M:%SZ")
        )
        message = pl.format(
            f"{name} {{}} is after the extract time {shown_limit}", _shown(value, column.dtype)
        )
        checks.append(_Check(ReasonCode.FUTURE_DATE, position, value > pl.lit(limit), message))
    return checks


def _date_order_checks(entity: Entity) -> list[_Check]:
    checks = []
    for rule in entity.date_orders:
        earlier, later = pl.col(_value(rule.earlier)), pl.col(_value(rule.later))
        as_dates = pl.Date in (entity.column(rule.earlier).dtype, entity.column(rule.later).dtype)
        if as_dates:
            earlier, later = _to_date(earlier), _to_date(later)
        if not as_dates:
            earlier_text, later_text = _shown(earlier, UTC_TIMESTAMP), _shown(later, UTC_TIMESTAMP)
        else:
            earlier_text, later_text = earlier.cast(pl.String), later.cast(pl.String)
        message = pl.format(
            f"{rule.later} {{}} is before {rule.earlier} {{}}", later_text, earlier_text
        )
        position = entity.column_names.index(rule.later)
        checks.append(_Check(ReasonCode.DATE_ORDER, position, earlier > later, message))
    return checks


def _to_date(value: pl.Expr) -> pl.Expr:
    return value.cast(pl.Date)


def _foreign_key_checks(
    entity: Entity, known_keys: Mapping[str, Collection[str] | pl.Series]
) -> list[_Check]:
    checks = []
    for foreign_key in entity.foreign_keys:
        if foreign_key.entity not in known_keys:
            continue
        keys = known_keys[foreign_key.entity]
        keys = keys if isinstance(keys, pl.Series) else pl.Series(list(keys), dtype=pl.String)
        value = pl.col(_value(foreign_key.column))
        failed = value.is_not_null() & ~value.is_in(keys.implode())
        message = pl.format(f"{foreign_key.column} '{{}}' is not in {foreign_key.entity}", value)
        position = entity.column_names.index(foreign_key.column)
        checks.append(_Check(foreign_key.reason, position, failed, message))
    return checks


def _any(flags: list[str]) -> pl.Expr:
    return pl.any_horizontal(flags) if flags else pl.lit(False)


def _key_partition(entity: Entity) -> list[str]:
    return [_value(name) for name in entity.key] + [_FAILED]


def _with_first_of_key(work: pl.DataFrame, entity: Entity, duplicate: str) -> pl.DataFrame:
    """Add, for each repeated row, the row number of the first row that passed with its key.

    Only the repeated rows need it (for their message), so the first rows are looked up for
    their keys alone, rather than by a window over every row.
    """
    keys = [_value(name) for name in entity.key]
    repeated = work.filter(pl.col(duplicate)).select(keys).unique()
    if repeated.is_empty():  # the usual case: no join over every row
        return work.with_columns(pl.lit(None, dtype=work.schema[_ROW]).alias(_FIRST))
    firsts = (
        work.filter(~pl.col(_FAILED))
        .join(repeated, on=keys, how="semi")
        .group_by(keys)
        .agg(pl.col(_ROW).min().alias(_FIRST))
    )
    return work.join(firsts, on=keys, how="left", maintain_order="left")


def _duplicate_check(entity: Entity, missing: list[str]) -> _Check | None:
    """Rows that repeat the key of an earlier row that passed every other check."""
    if any(name in missing for name in entity.key):
        return None
    repeated = ~pl.col(_FAILED) & ~pl.struct(_key_partition(entity)).is_first_distinct()
    shown = ", ".join(entity.key)
    message = pl.format(f"{shown} repeats that of row {{}}", pl.col(_FIRST))
    return _Check(ReasonCode.DUPLICATE_KEY, len(entity.columns), repeated, message)

"""Check the rows of one raw file against the contract and shape them for the raw tables."""

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime

import polars as pl

from pipelines.contract import coerce_column, get_entity, validate_frame

ROW = "__ingest_row"
MONTH = "__ingest_month"
_HELPERS = (ROW, MONTH)


@dataclass(frozen=True)
class CheckedRows:
    """The rows of one file split by the contract, each frame keyed by the 1-based `_source_row`.

    `valid` holds the contract columns (typed; timestamps as naive UTC), `_extra` and
    `_source_row`; `rejected` holds `_source_row`, `reason_code`, `reason_message`,
    `reason_codes` and `record` (the row as delivered, as JSON). For orders both also hold the
    row's month (`__ingest_month`, a naive UTC timestamp, null when ordered_at is unreadable).
    """

    valid: pl.DataFrame
    rejected: pl.DataFrame

    @property
    def rows_read(self) -> int:
        """Rows in the file."""
        return self.valid.height + self.rejected.height


def order_month(frame: pl.DataFrame) -> pl.Expr:
    """The UTC calendar month of each row's ordered_at, read as the contract reads it."""
    column = get_entity("orders").column("ordered_at")
    month = coerce_column(column, frame.schema["ordered_at"]).dt.truncate("1mo")
    return month.dt.replace_time_zone(None).alias(MONTH)


def check_rows(
    entity: str,
    frame: pl.DataFrame,
    *,
    known_keys: Mapping[str, Collection[str] | pl.Series] | None = None,
    now: datetime | None = None,
) -> CheckedRows:
    """Validate every row of `frame` (one file, columns as delivered) against the contract.

    >>> frame = pl.DataFrame({"buyer_id": ["B1", "B1"], "country_code": ["VN", "VN"],
    ...     "registered_at": ["2021-03-04", "2021-03-04"], "buyer_type": [None, None]})
    >>> check_rows("buyers", frame).rejected["reason_code"].to_list()
    ['duplicate_key']
    """
    spec = get_entity(entity)
    delivered = [name for name in frame.columns if name not in _HELPERS]
    extras = [name for name in delivered if name not in spec.column_names]
    helpers = [pl.int_range(1, pl.len() + 1, dtype=pl.Int64).alias(ROW)]
    if entity == "orders":
        helpers.append(order_month(frame))
    keys = narrowed_keys(entity, frame, known_keys or {})
    result = validate_frame(spec, frame.with_columns(helpers), known_keys=keys, now=now)
    keep_month = [MONTH] if entity == "orders" else []

    valid = result.valid.select(
        *(_for_warehouse(pl.col(name), result.valid.schema[name]) for name in spec.column_names),
        _as_json(extras, result.valid.schema).alias("_extra"),
        pl.col(ROW).alias("_source_row"),
        *keep_month,
    )
    rejected = result.rejected.select(
        pl.col(ROW).alias("_source_row"),
        "reason_code",
        "reason_message",
        "reason_codes",
        _as_json(delivered, result.rejected.schema).alias("record"),
        *keep_month,
    )
    return CheckedRows(valid, rejected)


def _for_warehouse(column: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    """Timestamps become naive UTC so that month boundaries never depend on a session time zone."""
    if isinstance(dtype, pl.Datetime) and dtype.time_zone is not None:
        return column.dt.convert_time_zone("UTC").dt.replace_time_zone(None)
    return column


def _as_json(columns: list[str], schema: pl.Schema) -> pl.Expr:
    """The columns of each row as one JSON object; bytes are written in base64."""
    if not columns:
        return pl.lit(None, dtype=pl.String)
    fields = [
        pl.col(name).bin.encode("base64") if schema[name] == pl.Binary else pl.col(name)
        for name in columns
    ]
    return pl.struct(fields).struct.json_encode()


def narrowed_keys(
    entity: str, frame: pl.DataFrame, known_keys: Mapping[str, Collection[str] | pl.Series]
) -> dict[str, pl.Series]:
    """The known keys the frame's foreign key columns mention: same answers, less to hash.

    The orphan checks hash every known id for each file; a month of order lines names a few
    percent of all buyers, so this keeps the checks fast without changing any row's verdict.
    """
    narrowed = {}
    for foreign_key in get_entity(entity).foreign_keys:
        if foreign_key.entity not in known_keys or foreign_key.column not in frame.columns:
            continue
        keys = known_keys[foreign_key.entity]
        keys = keys if isinstance(keys, pl.Series) else pl.Series(list(keys), dtype=pl.String)
        mentioned = frame.get_column(foreign_key.column).cast(pl.String).drop_nulls().unique()
        narrowed[foreign_key.entity] = keys.filter(keys.is_in(mentioned.implode()))
    return narrowed

"""Contract-breaking rows injected on request, each kind breaking exactly one reason code."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import polars as pl

from pipelines.contract.reasons import ReasonCode
from pipelines.errors import TradePulseError
from pipelines.generate.plan import largest_remainder

FAR_FUTURE = date(2099, 1, 1)


@dataclass(frozen=True)
class FaultKind:
    """One kind of broken row: the entity it lands in, the reason code it earns, its share."""

    name: str
    entity: str
    reason: ReasonCode
    weight: int
    description: str


FAULT_KINDS: tuple[FaultKind, ...] = (
    FaultKind("supplier_duplicate", "suppliers", ReasonCode.DUPLICATE_KEY, 3,
              "an exact copy of an existing supplier row, appended"),
    FaultKind("supplier_bad_country", "suppliers", ReasonCode.BAD_COUNTRY, 2,
              "an extra supplier whose country_code is UK, XX or VNM"),
    FaultKind("supplier_null_name", "suppliers", ReasonCode.MISSING_REQUIRED, 2,
              "an extra supplier without a supplier_name"),
    FaultKind("supplier_unknown_business_type", "suppliers", ReasonCode.NOT_IN_SET, 1,
              "an extra supplier whose business_type is 'factory'"),
    FaultKind("supplier_left_before_joined", "suppliers", ReasonCode.DATE_ORDER, 1,
              "an extra supplier whose left_at is 30 days before joined_at"),
    FaultKind("supplier_future_joined", "suppliers", ReasonCode.FUTURE_DATE, 1,
              "an extra supplier that joins on 2099-01-01"),
    FaultKind("buyer_duplicate", "buyers", ReasonCode.DUPLICATE_KEY, 3,
              "an exact copy of an existing buyer row, appended"),
    FaultKind("buyer_bad_country", "buyers", ReasonCode.BAD_COUNTRY, 3,
              "an extra buyer whose country_code is UK, EU or XK"),
    FaultKind("buyer_null_country", "buyers", ReasonCode.MISSING_REQUIRED, 2,
              "an extra buyer without a country_code"),
    FaultKind("buyer_future_registration", "buyers", ReasonCode.FUTURE_DATE, 1,
              "an extra buyer registered on 2099-01-01"),
    FaultKind("order_null_buyer_id", "orders", ReasonCode.MISSING_REQUIRED, 8,
              "a line whose buyer_id is null"),
    FaultKind("order_null_ordered_at", "orders", ReasonCode.MISSING_REQUIRED, 4,
              "a line whose ordered_at is null"),
    FaultKind("order_negative_quantity", "orders", ReasonCode.OUT_OF_RANGE, 8,
              "a line whose quantity is negated"),
    FaultKind("order_negative_price", "orders", ReasonCode.OUT_OF_RANGE, 4,
              "a line whose unit_price is negative"),
    FaultKind("order_zero_line_number", "orders", ReasonCode.OUT_OF_RANGE, 2,
              "a line whose line_number is 0"),
    FaultKind("order_rating_out_of_range", "orders", ReasonCode.OUT_OF_RANGE, 3,
              "a line whose buyer_rating is 6"),
    FaultKind("order_unknown_status", "orders", ReasonCode.NOT_IN_SET, 6,
              "a line whose order_status is 'lost'"),
    FaultKind("order_unknown_currency", "orders", ReasonCode.BAD_CURRENCY, 6,
              "a line whose currency is VDN, RMB or US$"),
    FaultKind("order_orphan_buyer", "orders", ReasonCode.ORPHAN_BUYER, 8,
              "a line whose buyer_id names no buyer"),
    FaultKind("order_orphan_supplier", "orders", ReasonCode.ORPHAN_SUPPLIER, 8,
              "a line whose supplier_id names no supplier"),
    FaultKind("order_shipped_before_ordered", "orders", ReasonCode.DATE_ORDER, 6,
              "a line whose shipped_at is 2 days before ordered_at"),
    FaultKind("order_delivered_before_shipped", "orders", ReasonCode.DATE_ORDER, 4,
              "a shipped line whose delivered_at is 1 day before shipped_at"),
    FaultKind("order_future_delivery", "orders", ReasonCode.FUTURE_DATE, 3,
              "a line delivered on 2099-01-01"),
    FaultKind("order_duplicate_line", "orders", ReasonCode.DUPLICATE_KEY, 10,
              "an exact copy of an existing line, placed right after it"),
)  # fmt: skip
_NEEDS_SHIPPED = frozenset({"order_delivered_before_shipped"})
_ROW = "__fault_row"


def kinds_of(entity: str) -> tuple[FaultKind, ...]:
    """The fault kinds that land in `entity`."""
    return tuple(kind for kind in FAULT_KINDS if kind.entity == entity)


def allocate(entity: str, rows: int, rate: float) -> dict[str, int]:
    """How many rows of each kind to inject into an entity of `rows` clean rows."""
    kinds = kinds_of(entity)
    total = round(rows * rate)
    counts = largest_remainder(total, np.array([kind.weight for kind in kinds], dtype=float))
    return {kind.name: int(count) for kind, count in zip(kinds, counts, strict=True)}


def spread(counts: dict[str, int], lines_per_month: np.ndarray) -> list[dict[str, int]]:
    """Share each order fault kind out over the months in proportion to their lines."""
    per_kind = {
        name: largest_remainder(count, lines_per_month.astype(float))
        for name, count in counts.items()
    }
    return [
        {name: int(split[m]) for name, split in per_kind.items()}
        for m in range(len(lines_per_month))
    ]


def _new_ids(prefix: str, width: int, first: int, count: int) -> pl.Series:
    numbers = pl.Series(np.arange(first, first + count))
    return prefix + numbers.cast(pl.String).str.zfill(width)


def extra_suppliers(
    rng: np.random.Generator, suppliers: pl.DataFrame, counts: dict[str, int]
) -> pl.DataFrame:
    """Broken supplier rows to append after the clean ones."""
    parts = []
    next_id = suppliers.height + 1
    for name, count in counts.items():
        if not count:
            continue
        rows = suppliers[rng.integers(0, suppliers.height, size=count)]
        if name != "supplier_duplicate":
            rows = rows.with_columns(supplier_id=_new_ids("S", 7, next_id, count))
            next_id += count
        if name == "supplier_bad_country":
            rows = rows.with_columns(country_code=_cycle(("UK", "XX", "VNM"), count))
        elif name == "supplier_null_name":
            rows = rows.with_columns(supplier_name=pl.lit(None, dtype=pl.String))
        elif name == "supplier_unknown_business_type":
            rows = rows.with_columns(business_type=pl.lit("factory"))
        elif name == "supplier_left_before_joined":
            rows = rows.with_columns(left_at=pl.col("joined_at") - timedelta(days=30))
        elif name == "supplier_future_joined":
            rows = rows.with_columns(joined_at=pl.lit(FAR_FUTURE), left_at=pl.lit(None, pl.Date))
        parts.append(rows)
    return pl.concat(parts) if parts else suppliers.clear()


def extra_buyers(
    rng: np.random.Generator, buyers: pl.DataFrame, counts: dict[str, int]
) -> pl.DataFrame:
    """Broken buyer rows to append after the clean ones."""
    parts = []
    next_id = buyers.height + 1
    for name, count in counts.items():
        if not count:
            continue
        rows = buyers[rng.integers(0, buyers.height, size=count)]
        if name != "buyer_duplicate":
            rows = rows.with_columns(buyer_id=_new_ids("B", 8, next_id, count))
            next_id += count
        if name == "buyer_bad_country":
            rows = rows.with_columns(country_code=_cycle(("UK", "EU", "XK"), count))
        elif name == "buyer_null_country":
            rows = rows.with_columns(country_code=pl.lit(None, dtype=pl.String))
        elif name == "buyer_future_registration":
            rows = rows.with_columns(registered_at=pl.lit(FAR_FUTURE))
        parts.append(rows)
    return pl.concat(parts) if parts else buyers.clear()


def _cycle(values: tuple[str, ...], count: int) -> pl.Series:
    return pl.Series(values, dtype=pl.String).gather(np.arange(count) % len(values))


def break_lines(
    rng: np.random.Generator,
    lines: pl.DataFrame,
    counts: dict[str, int],
    *,
    buyers: int,
    suppliers: int,
    orphan_offset: int,
) -> pl.DataFrame:
    """Break `counts` lines of one month in place and append duplicate lines after their twins.

    Orphan ids start after the last real buyer and supplier number plus `orphan_offset`.
    """
    wanted = sum(counts.values())
    if not wanted:
        return lines
    lines = lines.with_row_index(_ROW)
    shipped = lines["shipped_at"].is_not_null().to_numpy()
    taken = np.zeros(lines.height, dtype=bool)
    chosen: dict[str, np.ndarray] = {}
    order = sorted(counts, key=lambda name: name not in _NEEDS_SHIPPED)
    for name in order:
        pool = np.flatnonzero(~taken & (shipped if name in _NEEDS_SHIPPED else True))
        if len(pool) < counts[name]:
            raise TradePulseError(
                f"--faults is too high for a month of {lines.height} lines; lower it"
            )
        rows = np.sort(rng.choice(pool, size=counts[name], replace=False))
        taken[rows] = True
        chosen[name] = rows

    def hit(name: str) -> pl.Expr:
        rows = pl.Series(chosen.get(name, np.empty(0, dtype=np.uint32)), dtype=pl.UInt32)
        return pl.col(_ROW).is_in(rows)

    def relabel(values: tuple[str, ...] | pl.Series, name: str) -> pl.Expr:
        rows = pl.Series(chosen.get(name, np.empty(0, dtype=np.uint32)), dtype=pl.UInt32)
        labels = values if isinstance(values, pl.Series) else _cycle(values, len(rows))
        return pl.col(_ROW).replace_strict(rows, labels, default=None, return_dtype=pl.String)

    def orphan(prefix: str, width: int, first: int, name: str) -> pl.Expr:
        ids = _new_ids(prefix, width, first + orphan_offset, len(chosen.get(name, ())))
        return relabel(ids, name)

    day = timedelta(days=1)
    broken = lines.with_columns(
        buyer_id=pl.when(hit("order_null_buyer_id"))
        .then(None)
        .when(hit("order_orphan_buyer"))
        .then(orphan("B", 8, buyers + 1, "order_orphan_buyer"))
        .otherwise(pl.col("buyer_id")),
        supplier_id=pl.when(hit("order_orphan_supplier"))
        .then(orphan("S", 7, suppliers + 1, "order_orphan_supplier"))
        .otherwise(pl.col("supplier_id")),
        ordered_at=pl.when(hit("order_null_ordered_at")).then(None).otherwise(pl.col("ordered_at")),
        quantity=pl.when(hit("order_negative_quantity"))
        .then(-pl.col("quantity"))
        .otherwise(pl.col("quantity")),
        unit_price=pl.when(hit("order_negative_price"))
        .then(pl.min_horizontal(-pl.col("unit_price"), pl.lit(-0.01)))
        .otherwise(pl.col("unit_price")),
        line_number=pl.when(hit("order_zero_line_number"))
        .then(pl.lit(0, dtype=pl.Int32))
        .otherwise(pl.col("line_number")),
        buyer_rating=pl.when(hit("order_rating_out_of_range"))
        .then(pl.lit(6, dtype=pl.Int32))
        .otherwise(pl.col("buyer_rating")),
        order_status=pl.when(hit("order_unknown_status"))
        .then(pl.lit("lost"))
        .otherwise(pl.col("order_status")),
        currency=pl.when(hit("order_unknown_currency"))
        .then(relabel(("VDN", "RMB", "US$"), "order_unknown_currency"))
        .otherwise(pl.col("currency")),
        shipped_at=pl.when(hit("order_shipped_before_ordered"))
        .then(pl.col("ordered_at") - 2 * day)
        .otherwise(pl.col("shipped_at")),
        delivered_at=pl.when(hit("order_delivered_before_shipped"))
        .then(pl.col("shipped_at") - day)
        .when(hit("order_future_delivery"))
        .then(pl.lit(FAR_FUTURE).cast(pl.Datetime("us")).dt.replace_time_zone("UTC"))
        .otherwise(pl.col("delivered_at")),
    )
    copies = broken.filter(hit("order_duplicate_line"))
    return pl.concat([broken, copies]).sort(_ROW, maintain_order=True).drop(_ROW)


FAULTS_BEGIN = "<!-- faults:begin (generated by pipelines.generate.faults; do not edit by hand) -->"
FAULTS_END = "<!-- faults:end -->"


def faults_markdown() -> str:
    """The fault mix as a Markdown table, markers included, for docs/data-contract.md."""
    lines = [
        FAULTS_BEGIN,
        "",
        "| fault kind | entity | weight | reason code | what the row looks like |",
        "| --- | --- | --- | --- | --- |",
    ]
    for kind in FAULT_KINDS:
        lines.append(
            f"| `{kind.name}` | {kind.entity} | {kind.weight} | `{kind.reason.value}` | "
            f"{kind.description} |"
        )
    return "\n".join([*lines, "", FAULTS_END])

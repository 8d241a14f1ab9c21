"""The raw contract: suppliers, buyers and order lines, as one definition for every consumer."""

from __future__ import annotations

import polars as pl

from pipelines.contract.reasons import ReasonCode
from pipelines.contract.rules import Column, DateOrder, Entity, ForeignKey, Range, RefSet

UTC_TIMESTAMP = pl.Datetime("us", "UTC")

BUSINESS_TYPES: tuple[str, ...] = ("manufacturer", "trading_company", "wholesaler", "service")
ORDER_STATUSES: tuple[str, ...] = (
    "placed",
    "paid",
    "shipped",
    "delivered",
    "cancelled",
    "refunded",
    "disputed",
)

SUPPLIERS = Entity(
    name="suppliers",
    grain="one row per supplier",
    description="Sellers listed on the platform and the span of their membership.",
    columns=(
        Column("supplier_id", pl.String, "Platform identifier of the supplier."),
        Column("supplier_name", pl.String, "Registered business name, in its own script."),
        Column(
            "country_code",
            pl.String,
            "Country of the supplier, ISO 3166-1 alpha-2.",
            reference=RefSet.COUNTRY,
        ),
        Column("province", pl.String, "Province or state, when known.", nullable=True),
        Column(
            "business_type",
            pl.String,
            "Kind of business.",
            allowed=BUSINESS_TYPES,
        ),
        Column("main_category", pl.String, "Main product category (a `category_code`)."),
        Column("is_verified", pl.Boolean, "Whether the platform verified the business."),
        Column("joined_at", pl.Date, "Date the membership started.", not_future=True),
        Column("left_at", pl.Date, "Date the membership ended; null while listed.", nullable=True),
    ),
    key=("supplier_id",),
    date_orders=(DateOrder("joined_at", "left_at"),),
)

BUYERS = Entity(
    name="buyers",
    grain="one row per buyer",
    description="Businesses that buy on the platform.",
    columns=(
        Column("buyer_id", pl.String, "Platform identifier of the buyer."),
        Column(
            "country_code",
            pl.String,
            "Country of the buyer, ISO 3166-1 alpha-2.",
            reference=RefSet.COUNTRY,
        ),
        Column("registered_at", pl.Date, "Date the buyer registered.", not_future=True),
        Column("buyer_type", pl.String, "Kind of buyer (importer, retailer, ...).", nullable=True),
    ),
    key=("buyer_id",),
)

ORDERS = Entity(
    name="orders",
    grain="one row per order line; order-level fields repeat on each line",
    description="Orders placed by buyers with suppliers, one row per line.",
    columns=(
        Column("order_id", pl.String, "Identifier of the order."),
        Column(
            "line_number",
            pl.Int32,
            "Line within the order, from 1.",
            range=Range(minimum=1),
        ),
        Column("buyer_id", pl.String, "Buyer who placed the order."),
        Column("supplier_id", pl.String, "Supplier who received the order."),
        Column("ordered_at", UTC_TIMESTAMP, "When the order was placed (UTC).", not_future=True),
        Column("product_category", pl.String, "Category of the line (a `category_code`)."),
        Column(
            "quantity",
            pl.Float64,
            "Units ordered on the line.",
            range=Range(minimum=0, min_inclusive=False),
        ),
        Column(
            "unit_price",
            pl.Float64,
            "Price of one unit in `currency`.",
            range=Range(minimum=0),
        ),
        Column(
            "currency",
            pl.String,
            "Currency of `unit_price`, ISO 4217.",
            reference=RefSet.CURRENCY,
        ),
        Column("order_status", pl.String, "Status at extract time.", allowed=ORDER_STATUSES),
        Column(
            "promised_ship_by",
            pl.Date,
            "Date the supplier promised to ship by.",
            nullable=True,
        ),
        Column(
            "shipped_at",
            UTC_TIMESTAMP,
            "When the order shipped (UTC).",
            nullable=True,
            not_future=True,
        ),
        Column(
            "delivered_at",
            UTC_TIMESTAMP,
            "When the order was delivered (UTC).",
            nullable=True,
            not_future=True,
        ),
        Column(
            "buyer_rating",
            pl.Int32,
            "Buyer's rating of the order, 1 to 5 stars.",
            nullable=True,
            range=Range(minimum=1, maximum=5),
        ),
        Column(
            "first_response_hours",
            pl.Float64,
            "Hours until the supplier's first reply to the buyer's inquiry.",
            nullable=True,
            range=Range(minimum=0),
        ),
    ),
    key=("order_id", "line_number"),
    date_orders=(
        DateOrder("ordered_at", "promised_ship_by"),
        DateOrder("ordered_at", "shipped_at"),
        DateOrder("shipped_at", "delivered_at"),
        DateOrder("ordered_at", "delivered_at"),
    ),
    foreign_keys=(
        ForeignKey("buyer_id", "buyers", ReasonCode.ORPHAN_BUYER),
        ForeignKey("supplier_id", "suppliers", ReasonCode.ORPHAN_SUPPLIER),
    ),
)

ENTITIES: dict[str, Entity] = {entity.name: entity for entity in (SUPPLIERS, BUYERS, ORDERS)}


def get_entity(name: str) -> Entity:
    """The entity called `name` (suppliers, buyers or orders)."""
    try:
        return ENTITIES[name]
    except KeyError:
        raise KeyError(f"unknown entity {name!r}; expected one of {', '.join(ENTITIES)}") from None

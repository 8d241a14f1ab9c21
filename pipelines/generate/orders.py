"""Order lines of one month: who buys from whom, what, at what price, and how it went."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import polars as pl

from pipelines.contract.entities import ORDER_STATUSES, ORDERS, UTC_TIMESTAMP
from pipelines.generate.buyers import BuyerPool
from pipelines.generate.markets import Markets
from pipelines.generate.plan import MonthPlan, day_number, lunar_new_year_factor
from pipelines.generate.suppliers import SupplierPool

DAY_US = 86_400_000_000
SECOND_US = 1_000_000
TREND_ORIGIN = day_number("2022-01-01")
PREFERRED_SLOT_P = np.array([0.7, 0.22, 0.08])
STATUS = {name: index for index, name in enumerate(ORDER_STATUSES)}
FIRST, EXTRA, CANCEL_ONLY = 0, 1, 2


@dataclass
class OrderState:
    """What carries from one month to the next: each buyer's remembered suppliers."""

    preferred: np.ndarray
    next_order_number: int = 1
    lunar_new_year: np.ndarray = field(default_factory=lambda: np.ones(0))


def new_state(buyers: BuyerPool, plan: MonthPlan) -> OrderState:
    """The state before the first month."""
    return OrderState(
        preferred=np.full((len(buyers), len(PREFERRED_SLOT_P)), -1, dtype=np.int64),
        lunar_new_year=lunar_new_year_factor(plan.months),
    )


def _pick_active(
    rng: np.random.Generator, buyers: BuyerPool, plan: MonthPlan, month: int
) -> tuple[np.ndarray, np.ndarray]:
    """Exactly the planned number of distinct active buyers, drawn by weight without replacement."""
    first, last = plan.first_day[month], plan.last_day[month]
    eligible = int(np.searchsorted(buyers.registered_day, last, side="right"))
    wanted = int(plan.active_buyers[month])
    if eligible < wanted:
        raise RuntimeError(
            f"{eligible} buyers registered by {plan.months[month]} but {wanted} must be active"
        )
    registered = buyers.registered_day[:eligible]
    age_months = (last - registered) / 30.44
    weight = buyers.weight[:eligible] * (0.35 + 0.65 * np.exp(-age_months / 10))
    weight = weight * np.where(registered >= first, 3.0, 1.0)
    keys = rng.exponential(size=eligible) / weight
    keys[buyers.forced_month[:eligible] == month] = -1.0
    if wanted < eligible:
        active = np.sort(np.argpartition(keys, wanted - 1)[:wanted])
    else:
        active = np.arange(eligible)
    return active, weight


def _month_supplier_weights(
    suppliers: SupplierPool, first: int, last: int, lunar: float
) -> tuple[np.ndarray, np.ndarray]:
    """Each supplier's pull on new business this month, and whether it is listed at all."""
    start = np.maximum(suppliers.join_day, first)
    stop = np.minimum(suppliers.left_day, last)
    listed_days = np.maximum(stop - start + 1, 0)
    listed = listed_days > 0
    years = ((first + last) / 2 - TREND_ORIGIN) / 365.25
    ramp = 0.25 + 0.75 * np.clip((last - suppliers.join_day) / (3 * 365), 0, 1)
    weight = (
        suppliers.weight
        * np.exp(suppliers.trend * years)
        * ramp
        * np.where(suppliers.lunar_new_year, lunar, 1.0)
        * listed_days
        / (last - first + 1)
    )
    return weight, listed


def _draw(rng: np.random.Generator, weight: np.ndarray, size: int) -> np.ndarray:
    cumulative = np.cumsum(weight)
    if size and cumulative[-1] <= 0:
        raise RuntimeError("no supplier is listed in a month that needs orders")
    picks = np.searchsorted(cumulative, rng.random(size) * cumulative[-1], side="right")
    return np.minimum(picks, len(weight) - 1)


def _choose_suppliers(
    rng: np.random.Generator,
    buyers: BuyerPool,
    suppliers: SupplierPool,
    state: OrderState,
    buyer: np.ndarray,
    weight: np.ndarray,
    listed: np.ndarray,
    first: int,
    last: int,
    lunar: float,
    remember: bool,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A supplier per order and the days it can be placed on; buyers go back to ones they know."""
    n = len(buyer)
    slot = rng.choice(len(PREFERRED_SLOT_P), size=n, p=PREFERRED_SLOT_P)
    previous = state.preferred[buyer, slot] if remember else np.full(n, -1)
    known = previous >= 0
    safe_previous = np.where(known, previous, 0)
    keep_p = (
        buyers.loyalty[buyer]
        * suppliers.retain[safe_previous]
        * np.where(suppliers.lunar_new_year[safe_previous], lunar, 1.0)
    )
    stays = known & listed[safe_previous] & (rng.random(n) < keep_p)
    supplier = np.where(stays, previous, _draw(rng, weight, n))

    low = np.maximum.reduce(
        [np.full(n, first), suppliers.join_day[supplier], buyers.registered_day[buyer]]
    )
    high = np.minimum(last, suppliers.left_day[supplier])
    clash = low > high
    if clash.any():
        whole_month = (suppliers.join_day <= first) & (suppliers.left_day >= last)
        supplier[clash] = _draw(rng, weight * whole_month, int(clash.sum()))
        low[clash] = np.maximum(first, buyers.registered_day[buyer[clash]])
        high[clash] = last
    if remember:
        fresh = ~stays
        state.preferred[buyer[fresh], slot[fresh]] = supplier[fresh]
    return supplier, low, high


def generate_month(
    rng: np.random.Generator,
    month: int,
    plan: MonthPlan,
    buyers: BuyerPool,
    suppliers: SupplierPool,
    markets: Markets,
    state: OrderState,
    extract_us: int,
) -> pl.DataFrame:
    """All order lines ordered in one planned month, sorted by time, order and line."""
    first, last = int(plan.first_day[month]), int(plan.last_day[month])
    lunar = float(state.lunar_new_year[month])

    active, buyer_weight = _pick_active(rng, buyers, plan, month)
    extra_n, cancel_n = int(plan.extra_orders[month]), int(plan.cancel_only_orders[month])
    extra = rng.choice(active, size=extra_n, p=buyer_weight[active] / buyer_weight[active].sum())
    idle = np.ones(len(buyer_weight), dtype=bool)
    idle[active] = False
    pool = np.flatnonzero(idle) if idle.any() else active
    cancel_only = pool[rng.integers(0, len(pool), size=cancel_n)]
    buyer = np.concatenate([active, extra, cancel_only])
    kind = np.repeat([FIRST, EXTRA, CANCEL_ONLY], [len(active), extra_n, cancel_n])
    n = len(buyer)

    weight, listed = _month_supplier_weights(suppliers, first, last, lunar)
    supplier = np.empty(n, dtype=np.int64)
    low = np.empty(n, dtype=np.int64)
    high = np.empty(n, dtype=np.int64)
    # First orders, then repeat orders that may go back to this month's suppliers; orders that
    # end up cancelled lean towards the suppliers that cancel.
    cancel_pull = weight * suppliers.cancel / suppliers.cancel.mean()
    for phase, phase_weight, remember in (
        (FIRST, weight, True),
        (EXTRA, weight, True),
        (CANCEL_ONLY, cancel_pull, False),
    ):
        rows = np.flatnonzero(kind == phase)
        supplier[rows], low[rows], high[rows] = _choose_suppliers(
            rng, buyers, suppliers, state, buyer[rows], phase_weight, listed, first, last, lunar,
            remember,
        )  # fmt: skip

    day = low + np.floor(rng.random(n) * (high - low + 1)).astype(np.int64)
    ordered_us = day * DAY_US + rng.integers(0, 86_400, size=n) * SECOND_US
    order = np.lexsort((buyer, ordered_us))
    buyer, supplier, kind, day, ordered_us = (
        buyer[order],
        supplier[order],
        kind[order],
        day[order],
        ordered_us[order],
    )
    number = state.next_order_number + np.arange(n)
    state.next_order_number += n

    orders = _order_fields(
        rng, markets, suppliers, buyers, buyer, supplier, kind, day, ordered_us, extract_us, lunar,
    )  # fmt: skip
    orders = orders.with_columns(
        ("ORD-" + pl.Series(number).cast(pl.String).str.zfill(9)).alias("order_id"),
        buyers.frame["buyer_id"].gather(buyer).alias("buyer_id"),
        suppliers.frame["supplier_id"].gather(supplier).alias("supplier_id"),
    )
    return _lines(rng, markets, suppliers, plan, month, orders, supplier)


def _order_fields(
    rng: np.random.Generator,
    markets: Markets,
    suppliers: SupplierPool,
    buyers: BuyerPool,
    buyer: np.ndarray,
    supplier: np.ndarray,
    kind: np.ndarray,
    day: np.ndarray,
    ordered_us: np.ndarray,
    extract_us: int,
    lunar: float,
) -> pl.DataFrame:
    """Status, dates, currency, rating and response time of each order."""
    n = len(buyer)
    cancelled = (kind == CANCEL_ONLY) | (
        (kind == EXTRA) & (rng.random(n) < suppliers.cancel[supplier])
    )

    lead = markets.category_lead[suppliers.category[supplier]]
    promise_days = np.maximum(3, lead + rng.integers(-4, 8, size=n))
    has_promise = rng.random(n) >= 0.07
    on_time_p = suppliers.on_time[supplier] * np.where(
        suppliers.lunar_new_year[supplier] & (lunar < 1), 0.85, 1.0
    )
    on_time = ~has_promise | (rng.random(n) < on_time_p)
    late_by = rng.geometric(0.15, size=n)
    ship_days = np.where(
        on_time, 1 + np.floor(rng.random(n) * promise_days).astype(np.int64), promise_days + late_by
    )
    shipped_us = (day + ship_days) * DAY_US + rng.integers(0, 86_400, size=n) * SECOND_US
    buyer_country, supplier_country = buyers.country[buyer], suppliers.country[supplier]
    domestic = buyer_country == supplier_country
    same_region = markets.region[buyer_country] == markets.region[supplier_country]
    transit = np.where(
        domestic,
        rng.integers(1, 5, size=n),
        np.where(same_region, rng.integers(4, 13, size=n), rng.integers(10, 39, size=n)),
    )
    delivered_us = shipped_us + transit * DAY_US + rng.integers(0, 86_400, size=n) * SECOND_US
    paid_us = ordered_us + rng.integers(600, 2 * 86_400, size=n) * SECOND_US

    outcome = rng.random(n)
    dispute_p = suppliers.dispute[supplier]
    disputed = outcome < dispute_p
    refunded = ~disputed & (outcome < dispute_p + suppliers.refund[supplier])
    status = np.select(
        [
            cancelled,
            paid_us > extract_us,
            shipped_us > extract_us,
            delivered_us > extract_us,
            disputed,
            refunded,
        ],
        [
            STATUS["cancelled"],
            STATUS["placed"],
            STATUS["paid"],
            STATUS["shipped"],
            STATUS["disputed"],
            STATUS["refunded"],
        ],
        default=STATUS["delivered"],
    )
    has_shipped = ~cancelled & (shipped_us <= extract_us)
    has_delivered = has_shipped & (delivered_us <= extract_us)

    late = ship_days > promise_days
    stars = np.clip(
        np.rint(rng.normal(suppliers.rating_mean[supplier] - 0.5 * late, 0.7)), 1, 5
    ).astype(np.int32)
    unhappy = (1 + (rng.random(n) < 0.35)).astype(np.int32)
    stars = np.where(disputed | refunded, unhappy, stars)
    rated = has_delivered & (rng.random(n) < suppliers.rating_share[supplier])
    response = np.maximum(
        np.round(suppliers.response_hours[supplier] * rng.lognormal(0, 0.7, size=n), 1), 0.1
    )
    asked = rng.random(n) < 0.8

    currency = _currencies(rng, markets, buyer_country, supplier_country, domestic)
    return pl.DataFrame(
        {
            "ordered_us": ordered_us,
            "currency_index": currency,
            "order_status": pl.Series(ORDER_STATUSES).gather(status),
            "promised_day": np.where(has_promise, day + promise_days, 0),
            "has_promise": has_promise,
            "shipped_us": shipped_us,
            "has_shipped": has_shipped,
            "delivered_us": delivered_us,
            "has_delivered": has_delivered,
            "buyer_rating": stars,
            "rated": rated,
            "first_response_hours": response,
            "asked": asked,
        }
    ).select(
        pl.col("ordered_us")
        .cast(pl.Datetime("us"))
        .dt.replace_time_zone("UTC")
        .alias("ordered_at"),
        pl.col("currency_index"),
        markets.currency_codes.gather(currency).alias("currency"),
        pl.col("order_status"),
        pl.when("has_promise").then(pl.col("promised_day")).cast(pl.Date).alias("promised_ship_by"),
        _timestamp("shipped_us", "has_shipped").alias("shipped_at"),
        _timestamp("delivered_us", "has_delivered").alias("delivered_at"),
        pl.when("rated").then(pl.col("buyer_rating")).alias("buyer_rating"),
        pl.when("asked").then(pl.col("first_response_hours")).alias("first_response_hours"),
    )


def _timestamp(values: str, present: str) -> pl.Expr:
    return pl.when(present).then(pl.col(values)).cast(pl.Datetime("us")).dt.replace_time_zone("UTC")


def _currencies(
    rng: np.random.Generator,
    markets: Markets,
    buyer_country: np.ndarray,
    supplier_country: np.ndarray,
    domestic: np.ndarray,
) -> np.ndarray:
    """Domestic trade mostly in local money; importers sometimes pay in their own; else USD."""
    n = len(buyer_country)
    usd = markets.currency_index("USD")
    local = domestic & (rng.random(n) < 0.85)
    buyer_pays_own = rng.random(n) < markets.buyer_currency_p[buyer_country]
    supplier_quotes = rng.random(n) < 0.04
    return np.select(
        [local, buyer_pays_own, supplier_quotes],
        [
            markets.domestic_currency[supplier_country],
            markets.buyer_currency[buyer_country],
            markets.domestic_currency[supplier_country],
        ],
        default=usd,
    )


def _lines(
    rng: np.random.Generator,
    markets: Markets,
    suppliers: SupplierPool,
    plan: MonthPlan,
    month: int,
    orders: pl.DataFrame,
    supplier: np.ndarray,
) -> pl.DataFrame:
    """Split the month's planned lines over its orders and give each line a product and price."""
    n_orders, n_lines = orders.height, int(plan.lines[month])
    size = rng.lognormal(0, 0.8, n_orders)
    per_order = 1 + rng.multinomial(n_lines - n_orders, size / size.sum())
    owner = np.repeat(np.arange(n_orders), per_order)
    starts = np.cumsum(per_order) - per_order
    line_number = np.arange(n_lines) - np.repeat(starts, per_order) + 1

    main = suppliers.category[supplier[owner]]
    group = markets.category_group[main]
    by_group = np.argsort(markets.category_group, kind="stable")
    group_start = np.searchsorted(markets.category_group[by_group], group, side="left")
    group_size = (
        np.searchsorted(markets.category_group[by_group], group, side="right") - group_start
    )
    sibling = by_group[group_start + np.floor(rng.random(n_lines) * group_size).astype(np.int64)]
    category = np.where(rng.random(n_lines) < 0.75, main, sibling)

    price_usd = (
        markets.category_price[category]
        * suppliers.price_level[supplier[owner]]
        * rng.lognormal(0, 0.2, n_lines)
    )
    quantity = np.maximum(1.0, np.rint(700 * rng.lognormal(0, 1.0, n_lines) / price_usd))
    currency = orders["currency_index"].to_numpy()[owner]
    fx_row = int((plan.months[month] - markets.fx_months[0]).astype(np.int64))
    scale = 10.0 ** markets.minor_units[currency]
    unit_price = np.rint(price_usd / markets.usd_per_unit[fx_row, currency] * scale) / scale

    return (
        orders[owner]
        .with_columns(
            pl.Series("line_number", line_number, dtype=pl.Int32),
            markets.category_codes.gather(category).alias("product_category"),
            pl.Series("quantity", quantity),
            pl.Series("unit_price", unit_price),
            pl.col("buyer_rating").cast(pl.Int32),
        )
        .select(ORDERS.column_names)
        .with_columns(pl.col("ordered_at").cast(UTC_TIMESTAMP))
    )

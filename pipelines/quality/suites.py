"""Every Great Expectations suite of TradePulse, one per guarded table, in pipeline order.

The suites of each stage are built in their own module: `raw_suites` (the contract on the raw
tables, plus ingestion's rejections), `staging_suites` and `mart_suites` (the dbt models' own
promises). Which checks block and what to do when one fails is in docs/data-quality.md
(generated from these suites).

>>> [suite.name for suite in SUITES][:3]
['raw_suppliers', 'raw_buyers', 'raw_orders']
"""

from pipelines.contract import ENTITIES
from pipelines.quality.expect import Suite
from pipelines.quality.mart_suites import (
    kpi_growth_suite,
    pavilion_shortlist_suite,
    supplier_performance_suite,
)
from pipelines.quality.raw_suites import raw_suite
from pipelines.quality.staging_suites import order_lines_usd, staging_suite


def build_suites() -> tuple[Suite, ...]:
    """Every suite, raw first, then staging, then marts."""
    return (
        *(raw_suite(ENTITIES[name]) for name in ("suppliers", "buyers", "orders")),
        staging_suite(ENTITIES["suppliers"], "stg_marketplace__suppliers"),
        staging_suite(ENTITIES["buyers"], "stg_marketplace__buyers"),
        staging_suite(ENTITIES["orders"], "stg_marketplace__order_lines", order_lines_usd()),
        kpi_growth_suite(),
        supplier_performance_suite(),
        pavilion_shortlist_suite(),
    )


SUITES = build_suites()


def get_suite(name: str) -> Suite:
    """The suite called `name`, e.g. 'raw_orders'."""
    for suite in SUITES:
        if suite.name == name:
            return suite
    raise KeyError(f"no suite {name!r}; expected one of {', '.join(s.name for s in SUITES)}")

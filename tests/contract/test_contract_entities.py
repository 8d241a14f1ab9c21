"""The contract's definition: complete, self-consistent, and the docs match it."""

from pathlib import Path

import polars as pl
import pytest

from pipelines.config import PROJECT_ROOT
from pipelines.contract import (
    BUYERS,
    ENTITIES,
    ORDERS,
    REASON_MEANINGS,
    SUPPLIERS,
    UTC_TIMESTAMP,
    ReasonCode,
    get_entity,
)
from pipelines.contract.docs import BEGIN, END, contract_markdown
from pipelines.generate.faults import FAULTS_BEGIN, FAULTS_END, faults_markdown

DOCS = PROJECT_ROOT / "docs" / "data-contract.md"


def test_entities_list_the_required_columns_in_order() -> None:
    assert list(ENTITIES) == ["suppliers", "buyers", "orders"]
    assert SUPPLIERS.column_names == (
        "supplier_id", "supplier_name", "country_code", "province", "business_type",
        "main_category", "is_verified", "joined_at", "left_at",
    )  # fmt: skip
    assert BUYERS.column_names == ("buyer_id", "country_code", "registered_at", "buyer_type")
    assert ORDERS.column_names == (
        "order_id", "line_number", "buyer_id", "supplier_id", "ordered_at", "product_category",
        "quantity", "unit_price", "currency", "order_status", "promised_ship_by", "shipped_at",
        "delivered_at", "buyer_rating", "first_response_hours",
    )  # fmt: skip


def test_nullable_columns_are_exactly_the_documented_ones() -> None:
    nullable = {
        name: [column.name for column in entity.columns if column.nullable]
        for name, entity in ENTITIES.items()
    }
    assert nullable == {
        "suppliers": ["province", "left_at"],
        "buyers": ["buyer_type"],
        "orders": [
            "promised_ship_by",
            "shipped_at",
            "delivered_at",
            "buyer_rating",
            "first_response_hours",
        ],
    }


def test_types_keys_and_rules() -> None:
    assert ORDERS.schema["ordered_at"] == UTC_TIMESTAMP == pl.Datetime("us", "UTC")
    assert SUPPLIERS.schema["is_verified"] == pl.Boolean
    assert ORDERS.key == ("order_id", "line_number")
    assert ORDERS.column("quantity").range.describe() == "> 0"
    assert ORDERS.column("unit_price").range.describe() == ">= 0"
    assert ORDERS.column("buyer_rating").range.describe() == "between 1 and 5"
    assert [(rule.earlier, rule.later) for rule in ORDERS.date_orders] == [
        ("ordered_at", "promised_ship_by"),
        ("ordered_at", "shipped_at"),
        ("shipped_at", "delivered_at"),
        ("ordered_at", "delivered_at"),
    ]
    assert [(fk.column, fk.entity, fk.reason) for fk in ORDERS.foreign_keys] == [
        ("buyer_id", "buyers", ReasonCode.ORPHAN_BUYER),
        ("supplier_id", "suppliers", ReasonCode.ORPHAN_SUPPLIER),
    ]
    for entity in ENTITIES.values():
        names = set(entity.column_names)
        assert set(entity.key) <= names
        assert {name for rule in entity.date_orders for name in (rule.earlier, rule.later)} <= names


def test_unknown_entity_and_column_are_errors() -> None:
    assert get_entity("orders") is ORDERS
    with pytest.raises(KeyError, match="unknown entity 'order'; expected one of suppliers"):
        get_entity("order")
    with pytest.raises(KeyError, match="buyers has no column 'name'"):
        BUYERS.column("name")


def test_every_reason_code_has_a_stable_value_and_a_meaning() -> None:
    assert [code.value for code in ReasonCode] == [
        "missing_column", "missing_required", "bad_type", "not_in_set", "out_of_range",
        "bad_country", "bad_currency", "date_order", "future_date", "orphan_buyer",
        "orphan_supplier", "duplicate_key",
    ]  # fmt: skip
    assert set(REASON_MEANINGS) == set(ReasonCode)
    assert ReasonCode.DATE_ORDER.meaning.startswith("Two dates of the row")


def _section(text: str, begin: str, end: str) -> str:
    return text[text.index(begin) : text.index(end) + len(end)]


def test_docs_hold_the_generated_contract_and_fault_tables() -> None:
    text = Path(DOCS).read_text(encoding="utf-8")
    assert _section(text, BEGIN, END) == contract_markdown()
    assert _section(text, FAULTS_BEGIN, FAULTS_END) == faults_markdown()
    assert contract_markdown().count("| `") == 28 + 12  # columns plus reason codes

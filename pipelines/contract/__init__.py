"""The raw data contract: one typed definition used by the generator, ingestion, docs and GX."""

from pipelines.contract.entities import (
    BUSINESS_TYPES,
    BUYERS,
    ENTITIES,
    ORDER_STATUSES,
    ORDERS,
    SUPPLIERS,
    UTC_TIMESTAMP,
    get_entity,
)
from pipelines.contract.reasons import REASON_MEANINGS, ReasonCode
from pipelines.contract.rules import Column, DateOrder, Entity, ForeignKey, Range, RefSet
from pipelines.contract.validate import (
    REJECT_COLUMNS,
    ValidationResult,
    coerce_column,
    validate_frame,
)

__all__ = [
    "BUSINESS_TYPES",
    "BUYERS",
    "ENTITIES",
    "ORDERS",
    "ORDER_STATUSES",
    "REASON_MEANINGS",
    "REJECT_COLUMNS",
    "SUPPLIERS",
    "UTC_TIMESTAMP",
    "Column",
    "DateOrder",
    "Entity",
    "ForeignKey",
    "Range",
    "ReasonCode",
    "RefSet",
    "ValidationResult",
    "coerce_column",
    "get_entity",
    "validate_frame",
]

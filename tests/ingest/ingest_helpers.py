"""Builders of small raw files for the ingestion tests: rows that meet the contract, writers,
month ranges. The row builders and the writer live in tests/contract_rows.py."""

from datetime import datetime

from contract_rows import (
    FIRST_MONTH,
    HOANG_THANH,
    buyer,
    order,
    supplier,
    text_frame,
    write_rows,
)

from pipelines.ingest.partitions import orders_partitions_def
from pipelines.ingest.prepare import MonthRange

NOW = datetime(2024, 6, 15, 12, 0)


def all_months() -> MonthRange:
    """Every month partition from FIRST_MONTH to the current month."""
    keys = orders_partitions_def(FIRST_MONTH).get_partition_keys()
    return MonthRange(tuple(keys), keys[0], keys[-1])


def months_of(*keys: str) -> MonthRange:
    """The consecutive partitions `keys` within the partitions from FIRST_MONTH."""
    every = all_months()
    return MonthRange(tuple(keys), every.first, every.last)


__all__ = [
    "FIRST_MONTH",
    "HOANG_THANH",
    "NOW",
    "all_months",
    "buyer",
    "months_of",
    "order",
    "supplier",
    "text_frame",
    "write_rows",
]

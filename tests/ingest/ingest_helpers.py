"""Month ranges and the extract time of the ingestion tests. Rows that meet the contract and
the writer of small raw files are in tests/contract_rows.py."""

from datetime import datetime

from contract_rows import FIRST_MONTH

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

"""The raw suites: the contract of each entity on its raw table, plus what ingestion rejected.

Derived from `pipelines.contract.ENTITIES`, so a rule added to the contract is checked here too.
"""

import polars as pl

from pipelines.contract import ENTITIES, Column, Entity
from pipelines.contract.reference import reference_codes
from pipelines.ingest.tables import REJECTED_FILES, REJECTED_ROWS, entity_table
from pipelines.quality.expect import NOW, Expect, Suite, not_null, unique

# A share of rejected rows above this means a systematic export problem, not a few bad rows.
MAX_REJECTED_SHARE = 0.05

_RELOAD = (
    "Ingestion rejects such rows, so one here means {table} was changed outside the ingestion "
    "or the contract and the ingestion disagree. Reload with `tradepulse run`; if it persists, "
    "compare pipelines/contract with pipelines/ingest."
)


def _value_rules(column: Column, action: str) -> list[Expect]:
    """Allowed values, reference codes, ranges and no-future rules of one contract column."""
    rules = []
    if column.allowed or column.reference:
        values = sorted(column.allowed or reference_codes(column.reference))
        source = (
            f"one of {', '.join(values)}"
            if column.allowed
            else f"a code of the {column.reference.value} seed"
        )
        rules.append(
            Expect(
                f"{column.name}_allowed",
                "ExpectColumnValuesToBeInSet",
                {"column": column.name, "value_set": values},
                description=f"`{column.name}` is {source}.",
                action=action,
            )
        )
    if column.range is not None:
        bounds = column.range
        rules.append(
            Expect(
                f"{column.name}_in_range",
                "ExpectColumnValuesToBeBetween",
                {
                    "column": column.name,
                    "min_value": bounds.minimum,
                    "max_value": bounds.maximum,
                    "strict_min": not bounds.min_inclusive,
                    "strict_max": not bounds.max_inclusive,
                },
                description=f"`{column.name}` is {bounds.describe()}.",
                action=action,
            )
        )
    if column.not_future:
        rules.append(
            Expect(
                f"{column.name}_not_in_future",
                "ExpectColumnValuesToBeBetween",
                {"column": column.name, "max_value": NOW},
                description=f"`{column.name}` is not after the time of the check (UTC).",
                action=action,
            )
        )
    return rules


def _date_order(entity: Entity, earlier: str, later: str, action: str) -> Expect:
    name = f"{later}_not_before_{earlier}"
    description = f"`{earlier}` <= `{later}` when both are present."
    types = {entity.column(earlier).dtype, entity.column(later).dtype}
    if pl.Date in types and len(types) > 1:
        # A date and a timestamp compare as dates (the contract's rule).
        key = ", ".join(entity.key)
        query = (
            f"select {key}, {earlier}, {later}, _source_file from {{batch}} "
            f"where cast({earlier} as date) > cast({later} as date)"
        )
        return Expect(
            name,
            "ExpectQueryToReturnNoRows",
            {"unexpected_rows_query": query},
            description=description,
            action=action,
        )
    return Expect(
        name,
        "ExpectColumnPairValuesAToBeGreaterThanB",
        {
            "column_A": later,
            "column_B": earlier,
            "or_equal": True,
            "ignore_row_if": "either_value_is_missing",
        },
        description=description,
        action=action,
    )


def _foreign_key(entity: Entity, column: str, parent: str, action: str) -> Expect:
    parent_key = ENTITIES[parent].key[0]
    keys = ", ".join(f"child.{name}" for name in entity.key)
    query = (
        f"select {keys}, child.{column}, child._source_file from {{batch}} as child "
        f"left join {entity_table(parent)} as parent on child.{column} = parent.{parent_key} "
        f"where child.{column} is not null and parent.{parent_key} is null"
    )
    return Expect(
        f"{column}_exists_in_{parent}",
        "ExpectQueryToReturnNoRows",
        {"unexpected_rows_query": query},
        description=f"Every `{column}` names a row of {entity_table(parent)}.",
        action=action,
    )


def _rejections(entity: Entity) -> list[Expect]:
    """What ingestion left out of the entity: whole files, rows, and their share."""
    name = entity.name
    files = (
        f"select source_file, reason_code, reason_message, detected_at from {REJECTED_FILES} "
        f"where entity = '{name}'"
    )
    rows = (
        f"select source_file, source_row, reason_code, reason_message from {REJECTED_ROWS} "
        f"where entity = '{name}'"
    )
    share = f"""
        with rejected as (
            select count(*) as n from {REJECTED_ROWS} where entity = '{name}'
        ),
        loaded as (
            select count(*) as n from {{batch}}
        )
        select
            rejected.n as rows_rejected,
            loaded.n as rows_loaded,
            round(rejected.n / (rejected.n + loaded.n), 4) as rejected_share
        from rejected, loaded
        where rejected.n > {MAX_REJECTED_SHARE} * (rejected.n + loaded.n)
    """
    return [
        Expect(
            "no_rejected_files",
            "ExpectQueryToReturnNoRows",
            {"unexpected_rows_query": files},
            description=f"No {name} file was rejected whole by ingestion ({REJECTED_FILES}).",
            action=(
                f"A whole {name} file was not loaded, so none of its rows are in any figure. "
                f"Read its reason in {REJECTED_FILES} (reason_code, reason_message), fix or "
                "remove the file under $TRADEPULSE_RAW_DIR and run again."
            ),
        ),
        Expect(
            "no_rejected_rows",
            "ExpectQueryToReturnNoRows",
            {"unexpected_rows_query": rows},
            severity="warning",
            description=f"No {name} row broke the contract at ingestion ({REJECTED_ROWS}).",
            action=(
                f"The rows were left out of every figure. See {REJECTED_ROWS} (reason_code, "
                "reason_message, record) and docs/data-contract.md; correct the export when the "
                "rows matter."
            ),
        ),
        Expect(
            f"rejected_rows_at_most_{MAX_REJECTED_SHARE:.0%}".replace("%", "_percent"),
            "ExpectQueryToReturnNoRows",
            {"unexpected_rows_query": " ".join(share.split())},
            description=(
                f"At most {MAX_REJECTED_SHARE:.0%} of the {name} rows read were rejected."
            ),
            action=(
                "So many rejected rows point to a systematic export problem (a new currency, a "
                f"renamed status, a shifted column): the figures would undercount. Group "
                f"{REJECTED_ROWS} by reason_code, fix the export (or the contract) and run again."
            ),
        ),
    ]


def raw_suite(entity: Entity) -> Suite:
    """The suite of one raw table, derived from the entity's contract."""
    table = entity_table(entity.name)
    action = _RELOAD.format(table=table)
    key = list(entity.key)
    key_text = ", ".join(key)
    expectations = [
        not_null(column.name, action) for column in entity.columns if not column.nullable
    ]
    expectations.append(
        unique(
            "key_unique_within_file",
            [*key, "_source_file"],
            description=f"({key_text}) is unique within each source file.",
            action=action,
        )
    )
    expectations.append(
        unique(
            "key_unique_across_files",
            key,
            severity="warning",
            files=True,
            description=(
                f"({key_text}) is unique across files. Raw keeps every delivered copy on "
                "purpose; staging keeps the latest, so this only reports re-deliveries."
            ),
            action=(
                "Expected after a re-export or a corrections file: staging keeps the copy from "
                "the latest load. If no file was meant to repeat rows, find the files in the "
                "samples (`files`) and remove the stale one."
            ),
        )
    )
    for column in entity.columns:
        expectations.extend(_value_rules(column, action))
    expectations.extend(
        _date_order(entity, order.earlier, order.later, action) for order in entity.date_orders
    )
    expectations.extend(
        _foreign_key(entity, fk.column, fk.entity, action) for fk in entity.foreign_keys
    )
    expectations.extend(_rejections(entity))
    return Suite(
        name=f"raw_{entity.name}",
        asset=(f"raw_{entity.name}",),
        table=table,
        expectations=tuple(expectations),
        reads=tuple((f"raw_{fk.entity}",) for fk in entity.foreign_keys),
        description=f"The contract on {table}, plus what ingestion rejected.",
    )

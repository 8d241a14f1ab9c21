"""Load the raw files of one entity (or one range of order months) into the warehouse, whole.

A load replaces everything it is responsible for in one transaction: all rows of suppliers or
buyers, or the rows of raw.orders whose ordered_at falls in the months of the run, with the rows
of the files as they are now. Each file version keeps the `_loaded_at` of its first load, so
loading an unchanged file again changes no row.
"""

from collections import Counter
from datetime import datetime
from functools import partial
from pathlib import Path

import duckdb
import polars as pl

from pipelines.errors import TradePulseError
from pipelines.ingest.files import SourceFile, list_source_files
from pipelines.ingest.load_log import log_the_rest, record_log, record_rejected_files
from pipelines.ingest.partitions import KEY_FORMAT, MonthsCache
from pipelines.ingest.prepare import PARTITION, MonthRange, PreparedFile, prefetched, prepare_file
from pipelines.ingest.reasons import FileReason
from pipelines.ingest.registry import KnownVersion, read_registry, register_version
from pipelines.ingest.report import FileLog, LoadReport, RejectedFile
from pipelines.ingest.rows import MONTH
from pipelines.ingest.tables import (
    REJECTED_FILES,
    REJECTED_ROWS,
    SOURCE_FILES,
    BatchedAppend,
    append,
    ensure_tables,
    entity_table,
)


def load_entity(
    conn: duckdb.DuckDBPyConnection,
    raw_dir: Path,
    entity: str,
    *,
    run_id: str,
    now: datetime,
    months: MonthRange | None = None,
    months_cache: MonthsCache | None = None,
) -> LoadReport:
    """Replace the raw rows of `entity` (for orders: of the months in `months`) from the files.

    `now` is the naive UTC time of the load: the extract time of the contract's no-future rules
    and the `_loaded_at` of file versions seen for the first time.
    """
    partitioned = entity == "orders"
    if partitioned and months is None:
        raise ValueError("an orders load needs the month range it replaces")
    ensure_tables(conn, entity, replace=not partitioned or months.covers_all)
    report = LoadReport(entity, run_id)
    files = list_source_files(raw_dir, entity)
    cache = months_cache or MonthsCache(None)
    relevant, evaluated = _relevant_files(files, months if partitioned else None, cache, report)
    known_keys = _known_keys(conn) if partitioned else None
    registry = read_registry(conn, entity)
    prepare = partial(_prepare, registry=dict(registry), months=months, keys=known_keys, now=now)

    conn.execute("begin transaction")
    try:
        previous = _previous_counts(conn, entity, months)
        _delete_replaced(conn, entity, months, evaluated)
        rows = BatchedAppend(conn, entity_table(entity))
        for prepared in prefetched(relevant, prepare):
            report.logs.extend(_write(conn, rows, prepared, registry, report, previous, now))
        rows.flush()
        log_the_rest(report, files, registry, previous)
        present = [source.name for source in files if source.name not in report.rejected_files]
        conn.execute(
            f"delete from {SOURCE_FILES} where entity = ? and source_file not in "
            "(select unnest(?::varchar[]))",
            [entity, present],
        )
        record_rejected_files(conn, report, files, now)
        record_log(conn, report, now)
        conn.execute("commit")
    except BaseException:
        conn.execute("rollback")
        raise
    return report


def _prepare(
    source: SourceFile,
    *,
    registry: dict[str, KnownVersion],
    months: MonthRange | None,
    keys: dict[str, pl.Series] | None,
    now: datetime,
) -> PreparedFile:
    known = registry.get(source.name)
    unchanged = known is not None and (known.size, known.mtime_ns) == source.stat_key
    known_sha256 = known.sha256 if unchanged else None
    return prepare_file(source, known_sha256=known_sha256, months=months, known_keys=keys, now=now)


def _relevant_files(
    files: list[SourceFile],
    months: MonthRange | None,
    cache: MonthsCache,
    report: LoadReport,
) -> tuple[list[SourceFile], set[str]]:
    """The files to read, and the names whose rejected_files entry this load decides."""
    if months is None:
        return files, {source.name for source in files}
    relevant, evaluated = [], set()
    for source in files:
        found = cache.months(source)
        in_range = [month for month in found.months if months.holds(month)]
        if found.reason is not None:
            report.rejected_files[source.name] = RejectedFile(found.reason, found.message or "")
        elif not in_range:
            report.rejected_files[source.name] = RejectedFile(
                FileReason.NO_ORDER_MONTH,
                f"no row has an ordered_at in the months {months.first[:7]} .. "
                f"{months.last[:7]} (months found: {', '.join(found.months) or 'none'})",
            )
        elif not set(in_range) & set(months.keys):
            continue
        else:
            relevant.append(source)
        evaluated.add(source.name)
    cache.save(prune=True)
    return relevant, evaluated


def _known_keys(conn: duckdb.DuckDBPyConnection) -> dict[str, pl.Series]:
    """The valid buyer and supplier ids already loaded: what order lines may refer to."""
    keys = {}
    for entity, column in (("buyers", "buyer_id"), ("suppliers", "supplier_id")):
        try:
            frame = conn.sql(f"select distinct {column} from {entity_table(entity)}").pl()
        except duckdb.CatalogException:
            raise TradePulseError(
                f"{entity_table(entity)} does not exist yet: materialize raw_buyers and "
                "raw_suppliers before raw_orders (order lines must name a loaded buyer and "
                "supplier)"
            ) from None
        keys[entity] = frame.get_column(column)
    return keys


def _previous_counts(
    conn: duckdb.DuckDBPyConnection, entity: str, months: MonthRange | None
) -> dict[tuple[str, str | None], int]:
    """Rows (loaded or rejected) each file has in what the load replaces, by month for orders."""
    if months is None:
        loaded = conn.execute(
            f"select _source_file, null, count(*) from {entity_table(entity)} group by all"
        ).fetchall()
        rejected = conn.execute(
            f"select source_file, null, count(*) from {REJECTED_ROWS} where entity = ? "
            "group by all",
            [entity],
        ).fetchall()
    else:
        loaded = conn.execute(
            "select _source_file, strftime(date_trunc('month', ordered_at), ?), count(*) "
            f"from {entity_table(entity)} where ordered_at >= ? and ordered_at < ? group by all",
            [KEY_FORMAT, months.start, months.end],
        ).fetchall()
        rejected = conn.execute(
            f"select source_file, partition_key, count(*) from {REJECTED_ROWS} "
            "where entity = ? and partition_key in (select unnest(?::varchar[])) group by all",
            [entity, list(months.keys)],
        ).fetchall()
    counts: Counter[tuple[str, str | None]] = Counter()
    for name, key, count in [*loaded, *rejected]:
        counts[(name, key)] += count
    return dict(counts)


def _delete_replaced(
    conn: duckdb.DuckDBPyConnection,
    entity: str,
    months: MonthRange | None,
    evaluated: set[str],
) -> None:
    """Delete the rows and rejections that the load is about to write again."""
    if months is None:
        conn.execute(f"delete from {entity_table(entity)}")
        conn.execute(f"delete from {REJECTED_ROWS} where entity = ?", [entity])
    else:
        conn.execute(
            f"delete from {entity_table(entity)} where ordered_at >= ? and ordered_at < ?",
            [months.start, months.end],
        )
        conn.execute(
            f"delete from {REJECTED_ROWS} where entity = ? and "
            "partition_key in (select unnest(?::varchar[]))",
            [entity, list(months.keys)],
        )
    conn.execute(
        f"delete from {REJECTED_FILES} where entity = ? and source_file in "
        "(select unnest(?::varchar[]))",
        [entity, sorted(evaluated)],
    )


def _write(
    conn: duckdb.DuckDBPyConnection,
    rows: BatchedAppend,
    prepared: PreparedFile,
    registry: dict[str, KnownVersion],
    report: LoadReport,
    previous: dict[tuple[str, str | None], int],
    now: datetime,
) -> list[FileLog]:
    """Queue one prepared file's rows and insert its rejections; return its log rows.

    Orders get one log row per month.
    """
    source, sha256 = prepared.source, prepared.sha256
    entity = source.entity
    if prepared.problem is not None:
        report.rejected_files[source.name] = RejectedFile(
            prepared.problem.reason, prepared.problem.message, sha256 or None
        )
        return []
    loaded_at, status = register_version(conn, source, sha256, registry, now)
    report.rows_outside_partitions += prepared.rows_outside
    valid, rejected = prepared.valid, prepared.rejected
    lineage = {"_source_file": source.name, "_file_sha256": sha256, "_loaded_at": loaded_at}
    rows.add(valid.drop(MONTH, strict=False), lineage)
    append(
        conn,
        REJECTED_ROWS,
        rejected.select(
            pl.lit(entity).alias("entity"),
            pl.col(PARTITION).alias("partition_key"),
            pl.lit(source.name).alias("source_file"),
            pl.col("_source_row").alias("source_row"),
            pl.lit(sha256).alias("file_sha256"),
            "reason_code",
            "reason_message",
            "reason_codes",
            "record",
            pl.lit(loaded_at).alias("loaded_at"),
        ),
    )
    if MONTH in valid.columns:
        by_month = valid.group_by(MONTH).len().select(pl.col(MONTH).dt.strftime(KEY_FORMAT), "len")
        loaded = dict(by_month.iter_rows())
    else:
        loaded = {None: valid.height} if valid.height else {}
    broken: dict[str | None, dict[str, int]] = {}
    counts = rejected.group_by(PARTITION, "reason_code").len()
    counts = counts.sort(["len", "reason_code"], descending=[True, False])
    for key, code, count in counts.iter_rows():
        broken.setdefault(key, {})[code] = count
    keys = sorted(set(loaded) | set(broken), key=str) or [None]
    return [
        FileLog(
            entity,
            key,
            source.name,
            sha256,
            source.size,
            status,
            rows_loaded=loaded.get(key, 0),
            rejected_by_reason=broken.get(key, {}),
            rows_replaced=previous.get((source.name, key), 0),
            file_loaded_at=loaded_at,
        )
        for key in keys
    ]

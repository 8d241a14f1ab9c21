"""Read and check one raw file, apart from the warehouse, so that it can run in a worker thread."""

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

import polars as pl

from pipelines.contract import get_entity
from pipelines.ingest.files import SourceFile, file_sha256
from pipelines.ingest.partitions import KEY_FORMAT
from pipelines.ingest.readers import read_source
from pipelines.ingest.reasons import FileReason, FileRejected
from pipelines.ingest.rows import MONTH, check_rows

PARTITION = "__ingest_partition"
# Files read and checked at once, and how many may wait ready ahead of the one being written.
# One thread one file ahead left a core idle half the time: polars checks a file of 200,000
# rows on about 1.4 cores, DuckDB inserts on 2, and each waited for the other. Two threads two
# files ahead took the 10 M line ingest from 24.5 s to 21.3 s (docs/ingestion.md).
PREPARE_WORKERS = 2
PREPARE_AHEAD = 2
_Item = TypeVar("_Item")
_Result = TypeVar("_Result")


@dataclass(frozen=True)
class MonthRange:
    """The order months a load replaces (`keys`) within the partitions `first` .. `last`."""

    keys: tuple[str, ...]
    first: str
    last: str

    @property
    def start(self) -> datetime:
        """The first instant of the range (naive UTC)."""
        return datetime.strptime(self.keys[0], KEY_FORMAT)

    @property
    def end(self) -> datetime:
        """The first instant after the range (naive UTC)."""
        last = datetime.strptime(self.keys[-1], KEY_FORMAT)
        return last.replace(year=last.year + last.month // 12, month=last.month % 12 + 1)

    @property
    def covers_all(self) -> bool:
        """Whether the range is every partition."""
        return self.keys[0] == self.first and self.keys[-1] == self.last

    def holds(self, key: str) -> bool:
        """Whether the month `key` is one of the partitions at all."""
        return self.first <= key <= self.last


@dataclass(frozen=True)
class PreparedFile:
    """One file read and checked: the rows this load writes, or why the file is rejected whole.

    For orders, `valid` keeps each row's month (MONTH) and `rejected` its partition key
    (PARTITION, null for the other entities); `rows_outside` counts valid order lines that fall in
    no partition at all.
    """

    source: SourceFile
    sha256: str
    valid: pl.DataFrame | None = None
    rejected: pl.DataFrame | None = None
    rows_outside: int = 0
    problem: FileRejected | None = None


def prepare_file(
    source: SourceFile,
    *,
    known_sha256: str | None,
    months: MonthRange | None,
    known_keys: dict[str, pl.Series] | None,
    now: datetime,
) -> PreparedFile:
    """Hash (unless `known_sha256` is given), read and check one file."""
    try:
        sha256 = known_sha256 or file_sha256(source.path)
    except OSError as error:  # gone or unreadable since it was listed
        problem = FileRejected(FileReason.UNREADABLE, f"cannot read the file: {error}")
        return PreparedFile(source, "", problem=problem)
    try:
        frame = read_source(source.path)
        missing = [n for n in get_entity(source.entity).column_names if n not in frame.columns]
        if missing:
            raise FileRejected(
                FileReason.MISSING_COLUMN, f"required column(s) missing: {', '.join(missing)}"
            )
    except FileRejected as problem:
        return PreparedFile(source, sha256, problem=problem)
    checked = check_rows(source.entity, frame, known_keys=known_keys, now=now)
    if months is None:
        none = pl.lit(None, dtype=pl.String).alias(PARTITION)
        return PreparedFile(source, sha256, checked.valid, checked.rejected.with_columns(none))
    return _by_month(source, sha256, checked.valid, checked.rejected, months)


def _by_month(
    source: SourceFile,
    sha256: str,
    valid: pl.DataFrame,
    rejected: pl.DataFrame,
    months: MonthRange,
) -> PreparedFile:
    """Keep the rows of the load's months, each with its partition key.

    A valid order line belongs to the month of its ordered_at. A rejected one does too when that
    month is a partition; otherwise (ordered_at unreadable, in the future or before the first
    partition) it belongs to the earliest partition month of its file.
    """
    first = datetime.strptime(months.first, KEY_FORMAT)
    last = datetime.strptime(months.last, KEY_FORMAT)
    month = pl.col(MONTH)
    partitioned = month.is_between(pl.lit(first), pl.lit(last))
    outside = valid.select((~partitioned).sum()).item()
    candidates = pl.concat(
        [valid.get_column(MONTH), rejected.select(pl.when(partitioned).then(month)).to_series()]
    )
    home = candidates.filter(candidates.is_between(first, last)).min()
    rejected = rejected.with_columns(pl.when(partitioned).then(month).otherwise(home).alias(MONTH))
    wanted = month.is_between(pl.lit(months.start), pl.lit(months.end), closed="left")
    key = month.dt.strftime(KEY_FORMAT).alias(PARTITION)
    return PreparedFile(
        source,
        sha256,
        valid.filter(wanted),
        rejected.filter(wanted).with_columns(key).drop(MONTH),
        rows_outside=outside,
    )


def prefetched(
    items: Iterable[_Item],
    work: Callable[[_Item], _Result],
    *,
    workers: int = PREPARE_WORKERS,
    ahead: int = PREPARE_AHEAD,
) -> Iterator[_Result]:
    """`work(item)` for each item in order, computing up to `ahead` next ones in threads meanwhile.

    `workers` threads share the work, so that two files are read and checked at once while the
    caller writes the rows of an earlier one.
    """
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="ingest-prepare") as pool:
        pending: deque[Future[_Result]] = deque()
        for item in items:
            pending.append(pool.submit(work, item))
            if len(pending) > ahead:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()

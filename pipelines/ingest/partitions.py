"""Month partitions of raw_orders: the months each orders file holds and where the range starts.

The range starts at the earliest month found in the orders files when the definitions load
(DEFAULT_START_MONTH when there are none) and ends with the current month. What months a file
holds is cached beside the warehouse, keyed by the file's path, size and modification time, so
that loading the definitions again reads no file that has not changed.
"""

import json
import os
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import dagster as dg
import polars as pl

from pipelines.config import get_settings
from pipelines.ingest.files import SourceFile, list_source_files
from pipelines.ingest.readers import read_source
from pipelines.ingest.reasons import FileReason, FileRejected
from pipelines.ingest.rows import MONTH, order_month

DEFAULT_START_MONTH = date(2009, 12, 1)
KEY_FORMAT = "%Y-%m-%d"
_CACHE_VERSION = 1


@dataclass(frozen=True)
class FileMonths:
    """The months (partition keys) an orders file has rows in, or why it cannot be read."""

    months: tuple[str, ...] = ()
    reason: FileReason | None = None
    message: str | None = None


def month_key(month: date | datetime) -> str:
    """The partition key of the month holding `month`, e.g. '2023-01-01'."""
    return date(month.year, month.month, 1).strftime(KEY_FORMAT)


def read_file_months(path: Path) -> FileMonths:
    """Read an orders file's ordered_at column and list the months its rows fall in."""
    try:
        frame = read_source(path, columns=["ordered_at"])
    except FileRejected as rejected:
        return FileMonths(reason=rejected.reason, message=rejected.message)
    months = frame.select(order_month(frame)).get_column(MONTH).drop_nulls().unique().sort()
    return FileMonths(months=tuple(month_key(month) for month in months))


class MonthsCache:
    """Months per orders file, in a JSON file keyed by path, size and modification time."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._entries: dict[str, dict] = {}
        self._used: set[str] = set()
        self._dirty = False
        if path is not None and path.exists():
            try:
                stored = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                stored = {}
            if stored.get("version") == _CACHE_VERSION:
                self._entries = stored.get("files", {})

    def months(self, source: SourceFile) -> FileMonths:
        """The months of `source`, read from the file only when the cache has no fresh entry."""
        key = str(source.path)
        self._used.add(key)
        entry = self._entries.get(key)
        if entry is None or [entry["size"], entry["mtime_ns"]] != list(source.stat_key):
            found = read_file_months(source.path)
            entry = {
                "size": source.size,
                "mtime_ns": source.mtime_ns,
                "months": list(found.months),
                "reason": found.reason.value if found.reason else None,
                "message": found.message,
            }
            self._entries[key] = entry
            self._dirty = True
        reason = FileReason(entry["reason"]) if entry["reason"] else None
        return FileMonths(tuple(entry["months"]), reason, entry["message"])

    def save(self, prune: bool = False) -> None:
        """Write the cache atomically; `prune` drops files not asked about since it was opened."""
        stale = set(self._entries) - self._used if prune else set()
        if self.path is None or not (self._dirty or stale):
            return
        kept = {key: value for key, value in self._entries.items() if key not in stale}
        partial = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            partial.write_text(json.dumps({"version": _CACHE_VERSION, "files": kept}), "utf-8")
            os.replace(partial, self.path)
        except OSError:
            pass  # a cache that cannot be written only costs a re-read next time


def default_cache_path() -> Path:
    """Where the months cache lives: a hidden file beside the warehouse."""
    warehouse = get_settings().warehouse
    return warehouse.with_name(f".{warehouse.stem}.orders-months.json")


def data_start_month(raw_dir: Path, cache: MonthsCache) -> date | None:
    """The earliest month, up to the current one, that any orders file has a row in."""
    current = month_key(datetime.now(UTC))
    months = [
        month
        for source in list_source_files(raw_dir, "orders")
        for month in cache.months(source).months
        if month <= current
    ]
    cache.save(prune=True)
    return date.fromisoformat(min(months)) if months else None


def orders_partitions_def(start: date) -> dg.MonthlyPartitionsDefinition:
    """Calendar months (UTC) from `start` up to and including the current month."""
    return dg.MonthlyPartitionsDefinition(start_date=month_key(start), fmt=KEY_FORMAT, end_offset=1)


def orders_partitions_from_data() -> dg.MonthlyPartitionsDefinition:
    """The partitions of raw_orders as the data in TRADEPULSE_RAW_DIR has them now."""
    start = data_start_month(get_settings().raw_dir, MonthsCache(default_cache_path()))
    return orders_partitions_def(start or DEFAULT_START_MONTH)


def month_frame_key(column: str) -> pl.Expr:
    """An expression turning a naive month timestamp column into its partition key."""
    return pl.col(column).dt.strftime(KEY_FORMAT)

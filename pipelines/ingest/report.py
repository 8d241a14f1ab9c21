"""What a load did: a row of raw.load_log per file (and month), and the files rejected whole."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from pipelines.ingest.reasons import FileReason


@dataclass(frozen=True)
class RejectedFile:
    """Why a file was quarantined whole: a row of raw.rejected_files."""

    reason: FileReason
    message: str
    sha256: str | None = None


@dataclass
class FileLog:
    """What a load did with one file (for orders: one month of it): a row of raw.load_log.

    `status` is `new`, `changed` or `unchanged` (against the version loaded before), `removed`
    (the file, or its rows of that month, are gone) or `rejected` (the file could not be read).
    Always `rows_read == rows_loaded + rows_rejected`.
    """

    entity: str
    partition_key: str | None
    source_file: str
    file_sha256: str | None
    file_bytes: int | None
    status: str
    rows_loaded: int = 0
    rejected_by_reason: dict[str, int] = field(default_factory=dict)
    rows_replaced: int = 0
    file_loaded_at: datetime | None = None

    @property
    def rows_rejected(self) -> int:
        """Rows of the file (and month) that broke the contract."""
        return sum(self.rejected_by_reason.values())

    @property
    def rows_read(self) -> int:
        """Rows of the file (and month) read: loaded plus rejected."""
        return self.rows_loaded + self.rows_rejected


@dataclass
class LoadReport:
    """The outcome of one load of an entity (for orders: of a range of months)."""

    entity: str
    run_id: str
    logs: list[FileLog] = field(default_factory=list)
    rejected_files: dict[str, RejectedFile] = field(default_factory=dict)
    rows_outside_partitions: int = 0

    @property
    def rows_read(self) -> int:
        """Rows read from the files, over all of them."""
        return sum(log.rows_read for log in self.logs)

    @property
    def rows_loaded(self) -> int:
        """Rows that met the contract and were loaded."""
        return sum(log.rows_loaded for log in self.logs)

    @property
    def rows_rejected(self) -> int:
        """Rows that broke the contract, now in raw.rejected_rows."""
        return sum(log.rows_rejected for log in self.logs)

    @property
    def rows_replaced(self) -> int:
        """Rows (loaded or rejected) of earlier loads that this load replaced."""
        return sum(log.rows_replaced for log in self.logs)

    def rejected_by_reason(self) -> dict[str, int]:
        """Rejected rows per reason code, most frequent first (ties by code)."""
        counts: Counter[str] = Counter()
        for log in self.logs:
            counts.update(log.rejected_by_reason)
        return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))

    def files_by_status(self) -> dict[str, int]:
        """Files per status, each file counted once (its first log row's status)."""
        seen: dict[str, str] = {}
        for log in self.logs:
            seen.setdefault(log.source_file, log.status)
        return dict(Counter(seen.values()).most_common())

    def files_read(self) -> list[str]:
        """The files whose rows this load read."""
        statuses = ("new", "changed", "unchanged")
        return sorted({log.source_file for log in self.logs if log.status in statuses})

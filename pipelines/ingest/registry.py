"""The registry of file versions loaded (raw.source_files): what keeps `_loaded_at` stable."""

from dataclasses import dataclass
from datetime import datetime

import duckdb

from pipelines.ingest.files import SourceFile
from pipelines.ingest.tables import SOURCE_FILES


@dataclass(frozen=True)
class KnownVersion:
    """A file version already loaded: its hash, size, time, and when it was first loaded."""

    sha256: str
    size: int
    mtime_ns: int
    loaded_at: datetime


def read_registry(conn: duckdb.DuckDBPyConnection, entity: str) -> dict[str, KnownVersion]:
    """The file versions loaded so far: name -> hash, size, time and first load time."""
    rows = conn.execute(
        "select source_file, file_sha256, file_bytes, file_mtime_ns, loaded_at "
        f"from {SOURCE_FILES} where entity = ?",
        [entity],
    ).fetchall()
    return {name: KnownVersion(sha, size, mtime, loaded) for name, sha, size, mtime, loaded in rows}


def register_version(
    conn: duckdb.DuckDBPyConnection,
    source: SourceFile,
    sha256: str,
    registry: dict[str, KnownVersion],
    now: datetime,
) -> tuple[datetime, str]:
    """The `_loaded_at` of the file's rows and its status; records the version in the registry."""
    known = registry.get(source.name)
    if known is not None and known.sha256 == sha256:
        loaded_at, status = known.loaded_at, "unchanged"
        if (known.size, known.mtime_ns) == source.stat_key:
            return loaded_at, status
    else:
        loaded_at, status = now, "changed" if known is not None else "new"
    conn.execute(
        f"delete from {SOURCE_FILES} where entity = ? and source_file = ?",
        [source.entity, source.name],
    )
    conn.execute(
        f"insert into {SOURCE_FILES} (entity, source_file, file_sha256, file_bytes, "
        "file_mtime_ns, loaded_at) values (?, ?, ?, ?, ?, ?)",
        [source.entity, source.name, sha256, source.size, source.mtime_ns, loaded_at],
    )
    registry[source.name] = KnownVersion(sha256, source.size, source.mtime_ns, loaded_at)
    return loaded_at, status

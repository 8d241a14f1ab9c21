"""The raw files of each entity under the raw dir: discovery, formats and content hashes."""

import hashlib
from dataclasses import dataclass
from pathlib import Path

ENTITIES = ("suppliers", "buyers", "orders")
FORMATS = {
    ".csv": "csv",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
}
_HASH_CHUNK_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True)
class SourceFile:
    """One file under `<raw dir>/<entity>/`, named by its path relative to the raw dir."""

    entity: str
    path: Path
    name: str
    size: int
    mtime_ns: int

    @property
    def format(self) -> str | None:
        """`csv`, `parquet` or `jsonl`; None for a file of an unsupported kind."""
        return FORMATS.get(self.path.suffix.lower())

    @property
    def stat_key(self) -> tuple[int, int]:
        """Size and modification time: equal keys mean the file was not touched."""
        return (self.size, self.mtime_ns)


def _is_data_file(path: Path) -> bool:
    return path.is_file() and not path.name.startswith((".", "README", "~$"))


def list_source_files(raw_dir: Path, entity: str) -> list[SourceFile]:
    """Every data file of `entity` (subfolders included), hidden files and READMEs skipped.

    >>> list_source_files(Path("/nonexistent"), "orders")
    []
    """
    folder = raw_dir / entity
    if not folder.is_dir():
        return []
    files = []
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(raw_dir)
        if any(part.startswith(".") for part in relative.parts) or not _is_data_file(path):
            continue
        stat = path.stat()
        files.append(SourceFile(entity, path, relative.as_posix(), stat.st_size, stat.st_mtime_ns))
    return files


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes, read in chunks, as hex."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_HASH_CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()

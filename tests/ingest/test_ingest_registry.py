from datetime import datetime
from pathlib import Path

from pipelines.ingest.files import SourceFile
from pipelines.ingest.registry import KnownVersion, read_registry, register_version
from pipelines.ingest.tables import connect, ensure_tables

FIRST, LATER = datetime(2024, 1, 1), datetime(2024, 2, 1)


def source(size: int = 10, mtime_ns: int = 1) -> SourceFile:
    return SourceFile("buyers", Path("/raw/buyers/a.csv"), "buyers/a.csv", size, mtime_ns)


def test_a_version_keeps_the_time_of_its_first_load(tmp_path: Path) -> None:
    with connect(tmp_path / "w.duckdb") as conn:
        ensure_tables(conn, "buyers", replace=True)
        registry: dict[str, KnownVersion] = {}

        assert register_version(conn, source(), "aa", registry, FIRST) == (FIRST, "new")
        assert register_version(conn, source(), "aa", registry, LATER) == (FIRST, "unchanged")
        assert register_version(conn, source(mtime_ns=2), "aa", registry, LATER) == (
            FIRST,
            "unchanged",
        )
        assert read_registry(conn, "buyers") == {"buyers/a.csv": KnownVersion("aa", 10, 2, FIRST)}
        assert register_version(conn, source(size=11), "bb", registry, LATER) == (
            LATER,
            "changed",
        )
        assert read_registry(conn, "buyers")["buyers/a.csv"] == KnownVersion("bb", 11, 1, LATER)

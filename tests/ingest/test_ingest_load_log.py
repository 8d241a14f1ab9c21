import json
from datetime import datetime
from pathlib import Path

from pipelines.ingest.files import SourceFile
from pipelines.ingest.load_log import log_the_rest, record_log, record_rejected_files
from pipelines.ingest.reasons import FileReason
from pipelines.ingest.registry import KnownVersion
from pipelines.ingest.report import FileLog, LoadReport, RejectedFile
from pipelines.ingest.tables import connect, ensure_tables

NOW = datetime(2024, 1, 1)


def test_gone_and_rejected_files_get_log_rows() -> None:
    report = LoadReport("buyers", "run-1")
    report.logs = [FileLog("buyers", None, "buyers/kept.csv", "aa", 5, "unchanged", rows_loaded=3)]
    report.rejected_files = {"buyers/bad.csv": RejectedFile(FileReason.UNREADABLE, "truncated")}
    files = [
        SourceFile("buyers", Path("/r/buyers/kept.csv"), "buyers/kept.csv", 5, 1),
        SourceFile("buyers", Path("/r/buyers/bad.csv"), "buyers/bad.csv", 7, 1),
    ]
    registry = {"buyers/empty.csv": KnownVersion("cc", 0, 1, NOW)}

    log_the_rest(
        report, files, registry, {("buyers/gone.csv", None): 4, ("buyers/bad.csv", None): 2}
    )

    assert [(log.source_file, log.status, log.rows_replaced) for log in report.logs] == [
        ("buyers/kept.csv", "unchanged", 0),
        ("buyers/bad.csv", "rejected", 2),
        ("buyers/empty.csv", "removed", 0),
        ("buyers/gone.csv", "removed", 4),
    ]


def test_the_log_and_rejected_files_are_recorded(tmp_path: Path) -> None:
    report = LoadReport("buyers", "run-7")
    report.logs = [
        FileLog("buyers", None, "buyers/a.csv", "aa", 5, "new", rows_loaded=3,
                rejected_by_reason={"bad_country": 2}, file_loaded_at=NOW),
    ]  # fmt: skip
    report.rejected_files = {"buyers/b.csv": RejectedFile(FileReason.BAD_ENCODING, "latin-1", "bb")}
    files = [SourceFile("buyers", Path("/r/buyers/b.csv"), "buyers/b.csv", 9, 1)]

    with connect(tmp_path / "w.duckdb") as conn:
        ensure_tables(conn, "buyers", replace=True)
        record_log(conn, report, NOW)
        record_rejected_files(conn, report, files, NOW)

        assert conn.execute(
            "select run_id, status, rows_read, rows_loaded, rows_rejected, rejected_by_reason "
            "from raw.load_log"
        ).fetchall() == [("run-7", "new", 5, 3, 2, json.dumps({"bad_country": 2}))]
        assert conn.execute("select * from raw.rejected_files").fetchall() == [
            ("buyers", "buyers/b.csv", "bb", 9, "bad_encoding", "latin-1", NOW)
        ]

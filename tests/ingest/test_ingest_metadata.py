from ingest_helpers import months_of

from pipelines.ingest.metadata import report_metadata
from pipelines.ingest.reasons import FileReason
from pipelines.ingest.report import FileLog, LoadReport, RejectedFile


def test_metadata_counts_files_rows_and_reasons() -> None:
    report = LoadReport("orders", "run-1")
    report.logs = [
        FileLog("orders", "2023-02-01", "orders/a.csv", "aa", 5, "new", rows_loaded=3,
                rejected_by_reason={"bad_type": 1}, rows_replaced=2),
        FileLog("orders", None, "orders/b.csv", None, 9, "rejected"),
    ]  # fmt: skip
    report.rejected_files = {"orders/b.csv": RejectedFile(FileReason.UNREADABLE, "truncated")}

    found = {
        name: value.value
        for name, value in report_metadata(report, months_of("2023-02-01")).items()
        if name != "per_file"
    }

    assert found == {
        "files": 1,
        "files_by_status": {"new": 1, "rejected": 1},
        "files_rejected": 1,
        "rows_read": 4,
        "rows_loaded": 3,
        "rows_rejected": 1,
        "rejected_by_reason": {"bad_type": 1},
        "rows_replaced": 2,
        "rejected_files": {"orders/b.csv": "unreadable: truncated"},
        "months": "2023-02-01 .. 2023-02-01",
        "rows_outside_partitions": 0,
    }
    table = report_metadata(report, None)["per_file"].value
    assert "| orders/a.csv | 2023-02-01 | new | 4 | 3 | 1 |" in table

from pipelines.ingest.report import FileLog, LoadReport


def test_a_log_row_adds_up() -> None:
    log = FileLog("orders", "2023-01-01", "orders/a.csv", "ab", 10, "new", rows_loaded=5,
                  rejected_by_reason={"bad_type": 2, "orphan_buyer": 1})  # fmt: skip

    assert (log.rows_read, log.rows_loaded, log.rows_rejected) == (8, 5, 3)


def test_a_report_sums_its_files() -> None:
    report = LoadReport("orders", "run-1")
    report.logs = [
        FileLog("orders", "2023-01-01", "orders/a.csv", "ab", 10, "new", rows_loaded=5,
                rejected_by_reason={"bad_type": 2}, rows_replaced=4),
        FileLog("orders", "2023-02-01", "orders/a.csv", "ab", 10, "new", rows_loaded=1,
                rejected_by_reason={"orphan_buyer": 2, "bad_type": 1}),
        FileLog("orders", "2023-01-01", "orders/b.csv", None, None, "removed", rows_replaced=7),
    ]  # fmt: skip

    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (11, 6, 5)
    assert report.rows_replaced == 11
    assert list(report.rejected_by_reason().items()) == [("bad_type", 3), ("orphan_buyer", 2)]
    assert report.files_by_status() == {"new": 1, "removed": 1}
    assert report.files_read() == ["orders/a.csv"]

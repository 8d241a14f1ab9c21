from pipelines.contract import ReasonCode
from pipelines.ingest.reasons import FileReason, FileRejected


def test_every_file_reason_has_a_meaning() -> None:
    assert [reason.value for reason in FileReason] == [
        "unsupported_format",
        "bad_encoding",
        "unreadable",
        "missing_column",
        "no_order_month",
    ]
    assert all(reason.meaning.endswith(".") for reason in FileReason)


def test_missing_column_is_the_contracts_code() -> None:
    assert FileReason.MISSING_COLUMN.value == ReasonCode.MISSING_COLUMN.value


def test_a_rejection_carries_its_reason() -> None:
    rejected = FileRejected(FileReason.UNREADABLE, "truncated")

    assert (rejected.reason, rejected.message, str(rejected)) == (
        FileReason.UNREADABLE,
        "truncated",
        "truncated",
    )

"""Why a whole raw file is quarantined in raw.rejected_files instead of being loaded."""

from enum import StrEnum


class FileReason(StrEnum):
    """Reason codes of rejected files; row-level codes come from the contract's ReasonCode."""

    UNSUPPORTED_FORMAT = "unsupported_format"
    BAD_ENCODING = "bad_encoding"
    UNREADABLE = "unreadable"
    MISSING_COLUMN = "missing_column"
    NO_ORDER_MONTH = "no_order_month"

    @property
    def meaning(self) -> str:
        """One line that says what the code means."""
        return FILE_REASON_MEANINGS[self]


FILE_REASON_MEANINGS: dict[FileReason, str] = {
    FileReason.UNSUPPORTED_FORMAT: "The file is not CSV (.csv), Parquet (.parquet, .pq) or JSON "
    "lines (.jsonl, .ndjson, .json).",
    FileReason.BAD_ENCODING: "The text is not valid UTF-8 (a UTF-8 byte order mark is fine).",
    FileReason.UNREADABLE: "The file cannot be parsed in its format: a corrupt or truncated "
    "Parquet file, a CSV row with more fields than the header, a line that is not a JSON object, "
    "an empty file.",
    FileReason.MISSING_COLUMN: "A column the contract requires is absent from the file.",
    FileReason.NO_ORDER_MONTH: "An orders file with no row whose ordered_at falls in a month "
    "partition, so no partition can hold its rows.",
}


class FileRejected(Exception):
    """A raw file that cannot be loaded at all, with the reason code and a readable message."""

    def __init__(self, reason: FileReason, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message

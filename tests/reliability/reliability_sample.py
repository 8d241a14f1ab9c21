"""The shared sample of the end-to-end tests: a faulty sample plus extra deliveries, run once."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl
from reliability_helpers import Published, Workspace, read_published, run_to_end

from pipelines.contract import validate_frame
from pipelines.generate.sample import GenerationSummary, generate_sample

SEED = 11
ORDER_LINES = 10_000
FAULTS = 0.002
# A supplier file with a hostile name, Vietnamese names with quoted commas and newlines.
SUPPLIERS_FILE = "suppliers/Đối tác bổ sung; \"đợt 2\" 'VN'.csv"
VIETNAMESE_NAMES = (
    'Công ty TNHH "Đại Phát", chi nhánh Bắc Ninh',
    "Hợp tác xã Mây tre đan Phú Vinh,\nxã Phú Nghĩa, huyện Chương Mỹ",
)
# Lines of 2022-06 delivered again, with a later name: staging keeps this copy of each.
RESENT_FILE = "orders/2022-06_resent; v2 'final'.csv"
RESENT_LINES = 5


@dataclass(frozen=True)
class PublishedSample:
    """The shared workspace after its first run, and what went into it."""

    workspace: Workspace
    summary: GenerationSummary
    resent: pl.DataFrame
    published: Published
    output: str


def as_text(frame: pl.DataFrame) -> pl.DataFrame:
    """Every column as text the way an export writes it (timestamps ISO 8601 in UTC)."""
    return frame.select(
        pl.col(name).dt.strftime("%Y-%m-%dT%H:%M:%SZ")
        if isinstance(dtype, pl.Datetime)
        else pl.col(name).cast(pl.String)
        for name, dtype in frame.schema.items()
    )


def deliver_extras(raw_dir: Path) -> pl.DataFrame:
    """Add the extra supplier file and the re-delivered order lines; the lines re-delivered."""
    suppliers = pl.read_parquet(raw_dir / "suppliers" / "suppliers.parquet")
    vietnamese = suppliers.filter(pl.col("country_code") == "VN", pl.col("left_at").is_null())
    extra = vietnamese.head(len(VIETNAMESE_NAMES)).with_columns(
        pl.Series("supplier_id", [f"S-REL-{n}" for n in range(len(VIETNAMESE_NAMES))]),
        pl.Series("supplier_name", list(VIETNAMESE_NAMES)),
    )
    as_text(extra).write_csv(raw_dir / SUPPLIERS_FILE)

    june = pl.read_parquet(raw_dir / "orders" / "2022-06.parquet")
    buyers = pl.read_parquet(raw_dir / "buyers" / "buyers.parquet")
    known = {"buyers": buyers["buyer_id"], "suppliers": suppliers["supplier_id"]}
    key = ["order_id", "line_number"]
    valid = validate_frame("orders", june, known_keys=known).valid
    once = june.filter(pl.struct(key).is_unique()).select(key)
    keys = valid.select(key).join(once, on=key, how="semi", maintain_order="left")
    resent = (
        june.join(keys.head(RESENT_LINES), on=key)
        .with_columns(pl.col("quantity") + 1)
        .sort("order_id", "line_number")
    )
    as_text(resent).write_csv(raw_dir / RESENT_FILE)
    return resent


def publish_sample(root: Path, log: Path) -> PublishedSample:
    """Generate the sample under `root`, add the extras, and run `tradepulse run` once."""
    workspace = Workspace(root)
    summary = generate_sample(workspace.raw_dir, seed=SEED, order_lines=ORDER_LINES, faults=FAULTS)
    resent = deliver_extras(workspace.raw_dir)
    output = run_to_end(workspace, log)
    return PublishedSample(workspace, summary, resent, read_published(workspace.marts_dir), output)

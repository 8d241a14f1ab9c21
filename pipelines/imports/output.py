"""Write mapped frames as raw contract files: suppliers, buyers and one orders file per month."""

from __future__ import annotations

from pathlib import Path

import polars as pl


def _write(frame: pl.DataFrame, path: Path) -> Path:
    frame.write_parquet(path, compression="zstd", statistics=True)
    return path


def write_raw(
    out_dir: Path, suppliers: pl.DataFrame, buyers: pl.DataFrame, orders: pl.DataFrame
) -> tuple[Path, ...]:
    """Write the three entities under `out_dir`; orders as `orders/YYYY-MM.parquet` (UTC month)."""
    files = [
        _write(suppliers, out_dir / "suppliers" / "suppliers.parquet"),
        _write(buyers, out_dir / "buyers" / "buyers.parquet"),
    ]
    months = orders.with_columns(pl.col("ordered_at").dt.strftime("%Y-%m").alias("__month"))
    for (month,), frame in months.partition_by(
        "__month", as_dict=True, maintain_order=True
    ).items():
        files.append(_write(frame.drop("__month"), out_dir / "orders" / f"{month}.parquet"))
    return tuple(files)

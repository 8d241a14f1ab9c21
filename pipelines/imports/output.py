"""Write mapped frames as raw contract files: suppliers, buyers and one orders file per month."""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl

from pipelines.errors import TradePulseError

DATASETS = ("suppliers", "buyers", "orders")


def _data_files(out_dir: Path) -> list[Path]:
    """Files under `out_dir` that hold data: neither hidden nor a README."""
    if not out_dir.exists():
        return []
    return sorted(
        path
        for path in out_dir.rglob("*")
        if path.is_file() and not path.name.startswith((".", "README"))
    )


def prepare_out_dir(out_dir: Path, *, overwrite: bool) -> None:
    """Make sure `out_dir` holds no data but, with `overwrite`, raw folders that are replaced."""
    if out_dir.exists() and not out_dir.is_dir():
        raise TradePulseError(f"{out_dir} is a file; --out must name a directory")
    found = _data_files(out_dir)
    if found and not overwrite:
        shown = ", ".join(str(path.relative_to(out_dir)) for path in found[:3])
        raise TradePulseError(
            f"{out_dir} already holds data ({shown}); choose an empty directory with --out, "
            "or pass --overwrite to replace its suppliers/, buyers/ and orders/"
        )
    others = [path for path in found if path.relative_to(out_dir).parts[0] not in DATASETS]
    if others:
        shown = ", ".join(str(path.relative_to(out_dir)) for path in others[:3])
        raise TradePulseError(
            f"{out_dir} holds other data ({shown}); refusing to overwrite it, "
            "choose an empty directory with --out"
        )
    for name in DATASETS:
        if (out_dir / name).is_dir():
            shutil.rmtree(out_dir / name)
        (out_dir / name).mkdir(parents=True)


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

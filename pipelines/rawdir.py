"""The raw dir's layout: which files count as data, and preparing a dir for new raw files."""

from __future__ import annotations

import shutil
from pathlib import Path

from pipelines.errors import TradePulseError

DATASETS = ("suppliers", "buyers", "orders")


def data_files(directory: Path) -> list[Path]:
    """Files under `directory` that hold data: neither hidden nor a README."""
    if not directory.exists():
        return []
    return sorted(
        path
        for path in directory.rglob("*")
        if path.is_file() and not path.name.startswith((".", "README"))
    )


def is_empty(directory: Path) -> bool:
    """True when `directory` holds no data file (a README or a hidden note does not count)."""
    return not data_files(directory)


def prepare_out_dir(out_dir: Path, *, overwrite: bool) -> None:
    """Make sure `out_dir` holds no data but, with `overwrite`, raw folders that are replaced."""
    if out_dir.exists() and not out_dir.is_dir():
        raise TradePulseError(f"{out_dir} is a file; --out must name a directory")
    found = data_files(out_dir)
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

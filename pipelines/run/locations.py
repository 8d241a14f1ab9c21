"""Before a run: can the raw dir be read, and the warehouse and the marts dir be written?"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from pipelines.config import Settings
from pipelines.errors import TradePulseError
from pipelines.rawdir import DATASETS


def check_locations(settings: Settings) -> None:
    """Raise a TradePulseError naming the location and its variable when one cannot be used.

    A raw dir that does not exist yet is fine (the run generates the sample into it).
    """
    raw = f"the raw dir {settings.raw_dir} (TRADEPULSE_RAW_DIR)"
    warehouse = f"the warehouse {settings.warehouse} (TRADEPULSE_WAREHOUSE)"
    marts = f"the marts dir {settings.marts_dir} (TRADEPULSE_MARTS_DIR)"
    _check_readable(settings.raw_dir, raw)
    _check_writable(settings.warehouse.parent, warehouse, named=False)
    if settings.warehouse.exists():
        try:
            with settings.warehouse.open("r+b"):
                pass
        except OSError as error:
            raise _cannot("write", warehouse, error) from None
    _check_writable(settings.marts_dir, marts, named=True)


def _cannot(verb: str, what: str, error: OSError, path: Path | None = None) -> TradePulseError:
    where = f"{path}: " if path is not None else ""
    return TradePulseError(f"cannot {verb} {what}: {where}{error.strerror or error}")


def _check_readable(raw_dir: Path, what: str) -> None:
    """The raw dir and its dataset folders can be listed."""
    for folder in (raw_dir, *(raw_dir / name for name in DATASETS)):
        if not folder.exists():
            continue
        try:
            with os.scandir(folder) as entries:
                for _entry in entries:
                    pass
        except OSError as error:
            raise _cannot("read", what, error, None if folder == raw_dir else folder) from None


def _check_writable(directory: Path, what: str, *, named: bool) -> None:
    """`directory` exists or can be made, and a file can be created in it.

    `named`: `what` names `directory` itself, so messages need not repeat the path.
    """
    shown = None if named else directory
    try:
        directory.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=directory):
            pass
    except FileExistsError:
        where = "it" if named else str(directory)
        raise TradePulseError(f"cannot write {what}: {where} is not a directory") from None
    except OSError as error:
        raise _cannot("write", what, error, shown) from None

"""`import_online_retail`: read the UCI Online Retail exports, map them, write raw files."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path

from pipelines.errors import TradePulseError
from pipelines.imports.layouts import read_export
from pipelines.imports.mapping import map_exports
from pipelines.imports.output import write_raw
from pipelines.imports.summary import ImportSummary
from pipelines.provenance import write_provenance
from pipelines.rawdir import prepare_out_dir

ProgressCallback = Callable[[str], None]
CREDIT = (
    'UCI Machine Learning Repository, "Online Retail" (doi 10.24432/C5BW33) and '
    '"Online Retail II" (doi 10.24432/C5CG6D), Daqing Chen, CC BY 4.0'
)


def import_online_retail(
    paths: Sequence[Path],
    out_dir: Path,
    *,
    overwrite: bool = False,
    progress: ProgressCallback | None = None,
) -> ImportSummary:
    """Import Online Retail exports into `out_dir` as raw suppliers, buyers and monthly orders.

    >>> summary = import_online_retail([ii_2009_2010, i_2010_2011], tmp / "raw")  # doctest: +SKIP
    >>> summary.rows_in == summary.rows_accounted  # doctest: +SKIP
    True
    """
    began = time.perf_counter()

    def report(message: str) -> None:
        if progress is not None:
            progress(f"{message}  {time.perf_counter() - began:.1f} s")

    paths = [Path(path) for path in paths]
    names = [path.name for path in paths]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise TradePulseError(
            f"file name(s) given more than once: {', '.join(repeated)}; pass each export once"
        )
    out_dir = Path(out_dir)
    exports = {}
    for number, path in enumerate(paths, start=1):
        report(f"[{number}/{len(paths) + 2}] reading {path.name}")
        exports[path.name] = read_export(path)
    prepare_out_dir(out_dir, overwrite=overwrite)
    rows = sum(frame.height for frame in exports.values())
    report(f"[{len(paths) + 1}/{len(paths) + 2}] mapping {rows:,} rows")
    mapped = map_exports(exports)
    report(f"[{len(paths) + 2}/{len(paths) + 2}] writing {mapped.orders.height:,} order lines")
    files = write_raw(out_dir, mapped.suppliers, mapped.buyers, mapped.orders)
    write_provenance(out_dir, kind="import", source=CREDIT, files=names)
    return ImportSummary(
        out_dir=out_dir,
        source_rows=mapped.source_rows,
        overlap_rows=mapped.overlap_rows,
        overlap_invoices=mapped.overlap_invoices,
        differing_overlap_invoices=mapped.differing_overlap_invoices,
        excluded=mapped.excluded,
        written={
            "suppliers": mapped.suppliers.height,
            "buyers": mapped.buyers.height,
            "orders": mapped.orders.height,
        },
        zero_price_lines=mapped.zero_price_lines,
        cancelled_lines=mapped.cancelled_lines,
        files=files,
        seconds=time.perf_counter() - began,
    )

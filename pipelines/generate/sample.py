"""Write a calibrated, seeded sample of raw suppliers, buyers and monthly order files."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import polars as pl

from pipelines.errors import TradePulseError
from pipelines.generate.buyers import build_buyers
from pipelines.generate.faults import allocate, break_lines, extra_buyers, extra_suppliers, spread
from pipelines.generate.markets import markets
from pipelines.generate.orders import DAY_US, generate_month, new_state
from pipelines.generate.plan import day_number, plan_months
from pipelines.generate.suppliers import build_suppliers
from pipelines.provenance import write_provenance
from pipelines.rawdir import prepare_out_dir

EARLIEST_START = date(2012, 1, 1)
LATEST_END = date(2023, 12, 31)
MIN_ORDER_LINES = 10_000
MAX_ORDER_LINES = 50_000_000
MAX_FAULT_RATE = 0.5
_PLAN, _SUPPLIERS, _BUYERS, _ORDERS, _FAULTS = range(1, 6)

ProgressCallback = Callable[[str, int, int], None]


@dataclass(frozen=True)
class GenerationSummary:
    """What a run of the generator wrote."""

    out_dir: Path
    seed: int
    rows: dict[str, int]
    files: tuple[Path, ...]
    seconds: float
    calibrated: bool
    faults: dict[str, int] = field(default_factory=dict)

    @property
    def fault_rows(self) -> int:
        """Rows injected as faults, over all kinds."""
        return sum(self.faults.values())


def write_sample_marker(out_dir: Path, **arguments: object) -> Path:
    """Record that `out_dir` holds a generated sample, and how it was made."""
    seed = arguments.get("seed")
    return write_provenance(
        out_dir, kind="sample", source=f"TradePulse seeded sample (seed {seed})", **arguments
    )


def _check_arguments(seed: int, order_lines: int, start: date, end: date, faults: float) -> None:
    if seed < 0:
        raise TradePulseError(f"--seed must be 0 or more, not {seed}")
    if not MIN_ORDER_LINES <= order_lines <= MAX_ORDER_LINES:
        raise TradePulseError(
            f"--order-lines must be between {MIN_ORDER_LINES:,} and {MAX_ORDER_LINES:,}, "
            f"not {order_lines:,}"
        )
    if end < start:
        raise TradePulseError(f"--end {end} is before --start {start}; swap them")
    if start < EARLIEST_START or end > LATEST_END:
        raise TradePulseError(
            f"the sample must lie within {EARLIEST_START} .. {LATEST_END} "
            f"(the span of the FX seed and supplier history), not {start} .. {end}"
        )
    if not 0 <= faults <= MAX_FAULT_RATE:
        raise TradePulseError(f"--faults is a share of rows between 0 and {MAX_FAULT_RATE}")


def _rng(seed: int, *stream: int) -> np.random.Generator:
    return np.random.default_rng([seed, *stream])


def _write(frame: pl.DataFrame, path: Path) -> Path:
    frame.write_parquet(path, compression="zstd", statistics=True)
    return path


def generate_sample(
    out_dir: Path,
    *,
    seed: int = 42,
    order_lines: int = 1_000_000,
    start: date = date(2020, 1, 1),
    end: date = date(2023, 10, 31),
    faults: float = 0.0,
    overwrite: bool = False,
    progress: ProgressCallback | None = None,
) -> GenerationSummary:
    """Write suppliers, buyers and one orders file per month into `out_dir`.

    The same arguments always give byte-identical files. `progress(stage, done, total)` is told
    how far each stage is.

    >>> summary = generate_sample(Path(tmp) / "raw", order_lines=20_000)  # doctest: +SKIP
    >>> summary.rows["orders"]  # doctest: +SKIP
    20000
    """
    began = time.perf_counter()
    _check_arguments(seed, order_lines, start, end, faults)
    out_dir = Path(out_dir)
    prepare_out_dir(out_dir, overwrite=overwrite)

    def report(stage: str, done: int, total: int) -> None:
        if progress is not None:
            progress(stage, done, total)

    lookups = markets()
    plan = plan_months(start, end, order_lines, _rng(seed, _PLAN))
    report("suppliers", 0, 1)
    suppliers = build_suppliers(_rng(seed, _SUPPLIERS), lookups, order_lines, end)
    supplier_faults = allocate("suppliers", len(suppliers), faults)
    supplier_frame = pl.concat(
        [suppliers.frame, extra_suppliers(_rng(seed, _FAULTS, 1), suppliers.frame, supplier_faults)]
    )
    files = [_write(supplier_frame, out_dir / "suppliers" / "suppliers.parquet")]
    report("suppliers", 1, 1)

    report("buyers", 0, 1)
    buyers = build_buyers(_rng(seed, _BUYERS), lookups, plan, start)
    buyer_faults = allocate("buyers", len(buyers), faults)
    buyer_frame = pl.concat(
        [buyers.frame, extra_buyers(_rng(seed, _FAULTS, 2), buyers.frame, buyer_faults)]
    )
    files.append(_write(buyer_frame, out_dir / "buyers" / "buyers.parquet"))
    report("buyers", 1, 1)

    order_faults = allocate("orders", order_lines, faults)
    injected = supplier_faults | buyer_faults | order_faults
    extract_us = (day_number(end) + 1) * DAY_US
    state = new_state(buyers, plan)
    monthly_faults = spread(order_faults, plan.lines)
    months = len(plan.months)
    order_rows = 0
    orphans = 0
    report("orders", 0, months)
    for month in range(months):
        lines = generate_month(
            _rng(seed, _ORDERS, month), month, plan, buyers, suppliers, lookups, state, extract_us
        )
        lines = break_lines(
            _rng(seed, _FAULTS, 3, month),
            lines,
            monthly_faults[month],
            buyers=buyer_frame.height,
            suppliers=supplier_frame.height,
            orphan_offset=orphans,
        )
        orphans += (
            monthly_faults[month]["order_orphan_buyer"]
            + monthly_faults[month]["order_orphan_supplier"]
        )
        order_rows += lines.height
        files.append(_write(lines, out_dir / "orders" / f"{plan.months[month]}.parquet"))
        report("orders", month + 1, months)

    write_sample_marker(
        out_dir, seed=seed, order_lines=order_lines, start=start, end=end, faults=faults
    )
    return GenerationSummary(
        out_dir=out_dir,
        seed=seed,
        rows={
            "suppliers": supplier_frame.height,
            "buyers": buyer_frame.height,
            "orders": order_rows,
        },
        files=tuple(files),
        seconds=time.perf_counter() - began,
        calibrated=plan.calibrated,
        faults=injected,
    )

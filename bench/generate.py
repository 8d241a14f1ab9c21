"""Benchmark the sample generator: seconds and peak RSS for 1M and 10M order lines.

Run: `.venv/bin/python bench/generate.py [--sizes 1000000 10000000] [--seed 42]`. Each size runs in
a fresh child process so that its peak RSS is its own; output files go to a temporary directory.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHILD = """
import json, resource, sys, time
from pathlib import Path
from pipelines.generate.sample import generate_sample

began = time.perf_counter()
summary = generate_sample(Path(sys.argv[1]), order_lines=int(sys.argv[2]), seed=int(sys.argv[3]))
seconds = time.perf_counter() - began
peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": seconds, "peak_rss_mib": peak_kib / 1024, "rows": summary.rows}))
"""


def run(order_lines: int, seed: int) -> dict:
    """Generate one sample in a child process and return its timings."""
    with tempfile.TemporaryDirectory(prefix="tradepulse-bench-") as tmp:
        out = Path(tmp) / "raw"
        began = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-c", CHILD, str(out), str(order_lines), str(seed)],
            check=True,
            capture_output=True,
            text=True,
        )
        wall = time.perf_counter() - began
        size_mib = sum(p.stat().st_size for p in out.rglob("*.parquet")) / 2**20
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    return {**figures, "wall_seconds": wall, "output_mib": size_mib}


def main() -> int:
    """Print a table of generator timings."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    print(
        f"{'order lines':>12} {'seconds':>8} {'wall s':>7} {'peak RSS MiB':>13} {'files MiB':>10}"
    )
    for size in args.sizes:
        figures = run(size, args.seed)
        print(
            f"{size:>12,} {figures['seconds']:>8.1f} {figures['wall_seconds']:>7.1f} "
            f"{figures['peak_rss_mib']:>13.0f} {figures['output_mib']:>10.1f}"
        )
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"(largest child peak RSS: {peak:.0f} MiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
